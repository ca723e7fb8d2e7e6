"""Identifier rules of docs/sources.md#cleaning-rules, as constants and a pure-Python reference.

The Spark job builds column expressions from these constants (`spark_jobs.cleaning`); the pure
functions here are the reference those expressions are tested against, and the synthetic generator
uses `dian_check_digit` to render NITs with their check digit.
"""

from __future__ import annotations

import re
import unicodedata

# DIAN weights, applied from the rightmost digit leftwards.
DIAN_WEIGHTS: tuple[int, ...] = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)

# Values that mean "no identifier" (compared after upper-casing and trimming).
PLACEHOLDERS: tuple[str, ...] = (
    "NO DEFINIDO",
    "NO ADJUDICADO",
    "NO APLICA",
    "N/A",
    "SIN DEFINIR",
    "---",
    "0",
    "0-0",
    "",
)

# Legal-form spellings folded in name match keys (applied after punctuation became spaces): `S A S`,
# `SA S`... -> SAS, `L T D A`... -> LTDA, `S A` -> SA. One pass: a form's letters are its groups, and the
# replacement joins the groups that took part (Java and Python both write an unmatched group as nothing).
LEGAL_FORM = r"\b(?:(S) ?(A)(?: ?(S))?|(L) ?(T) ?(D) ?(A))\b"
LEGAL_FORM_LETTERS = "$1$2$3$4$5$6$7"

_DIGITS_DASH_DV = re.compile(r"^([0-9][0-9.\s]*)-\s*([0-9])$")


def dian_check_digit(number: str) -> int:
    """DIAN check digit of a NIT given as digits (e.g. '899999061' -> 9)."""
    digits = [int(ch) for ch in reversed(number)]
    if len(digits) > len(DIAN_WEIGHTS):
        raise ValueError(f"NIT too long for the DIAN check digit: {number!r}")
    remainder = sum(d * w for d, w in zip(digits, DIAN_WEIGHTS[: len(digits)], strict=True)) % 11
    return remainder if remainder <= 1 else 11 - remainder


def canonical_document(value: str | None, doc_type: str | None = None) -> str | None:
    """Canonical document: digits only, check digit removed, placeholders and foreign ids -> None."""
    if value is None:
        return None
    text = value.strip().upper()
    if text in PLACEHOLDERS:
        return None
    if re.search(r"[A-Z]", text):
        return None  # passports and other foreign ids: no canonical number
    dashed = _DIGITS_DASH_DV.match(text)
    if dashed:
        text = dashed.group(1)
    digits = re.sub(r"[^0-9]", "", text).lstrip("0")
    if not digits:
        return None
    nit_like = doc_type is None or "NIT" in doc_type.upper()
    if nit_like and len(digits) == 10 and digits[0] in "89":
        if int(digits[-1]) == dian_check_digit(digits[:9]):
            digits = digits[:9]
    return digits


_TRAILING_NUMBER = re.compile(r"([0-9][0-9.\s-]*)$")


def combined_document(value: str | None) -> str | None:
    """Canonical document of a `<type> <number>` field (PACO's `CC 79.407.584`): its trailing number."""
    if value is None:
        return None
    number = _TRAILING_NUMBER.search(value.strip())
    return canonical_document(number.group(1)) if number else None


def name_match_key(value: str | None) -> str | None:
    """Fallback matching key for names: upper, accents folded, punctuation out, legal forms folded."""
    if value is None:
        return None
    folded = unicodedata.normalize("NFKD", value.upper())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"[^A-Z0-9 ]", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip()
    if folded in PLACEHOLDERS:
        return None
    return re.sub(LEGAL_FORM, lambda form: "".join(letter or "" for letter in form.groups()), folded)
