"""Dev and demo tooling beside the code location: the demo, live sessions, a warm Spark Connect server."""
