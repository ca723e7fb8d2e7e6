"""Markdown previews of the marts for their Dagster materializations: what a person checks first."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb

from orchestration.report.data import REPORT_MARTS, ReportData, read_report_data

PREVIEW_ROWS = 10

Column = tuple[str, Callable[[dict], object]]
# Backslash-escaped in a cell's text: what starts a link (`[`, `]`, `<`: `[x](javascript:…)`, `<javascript:…>`,
# raw HTML), code, and the cell separator; line breaks become spaces.
_CELL_TEXT = str.maketrans({**{char: f"\\{char}" for char in "\\`[]<>|"}, "\n": " ", "\r": " "})


class Markdown(str):
    """A cell written as markdown here (a link), not escaped as text."""


def markdown_text(value: object) -> str:
    """`value` as the plain text of a markdown table cell: never a link, never a second cell."""
    return value if isinstance(value, Markdown) else str("" if value is None else value).translate(_CELL_TEXT)


def markdown_link(text: object, url: str | None) -> Markdown:
    """`text` linked to `url`, a `secop_link` (percent-encoded: no `)`, space or `|` in it); plain text without."""
    return Markdown(f"[{markdown_text(text)}]({url})" if url else markdown_text(text))


def markdown_table(rows: Iterable[dict], columns: list[Column]) -> str:
    """A markdown table of plain-text cells (see `markdown_text`), except `Markdown` ones."""
    lines = ["| " + " | ".join(label for label, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(markdown_text(get(row)) for _, get in columns) + " |" for row in rows]
    return "\n".join(lines)


def _money(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else ""


def _count_or_why(row: dict, column: str) -> str:
    """A count, or why the indicator was not evaluated (its counts are null then)."""
    if row[column] is None:
        return f"not evaluated: {row['not_evaluated_reason']}"
    return f"{row[column]:,}"


def preview_tables(data: ReportData) -> dict[str, str]:
    top = data.contracts[:PREVIEW_ROWS]
    return {
        "fct_indicator_summary": markdown_table(
            [*data.indicators, *data.not_evaluated],
            [
                ("indicator", lambda r: r["indicator_name"]),
                ("flagged contracts", lambda r: _count_or_why(r, "flagged_awards")),
                ("flagged amount (COP)", lambda r: _money(r["flagged_amount"])),
                ("share of evaluated", lambda r: f"{(r['share'] or 0):.2%}" if r["share"] is not None else ""),
            ],
        ),
        "fct_contract_risk": markdown_table(
            top,
            [
                ("contract", lambda r: markdown_link(r["award_key"], r["secop_url"])),
                ("risk", lambda r: r["risk_score"]),
                ("entity", lambda r: r["entity_name"]),
                ("supplier", lambda r: r["supplier_name"]),
                ("value (COP)", lambda r: _money(r["award_value"])),
                ("flags", lambda r: ", ".join(f["indicator"] for f in r["flags"])),
            ],
        ),
        "fct_contract_flags": markdown_table(
            [dict(c, **flag) for c in top for flag in c["flags"]][:PREVIEW_ROWS],
            [
                ("contract", lambda r: r["award_key"]),
                ("indicator", lambda r: r["indicator"]),
                ("reason", lambda r: r["reason"]),
            ],
        ),
        "dim_entity": markdown_table(
            data.entities[:PREVIEW_ROWS],
            [
                ("entity", lambda r: r["entity_name"]),
                ("flagged contracts", lambda r: r["flagged_awards"]),
                ("flagged value (COP)", lambda r: _money(r["flagged_value"])),
                ("awards", lambda r: r["awards"]),
            ],
        ),
        "dim_supplier": markdown_table(
            data.suppliers[:PREVIEW_ROWS],
            [
                ("supplier", lambda r: r["supplier_name"]),
                ("flagged contracts", lambda r: r["flagged_awards"]),
                ("indicators fired", lambda r: r["indicators_fired"]),
                ("entities", lambda r: r["entities"]),
            ],
        ),
    }


def mart_previews(duckdb_path: str, models: Iterable[str]) -> dict[str, str]:
    """Previews of those of `models` that have one, once the marts they read exist and hold a run."""
    wanted = set(models) & set(REPORT_MARTS)
    if not wanted:
        return {}
    with duckdb.connect(duckdb_path, read_only=True) as con:
        tables = {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}
        if not set(REPORT_MARTS) <= tables:
            return {}
        try:
            data = read_report_data(con, max_contracts=PREVIEW_ROWS)
        except ValueError:  # no run in the marts yet
            return {}
    return {name: text for name, text in preview_tables(data).items() if name in wanted}
