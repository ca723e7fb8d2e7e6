"""Reading the warehouse's marts: one reader for the API, the report and the alert notifications."""
