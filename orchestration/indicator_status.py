"""Which indicators can be evaluated, and why not: the source columns each one needs against the health
of its sources.

Each indicator declares the source columns it reads in its dbt model's YAML (`config.meta.needs`, on
`int_flags__<id>`), and the award universe its own (on `int_awards`), which every indicator needs too.
An indicator is not evaluated when a source it needs failed its last pull, is stale, no longer publishes
a needed column, or had more than `max_unusable` of a needed column's values unusable in its last
cleaning. A source with no rows at all is caught by dbt itself (int_indicator_status), so a stand-alone
`dbt build` sees that too. Each reason is a record, its `kind` and its fields (no sentence: texts/ renders it,
`texts.render_not_evaluated`); they reach dbt as JSON in `DBT_ENV_CUSTOM_ENV_SECOP_NOT_EVALUATED`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from catalogue import SOURCES, Source
from orchestration.lake import Lake
from orchestration.source_health import ColumnHealth, PullHealth, read_columns, read_pull

FLAG_MODEL = "int_flags__"
UNIVERSE_MODEL = "int_awards"
NOT_EVALUATED_ENV = "DBT_ENV_CUSTOM_ENV_SECOP_NOT_EVALUATED"
MAX_UNUSABLE = 0.2  # share of a needed column's values that may be unusable before its indicators stop

Needs = dict[str, dict[str, tuple[str, ...]]]  # indicator id -> source name -> columns


def _model_needs(node: Mapping) -> dict[str, tuple[str, ...]]:
    meta = node.get("config", {}).get("meta") or node.get("meta") or {}
    return {source: tuple(columns) for source, columns in (meta.get("needs") or {}).items()}


def indicator_needs(manifest: Mapping) -> Needs:
    """Every indicator's needed source columns: its own plus the award universe's."""
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    universe = _model_needs(models[UNIVERSE_MODEL])
    needs: Needs = {}
    for name, node in models.items():
        if name.startswith(FLAG_MODEL):
            own = _model_needs(node)
            merged = {s: tuple(dict.fromkeys([*universe.get(s, ()), *own.get(s, ())])) for s in {*universe, *own}}
            needs[name.removeprefix(FLAG_MODEL)] = merged
    return needs


def read_needs(manifest_path: Path) -> Needs:
    return indicator_needs(json.loads(manifest_path.read_text(encoding="utf-8")))


def needed_columns(needs: Needs, source: Source) -> dict[str, list[str]]:
    """The columns of `source` some indicator needs, each with the indicators that need it."""
    by_column: dict[str, list[str]] = {}
    for indicator_id, sources in sorted(needs.items()):
        for column in sources.get(source.name, ()):
            by_column.setdefault(column, []).append(indicator_id)
    return by_column


Reason = dict[str, Any]  # {"kind": ..., and its fields}: texts/not_evaluated.yml renders each kind


def source_problems(
    source: Source,
    columns: Mapping[str, list[str]],
    pull: PullHealth | None,
    cleaned: ColumnHealth | None,
    now: datetime,
    max_unusable: float = MAX_UNUSABLE,
) -> dict[str, list[Reason]]:
    """Why each needed column of `source` cannot be trusted now: column -> reasons (none: fine)."""
    problems: dict[str, list[Reason]] = {column: [] for column in columns}
    whole: list[Reason] = []
    if pull is not None and not pull.landed and pull.stood_in is None:
        whole.append(
            {
                "kind": "pull_failed",
                "source": source.name,
                "at": pull.at,
                "problem": pull.problem,  # the pull's own words, quoted as they are
                "last_landed": pull.last_landed,
            }
        )
    if pull is not None and pull.is_stale(source, now):
        whole.append(
            {
                "kind": "stale",
                "source": source.name,
                "published_at": pull.published_at,
                "age_days": round(pull.age_days(now)),
                "max_age_days": source.max_age_days,
            }
        )
    for column in columns:
        problems[column].extend(whole)
        if pull is not None and column in pull.missing_columns:
            problems[column].append({"kind": "column_gone", "source": source.name, "column": column})
        if cleaned is not None and cleaned.ratio(column) > max_unusable:
            problems[column].append(
                {
                    "kind": "column_unusable",
                    "source": source.name,
                    "column": column,
                    "at": cleaned.at,  # the cleaning's
                    "share": round(cleaned.ratio(column), 4),
                    "limit": max_unusable,
                }
            )
    return {column: reasons for column, reasons in problems.items() if reasons}


def not_evaluated(
    needs: Needs, lake: Lake, now: datetime, max_unusable: float = MAX_UNUSABLE
) -> dict[str, list[Reason]]:
    """Indicator id -> why it cannot be evaluated now, from the health the lake keeps of every source."""
    reasons: dict[str, list[Reason]] = {}
    for source in SOURCES:
        columns = needed_columns(needs, source)
        if not columns:
            continue
        problems = source_problems(
            source, columns, read_pull(lake, source), read_columns(lake, source), now, max_unusable
        )
        for column, column_reasons in problems.items():
            for indicator_id in columns[column]:
                listed = reasons.setdefault(indicator_id, [])
                listed.extend(r for r in column_reasons if r not in listed)
    return dict(sorted(reasons.items()))
