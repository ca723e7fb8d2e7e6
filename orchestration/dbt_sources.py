"""Render the dbt sources file from the catalogue (`python -m orchestration.dbt_sources` rewrites it).

The dbt source is named `trusted` and its tables by our short names, so dagster-dbt links
`source('trusted', name)` to the asset `trusted/<name>` with no custom code. The tables live in the
schema of var `trusted_schema`: DuckDB views over the lake's parquet, created at run start by the
macro `register_trusted_sources`, or Redshift Spectrum tables.
"""

from __future__ import annotations

from orchestration.catalogue import SOURCES, Column, Source
from orchestration.settings import DBT_PROJECT_DIR

SOURCES_YAML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"


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
    if column.min_year:
        return f"{column.display_name} ({column.kind}; a year before {column.min_year} is a placeholder: null)"
    return f"{column.display_name} ({column.kind})"


def _table(source: Source) -> list[str]:
    lines = [
        f"      - name: {source.name}",
        f"        description: {_quote(f'{source.title} (Socrata {source.dataset_id}). {source.description}')}",
        "        config:",
        "          meta:  # how readers merge the table's generations (register_trusted_sources)",
        f"            key: [{', '.join(source.key)}]",
        f"            survivor_order: [{', '.join(_quote(e) for e in source.survivor_order)}]",
        "        columns:",
    ]
    for column in source.columns:
        for name in column.trusted_names:
            lines.append(f"          - name: {name}")
            description = _describe(name, column)
            lines.append(f"            description: {_quote(description)}")
    return lines


def render_sources_yaml() -> str:
    lines = [
        "# Generated from orchestration/catalogue/ by `python -m orchestration.dbt_sources`. Do not edit.",
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


if __name__ == "__main__":
    SOURCES_YAML.write_text(render_sources_yaml(), encoding="utf-8")
    print(f"wrote {SOURCES_YAML}")
