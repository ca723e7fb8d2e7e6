"""The lake's layout, owned here: zone folders, partition names and the system columns each zone adds.

Paths are relative to the lake root (`SECOP_LAKE_URI`, a local folder or `s3://bucket/prefix`). The
orchestration writes and reads them through these functions; the Spark job receives its folders in the job
it is handed; dbt reads `meta.trusted_path` and `meta.year_partition` of the generated `_sources.yml`.
"""

from __future__ import annotations

RAW, TRUSTED, QUARANTINE = "raw", "trusted", "quarantine"
BATCH_PARTITION = "batch"  # raw/<source>/batch=<id>/ and quarantine/<source>/batch=<id>/
YEAR_PARTITION = "_year"  # trusted/<source>/_year=<Y>/: the year of the source's main date
INGESTION_LOG = "control/ingestion_log"  # append-only status entries of raw batches (orchestration/lake.py)
CLEANING_RULES = "control/cleaning_rules"  # <source>.sha256: the rules a trusted table was built with
HEALTH = "control/health"  # <source>/pull.json and <source>/columns.json: what the last pull and clean saw
SPARK_STAGING = "tmp/spark"  # a Spark run's staged output before it is published
REFINED = "refined"  # refined/<mart>/run_date=<D>/part-<nnnnn>.parquet: the marts after each build
REFINED_STAGING = "tmp/refined"  # a Redshift UNLOAD's output before it is published
RUN_DATE_PARTITION = "run_date"
ALERT_NOTIFICATIONS = "control/alert_notifications"  # <id>.parquet: the live alerts already posted

# Columns every raw row carries besides the served fields (orchestration/ingest.py adds them).
RAW_SYSTEM_COLUMNS: dict[str, str] = {
    "_row_id": "Socrata row id (`:id`); for a PACO file the sha256 of the row",
    "_source_updated_at": "when the publisher last changed the row (`:updated_at`; a file's Last-Modified)",
    "_source_created_at": "when the publisher created the row (`:created_at`)",
    "_batch_id": "the raw batch the row came from",
    "_ingested_at": "when the batch was pulled",
}

# Lineage columns every trusted table carries after its catalogued ones (spark_jobs/cleaning.py), with
# their portable types (dbt maps `text`) and descriptions.
TRUSTED_SYSTEM_COLUMNS: dict[str, tuple[str, str]] = {
    "_row_id": ("text", RAW_SYSTEM_COLUMNS["_row_id"]),
    "_source_updated_at": ("timestamp", RAW_SYSTEM_COLUMNS["_source_updated_at"]),
    "_batch_id": ("text", RAW_SYSTEM_COLUMNS["_batch_id"]),
    "_ingested_at": ("timestamp", RAW_SYSTEM_COLUMNS["_ingested_at"]),
    "fecha_corte_datos": ("date", "the date of that batch"),
    "_issues": ("text", "fields that were unusable and became null, `field: problem`, separated by `; `"),
    YEAR_PARTITION: ("bigint", "year of the main date (partition)"),
}


def spark_layout() -> dict:
    """What the Spark job needs of the layout, as plain JSON (it is handed over Pipes with the jobs)."""
    return {
        "trusted": TRUSTED,
        "quarantine": QUARANTINE,
        "staging": SPARK_STAGING,
        "year_partition": YEAR_PARTITION,
        "batch_partition": BATCH_PARTITION,
        "raw_system_columns": list(RAW_SYSTEM_COLUMNS),
    }


def raw_file(source: str, batch_id: str, part: int) -> str:
    return f"{RAW}/{source}/{BATCH_PARTITION}={batch_id}/part-{part:05d}.parquet"


def trusted_dir(source: str) -> str:
    return f"{TRUSTED}/{source}"


def quarantine_dir(source: str) -> str:
    return f"{QUARANTINE}/{source}"


def refined_partition(mart: str, run_date: str) -> str:
    """The folder of one run date of a refined mart (Hive style, as Athena, pandas and DuckDB read it)."""
    return f"{REFINED}/{mart}/{RUN_DATE_PARTITION}={run_date}"


def health_file(source: str, part: str) -> str:
    return f"{HEALTH}/{source}/{part}.json"


def rules_file(source: str) -> str:
    return f"{CLEANING_RULES}/{source}.sha256"
