"""Every user-facing text in Spanish (the default) and English, from one set of templates (`texts/*.yml`).

- `text(key, lang, **fields)`: any template (texts/templates.py), `checked_language(lang)`;
- `render_reason(flag, lang)`: why an award is flagged, rendered from the flag's evidence (texts/reasons.py);
- `render_not_evaluated(value, lang)`: why an indicator was not evaluated, from its reasons (texts/not_evaluated.py);
- `indicator_name`, `group_name`, `unit_name`, `match_method_name`: the labels (texts/labels.py);
- `money`, `number`, `percent`, `iso_date`: figures as each language writes them (texts/formats.py).
"""

from texts.formats import iso_date, money, number, percent
from texts.labels import group_name, indicator_name, match_method_name, unit_name
from texts.not_evaluated import not_evaluated_reasons, render_not_evaluated
from texts.reasons import EvidenceError, render_reason
from texts.templates import DEFAULT_LANGUAGE, LANGUAGES, checked_language, templates, text

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "EvidenceError",
    "checked_language",
    "group_name",
    "indicator_name",
    "iso_date",
    "match_method_name",
    "money",
    "not_evaluated_reasons",
    "number",
    "percent",
    "render_not_evaluated",
    "render_reason",
    "templates",
    "text",
    "unit_name",
]
