"""Warm a Spark Connect server up with the trusted job itself: one synthetic row per source through `run`.

A new server plans and generates code for the cleaning plan (some hundred expressions) on its first run
of it, 10-20 s; a warm one takes a few seconds. `python -m spark_jobs.warm_up SPECS_JSON` (a JSON list of
catalogue cleaning specs; workbench/spark_connect.py passes them) runs as a client of `SPARK_REMOTE`,
in a temporary lake of its own, so the server's first real increment finds the plan's code compiled.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq

from spark_jobs.clean_source import run, spark_session

BATCH = "19700101T000000000000Z-warmup"
ROUNDS = 2  # the second round still gains a few seconds from the JVM's own compilation


def synthetic_row(spec: dict, layout: dict) -> dict[str, str | None]:
    """One raw row: its key set (so it is a trusted row), every other catalogue column empty."""
    row = dict.fromkeys([c["field_name"] for c in spec["columns"]] + layout["raw_system_columns"])
    row.update({key: "WARM-UP" for key in spec["key"]}, _row_id="row-warm-up", _batch_id=BATCH)
    row.update(_source_updated_at="1970-01-01T00:00:00.000Z", _ingested_at="1970-01-01T00:00:00.000Z")
    return row


def main(specs: list[dict], layout: dict) -> None:
    log = logging.getLogger("spark_jobs.warm_up")
    spark = spark_session("warm_up")
    try:
        with tempfile.TemporaryDirectory(prefix="spark-warm-up-") as lake:
            for spec in specs * ROUNDS:
                raw = f"{lake}/{spec['name']}.parquet"
                row = synthetic_row(spec, layout)
                pq.write_table(pa.table({name: pa.array([value], pa.string()) for name, value in row.items()}), raw)
                job = {"spec": spec, "raw_files": [{"uri": raw, "batch_id": BATCH}], "pending_batches": [BATCH]}
                settings = {"lake_root": lake, "layout": layout, "full_refresh": False, "compact_ratio": None}
                run(spark, job, settings, SimpleNamespace(log=log))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(**json.loads(sys.argv[1]))
