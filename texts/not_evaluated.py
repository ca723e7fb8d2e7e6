"""Why an indicator was not evaluated, rendered from its reasons: `render_not_evaluated(value, lang)`.

The reasons are the truth, the sentence a rendering of them: each a record, its `kind` and its fields
(orchestration/indicator_status.py writes pull_failed, stale, column_gone and column_unusable;
int_indicator_status source_empty), kept as a JSON list in `fct_indicator_summary.not_evaluated_reason`. The
words are in texts/not_evaluated.yml. A row written before the reasons were records holds an English sentence:
it is shown as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from texts.formats import iso_date, number, percent
from texts.templates import DEFAULT_LANGUAGE, checked_language, text

SEPARATOR = "; "


def _days(n: int, lang: str) -> str:
    return text(f"reasons.count.day.{'one' if abs(n) == 1 else 'other'}", lang, n=number(n, lang))


def _share(fraction: float, lang: str) -> str:
    return percent(100 * fraction, lang, 0)


def _pull_failed(reason: Mapping[str, Any], lang: str) -> dict[str, Any]:
    last_landed = reason["last_landed"]
    landed = (
        text("not_evaluated.pull_failed.last_landed", lang, last_landed=last_landed)
        if last_landed
        else text("not_evaluated.pull_failed.never_landed", lang)
    )
    return {"source": reason["source"], "at": reason["at"], "problem": reason["problem"], "landed": landed}


def _stale(reason: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        "source": reason["source"],
        "published_date": iso_date(reason["published_at"]),
        "age": _days(reason["age_days"], lang),
        "max_age": _days(reason["max_age_days"], lang),
    }


def _column_unusable(reason: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        "source": reason["source"],
        "column": reason["column"],
        "share": _share(reason["share"], lang),
        "at": reason["at"],
        "limit": _share(reason["limit"], lang),
    }


def _as_given(*names: str) -> Callable[[Mapping[str, Any], str], dict[str, Any]]:
    return lambda reason, lang: {name: reason[name] for name in names}


FIELDS: dict[str, Callable[[Mapping[str, Any], str], dict[str, Any]]] = {
    "pull_failed": _pull_failed,
    "stale": _stale,
    "column_gone": _as_given("source", "column"),
    "column_unusable": _column_unusable,
    "source_empty": _as_given("source"),
}


def not_evaluated_reasons(value: str | list | None) -> list[dict[str, Any]] | None:
    """The reason records of a stored `not_evaluated_reason` (JSON text or already parsed); None when it holds
    none (null, or a sentence of an older build)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, list) or not all(isinstance(r, dict) and "kind" in r for r in value):
        return None
    return value


def render_not_evaluated(value: str | list | None, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """Why an indicator was not evaluated, in `lang`: its reasons rendered one after the other; a sentence of
    an older build as it is; None when there is no reason (it was evaluated). An unknown kind or a reason
    lacking a field its sentence quotes raises a ValueError."""
    lang = checked_language(lang)
    reasons = not_evaluated_reasons(value)
    if reasons is None:
        return value or None
    sentences = []
    for reason in reasons:
        kind = reason["kind"]
        if kind not in FIELDS:
            raise ValueError(f"no sentence for a reason of kind {kind!r}")
        try:
            fields = FIELDS[kind](reason, lang)
        except KeyError as missing:
            raise ValueError(f"a {kind} reason lacks the field {missing}") from None
        sentences.append(text(f"not_evaluated.{kind}", lang, **fields))
    return SEPARATOR.join(sentences) or None
