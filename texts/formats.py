"""Numbers, money, percentages and dates as each language writes them (es: `$1.234.567`, `98,5 %`; en:
`COP 1,234,567`, `98.5%`; dates ISO in both)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

Figure = int | float | str | Decimal
MARKS = {"es": (".", ","), "en": (",", ".")}  # (thousands separator, decimal mark) per language


def number(value: Figure, lang: str, decimals: int | None = 0) -> str:
    """`value` with the language's grouping and decimal mark, rounded half up to `decimals` places
    (None: the places it has, trailing zeros dropped)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is None:
        places = max(0, -int(amount.normalize().as_tuple().exponent))
    else:
        places = decimals
    amount = amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    grouping, mark = MARKS[lang]
    whole, _, fraction = f"{abs(amount):,.{places}f}".partition(".")
    return ("-" if amount < 0 else "") + whole.replace(",", grouping) + (mark + fraction if fraction else "")


def money(value: Figure, lang: str) -> str:
    """An amount of Colombian pesos in whole pesos: es `$1.234.567`, en `COP 1,234,567`."""
    return ("$" if lang == "es" else "COP ") + number(value, lang)


def percent(value: Figure, lang: str, decimals: int | None = None) -> str:
    """`value`, already in percent (98.5 for 98.5%), with the language's sign: es `98,5 %`, en `98.5%`."""
    return number(value, lang, decimals) + (" %" if lang == "es" else "%")


def iso_date(value: date | str) -> str:
    """A date (or a timestamp, or ISO text) as an ISO date: `2024-01-31`."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()
