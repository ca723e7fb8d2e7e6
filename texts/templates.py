"""The template files `texts/*.yml` and the language choice: `text(key, lang, **fields)`.

A template file maps keys to `{es: ..., en: ...}`; keys are namespaced by the file's name (`report.title` is
`title` in report.yml). Fields are filled with `str.format` names (`{entity}`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
TEMPLATES_DIR = Path(__file__).parent


def checked_language(value: str | None) -> str:
    """`value` when it is a supported language, the default when None; else a ValueError naming the choices."""
    if value is None:
        return DEFAULT_LANGUAGE
    if value not in LANGUAGES:
        raise ValueError(f"unsupported language {value!r}: use one of {', '.join(LANGUAGES)}")
    return value


@cache
def templates() -> dict[str, dict[str, str]]:
    """Every template, `<file>.<key>` -> {language: text}; each template has every language."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(TEMPLATES_DIR.glob("*.yml")):
        for key, languages in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            missing = [lang for lang in LANGUAGES if lang not in (languages or {})]
            if missing:
                raise ValueError(f"{path.name}: template {key!r} lacks {', '.join(missing)}")
            found[f"{path.stem}.{key}"] = languages
    return found


def text(key: str, lang: str = DEFAULT_LANGUAGE, /, **fields: Any) -> str:
    """The template `key` in `lang`, its fields filled."""
    return templates()[key][checked_language(lang)].format(**fields)
