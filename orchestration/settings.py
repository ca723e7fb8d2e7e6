"""Environment: every variable of ARCHITECTURE.md resolved in one place.

`SECOP_ENV` only sets defaults for the others; a variable set explicitly always wins. Relative paths
resolve against the repository root, never against the working directory (dbt runs in dbt_project/).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orchestration.paco import PACO_URL

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

_ENV_DEFAULTS: dict[str, dict[str, str]] = {
    "local": {"SECOP_SPARK": "local", "DBT_TARGET": "local"},
    "aws": {"SECOP_SPARK": "emr", "DBT_TARGET": "redshift"},
}


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

    @classmethod
    def from_env(cls) -> Settings:
        env = os.getenv("SECOP_ENV", "local")
        if env not in _ENV_DEFAULTS:
            raise ValueError(f"SECOP_ENV must be one of {sorted(_ENV_DEFAULTS)}, got {env!r}")
        defaults = _ENV_DEFAULTS[env]
        return cls(
            env=env,
            socrata_url=os.getenv("SECOP_SOCRATA_URL", "https://www.datos.gov.co").rstrip("/"),
            paco_url=os.getenv("SECOP_PACO_URL", PACO_URL).rstrip("/"),
            lake_uri=resolve_path(os.getenv("SECOP_LAKE_URI", ".data/lake")),
            duckdb_path=resolve_path(os.getenv("SECOP_DUCKDB_PATH", ".data/warehouse.duckdb")),
            spark=os.getenv("SECOP_SPARK", defaults["SECOP_SPARK"]),
            dbt_target=os.getenv("DBT_TARGET", defaults["DBT_TARGET"]),
            s3_endpoint_url=os.getenv("SECOP_S3_ENDPOINT_URL") or None,
        )
