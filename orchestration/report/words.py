"""The report's texts and figures in one language (texts/report.yml, the labels and formats of texts/)."""

from __future__ import annotations

from texts import (
    checked_language,
    group_name,
    indicator_name,
    money,
    number,
    percent,
    render_not_evaluated,
    text,
    unit_name,
)


class Words:
    """The report's texts and figures in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = checked_language(lang)

    def __call__(self, key: str, **fields: object) -> str:
        return text(f"report.{key}", self.lang, **fields)

    def number(self, value: float | None, decimals: int = 0) -> str:
        return "" if value is None else number(value, self.lang, decimals)

    def money(self, value: float | None) -> str:
        return "" if value is None else money(value, self.lang)

    def share(self, value: float | None, decimals: int = 2) -> str:
        """A fraction (0.25) as a percentage."""
        return "" if value is None else percent(value * 100, self.lang, decimals)

    def indicator(self, indicator_id: str) -> str:
        return indicator_name(indicator_id, self.lang)

    def group(self, group: str) -> str:
        return group_name(group, self.lang)

    def unit(self, indicator_id: str) -> str:
        return unit_name(indicator_id, self.lang)

    def not_evaluated(self, reason: str | None) -> str:
        """Why an indicator was not evaluated (fct_indicator_summary.not_evaluated_reason), rendered."""
        return render_not_evaluated(reason, self.lang) or ""
