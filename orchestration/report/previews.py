"""Markdown previews of the marts for their Dagster materializations: what a person checks first, in Spanish
(the default) or English."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from orchestration.report.data import REPORT_MARTS, ReportData, read_report_data
from orchestration.report.words import Words
from texts import DEFAULT_LANGUAGE, render_reason
from warehouse.reader import WarehouseReader

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


def _count_or_why(row: dict, column: str, words: Words) -> str:
    """A count, or why the indicator was not evaluated (its counts are null then)."""
    if row[column] is None:
        return words("not_evaluated.cell", reason=words.not_evaluated(row["not_evaluated_reason"]))
    return words.number(row[column])


def preview_tables(data: ReportData, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """A markdown table per mart, its texts in `lang`."""
    words = Words(lang)
    top = data.contracts[:PREVIEW_ROWS]
    return {
        "fct_indicator_summary": markdown_table(
            [*data.indicators, *data.not_evaluated],
            [
                (words("column.indicator"), lambda r: words.indicator(r["indicator_id"])),
                (words("column.flagged_contracts"), lambda r: _count_or_why(r, "flagged_awards", words)),
                (words("column.flagged_amount"), lambda r: words.money(r["flagged_amount"])),
                (words("column.share"), lambda r: words.share(r["share"])),
            ],
        ),
        "fct_contract_risk": markdown_table(
            top,
            [
                (words("column.contract"), lambda r: markdown_link(r["award_key"], r["secop_url"])),
                (words("column.risk"), lambda r: words.number(r["risk_score"], 3)),
                (words("column.entity"), lambda r: r["entity_name"]),
                (words("column.supplier"), lambda r: r["supplier_name"]),
                (words("column.value"), lambda r: words.money(r["award_value"])),
                (words("column.flags"), lambda r: ", ".join(words.indicator(f["indicator_id"]) for f in r["flags"])),
            ],
        ),
        "fct_contract_flags": markdown_table(
            [flag for contract in top for flag in contract["flags"]][:PREVIEW_ROWS],
            [
                (words("column.contract"), lambda r: r["award_key"]),
                (words("column.indicator"), lambda r: words.indicator(r["indicator_id"])),
                (words("column.reason"), lambda r: render_reason(r, words.lang)),
            ],
        ),
        "dim_entity": markdown_table(
            data.entities[:PREVIEW_ROWS],
            [
                (words("column.entity"), lambda r: r["entity_name"]),
                (words("column.flagged_contracts"), lambda r: words.number(r["flagged_awards"])),
                (words("column.flagged_amount"), lambda r: words.money(r["flagged_value"])),
                (words("column.awards"), lambda r: words.number(r["awards"])),
            ],
        ),
        "dim_supplier": markdown_table(
            data.suppliers[:PREVIEW_ROWS],
            [
                (words("column.supplier"), lambda r: r["supplier_name"]),
                (words("column.flagged_contracts"), lambda r: words.number(r["flagged_awards"])),
                (words("column.indicators_fired"), lambda r: words.number(r["indicators_fired"])),
                (words("column.entities"), lambda r: words.number(r["entities"])),
            ],
        ),
    }


def mart_previews(reader: WarehouseReader, models: Iterable[str], lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Previews of those of `models` that have one, once the marts they read exist and hold a run."""
    wanted = set(models) & set(REPORT_MARTS)
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in REPORT_MARTS)
    tables = reader.rows(
        f"select distinct table_name from information_schema.tables where table_name in ({marks})", REPORT_MARTS
    )
    if len(tables) < len(REPORT_MARTS):
        return {}
    try:
        data = read_report_data(reader, max_contracts=PREVIEW_ROWS)
    except ValueError:  # no run in the marts yet
        return {}
    return {name: text for name, text in preview_tables(data, lang).items() if name in wanted}
