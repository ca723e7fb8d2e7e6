"""A tiny Pipes job for the local runner's environment test: reports the names of the variables it sees, the
names of those whose value holds the `planted` extra, and where it was told Spark runs. No Spark."""

from __future__ import annotations

import os

from spark_jobs.pipes_channel import open_pipes


def main() -> None:
    with open_pipes() as pipes:
        planted = pipes.get_extra("planted")
        pipes.report_asset_materialization(
            metadata={
                "names": {"raw_value": sorted(os.environ), "type": "json"},
                "holding_planted": {
                    "raw_value": sorted(k for k, v in os.environ.items() if planted in v),
                    "type": "json",
                },
                "spark": {"raw_value": {k: v for k, v in os.environ.items() if k.startswith("SPARK_")}, "type": "json"},
            }
        )


if __name__ == "__main__":
    main()
