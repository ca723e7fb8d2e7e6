"""Render the dbt files the catalogue determines (`python -m orchestration.dbt_sources` rewrites them): the
sources file, and `stg_trusted_sources`, which says which trusted sources hold rows.

The dbt source is named `trusted` and its tables by our short names, so dagster-dbt links
`source('trusted', name)` to the asset `trusted/<name>` with no custom code. The tables live in the
schema of var `trusted_schema`: DuckDB views over the lake's parquet, created at run start by the
macro `register_trusted_sources`, or Redshift Spectrum tables.
"""

from __future__ import annotations

from catalogue import SOURCES, Column, Source
from catalogue.lake_layout import TRUSTED_SYSTEM_COLUMNS, YEAR_PARTITION, trusted_dir
from orchestration.settings import DBT_PROJECT_DIR

SOURCES_YAML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
TRUSTED_SOURCES_SQL = DBT_PROJECT_DIR / "models" / "staging" / "stg_trusted_sources.sql"
GENERATED = "Generated from catalogue/ by `python -m orchestration.dbt_sources`. Do not edit."


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


DERIVED_DESCRIPTIONS = {
    "_match": "match key for names (upper, accents folded, punctuation out, legal forms folded)",
    "_key": "canonical document (digits only, check digit and placeholders removed)",
    "notice_uid": "SECOP notice id (CO1.NTC.*) taken from the URL",
}


def _describe(column_name: str, column: Column) -> str:
    suffix = column_name.removeprefix(column.field_name) or None
    derived = DERIVED_DESCRIPTIONS.get(suffix) if suffix else None
    if column_name == "notice_uid":
        derived = DERIVED_DESCRIPTIONS["notice_uid"]
    if derived and column.kind == "combined_document":
        derived = f"{derived}, from the number that ends the field"
    if derived:
        return f"{column.display_name}: {derived}"
    if column.kind == "date":
        open_end = f"; {column.open_end} = no end (9999-12-31)" if column.open_end else ""
        bounds = f"years outside {column.min_year}..run year+{column.max_years_ahead} are null"
        return f"{column.display_name} (date; {bounds}{open_end})"
    return f"{column.display_name} ({column.kind})"


def _table(source: Source) -> list[str]:
    lines = [
        f"      - name: {source.name}",
        f"        description: {_quote(f'{source.title} ({source.origin_label}). {source.description}')}",
        "        config:",
        "          meta:  # where the table lies and how readers merge its generations (register_trusted_sources)",
        f"            trusted_path: {trusted_dir(source.name)}",
        f"            year_partition: {YEAR_PARTITION}",
        f"            key: [{', '.join(source.key)}]",
        f"            survivor_order: [{', '.join(_quote(e) for e in source.survivor_order)}]",
        "          loaded_at_field: _source_updated_at",
        "          freshness:  # the publisher's rhythm plus slack (catalogue `max_age_days`)",
        f"            error_after: {{count: {source.max_age_days}, period: day}}",
        "        columns:",
    ]
    for column in source.columns:
        for name, data_type in column.trusted_types.items():
            lines.append(f"          - name: {name}")
            lines.append(f"            data_type: {data_type}")
            lines.append(f"            description: {_quote(_describe(name, column))}")
    for name, (data_type, description) in TRUSTED_SYSTEM_COLUMNS.items():
        lines.append(f"          - name: {name}")
        lines.append(f"            data_type: {data_type}")
        lines.append(f"            description: {_quote(description)}")
    return lines


def render_sources_yaml() -> str:
    lines = [
        f"# {GENERATED}",
        "version: 2",
        "",
        "sources:",
        "  - name: trusted",
        "    description: Cleaned, typed, deduplicated sources written by the Spark job (trusted zone).",
        "    schema: \"{{ var('trusted_schema', 'trusted') }}\"",
        "    tables:",
    ]
    for source in SOURCES:
        lines.extend(_table(source))
    return "\n".join(lines) + "\n"


def render_trusted_sources_sql() -> str:
    """One row per trusted source: whether it holds any row (an indicator that needs an empty one is not
    evaluated: int_indicator_status), asked of any version of its rows (macro any_trusted_version: the
    latest versions are the merge of them all, and merging every row to find one costs a scan). The
    sources are listed here, not looped over at run time, because dbt records a model's sources while
    parsing, before the graph exists."""
    selects = [
        f"select '{s.name}' as source_name, "
        f"exists (select 1 from {{{{ any_trusted_version(source('trusted', '{s.name}')) }}}}) as has_rows"
        for s in SOURCES
    ]
    return f"-- {GENERATED}\n" + "\nunion all\n".join(selects) + "\n"


GENERATED_FILES = {SOURCES_YAML: render_sources_yaml, TRUSTED_SOURCES_SQL: render_trusted_sources_sql}

if __name__ == "__main__":
    for path, render in GENERATED_FILES.items():
        path.write_text(render(), encoding="utf-8")
        print(f"wrote {path}")
