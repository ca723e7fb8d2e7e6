"""Markdown previews of the marts for their Dagster materializations: what a person checks first."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb

from orchestration.report.data import REPORT_MARTS, ReportData, read_report_data

PREVIEW_ROWS = 10

Column = tuple[str, Callable[[dict], object]]


def markdown_table(rows: Iterable[dict], columns: list[Column]) -> str:
    """A markdown table; `|` and line breaks inside values are escaped."""

    def text(value: object) -> str:
        return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(label for label, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(text(get(row)) for _, get in columns) + " |" for row in rows]
    return "\n".join(lines)


def _money(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else ""


def preview_tables(data: ReportData) -> dict[str, str]:
    top = data.contracts[:PREVIEW_ROWS]
    return {
        "fct_indicator_summary": markdown_table(
            data.indicators,
            [
                ("indicator", lambda r: r["indicator_name"]),
                ("flagged contracts", lambda r: f"{r['flagged_awards']:,}"),
                ("flagged amount (COP)", lambda r: _money(r["flagged_amount"])),
                ("share of evaluated", lambda r: f"{(r['share'] or 0):.2%}"),
            ],
        ),
        "fct_contract_risk": markdown_table(
            top,
            [
                ("contract", lambda r: f"[{r['award_key']}]({r['secop_url']})" if r["secop_url"] else r["award_key"]),
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
