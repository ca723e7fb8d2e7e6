"""The near-real-time path (docs/indicators/README.md): alerts on newly published SECOP II contracts.

The sensor `live_contracts` polls the contracts dataset every `SECOP_POLL_SECONDS` for rows after its
cursor (the last seen `:updated_at` and `:id`). When there are some, and no live run is still ingesting
or cleaning (a run past its Spark step overlaps the next; dbt steps take the `duckdb_writer` pool in
turn), it requests a `live_alerts` run:
ingest the delta (`raw/secop_ii_contratos`, the batch asset and its watermark), clean it
(`trusted/secop_ii_contratos`, the batch Spark job; on a warm Spark Connect server when
`SECOP_SPARK_REMOTE` is set), evaluate the streaming indicators for just the new contract versions
(the dbt models LIVE_MODELS), then notify (`alert_notifications`).

The job (job.py), the sensor that starts it (sensor.py), the notifying asset (assets.py), what it reads
from the warehouse through the one reader (queries.py) and its record of the alerts posted, in the lake
(notified.py).

Exactly once: the dbt evaluation log keeps its own high-water mark and skips the versions it already
holds, and `fct_contract_alerts` keeps the first firing of each (contract, indicator); so repeated
polls, overlapping windows, updates and retried runs add no alert twice and lose none. The first
tick only places the cursor on the newest row: alerts start with what is published after it.
"""
