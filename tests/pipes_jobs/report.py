"""A tiny Pipes job for the AWS runner tests: opens the channel the way the Spark job does, logs a line,
prints one, and reports one materialization echoing what it received and where its code came from.
No Spark."""

from __future__ import annotations

import dagster_pipes

from spark_jobs import pipes_channel
from spark_jobs.pipes_channel import open_pipes


def main() -> None:
    with open_pipes() as pipes:
        pipes.log.info("report job: hello over Pipes")
        print("report job: a line on stdout")
        pipes.report_asset_materialization(
            metadata={
                "glue_database": pipes.get_extra("glue_database"),
                "lake_root": pipes.get_extra("lake_root"),
                "module": __spec__.name,
                "loaded_from": {"raw_value": [pipes_channel.__file__, dagster_pipes.__file__], "type": "json"},
            }
        )


if __name__ == "__main__":
    main()
