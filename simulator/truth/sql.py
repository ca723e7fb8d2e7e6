"""SQL text shared by the oracle's staging and rules."""

from __future__ import annotations

from collections.abc import Iterable


def sql_list(values: Iterable[str]) -> str:
    """A SQL list of string literals ('' when empty: matches no modality or role)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "''"
