"""The labels of the indicators (texts/labels.yml): names, groups, units, match methods, in es or en."""

from __future__ import annotations

from texts.templates import DEFAULT_LANGUAGE, text


def indicator_name(indicator_id: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The indicator's user-facing name (an id of the dbt var `indicators`)."""
    return text(f"labels.indicator.{indicator_id}", lang)


def group_name(group: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The name of an indicator group (the `group` of the dbt var `indicators`)."""
    return text(f"labels.group.{group}", lang)


def unit_name(indicator_id: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What one irregularity unit of the indicator is."""
    return text(f"labels.unit.{indicator_id}", lang)


def match_method_name(match_method: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a flag matched the award's supplier (document, secop_code, name)."""
    return text(f"labels.match_method.{match_method}", lang)
