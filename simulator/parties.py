"""People and companies that are not suppliers of the processes: names, documents, check digits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from simulator.arrow import join, number_strings
from simulator.vocabulary import (
    COMPANY_HEADS,
    COMPANY_QUALIFIERS,
    COMPANY_TAILS,
    DOMESTIC_FORMS,
    FEMALE_NAMES,
    LEGAL_FORMS,
    MALE_NAMES,
    SURNAMES,
    fold_accents,
)
from spark_jobs.identifiers import DIAN_WEIGHTS

MALE_FOLDED = frozenset(fold_accents(name) for name in MALE_NAMES)

COMPANY_WORDS = frozenset(fold_accents(word) for head in COMPANY_HEADS for word in head.split()) | {
    "SAS",
    "S.A.S.",
    "LTDA",
    "LTDA.",
    "S.A.",
    "SA",
}


@dataclass(frozen=True)
class Parties:
    """People or companies, aligned lists; supplier = index in the supplier pool, -1 if not a supplier."""

    doc: np.ndarray  # int64 document (NIT without check digit, cédula); 0 = unknown
    person: np.ndarray  # bool
    male: np.ndarray  # bool (persons)
    name: list[str]  # upper-case display name
    given: list[str | None]  # persons only
    middle: list[str | None]
    surname1: list[str | None]
    surname2: list[str | None]
    supplier: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.doc)

    def take(self, index: np.ndarray) -> Parties:
        index = np.asarray(index, np.int64)
        return Parties(
            **{
                f.name: getattr(self, f.name)[index]
                if isinstance(getattr(self, f.name), np.ndarray)
                else [getattr(self, f.name)[i] for i in index]
                for f in fields(self)
            }
        )

    @staticmethod
    def concat(parts: Sequence[Parties]) -> Parties:
        out = {}
        for f in fields(Parties):
            values = [getattr(p, f.name) for p in parts]
            if isinstance(values[0], np.ndarray):
                out[f.name] = np.concatenate(values)
            else:
                out[f.name] = [v for part in values for v in part]
        return Parties(**out)

    def check_digits(self) -> np.ndarray:
        return check_digits(self.doc)

    def surname_first(self) -> list[str]:
        """'PÉREZ GÓMEZ MARÍA PAOLA' for people (as registers list them), the name for companies."""
        return [
            " ".join(filter(None, (s1, s2, g, m))) if g else name
            for name, g, m, s1, s2 in zip(self.name, self.given, self.middle, self.surname1, self.surname2, strict=True)
        ]


def check_digits(numbers: np.ndarray) -> np.ndarray:
    """`dian_check_digit` of every number, vectorised (docs/sources.md#cleaning-rules)."""
    numbers = np.asarray(numbers, np.int64)
    total = np.zeros(len(numbers), np.int64)
    for position, weight in enumerate(DIAN_WEIGHTS):
        total += (numbers // 10**position) % 10 * weight
    remainder = total % 11
    return np.where(remainder <= 1, remainder, 11 - remainder)


def with_check_digit(numbers: np.ndarray, separator: str = "-") -> pa.Array:
    """'900123456-7'."""
    return join(number_strings(numbers), separator, number_strings(check_digits(numbers)))


def _unused(rng: np.random.Generator, n: int, draw: Callable[[int], np.ndarray], avoid: np.ndarray) -> np.ndarray:
    """n distinct values of `draw` that are not in `avoid`."""
    out = np.unique(draw(n + n // 10 + 10))
    out = out[~np.isin(out, avoid)]
    while len(out) < n:
        more = draw(n)
        out = np.unique(np.concatenate([out, more[~np.isin(more, avoid)]]))
    return rng.permutation(out)[:n]


def person_parts(tokens: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    """(given, middle, surname1, surname2) of a name 'GIVEN [MIDDLE] SURNAME1 SURNAME2'."""
    if len(tokens) < 3:
        return (tokens[0] if tokens else None), None, (tokens[-1] if len(tokens) > 1 else None), None
    return tokens[0], (" ".join(tokens[1:-2]) or None), tokens[-2], tokens[-1]


def fresh_people(rng: np.random.Generator, n: int, avoid: np.ndarray) -> Parties:
    def draw(k: int) -> np.ndarray:
        return np.where(
            rng.random(k) < 0.4, rng.integers(1_000_000_000, 1_130_000_000, k), rng.integers(1_000_000, 99_999_999, k)
        )

    doc = _unused(rng, n, draw, avoid)
    male = rng.random(n) < 0.5
    pick = rng.random((n, 2))
    names = [MALE_NAMES if m else FEMALE_NAMES for m in male]
    given = [first[int(p * len(first))] for first, p in zip(names, pick[:, 0], strict=True)]
    has_middle = rng.random(n) < 0.6
    middle = [
        first[int(p * len(first))] if h else None for first, p, h in zip(names, pick[:, 1], has_middle, strict=True)
    ]
    s1 = [SURNAMES[i] for i in rng.integers(0, len(SURNAMES), n)]
    s2 = [SURNAMES[i] for i in rng.integers(0, len(SURNAMES), n)]
    name = [" ".join(filter(None, parts)) for parts in zip(given, middle, s1, s2, strict=True)]
    return Parties(doc, np.ones(n, bool), male, name, given, middle, s1, s2, np.full(n, -1))


def fresh_companies(rng: np.random.Generator, n: int, avoid: np.ndarray) -> Parties:
    doc = _unused(rng, n, lambda k: rng.integers(800_000_000, 902_000_000, k), avoid)
    heads = rng.integers(0, len(COMPANY_HEADS), n)
    tails = rng.integers(0, len(COMPANY_TAILS), n)
    qualifiers = np.where(rng.random(n) < 0.3, rng.integers(1, len(COMPANY_QUALIFIERS), n), 0)
    forms = rng.choice(DOMESTIC_FORMS, n)
    name = [
        f"{COMPANY_HEADS[h]} {COMPANY_TAILS[t]}{COMPANY_QUALIFIERS[q]} {LEGAL_FORMS[f][0]}".strip()
        for h, t, q, f in zip(heads, tails, qualifiers, forms, strict=True)
    ]
    none: list[str | None] = [None] * n
    return Parties(doc, np.zeros(n, bool), np.zeros(n, bool), name, none, none, none, none, np.full(n, -1))
