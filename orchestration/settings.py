"""Environment: every variable of docs/architecture.md#environments resolved in one place.

`SECOP_ENV` only sets defaults for the others; a variable set explicitly always wins. Relative paths
resolve against the repository root, never against the working directory (dbt runs in dbt_project/).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.http import checked_token, checked_url
from orchestration.paco import PACO_URL

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
TIMEZONE = "America/Bogota"  # Colombia: the schedule and the run dates

_ENV_DEFAULTS: dict[str, dict[str, str]] = {
    "local": {"SECOP_SPARK": "local", "DBT_TARGET": "local"},
    "aws": {"SECOP_SPARK": "emr", "DBT_TARGET": "redshift"},
}

SPARK_RUNNERS = ("local", "emr", "emr-serverless")
DEFAULT_EMR_RELEASE_LABEL = "emr-7.5.0"  # Spark 3.5
DEFAULT_EMR_INSTANCE_TYPE = "m5.xlarge"
DEFAULT_EMR_INSTANCE_COUNT = 3  # 1 primary + 2 core nodes
DEFAULT_EMR_SERVICE_ROLE = "EMR_DefaultRole"
DEFAULT_EMR_INSTANCE_PROFILE = "EMR_EC2_DefaultRole"
DEFAULT_GLUE_DATABASE = "secop_trusted"


def repo_python_path() -> str:
    """PYTHONPATH for a job run as `python -m spark_jobs.<job>` from this checkout: the repository first."""
    return os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))


def resolve_path(value: str) -> str:
    """A lake URI or file path; relative local paths are taken from the repository root."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else REPO_ROOT / path)


@dataclass(frozen=True)
class Settings:
    env: str
    socrata_url: str
    paco_url: str
    lake_uri: str
    duckdb_path: str
    spark: str
    dbt_target: str
    s3_endpoint_url: str | None
    spark_remote: str | None = None  # SECOP_SPARK=local: a warm Spark Connect server's `sc://` URL to run on
    poll_seconds: int = 30  # the near-real-time sensor's interval
    live_alerts: bool = False  # the near-real-time sensor starts on (`SECOP_LIVE_ALERTS=on`)
    # AWS Spark (SECOP_SPARK=emr | emr-serverless); unused locally.
    emr_s3_prefix: str | None = None  # code, logs and Pipes messages; default `<lake>/_emr` for an S3 lake
    emr_release_label: str = DEFAULT_EMR_RELEASE_LABEL
    emr_instance_type: str = DEFAULT_EMR_INSTANCE_TYPE
    emr_instance_count: int = DEFAULT_EMR_INSTANCE_COUNT
    emr_service_role: str = DEFAULT_EMR_SERVICE_ROLE
    emr_instance_profile: str = DEFAULT_EMR_INSTANCE_PROFILE
    emr_bootstrap_uri: str | None = None
    emr_visible_to_all_users: bool = False  # on: every IAM user of the account sees and manages the clusters
    emr_python: str | None = None
    emr_serverless_app_id: str | None = None
    emr_job_role_arn: str | None = None
    glue_database: str = DEFAULT_GLUE_DATABASE

    @classmethod
    def from_env(cls) -> Settings:
        env = os.getenv("SECOP_ENV", "local")
        if env not in _ENV_DEFAULTS:
            raise ValueError(f"SECOP_ENV must be one of {sorted(_ENV_DEFAULTS)}, got {env!r}")
        defaults = _ENV_DEFAULTS[env]
        lake_uri = resolve_path(os.getenv("SECOP_LAKE_URI", ".data/lake"))
        check_secrets()
        return cls(
            env=env,
            socrata_url=_portal_url("SECOP_SOCRATA_URL", "https://www.datos.gov.co"),
            paco_url=_portal_url("SECOP_PACO_URL", PACO_URL),
            lake_uri=lake_uri,
            duckdb_path=resolve_path(os.getenv("SECOP_DUCKDB_PATH", ".data/warehouse.duckdb")),
            spark=os.getenv("SECOP_SPARK", defaults["SECOP_SPARK"]),
            dbt_target=os.getenv("DBT_TARGET", defaults["DBT_TARGET"]),
            s3_endpoint_url=os.getenv("SECOP_S3_ENDPOINT_URL") or None,
            spark_remote=os.getenv("SECOP_SPARK_REMOTE") or None,
            poll_seconds=_positive_int("SECOP_POLL_SECONDS", 30),
            live_alerts=_switch("SECOP_LIVE_ALERTS"),
            emr_s3_prefix=(os.getenv("SECOP_EMR_S3_PREFIX") or _default_emr_prefix(lake_uri)),
            emr_release_label=os.getenv("SECOP_EMR_RELEASE_LABEL") or DEFAULT_EMR_RELEASE_LABEL,
            emr_instance_type=os.getenv("SECOP_EMR_INSTANCE_TYPE") or DEFAULT_EMR_INSTANCE_TYPE,
            emr_instance_count=_positive_int("SECOP_EMR_INSTANCE_COUNT", DEFAULT_EMR_INSTANCE_COUNT),
            emr_service_role=os.getenv("SECOP_EMR_SERVICE_ROLE") or DEFAULT_EMR_SERVICE_ROLE,
            emr_instance_profile=os.getenv("SECOP_EMR_INSTANCE_PROFILE") or DEFAULT_EMR_INSTANCE_PROFILE,
            emr_bootstrap_uri=os.getenv("SECOP_EMR_BOOTSTRAP_URI") or None,
            emr_visible_to_all_users=_switch("SECOP_EMR_VISIBLE_TO_ALL_USERS"),
            emr_python=os.getenv("SECOP_EMR_PYTHON") or None,
            emr_serverless_app_id=os.getenv("SECOP_EMR_SERVERLESS_APP_ID") or None,
            emr_job_role_arn=os.getenv("SECOP_EMR_JOB_ROLE_ARN") or None,
            glue_database=os.getenv("SECOP_GLUE_DATABASE") or DEFAULT_GLUE_DATABASE,
        )


def _portal_url(name: str, default: str) -> str:
    """A portal root from `name`: http(s), no credentials, query or control characters."""
    return checked_url(os.getenv(name) or default, name).rstrip("/")


def check_secrets() -> None:
    """`SECOP_APP_TOKEN` and `SECOP_ALERT_WEBHOOK_URL`, when set, are usable (checked when the definitions
    load; the resources read them at launch, as `EnvVar`s). The error names the variable, never the value."""
    if token := os.getenv("SECOP_APP_TOKEN"):
        checked_token(token, "SECOP_APP_TOKEN")
    if webhook_url := os.getenv("SECOP_ALERT_WEBHOOK_URL"):
        checked_url(webhook_url, "SECOP_ALERT_WEBHOOK_URL", secret=True)


def _default_emr_prefix(lake_uri: str) -> str | None:
    return f"{lake_uri.rstrip('/')}/_emr" if lake_uri.startswith("s3://") else None


def _switch(name: str) -> bool:
    """An on/off variable: on for `on`, `1`, `true` or `yes` (any case), off when unset or anything else."""
    return os.getenv(name, "off").lower() in ("on", "1", "true", "yes")


def _positive_int(name: str, default: int) -> int:
    raw = os.getenv(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}")
    return value


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """These environment variables for the block (a None value unsets one), the earlier values after."""
    saved = {name: os.environ.get(name) for name in values}

    def apply(pairs: Mapping[str, str | None]) -> None:
        for name, value in pairs.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)

    apply(values)
    try:
        yield
    finally:
        apply(saved)
