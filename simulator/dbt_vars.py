"""The dbt project's vars (dbt_project/dbt_project.yml): the indicator catalogue and the rules' thresholds; and its
seed of legal minimum wages (the contract-splitting ceilings are in minimum wages).

The oracle (simulator.truth), the plants and the live producer read indicators and thresholds here, so
each is written once, in the dbt project; the oracle's rule logic stays its own Python.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import yaml

from orchestration.settings import DBT_PROJECT_DIR


@cache
def dbt_vars() -> dict[str, Any]:
    """The `vars` of dbt_project.yml, read once."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


@cache
def minimum_wages() -> dict[int, int]:
    """The seed legal_minimum_wages: year -> legal monthly minimum wage (SMMLV, COP)."""
    with (DBT_PROJECT_DIR / "seeds" / "legal_minimum_wages.csv").open(encoding="utf-8") as seed:
        return {int(row["year"]): int(row["smmlv"]) for row in csv.DictReader(seed)}


INDICATORS: tuple[str, ...] = tuple(dbt_vars()["indicators"])  # in report order
# Indicators the near-real-time path evaluates on each new contract (docs/indicators/README.md).
STREAMING_INDICATORS: tuple[str, ...] = tuple(i for i, spec in dbt_vars()["indicators"].items() if spec["streaming"])
