"""Synthetic data for every catalogue source other than SECOP II processes, consistent with a processes file,
with the planted red flags of every indicator and their ground truth.

`generate_sources` reads the processes that `simulator.generator.generate_processes` wrote (only the
columns it needs, and its planted processes) and derives a small world from them: the latest version of
each process, the awarded ones, their entities and their suppliers (one per SECOP supplier code, with the
canonical document seen in any award). Each source then has one builder that returns some of its
catalogue columns as strings; every catalogue column a builder leaves out is filled from its kind
(`_filler`). Builders may read the output of builders that ran before them (cancelled contracts copy
contract rows), so `_RECIPES` is in dependency order.

Overlaps are real, as the indicators need them (spec/indicators.md): contracts belong to awarded processes
and repeat the award's entity and supplier strings; offers include the winner of the process and other
bidders; cancelled contracts, fines and execution lines point at generated contracts; RUES, PEP, SIGEP,
SIRI and the PACO works register list a share of the suppliers' documents.

Every awarded process is exactly one award of the warehouse (`_Contracts`): at most one live contract,
signed in the award's year, and cancelled or draft contracts only beside a live one. On that award
universe (`_Universe`) simulator.plants plants the cases of the indicators that live outside the
processes; the background never fires by construction (a supplier's registrations, posts, sanctions,
fines and cancellations come after its last award or never bar it, the winner is the cheapest bidder,
deliveries are on time). The planted truth is written to `ground_truth/flags.csv` only once
simulator.truth, reading the written files as the warehouse will, finds exactly the planted flags.

Socrata sources are written as `<dataset id>.parquet` with the API field names (all strings, null where the
API omits a field, url columns as `{"url": ...}` text); PACO files as `paco/<file name>` in the form PACO
serves them (simulator.paco_files: comma-separated UTF-8 under display names, the works register's data
lines wrapped in quotes). Each source's quirks are the real ones public readers of the portal report (day-
first and export-form dates, nanosecond and ticks timestamps, open-end and typo years, thousands
separators, older truncated field names in the cancelled contracts).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_I_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
    TVEC_ORDENES,
    Column,
    Source,
)
from simulator import paco_files
from simulator.generator import (
    AMOUNT_FRACTIONS,
    CITIES,
    COMPANY_HEADS,
    COMPANY_QUALIFIERS,
    COMPANY_TAILS,
    DOMESTIC_FORMS,
    FIRST_NAMES,
    LEGAL_FORMS,
    MALE_NAMES,
    MAX_SIGNING_DELAY,
    NO_DEFINIDO,
    OBJECTS,
    PURPOSES,
    SURNAMES,
    TIMESTAMP_FORMAT,
    _amount,
    _fold,
    _increasing_ids,
    _join,
    _num,
    _patch,
    _slice,
    _take,
    _texts,
    _where,
    load_planted_processes,
)
from simulator.truth import INDICATORS, compute_flags, differences, flags_path, write_flags
from spark_jobs.identifiers import DIAN_WEIGHTS, PLACEHOLDERS, canonical_document, name_match_key

if TYPE_CHECKING:
    from simulator.plants import Plan

MIN_ROWS = 200  # floor of every source's default row count
DAY = 86_400


def _day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


FIRST_DAY, LAST_DAY = _day("2018-01-01"), _day("2025-12-31")
SNAPSHOT_DAY = _day("2026-01-31")  # the simulated "today": no business date after it

Values = pa.Array | pa.ChunkedArray | np.ndarray | Sequence[str | None] | str | None  # None: all null


# --- date formats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DateFormat:
    """How a source writes its timestamps (spec/sources.md §4)."""

    pattern: str  # strftime pattern
    unit: str = "s"  # "ms" makes %S print milliseconds: Socrata's floating timestamps
    ticks: bool = False  # append 7 fractional digits (.NET ticks), as SECOP II execution lines do
    suffix: str = ""  # appended as is (RUES: nanoseconds, always zero)

    def render(self, seconds: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
        factor = 1000 if self.unit == "ms" else 1
        stamps = pa.array(np.asarray(seconds, np.int64) * factor, pa.timestamp(self.unit), mask=null)
        text = pc.strftime(stamps, format=self.pattern)
        if self.ticks:  # midnight stays .0000000; other times get pseudo-random sub-second digits
            seconds = np.asarray(seconds, np.int64)
            digits = np.where(seconds % DAY == 0, 0, (seconds * 2_654_435_761) % 10_000_000)
            text = _join(text, ".", pc.utf8_lpad(_num(digits), width=7, padding="0"))
        return _join(text, self.suffix) if self.suffix else text


FLOATING = _DateFormat("%Y-%m-%dT%H:%M:%S", unit="ms")  # 2024-03-01T00:00:00.000 (SECOP, TVEC)
COMPACT = _DateFormat("%Y%m%d")  # RUES dates
NANOS = _DateFormat("%Y/%m/%d %H:%M:%S", suffix=".000000000")  # RUES fecha_actualizacion
US_TIME = _DateFormat("%m/%d/%Y %H:%M:%S")  # the portal's CSV export (SIGEP)
DAY_FIRST = _DateFormat("%d/%m/%Y")  # SIRI, SIGEP PEP (API), the PACO works register
DAY_FIRST_TIME = _DateFormat("%d/%m/%Y %H:%M:%S")  # the PACO works register, some rows
TICKS = _DateFormat("%Y-%m-%d %H:%M:%S", ticks=True)  # SECOP II execution: 2024-03-01 00:00:00.0000000


def _mixed(
    formats: Sequence[_DateFormat], which: np.ndarray, seconds: np.ndarray, null: np.ndarray | None = None
) -> pa.Array:
    """Row i written in `formats[which[i]]`, as a source whose rows come from several exports."""
    rendered = [f.render(seconds, null) for f in formats]
    return pc.choose(pa.array(np.asarray(which, np.int8)), *rendered)


def _seconds(days: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Midnight of each day, or with rng a time of day in office hours."""
    seconds = np.asarray(days, np.int64) * DAY
    return seconds if rng is None else seconds + rng.integers(7 * 3600, 19 * 3600, len(seconds))


def _floating(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return FLOATING.render(_seconds(days), null)


def _random_days(rng: np.random.Generator, n: int, first: int = FIRST_DAY, last: int = LAST_DAY) -> np.ndarray:
    return rng.integers(first, last + 1, n)


def _year(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


# --- small rendering helpers ---------------------------------------------------------------------


def _pick(
    rng: np.random.Generator, vocab: Sequence[str | None], n: int, weights: Sequence[float] | None = None
) -> pa.Array:
    """n values drawn from vocab (None = null)."""
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return pa.array(list(vocab), pa.string()).take(pa.array(rng.choice(len(vocab), n, p=p)))


def _money(rng: np.random.Generator, values: np.ndarray) -> pa.Array:
    """Whole pesos, a few with decimals, as the SECOP datasets write amounts."""
    fraction = np.where(rng.random(len(values)) < 0.05, rng.integers(1, len(AMOUNT_FRACTIONS), len(values)), 0)
    return _amount(np.round(values).astype(np.int64), fraction)


def _ids(rng: np.random.Generator, n: int, start: int, prefix: str = "") -> pa.Array:
    """n unique increasing numbers from `start`, with a prefix (CO1.PCCNTR., CO1.BID., ...)."""
    numbers = _increasing_ids(rng, np.arange(n), start, start + 40 * max(n, 1))
    return _join(prefix, _num(numbers)) if prefix else _num(numbers)


def _split_counts(rng: np.random.Generator, total: int, groups: int) -> np.ndarray:
    """Skewed positive counts for `groups` groups, summing to `total` (total >= groups)."""
    weights = rng.gamma(0.8, size=groups)
    return 1 + rng.multinomial(total - groups, weights / weights.sum())


def _rows(table: pa.Table, index: np.ndarray) -> dict[str, pa.Array]:
    """The given rows of a table, as one array per column."""
    taken = table.take(pa.array(np.asarray(index, np.int64)))
    return {name: column.combine_chunks() for name, column in zip(taken.column_names, taken.columns, strict=True)}


def _address(rng: np.random.Generator, n: int) -> pa.Array:
    street = _pick(rng, ("Calle ", "Carrera ", "Avenida ", "Diagonal ", "Transversal "), n)
    return _join(
        street, _num(rng.integers(1, 150, n)), " # ", _num(rng.integers(1, 99, n)), "-", _num(rng.integers(1, 99, n))
    )


def _as_strings(values: Values, n: int, name: str) -> pa.Array:
    if isinstance(values, str):
        array = pa.repeat(values, n)
    elif isinstance(values, pa.ChunkedArray):
        array = values.combine_chunks()
    elif isinstance(values, pa.Array):
        array = values
    elif isinstance(values, np.ndarray) and values.dtype != object:
        array = pa.array(values)
    else:
        array = pa.array(list(values), pa.string())
    if len(array) != n:
        raise ValueError(f"column {name}: {len(array)} values for {n} rows")
    return array if array.type == pa.string() else array.cast(pa.string())


# --- parties: people and companies ---------------------------------------------------------------

MALE_FOLDED = frozenset(_fold(name) for name in MALE_NAMES)
FEMALE_NAMES = FIRST_NAMES[len(MALE_NAMES) :]
COMPANY_WORDS = frozenset(_fold(word) for head in COMPANY_HEADS for word in head.split()) | {
    "SAS",
    "S.A.S.",
    "LTDA",
    "LTDA.",
    "S.A.",
    "SA",
}


@dataclass(frozen=True)
class _Parties:
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

    def take(self, index: np.ndarray) -> _Parties:
        index = np.asarray(index, np.int64)
        return _Parties(
            **{
                f.name: getattr(self, f.name)[index]
                if isinstance(getattr(self, f.name), np.ndarray)
                else [getattr(self, f.name)[i] for i in index]
                for f in fields(self)
            }
        )

    @staticmethod
    def concat(parts: Sequence[_Parties]) -> _Parties:
        out = {}
        for f in fields(_Parties):
            values = [getattr(p, f.name) for p in parts]
            if isinstance(values[0], np.ndarray):
                out[f.name] = np.concatenate(values)
            else:
                out[f.name] = [v for part in values for v in part]
        return _Parties(**out)

    def check_digits(self) -> np.ndarray:
        return _check_digits(self.doc)

    def surname_first(self) -> list[str]:
        """'PÉREZ GÓMEZ MARÍA PAOLA' for people (as registers list them), the name for companies."""
        return [
            " ".join(filter(None, (s1, s2, g, m))) if g else name
            for name, g, m, s1, s2 in zip(self.name, self.given, self.middle, self.surname1, self.surname2, strict=True)
        ]


def _check_digits(numbers: np.ndarray) -> np.ndarray:
    """`dian_check_digit` of every number, vectorised (spec/sources.md §6)."""
    numbers = np.asarray(numbers, np.int64)
    total = np.zeros(len(numbers), np.int64)
    for position, weight in enumerate(DIAN_WEIGHTS):
        total += (numbers // 10**position) % 10 * weight
    remainder = total % 11
    return np.where(remainder <= 1, remainder, 11 - remainder)


def _with_check_digit(numbers: np.ndarray, separator: str = "-") -> pa.Array:
    """'900123456-7'."""
    return _join(_num(numbers), separator, _num(_check_digits(numbers)))


def _unused(rng: np.random.Generator, n: int, draw: Callable[[int], np.ndarray], avoid: np.ndarray) -> np.ndarray:
    """n distinct values of `draw` that are not in `avoid`."""
    out = np.unique(draw(n + n // 10 + 10))
    out = out[~np.isin(out, avoid)]
    while len(out) < n:
        more = draw(n)
        out = np.unique(np.concatenate([out, more[~np.isin(more, avoid)]]))
    return rng.permutation(out)[:n]


def _person_parts(tokens: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    """(given, middle, surname1, surname2) of a name 'GIVEN [MIDDLE] SURNAME1 SURNAME2'."""
    if len(tokens) < 3:
        return (tokens[0] if tokens else None), None, (tokens[-1] if len(tokens) > 1 else None), None
    return tokens[0], (" ".join(tokens[1:-2]) or None), tokens[-2], tokens[-1]


def _fresh_people(rng: np.random.Generator, n: int, avoid: np.ndarray) -> _Parties:
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
    return _Parties(doc, np.ones(n, bool), male, name, given, middle, s1, s2, np.full(n, -1))


def _fresh_companies(rng: np.random.Generator, n: int, avoid: np.ndarray) -> _Parties:
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
    return _Parties(doc, np.zeros(n, bool), np.zeros(n, bool), name, none, none, none, none, np.full(n, -1))


# --- the world read from the processes file ---------------------------------------------------------

PROCESS_COLUMNS = (
    "id_del_proceso",
    "id_del_portafolio",
    "fecha_de_ultima_publicaci",
    "adjudicado",
    "entidad",
    "nit_entidad",
    "codigo_entidad",
    "departamento_entidad",
    "ciudad_entidad",
    "ordenentidad",
    "codigo_pci",
    "referencia_del_proceso",
    "nombre_del_procedimiento",
    "descripci_n_del_procedimiento",
    "modalidad_de_contratacion",
    "justificaci_n_modalidad_de",
    "tipo_de_contrato",
    "codigo_principal_de_categoria",
    "fecha_de_publicacion_del",
    "fecha_adjudicacion",
    "valor_total_adjudicacion",
    "codigoproveedor",
    "nombre_del_proveedor",
    "nit_del_proveedor_adjudicado",
    "urlproceso",
    "duracion",
    "unidad_de_duracion",
    "numero_de_lotes",
)
DURATION_DAYS = {"día(s)": 1, "Semana(s)": 7, "Mes(es)": 30, "Año(s)": 365}
DOC_HIDDEN, DOC_COMPANY, DOC_PERSON, DOC_FOREIGN = 0, 1, 2, 3


def _latest_versions(path: Path) -> pa.Table:
    """The newest row (by fecha_de_ultima_publicaci) of every process, ordered by process id."""
    table = pq.read_table(path, columns=list(PROCESS_COLUMNS))
    table = table.sort_by([("id_del_proceso", "ascending"), ("fecha_de_ultima_publicaci", "descending")])
    ids = table["id_del_proceso"].to_numpy(zero_copy_only=False)
    first = np.ones(len(ids), bool)
    first[1:] = ids[1:] != ids[:-1]
    return table.filter(pa.array(first))


def _days_of(column: pa.ChunkedArray) -> np.ndarray:
    stamps = pc.strptime(column, format=TIMESTAMP_FORMAT, unit="s", error_is_null=True)
    return (pc.fill_null(stamps.cast(pa.int64()), FIRST_DAY * DAY).to_numpy() // DAY).astype(np.int64)


def _doc_kind(raw: str, key: str | None) -> int:
    if key is None:
        return DOC_FOREIGN if raw.strip().upper().startswith("P") and raw.strip()[1:].isdigit() else DOC_HIDDEN
    return DOC_COMPANY if len(key) == 9 and key[0] in "89" else DOC_PERSON


@dataclass(frozen=True)
class _Pool:
    """The suppliers of the processes, one per SECOP supplier code."""

    parties: _Parties  # doc 0 when no award shows a usable document
    code: list[str]  # trimmed SECOP supplier code
    raw_doc: list[str]  # a document string as an award writes it ('No Definido' if never shown)
    first_day: np.ndarray  # first award day
    rep: _Parties  # legal representative (the person herself for natural persons)

    def known(self, kind: str = "any") -> np.ndarray:
        """Pool indexes of suppliers with a canonical document: "person", "company" or "any"."""
        known = self.parties.doc > 0
        if kind != "any":
            known &= self.parties.person == (kind == "person")
        return np.flatnonzero(known)


LIVE, CANCELLED, DRAFT_CONTRACT = 0, 1, 2  # contract kinds


@dataclass
class _Contracts:
    """The contract model shared by contracts, cancelled contracts, fines and execution lines.

    Each awarded process has at most one live contract; cancelled and draft contracts belong to a
    process that also has a live one, so every awarded process is exactly one award of the warehouse.
    """

    award: np.ndarray  # index into world.awards
    ids: list[str]  # CO1.PCCNTR.<n>
    kind: np.ndarray  # LIVE / CANCELLED / DRAFT_CONTRACT
    sign_day: np.ndarray  # signing day (drafts: unsigned, not rendered)
    start_day: np.ndarray
    end_day: np.ndarray
    updated_day: np.ndarray  # ultima_actualizacion; -1 = null (an unlisted cancelled contract: cancelled then)
    listed: np.ndarray  # bool: a cancelled contract listed in the cancelled-contracts dataset (8uyg-q2s6)
    cancel_day: np.ndarray  # its fechamodificacion there, the cancellation date; -1 = null
    value: np.ndarray  # float pesos, exactly `value_text`
    value_text: list[str]  # valor_del_contrato
    state: list[str]  # estado_contrato
    doc_type: list[str]  # tipodocproveedor
    doc_text: list[str | None]  # documento_proveedor when it differs from the award's

    @property
    def live(self) -> np.ndarray:
        return self.kind == LIVE

    @property
    def cancelled(self) -> np.ndarray:
        return self.kind == CANCELLED

    @property
    def draft(self) -> np.ndarray:
        return self.kind == DRAFT_CONTRACT

    def set_value(self, i: int, text: str) -> None:
        self.value_text[i], self.value[i] = text, float(text)


@dataclass
class _Universe:
    """The warehouse's award universe (int_awards) in the model: one award per awarded process (index
    into world.awards), with the keys the warehouse derives from the award's strings."""

    key: list[str]  # award_key: the live contract's id, else PROC:<id_del_proceso>
    day: np.ndarray  # award date: the contract's signing day, else the process's award day
    value: np.ndarray  # award value: the contract's, else the process's
    pub_day: np.ndarray  # the process's publication day
    contract: np.ndarray  # index of the live contract, -1 = none
    tagged: np.ndarray  # planted by simulator.generator (any role)
    pool: np.ndarray  # supplier (pool index), -1 = placeholder supplier
    supplier: np.ndarray  # object: supplier key or None
    doc: np.ndarray  # object: canonical document or None
    name: np.ndarray  # object: name match key or None
    doc_type: np.ndarray  # object: the contract's tipodocproveedor, None for a process award
    name_owners: dict[str, set[int]]  # name match key -> suppliers (pool indexes) awarded under it

    @cached_property
    def documents(self) -> frozenset[str]:
        """Every canonical supplier document of an award."""
        return frozenset(d for d in self.doc.tolist() if d is not None)


@dataclass
class _World:
    awards: pa.Table  # latest version of awarded processes
    award_supplier: np.ndarray  # pool index, -1 = placeholder supplier
    award_doc_kind: np.ndarray  # DOC_* of the award's supplier document
    award_value: np.ndarray
    award_day: np.ndarray
    award_pub_day: np.ndarray
    open_processes: pa.Table  # latest version of processes without an award
    entities: pa.Table  # one row per codigo_entidad
    entity_nit: np.ndarray  # canonical NIT of each entity
    pool: _Pool
    avoid: np.ndarray  # documents fresh parties must not reuse (suppliers and entities)
    tagged: np.ndarray  # bool per award: planted by simulator.generator
    pinned: np.ndarray  # bool per award: its award date and value must not change
    planted: dict[str, dict[str, list[int]]]  # indicator -> role -> award indexes (simulator.generator)
    contracts: _Contracts | None = None
    universe: _Universe | None = None
    plan: Plan | None = None
    outputs: dict[str, pa.Table] | None = None
    value_planted: set[int] = field(default_factory=set)  # suppliers whose contract value was planted
    new_supplier_boundary: list[int] = field(default_factory=list)  # awards of exactly 500M and 1 peso less
    delivery_planted: set[int] = field(default_factory=set)  # contracts with planted execution lines
    offers_planted: set[int] = field(default_factory=set)  # awards with planted offers

    def parties(
        self, rng: np.random.Generator, n: int, kind: str, supplier_share: float, exclude: Iterable[int] = ()
    ) -> _Parties:
        """n people ("person"), companies ("company") or both ("any") in random order, among them
        `supplier_share` of the suppliers of that kind with a known document (at least one if the share
        is positive, at most n/2), documents in `exclude` left out."""
        known = self.pool.known(kind)
        known = known[~np.isin(self.pool.parties.doc[known], np.fromiter(exclude, np.int64))]
        wanted = round(len(known) * supplier_share)
        hits = min(len(known), n // 2, max(1, wanted) if supplier_share > 0 else 0)
        from_pool = rng.choice(known, hits, replace=False)
        fresh = n - len(from_pool)
        people = fresh if kind == "person" else 0 if kind == "company" else int(np.sum(rng.random(fresh) < 0.4))
        parts = [
            self.pool.parties.take(np.sort(from_pool)),
            _fresh_people(rng, people, self.avoid),
            _fresh_companies(rng, fresh - people, self.avoid),
        ]
        return _Parties.concat(parts).take(rng.permutation(n))

    def contract(self) -> _Contracts:
        if self.contracts is None:
            raise RuntimeError("the contract model is built before any builder runs")
        return self.contracts

    def output(self, source: Source) -> pa.Table:
        if not self.outputs or source.name not in self.outputs:
            raise RuntimeError(f"{source.name} must be generated first (_RECIPES order)")
        return self.outputs[source.name]


def _build_pool(
    rng: np.random.Generator, awards: pa.Table, award_day: np.ndarray, avoid: np.ndarray
) -> tuple[_Pool, np.ndarray, np.ndarray]:
    """Supplier pool from the awards; returns (pool, award -> pool index, award document kind)."""
    codes = pc.utf8_trim_whitespace(awards["codigoproveedor"]).to_pylist()
    docs = awards["nit_del_proveedor_adjudicado"].to_pylist()
    names = awards["nombre_del_proveedor"].to_pylist()
    keys: dict[str, str | None] = {}
    index: dict[str, int] = {}
    raw_doc: list[str] = []
    raw_name: list[str] = []
    key_of: list[str | None] = []
    first_day: list[int] = []
    award_supplier = np.full(len(codes), -1, np.int64)
    award_doc_kind = np.zeros(len(codes), np.int8)
    for i, (code, doc, name) in enumerate(zip(codes, docs, names, strict=True)):
        key = keys[doc] if doc in keys else keys.setdefault(doc, canonical_document(doc))
        award_doc_kind[i] = _doc_kind(doc, key)
        if code.upper() in PLACEHOLDERS:
            continue
        j = index.setdefault(code, len(index))
        award_supplier[i] = j
        if j == len(raw_doc):
            raw_doc.append(doc)
            raw_name.append(name)
            key_of.append(key)
            first_day.append(int(award_day[i]))
        else:
            first_day[j] = min(first_day[j], int(award_day[i]))
            if key_of[j] is None and key is not None:
                raw_doc[j], key_of[j] = doc, key

    n = len(raw_doc)
    doc = np.array([int(k) if k else 0 for k in key_of], np.int64)
    person = np.array(
        [
            _doc_kind(d, k) == DOC_PERSON if k else not (set(_fold(nm.upper()).split()) & COMPANY_WORDS)
            for d, k, nm in zip(raw_doc, key_of, raw_name, strict=True)
        ],
        bool,
    )
    tokens = [nm.upper().split() for nm in raw_name]
    parts = [_person_parts(t) if p else (None, None, None, None) for t, p in zip(tokens, person, strict=True)]
    given, middle, s1, s2 = (list(column) for column in zip(*parts, strict=True)) if n else ([], [], [], [])
    male = np.array([g is not None and _fold(g) in MALE_FOLDED for g in given], bool)
    parties = _Parties(doc, person, male, [" ".join(t) for t in tokens], given, middle, s1, s2, np.arange(n))
    # Companies are represented by a fresh person, natural persons by themselves.
    reps = _fresh_people(rng, n, np.concatenate([avoid, doc]))
    rep = _Parties.concat([reps, parties]).take(np.where(person, n + np.arange(n), np.arange(n)))
    pool = _Pool(parties, list(index), raw_doc, np.array(first_day, np.int64), rep)
    return pool, award_supplier, award_doc_kind


def _typical_entity_rows(latest: pa.Table) -> list[int]:
    """One row per entity code: the one with its most common name spelling, then NIT spelling."""
    codes, names, nits = (latest[c].to_pylist() for c in ("codigo_entidad", "entidad", "nit_entidad"))
    name_count, nit_count = Counter(zip(codes, names, strict=True)), Counter(zip(codes, nits, strict=True))
    best: dict[str, tuple[int, int, int]] = {}
    for i, (code, name, nit) in enumerate(zip(codes, names, nits, strict=True)):
        score = (name_count[code, name], nit_count[code, nit], -i)
        if score > best.get(code, (0, 0, 0)):
            best[code] = score
    return sorted(-score[2] for score in best.values())


def _build_world(processes_path: Path, rng: np.random.Generator) -> _World:
    latest = _latest_versions(processes_path)
    won = pc.equal(latest["adjudicado"], "Si")
    awards, open_processes = latest.filter(won), latest.filter(pc.invert(won))

    entities = latest.take(pa.array(_typical_entity_rows(latest)))
    entity_nit = np.array([int(canonical_document(v) or 0) for v in entities["nit_entidad"].to_pylist()], np.int64)

    award_day = _days_of(awards["fecha_adjudicacion"])
    pool, award_supplier, award_doc_kind = _build_pool(rng, awards, award_day, entity_nit)
    tagged, pinned, planted = _planted_awards(processes_path, awards)
    return _World(
        awards=awards,
        award_supplier=award_supplier,
        award_doc_kind=award_doc_kind,
        award_value=pc.cast(awards["valor_total_adjudicacion"], pa.float64()).to_numpy(),
        award_day=award_day,
        award_pub_day=_days_of(awards["fecha_de_publicacion_del"]),
        open_processes=open_processes,
        entities=entities,
        entity_nit=entity_nit,
        pool=pool,
        avoid=np.concatenate([entity_nit, pool.parties.doc, pool.rep.doc]),
        tagged=tagged,
        pinned=pinned,
        planted=planted,
    )


def _planted_awards(
    processes_path: Path, awards: pa.Table
) -> tuple[np.ndarray, np.ndarray, dict[str, dict[str, list[int]]]]:
    """The awards simulator.generator planted (ground_truth/planted_processes.csv next to the processes):
    tagged and pinned masks, and indicator -> role -> award indexes. Planted processes whose final
    version is not an award (stale near-misses) are not awards."""
    path = processes_path.parent / "ground_truth" / "planted_processes.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: generate the processes with simulator.generator.generate_processes")
    index = {pid: i for i, pid in enumerate(awards["id_del_proceso"].to_pylist())}
    tagged, pinned = np.zeros(len(index), bool), np.zeros(len(index), bool)
    planted: dict[str, dict[str, list[int]]] = {}
    for indicator, process, role, is_pinned in load_planted_processes(path):
        if process in index:
            i = index[process]
            tagged[i] = True
            pinned[i] |= is_pinned
            planted.setdefault(indicator, {}).setdefault(role, []).append(i)
    return tagged, pinned, planted


LIVE_STATES = ("En ejecución", "terminado", "Modificado", "Cerrado", "Activo", "cedido", "Suspendido")
LIVE_STATE_WEIGHTS = (0.30, 0.22, 0.12, 0.18, 0.10, 0.02, 0.02)
DRAFT_STATES = ("Borrador", "BORRADOR")  # either way not live (compared case-insensitively)
CANCELLED_STATE = "Cancelado"  # as the cancelled-contracts dataset lists it
UNLISTED_STATES = ("Cancelado", "cancelado", "CANCELADO")  # unlisted cancelled contracts, any case
DRAFT_SHARE = 0.04
UNLISTED_SHARE = 0.25  # cancelled contracts only the contracts dataset shows, per listed one
EXACT_CONTRACT_SHARE = 0.6  # contracts signed for exactly the awarded value
DOC_TYPE_LABELS = (NO_DEFINIDO, "NIT", "Cédula de Ciudadanía", "Otro")  # by DOC_* kind


def _year_end(days: np.ndarray) -> np.ndarray:
    years = np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]") + 1
    return years.astype("datetime64[D]").astype(np.int64) - 1


def _build_contracts(world: _World, rng: np.random.Generator, n: int, n_cancelled: int) -> _Contracts:
    """n contracts: one live contract for some awarded processes, then cancelled and draft contracts of
    processes that also have a live one (fewer when there are too few awards). `n_cancelled` of the
    cancelled ones are listed in the cancelled-contracts dataset, UNLISTED_SHARE as many more are not.

    A live contract is signed 0-MAX_SIGNING_DELAY days after the award, in the award's year, for the
    awarded value or 0.9-1.05 times it; a pinned award's contract is signed on the award day for the
    awarded value exactly.
    """
    k = len(world.awards)
    n_listed = n_cancelled
    n_cancelled = n_listed + round(UNLISTED_SHARE * n_listed)
    n_draft = round(DRAFT_SHARE * n)
    n_live = min(n - n_cancelled - n_draft, k)
    extra = min(n_cancelled + n_draft, n_live)
    n_cancelled = min(n_cancelled, extra)
    n_draft = extra - n_cancelled
    live = np.sort(rng.choice(k, n_live, replace=False))
    hosts = rng.choice(live, extra, replace=False)
    award = np.concatenate([live, hosts])
    kind = np.repeat([LIVE, CANCELLED, DRAFT_CONTRACT], [n_live, n_cancelled, n_draft])
    order = np.lexsort((kind, award))
    award, kind = award[order], kind[order]
    n = len(award)

    pinned = world.pinned[award] & (kind == LIVE)
    delay = np.where(pinned, 0, rng.integers(0, MAX_SIGNING_DELAY + 1, n))
    day = world.award_day[award]
    sign_day = np.minimum(day + delay, _year_end(day))
    start_day = sign_day + rng.integers(0, 10, n)
    duration = pc.cast(world.awards["duracion"], pa.int64()).to_numpy()[award]
    unit_days = np.array([DURATION_DAYS.get(u, 1) for u in world.awards["unidad_de_duracion"].to_pylist()])[award]
    exact = pinned | (rng.random(n) < EXACT_CONTRACT_SHARE)
    awarded_text = world.awards["valor_total_adjudicacion"].to_pylist()
    money = _money(rng, world.award_value[award] * rng.uniform(0.9, 1.05, n)).to_pylist()
    value_text = [awarded_text[a] if e else m for a, e, m in zip(award.tolist(), exact, money, strict=True)]
    live_state = rng.choice(len(LIVE_STATES), n, p=np.array(LIVE_STATE_WEIGHTS) / sum(LIVE_STATE_WEIGHTS))
    draft_state = (rng.random(n) < 0.2).astype(np.int64)
    cancelled = np.flatnonzero(kind == CANCELLED)
    listed = np.zeros(n, bool)
    listed[rng.choice(cancelled, min(n_listed, len(cancelled)), replace=False)] = True
    unlisted_state = rng.choice(len(UNLISTED_STATES), n, p=(0.5, 0.3, 0.2))

    def state_of(i: int) -> str:
        if kind[i] == LIVE:
            return LIVE_STATES[live_state[i]]
        if kind[i] == DRAFT_CONTRACT:
            return DRAFT_STATES[draft_state[i]]
        return CANCELLED_STATE if listed[i] else UNLISTED_STATES[unlisted_state[i]]

    state = [state_of(i) for i in range(n)]
    doc_kind = world.award_doc_kind[award]
    foreigner = (doc_kind == DOC_PERSON) & (rng.random(n) < 0.03)
    doc_type = ["Cédula de Extranjería" if f else DOC_TYPE_LABELS[d] for f, d in zip(foreigner, doc_kind, strict=True)]
    updated = np.minimum(np.maximum(sign_day, day) + rng.integers(0, 400, n), SNAPSHOT_DAY)
    return _Contracts(
        award=award,
        ids=_ids(rng, n, 1_500_000, "CO1.PCCNTR.").to_pylist(),
        kind=kind,
        sign_day=sign_day,
        start_day=start_day,
        end_day=start_day + np.maximum(duration * unit_days, 1),
        updated_day=updated,
        listed=listed,
        cancel_day=updated.copy(),
        value=np.array([float(t) for t in value_text]),
        value_text=value_text,
        state=state,
        doc_type=doc_type,
        doc_text=[None] * n,
    )


def _mapped(values: list[str | None], function: Callable[[str], str | None]) -> np.ndarray:
    cache: dict[str, str | None] = {}
    out = np.empty(len(values), object)
    for i, v in enumerate(values):
        if v is not None:
            out[i] = cache[v] if v in cache else cache.setdefault(v, function(v))
    return out


def _code_key(value: str) -> str | None:
    text = value.strip()
    return None if text.upper() in PLACEHOLDERS else text


def _build_universe(world: _World) -> _Universe:
    """The award universe as the warehouse will derive it from the rendered strings."""
    c = world.contract()
    awards = world.awards
    k = len(awards)
    contract = np.full(k, -1, np.int64)
    contract[c.award[c.live]] = np.flatnonzero(c.live)
    has = contract >= 0
    doc = _mapped(awards["nit_del_proveedor_adjudicado"].to_pylist(), canonical_document)
    code = _mapped(awards["codigoproveedor"].to_pylist(), _code_key)
    name = _mapped(awards["nombre_del_proveedor"].to_pylist(), name_match_key)
    supplier = np.array(
        [
            d if d is not None else f"SECOP:{cd}" if cd is not None else f"NAME:{nm}" if nm is not None else None
            for d, cd, nm in zip(doc, code, name, strict=True)
        ],
        object,
    )
    ids = awards["id_del_proceso"].to_pylist()
    key = [c.ids[contract[i]] if has[i] else f"PROC:{ids[i]}" for i in range(k)]
    doc_type = np.array([c.doc_type[contract[i]] if has[i] else None for i in range(k)], object)
    owners: dict[str, set[int]] = {}
    for nm, pool in zip(name.tolist(), world.award_supplier.tolist(), strict=True):
        if nm is not None:
            owners.setdefault(nm, set()).add(pool)
    return _Universe(
        key=key,
        day=np.where(has, c.sign_day[np.maximum(contract, 0)], world.award_day),
        value=np.where(has, c.value[np.maximum(contract, 0)], world.award_value),
        pub_day=world.award_pub_day,
        contract=contract,
        tagged=world.tagged,
        pool=world.award_supplier,
        supplier=supplier,
        doc=doc,
        name=name,
        doc_type=doc_type,
        name_owners=owners,
    )


# --- builders ------------------------------------------------------------------------------------
# Each returns {field name: values} for some catalogue columns of its source; `_filler` does the rest.

Built = dict[str, Values]
Builder = Callable[[_World, int, np.random.Generator], Built]

SECTORS = (
    "Educación Nacional", "Salud y Protección Social", "Transporte", "Hacienda y Crédito Público", "defensa",
    "agricultura", "deportes", "Trabajo", "Servicio Público", "Vivienda Ciudad y Territorio", "Cultura",
)  # fmt: skip
FUNDING = (  # origen_de_los_recursos -> the funding column that carries the value
    ("Recursos Propios", "recursos_propios"),
    ("Presupuesto General de la Nación – PGN", "presupuesto_general_de_la_nacion_pgn"),
    ("Sistema General de Participaciones", "sistema_general_de_participaciones"),
    ("Sistema General de Regalías", "sistema_general_de_regal_as"),
    ("Recursos de Credito", "recursos_de_credito"),
    ("Distribuido", "recursos_propios_alcald_as_gobernaciones_y_resguardos_ind_genas_"),
    (NO_DEFINIDO, None),
)
FUNDING_WEIGHTS = (0.35, 0.2, 0.15, 0.05, 0.02, 0.13, 0.1)
FRESH_CODES = 10_000_000  # SECOP codes of bidders that never won (the processes' codes are below)
BAD_YEARS = ("0018", "0202", "0218", "0219", "0221")


def _supplier_documents(world: _World, c: _Contracts, rng: np.random.Generator) -> dict[str, pa.Array]:
    """The award's supplier as a contract shows it, plus its legal representative."""
    award = c.award
    awards = _rows(world.awards, award)
    supplier = world.award_supplier[award]
    known = supplier >= 0
    rep = world.pool.rep.take(np.maximum(supplier, 0))
    documents = awards["nit_del_proveedor_adjudicado"].to_pylist()

    def rep_field(values: Sequence[str | None]) -> pa.Array:
        return _where(known, pa.array(list(values), pa.string()), NO_DEFINIDO)

    return {
        "tipodocproveedor": pa.array(c.doc_type, pa.string()),
        "documento_proveedor": pa.array(
            [o if o is not None else d for o, d in zip(c.doc_text, documents, strict=True)]
        ),
        "codigo_proveedor": awards["codigoproveedor"],
        "proveedor_adjudicado": awards["nombre_del_proveedor"],
        "es_grupo": pc.if_else(
            pc.match_substring_regex(
                awards["nombre_del_proveedor"], "^(CONSORCIO|UNI[OÓ]N TEMPORAL)", ignore_case=True
            ),
            "Si",
            "No",
        ),
        "nombre_representante_legal": rep_field(rep.name),
        "identificaci_n_representante_legal": rep_field([str(d) for d in rep.doc]),
        "tipo_de_identificaci_n_representante_legal": rep_field(["Cédula de Ciudadanía"] * len(rep)),
        "nacionalidad_representante_legal": rep_field(["Colombiana"] * len(rep)),
        "g_nero_representante_legal": rep_field(["Masculino" if m else "Femenino" for m in rep.male]),
        "domicilio_representante_legal": rep_field([CITIES[i][1] for i in rng.integers(0, len(CITIES), len(rep))]),
    }


def _contracts(world: _World, n: int, rng: np.random.Generator) -> Built:
    c = world.contract()
    n = len(c.award)
    awards = _rows(world.awards, c.award)
    state = pa.array(c.state, pa.string())
    progress = np.select(
        [pc.is_in(state, pa.array(["terminado", "Cerrado"])).to_numpy(zero_copy_only=False), ~c.live],
        [1.0, 0.0],
        rng.uniform(0.0, 0.9, n),
    )
    invoiced = c.value * progress
    paid = invoiced * np.where(rng.random(n) < 0.7, 1.0, rng.uniform(0.6, 1.0, n))
    origin = rng.choice(len(FUNDING), n, p=np.array(FUNDING_WEIGHTS) / sum(FUNDING_WEIGHTS))
    whole_value = np.round(c.value).astype(np.int64)
    funding = {column: _num(np.where(origin == i, whole_value, 0)) for i, (_, column) in enumerate(FUNDING) if column}
    unsigned = c.draft
    liquidated = (progress == 1.0) & (rng.random(n) < 0.4)
    return {
        "nombre_entidad": awards["entidad"],
        "nit_entidad": awards["nit_entidad"],
        "departamento": awards["departamento_entidad"],
        "ciudad": awards["ciudad_entidad"],
        "localizaci_n": _join("Colombia,  ", awards["departamento_entidad"], " ,  ", awards["ciudad_entidad"]),
        "orden": awards["ordenentidad"],
        "sector": _pick(rng, SECTORS, n),
        "rama": _pick(
            rng, ("Ejecutivo", "Judicial", "Legislativo", "Corporación Autónoma"), n, (0.85, 0.06, 0.03, 0.06)
        ),
        "entidad_centralizada": awards["codigo_pci"],
        "proceso_de_compra": awards["id_del_portafolio"],
        "id_contrato": pa.array(c.ids, pa.string()),
        "referencia_del_contrato": _join(awards["referencia_del_proceso"], _pick(rng, ("", "-1", " CONTRATO"), n)),
        "estado_contrato": state,
        "codigo_de_categoria_principal": awards["codigo_principal_de_categoria"],
        "descripcion_del_proceso": awards["descripci_n_del_procedimiento"],
        "tipo_de_contrato": awards["tipo_de_contrato"],
        "modalidad_de_contratacion": awards["modalidad_de_contratacion"],
        "justificacion_modalidad_de": awards["justificaci_n_modalidad_de"],
        "fecha_de_firma": _floating(c.sign_day, unsigned),
        "fecha_de_inicio_del_contrato": _floating(c.start_day, unsigned),
        "fecha_de_fin_del_contrato": _floating(c.end_day, unsigned),
        "condiciones_de_entrega": _pick(rng, ("A convenir", "NXTWY.DLVY.2", "Según cronograma", NO_DEFINIDO), n),
        **_supplier_documents(world, c, rng),
        "es_pyme": _pick(rng, ("Si", "No"), n, (0.4, 0.6)),
        "habilita_pago_adelantado": _pick(rng, ("No", "Si"), n, (0.9, 0.1)),
        "liquidaci_n": _where(liquidated, "Si", "No"),
        "origen_de_los_recursos": _take(_texts([f[0] for f in FUNDING]), origin),
        "destino_gasto": _pick(rng, ("Inversión", "Funcionamiento", NO_DEFINIDO), n, (0.55, 0.4, 0.05)),
        "valor_del_contrato": pa.array(c.value_text, pa.string()),
        "valor_de_pago_adelantado": "0",
        "valor_facturado": _num(np.round(invoiced).astype(np.int64)),
        "valor_pagado": _num(np.round(paid).astype(np.int64)),
        "valor_pendiente_de_pago": _num(np.round(invoiced - paid).astype(np.int64)),
        "valor_amortizado": "0",
        "valor_pendiente_de": "0",
        "valor_pendiente_de_ejecucion": _num(np.round(c.value - invoiced).astype(np.int64)),
        "saldo_cdp": "0",
        "saldo_vigencia": "0",
        "espostconflicto": _pick(rng, ("No", "Si"), n, (0.97, 0.03)),
        "dias_adicionados": _num(np.where(rng.random(n) < 0.1, rng.integers(1, 120, n), 0)),
        "puntos_del_acuerdo": _pick(rng, ("No Aplica", NO_DEFINIDO), n),
        "pilares_del_acuerdo": _pick(rng, ("No Aplica", NO_DEFINIDO), n),
        "urlproceso": awards["urlproceso"],
        **funding,
        "ultima_actualizacion": _floating(np.maximum(c.updated_day, 0), c.updated_day < 0),
        "codigo_entidad": awards["codigo_entidad"],
        "fecha_inicio_liquidacion": _floating(c.end_day + 1, ~liquidated),
        "fecha_fin_liquidacion": _floating(c.end_day + 30, ~liquidated),
        "objeto_del_contrato": awards["nombre_del_procedimiento"],
        "duraci_n_del_contrato": _join(awards["duracion"], " ", awards["unidad_de_duracion"]),
        "el_contrato_puede_ser_prorrogado": _pick(rng, ("No", "Si"), n, (0.8, 0.2)),
        "fecha_de_notificaci_n_de_prorrogaci_n": None,
        "direcci_n_de_ejecuci_n_del_contrato": _address(rng, n),
        "c_digo_bpin": _where(rng.random(n) < 0.2, _num(rng.integers(10**12, 10**13, n)), NO_DEFINIDO),
        "fecha_inicio_obligaciones_posconsumo": None,
        "fecha_fin_obligaciones_posconsumo": None,
        "fecha_inicio_reversi_n": None,
        "fecha_fin_reversi_n": None,
    }


def _cancelled_contracts(world: _World, n: int, rng: np.random.Generator) -> Built:
    """The listed cancelled contracts: their contract rows (under this dataset's older, truncated field
    names, matched by display name), their (mostly never started) execution dates and the date of the
    cancellation (`fechamodificacion`, a floating timestamp with the time of day)."""
    c = world.contract()
    contracts = world.output(SECOP_II_CONTRATOS).filter(pa.array(c.listed))
    n = contracts.num_rows
    started = rng.random(n) < 0.3
    start = c.start_day[c.listed]
    contract_field = {column.display_name: column.field_name for column in SECOP_II_CONTRATOS.columns}
    cancel_day = c.cancel_day[c.listed]
    return {
        **{
            column.field_name: contracts[contract_field[column.display_name]]
            for column in SECOP_II_CONTRATOS_CANCELADOS.columns
            if column.display_name in contract_field
        },
        "fecha_de_inicio_de_ejecucion": _floating(start, ~started),
        "fecha_de_fin_de_ejecucion": _floating(start + rng.integers(1, 60, n), ~started),
        "fechamodificacion": FLOATING.render(_seconds(np.maximum(cancel_day, 0), rng), cancel_day < 0),
    }


def _planted(world: _World, source: str) -> list[dict]:
    return world.plan.rows.get(source, []) if world.plan is not None else []


def _offers(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Offers of awarded processes (the winner first, then other bidders), of some open processes, and
    the planted offers. In the background the winner offered the awarded value (or up to 3% more,
    negotiated down) and every other bidder 4%-35% more than the award's value and its contract's: the
    cheapest valid offer is the winner's and no two bidders of a process offer the same amount."""
    planted = _planted(world, "offers")
    n_background = n - len(planted)
    free = np.flatnonzero(
        (world.award_supplier >= 0) & ~np.isin(np.arange(len(world.awards)), list(world.offers_planted))
    )
    n_open = min(len(world.open_processes), n_background // 10)
    n_awarded = min(len(free), max(1, round((n_background - n_open) / 2.8)), n_background - n_open)
    chosen = np.sort(rng.choice(free, n_awarded, replace=False))
    open_chosen = np.sort(rng.choice(len(world.open_processes), n_open, replace=False))
    counts = _split_counts(rng, n_background - n_open, n_awarded)
    award = np.repeat(chosen, counts)
    m = len(award)
    winner = np.zeros(n_background, bool)
    winner[np.cumsum(counts) - counts] = True

    # Bidders: the winner, else suppliers of other awards (busy suppliers bid more) or fresh companies.
    awarded = np.flatnonzero(world.award_supplier >= 0)
    pool_bidder = world.award_supplier[rng.choice(awarded, n_background)]
    clash = np.concatenate([world.award_supplier[award], np.full(n_open, -2)]) == pool_bidder
    pool_bidder[clash] = (pool_bidder[clash] + 1) % len(world.pool.code)
    fresh = (rng.random(n_background) < 0.3) & ~winner
    companies = _fresh_companies(rng, int(fresh.sum()), world.avoid)
    pool = world.pool
    code = [pool.code[s] for s in pool_bidder]
    doc = [pool.raw_doc[s] for s in pool_bidder]
    name = [pool.parties.name[s] for s in pool_bidder]
    for row, j in zip(np.flatnonzero(fresh), range(len(companies)), strict=True):
        code[row], doc[row], name[row] = str(FRESH_CODES + j), str(companies.doc[j]), companies.name[j]
    won = _rows(world.awards, award)
    won_code = pc.utf8_trim_whitespace(won["codigoproveedor"]).to_pylist()
    won_doc, won_name = won["nit_del_proveedor_adjudicado"].to_pylist(), won["nombre_del_proveedor"].to_pylist()
    won_value = won["valor_total_adjudicacion"].to_pylist()
    for i in np.flatnonzero(winner):
        code[i], doc[i], name[i] = won_code[i], won_doc[i], won_name[i]

    top = np.maximum(world.award_value[award], world.universe.value[award])
    reference = np.concatenate([top, np.exp(rng.normal(np.log(30e6), 1.2, n_open))])
    factor = np.where(winner, rng.uniform(1.0, 1.03, n_background), rng.uniform(1.04, 1.35, n_background))
    factor[m:] = rng.uniform(0.85, 1.35, n_open)
    value_text = _money(rng, np.round(reference * factor) + np.arange(n_background) % 7).to_pylist()
    exact = winner & (rng.random(n_background) < 0.7)
    for i in np.flatnonzero(exact):
        value_text[i] = won_value[i]
    pub = np.concatenate(
        [world.award_pub_day[award], _days_of(world.open_processes["fecha_de_publicacion_del"])[open_chosen]]
    )
    close = np.concatenate([world.award_day[award], pub[m:] + 20])
    registered = pub + (rng.random(n_background) * np.maximum(close - pub, 1)).astype(np.int64)
    currency = _pick(rng, ("COP", "USD"), n_background, (0.99, 0.01)).to_pylist()

    # The planted offers.
    process_rows = np.concatenate([award, -1 - open_chosen, [r["award"] for r in planted]]).astype(np.int64)
    code += [r["code"] for r in planted]
    doc += [r["doc"] for r in planted]
    name += [r["name"] for r in planted]
    value_text += [r["value"] for r in planted]
    currency += [r["currency"] for r in planted]
    registered = np.concatenate([registered, [r["day"] for r in planted]]).astype(np.int64)

    won_rows = _rows(world.awards, np.maximum(process_rows, 0))
    open_rows = _rows(world.open_processes, np.maximum(-1 - process_rows, 0))
    is_open = pa.array(process_rows < 0)
    processes = {k: pc.if_else(is_open, open_rows[k], won_rows[k]) for k in won_rows}
    direct = pc.match_substring(processes["modalidad_de_contratacion"], "directa", ignore_case=True)
    return {
        "fecha_de_registro": FLOATING.render(_seconds(registered, rng)),
        "referencia_de_la_oferta": _join(
            _pick(rng, ("OFERTA ", "Oferta ", "PROPUESTA ", ""), n), processes["referencia_del_proceso"]
        ),
        "identificador_de_la_oferta": _ids(rng, n, 2_000_000, "CO1.BID."),
        "valor_de_la_oferta": pa.array(value_text, pa.string()),
        "entidad_compradora": processes["entidad"],
        "nit_entidad_compradora": processes["nit_entidad"],
        "moneda": pa.array(currency, pa.string()),
        "descripcion_del_procedimiento": processes["descripci_n_del_procedimiento"],
        "referencia_del_proceso": processes["referencia_del_proceso"],
        "id_del_proceso_de_compra": processes["id_del_portafolio"],
        "modalidad": processes["modalidad_de_contratacion"],
        "invitacion_directa": pc.if_else(direct, "Si", "No"),
        "nombre_proveedor": pa.array(name, pa.string()),
        "nit_del_proveedor": pa.array(doc, pa.string()),
        "c_digo_entidad": processes["codigo_entidad"],
        "c_digo_proveedor": pa.array(code, pa.string()),
    }


SANCTION_TYPES = ("Multa", "Cláusula penal", "Declaratoria de incumplimiento", "Otro")
SANCTION_STATES = ("En firme", "Vigente", "Revocada")  # a revoked sanction bars no one
UNKNOWN_CONTRACT = 99_000_000  # fined contracts SECOP II does not list (CO1.PCCNTR.99...)
NO_CONTRACT = "No definido"  # how a fine without its contract names it


def _last_award_day(world: _World, by: Sequence) -> dict:
    """Last award day per value of `by` (one value per award of the universe; None and -1 skipped)."""
    last: dict = {}
    for value, day in zip(list(by), world.universe.day.tolist(), strict=True):
        if value is not None and not (isinstance(value, (int, np.integer)) and value < 0):
            last[value] = max(last.get(value, day), day)
    return last


def code_reads_as_award_document(world: _World, code: str) -> bool:
    """Whether a supplier code, read as a document (leading zeros dropped), is an award's supplier
    document: barred_fines matches a fine's code both ways."""
    return code.strip().lstrip("0") in world.universe.documents


def _fines(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Fines on contracts of real suppliers (a contract may have several acts), recorded on or after
    the last award of the fined supplier's code and document, and the planted fines. Background fines
    name suppliers whose code is no award's document, so that they match by code only."""
    c = world.contract()
    planted = _planted(world, "fines")
    n_background = n - len(planted)
    fined = world.award_supplier[c.award]
    fineable = np.array(
        [s >= 0 and not code_reads_as_award_document(world, world.pool.code[s]) for s in fined.tolist()], bool
    )
    contract = np.sort(rng.choice(np.flatnonzero(fineable & ~c.draft), n_background))
    supplier = world.award_supplier[c.award[contract]]
    by_code = _last_award_day(world, world.award_supplier.tolist())
    by_doc = _last_award_day(world, world.universe.doc.tolist())
    floor = np.array(
        [
            max(by_code.get(int(s), 0), by_doc.get(world.universe.doc[a], 0), int(d) + 20)
            for s, a, d in zip(supplier, c.award[contract], c.sign_day[contract], strict=True)
        ]
    )
    event = np.minimum(floor + rng.integers(0, 120, n_background), SNAPSHOT_DAY)
    event = np.maximum(event, floor)

    award = np.concatenate([c.award[contract], [r["award"] for r in planted]]).astype(np.int64)
    unnamed = rng.random(n_background) < 0.05  # the fine does not say which contract
    ids = [NO_CONTRACT if u else c.ids[i] for i, u in zip(contract, unnamed, strict=True)] + [
        r.get("contract_id") or (c.ids[r["contract"]] if r["contract"] >= 0 else f"CO1.PCCNTR.{UNKNOWN_CONTRACT + k}")
        for k, r in enumerate(planted)
    ]
    code = [world.pool.code[s] for s in supplier] + [r["code"] or NO_DEFINIDO for r in planted]
    name = [world.pool.parties.name[s] for s in supplier] + [r["name"] for r in planted]
    event = np.concatenate([event, [r["event"] for r in planted]]).astype(np.int64)
    value_base = np.concatenate([c.value[contract], world.award_value[award[n_background:]]])
    awards = _rows(world.awards, award)
    value = value_base * rng.uniform(0.005, 0.1, n)
    kind = rng.choice(len(SANCTION_TYPES), n, p=[0.6, 0.15, 0.2, 0.05])
    paid = rng.random(n) < 0.5
    act = _join(
        _pick(rng, ("RESOLUCIÓN ", "Resolución No. ", "ACTO ", ""), n), _ids(rng, n, 100), " DE ", _num(_year(event))
    )
    state = _pick(rng, SANCTION_STATES, n, (0.6, 0.3, 0.1)).to_pylist()
    for k, r in enumerate(planted):
        state[n_background + k] = r.get("state") or SANCTION_STATES[k % 2]
    return {
        "id_proceso": awards["id_del_proceso"],
        "referencia_proceso": awards["referencia_del_proceso"],
        "id_contrato": pa.array(ids, pa.string()),
        "codigo_entidad_creadora": awards["codigo_entidad"],
        "nombre_entidad_creadora": pc.utf8_upper(awards["entidad"]),
        "as_codigo_proveedor_objeto": code,
        "nombre_proveedor_objeto_de": name,
        "valor": _money(rng, value),
        "valor_pagado": _where(paid, _num(np.round(value).astype(np.int64)), "0"),
        "fecha_evento": FLOATING.render(_seconds(event, rng)),
        "aplico_garantias": _pick(rng, ("No", "Si"), n, (0.8, 0.2)),
        "numero_de_acto": _overridden(act, planted, "act", n_background),
        "tipo_de_sancion": _take(_texts(SANCTION_TYPES), kind),
        "descripcion_otro_tipo_de": _where(kind == 3, "Llamado de atención", pa.scalar(None, pa.string())),
        "estado": pa.array(state, pa.string()),
        "tipo": _where(kind == 0, "Multa", "Sanción"),
        "numero_de_version": _num(1 + rng.binomial(2, 0.15, n)),
    }


RUN_DAY = _day("2026-01-15")  # simulator.truth.RUN_DATE: background lines never fail as of it
ITEM_UNITS = ("Unidad", "Global", "Mes", "Servicio", "Kilogramo", "Metro cúbico", "Galón", "Porcentaje")
ITEMS = (
    "Informe de actividades", "Entrega de elementos", "Avance de obra", "Suministro mensual",
    "Mantenimiento preventivo", "Capacitación", "Dotación", "Licencias de software",
)  # fmt: skip


def _progress(rng: np.random.Generator, expected: np.ndarray, due: np.ndarray) -> np.ndarray:
    """Real progress of percentage lines: on or ahead of the expected progress once due (as of RUN_DAY),
    anything up to it before."""
    ahead = np.minimum(100.0, np.round(expected + np.round(rng.uniform(0, 15, len(due)), 2), 2))
    behind = np.round(expected * rng.uniform(0, 1, len(due)), 2)
    return np.where(due < RUN_DAY, ahead, behind)


def _execution(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Delivery-plan lines: several per contract, due dates spread over its term, and the planted lines.

    Background deliveries of quantities are never late and complete once due (as of RUN_DAY); lines due
    later have nothing received yet. Percentage lines may be late (the rule reads their progress, not
    their delivery) but are on track once due. Each line repeats its contract's state.
    """
    c = world.contract()
    planted = _planted(world, "execution")
    n_background = n - len(planted)
    eligible = np.flatnonzero(~c.draft & ~np.isin(np.arange(len(c.award)), list(world.delivery_planted)))
    contracts = np.sort(rng.choice(eligible, min(len(eligible), max(1, n_background // 3)), replace=False))
    counts = _split_counts(rng, n_background, len(contracts))
    contract = np.repeat(contracts, counts)
    line = np.arange(n_background) - np.repeat(np.cumsum(counts) - counts, counts)
    span = np.maximum(c.end_day[contract] - c.start_day[contract], 1)
    due = c.start_day[contract] + (span * (line + 1) / np.repeat(counts, counts)).astype(np.int64)
    percentage = rng.random(n_background) < 0.3
    delivered = due < RUN_DAY
    early = rng.integers(-5, 1, n_background)
    late = np.where(
        rng.random(n_background) < 0.8, rng.integers(-5, 3, n_background), rng.integers(3, 90, n_background)
    )
    real = due + np.where(percentage, late, early)
    due_qty = np.where(rng.random(n_background) < 0.5, 1, rng.integers(2, 500, n_background))
    partial = (due_qty * rng.random(n_background)).astype(int)
    received = np.where(delivered, np.where(percentage & (rng.random(n_background) < 0.1), partial, due_qty), 0)
    quantities_unknown = percentage & (rng.random(n_background) < 0.5)
    kind = np.where(percentage, "Porcentaje", "Entregable").tolist()
    due_text = _num(due_qty).to_pylist()
    received_text = _num(received).to_pylist()
    for i in np.flatnonzero(quantities_unknown):
        due_text[i] = received_text[i] = NO_DEFINIDO
    expected = np.round(100 * (line + 1) / np.repeat(counts, counts), 2)
    progress = np.where(percentage, _progress(rng, expected, due), np.where(delivered, 100.0, 0.0))
    progress_text = _num(progress).to_pylist()
    for i in np.flatnonzero(percentage & (rng.random(n_background) < 0.1)):
        progress_text[i] = NO_DEFINIDO
    state = [c.state[i] for i in contract]

    contract = np.concatenate([contract, [r["contract"] for r in planted]]).astype(np.int64)
    line = np.concatenate([line, [r["line"] - 1 for r in planted]]).astype(np.int64)
    due = np.concatenate([due, [r["due"] for r in planted]]).astype(np.int64)
    real = np.concatenate([real, [r["real"] if r["real"] is not None else 0 for r in planted]]).astype(np.int64)
    delivered = np.concatenate([delivered, [r["real"] is not None for r in planted]])
    kind += [r["type"] for r in planted]
    due_text += [r["due_qty"] for r in planted]
    received_text += [r["received"] for r in planted]
    expected_text = _num(expected).to_pylist() + [r["expected"] for r in planted]
    progress_text += [r["progress"] for r in planted]
    state += [r["state"] or c.state[r["contract"]] for r in planted]

    real_text = TICKS.render(_seconds(real), ~delivered)
    bad_year = (
        delivered & (np.arange(n) < n_background) & (rng.random(n) < 0.01)
    )  # years such as 0218 (sources.md §4.8)
    real_text = _patch(real_text, bad_year, lambda t: _join(_pick(rng, BAD_YEARS, len(t)), _slice(t, 4)))
    item = rng.integers(0, len(ITEMS), n)
    planned_more = rng.random(n) < 0.1  # the plan once foresaw more than was awarded
    is_percentage = np.array([k.strip().lower() == "porcentaje" for k in kind])
    return {
        "identificadorcontrato": pa.array([c.ids[i] for i in contract], pa.string()),
        "tipoejecucion": pa.array(kind, pa.string()),
        "nombreplan": _join(
            _pick(rng, ("Plan de entregas ", "Entregable ", "Pago ", "Informe de actividades "), n), _num(line + 1)
        ),
        "fechadeentregaesperada": TICKS.render(_seconds(due)),
        "porcentajedeavanceesperado": pa.array(expected_text, pa.string()),
        "fechadeentregareal": real_text,
        "porcentaje_de_avance_real": pa.array(progress_text, pa.string()),
        "estado_del_contrato": pa.array(state, pa.string()),
        "referencia_de_articulos": _join("ART-", _num(rng.integers(10_000, 99_999, n))),
        "descripci_n": _join(_take(_texts(ITEMS), item), " ", _num(line + 1)),
        "unidad": _where(is_percentage, ITEM_UNITS[-1], _pick(rng, ITEM_UNITS[:-1], n)),
        "cantidad_adjudicada": pa.array(due_text, pa.string()),
        "cantidad_planeada": pa.array(
            [str(int(q) + 1) if more and q.isdigit() else q for q, more in zip(due_text, planned_more, strict=True)],
            pa.string(),
        ),
        "cantidadrecibida": pa.array(received_text, pa.string()),
        "cantidadporrecibir": pa.array(due_text, pa.string()),
        "fechacreacion": TICKS.render(_seconds(c.sign_day[contract], rng)),
    }


CHAMBERS = (
    ("04", "BOGOTA"), ("21", "MEDELLIN PARA ANTIOQUIA"), ("06", "CALI"), ("02", "BARRANQUILLA"),
    ("07", "CARTAGENA"), ("05", "BUCARAMANGA"), ("26", "TUNJA"), ("13", "IBAGUE"), ("19", "NEIVA"),
    ("34", "VILLAVICENCIO"), ("15", "MANIZALES POR CALDAS"), ("23", "PEREIRA"), ("01", "ARMENIA"),
    ("20", "PASTO"), ("24", "POPAYAN"), ("17", "MONTERIA"), ("31", "VALLEDUPAR"), ("30", "SANTA MARTA"),
    ("10", "CUCUTA"), ("08", "FACATATIVA"), ("55", "ABURRA SUR"), ("43", "ORIENTE ANTIOQUEÑO"),
)  # fmt: skip
CIIU = ("4290", "4711", "4659", "7110", "8299", "4111", "4752", "6201", "4923", "5611", "8121", "4645", "7020")
LEGAL_ORGANISATIONS = (  # (code, label, how a company name ends); the fallback last, natural persons apart
    ("16", "SOCIEDAD POR ACCIONES SIMPLIFICADA SAS", r" S\.? ?A\.? ?S\.?( \.)?$"),
    ("03", "SOCIEDAD LIMITADA", r" LTDA\.?$"),
    ("04", "SOCIEDAD ANONIMA", r" S\.? ?A\.?( E\.?S\.?P\.?)?$"),
    ("12", "ENTIDAD SIN ANIMO DE LUCRO", ""),
)
NATURAL_PERSON = ("01", "PERSONA NATURAL")
RUES_STATES = (("01", "ACTIVA"), ("03", "CANCELADA"), ("02", "INACTIVA"))
OPEN_END = "99991231"  # RUES fecha_vigencia: no expiry


def _legal_organisation(names: Sequence[str], person: np.ndarray) -> dict[str, pa.Array]:
    """RUES organisation code and label, from the legal form that ends each company name."""
    upper = pc.utf8_upper(pa.array(list(names), pa.string()))
    patterns = [
        pc.match_substring_regex(upper, form).to_numpy(zero_copy_only=False) for *_, form in LEGAL_ORGANISATIONS[:-1]
    ]
    index = np.select([person, *patterns], [len(LEGAL_ORGANISATIONS), *range(len(patterns))], len(patterns))
    table = [*LEGAL_ORGANISATIONS, NATURAL_PERSON]
    return {
        "codigo_organizacion_juridica": _take(_texts(t[0] for t in table), index),
        "organizacion_juridica": _take(_texts(t[1] for t in table), index),
    }


def _doc_days(world: _World) -> tuple[dict[int, int], dict[int, int]]:
    """First and last award day per canonical supplier document (awards that show it)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for doc, day in zip(world.universe.doc.tolist(), world.universe.day.tolist(), strict=True):
        if doc is not None:
            d = int(doc)
            first[d], last[d] = min(first.get(d, day), day), max(last.get(d, day), day)
    return first, last


def _planted_parties(world: _World, rows: list[dict]) -> _Parties:
    return world.pool.parties.take(np.array([r["party"] for r in rows], np.int64))


def _rues(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Registrations of about 70% of the suppliers with a document (some twice), other businesses, and
    the planted registrations. A supplier's background registrations never make its awards fire: it
    registered at least a year before its first award, and a cancelled registration is either cancelled
    on or after its last award or followed by an active one (registered twice)."""
    planted = _planted(world, "rues")
    n_background = n - len(planted)
    first_award, last_award = _doc_days(world)
    known = np.array([i for i in world.pool.known() if int(world.pool.parties.doc[i]) not in world.plan.docs["rues"]])
    covered = np.sort(rng.choice(known, min(round(0.7 * len(known)), n_background * 2 // 3), replace=False))
    twice = covered[rng.random(len(covered)) < 0.15][: n_background - len(covered)]
    fresh = n_background - len(covered) - len(twice)
    people = int(np.sum(rng.random(fresh) < 0.4))
    parties = _Parties.concat(
        [
            world.pool.parties.take(np.concatenate([covered, twice])),
            _fresh_people(rng, people, world.avoid),
            _fresh_companies(rng, fresh - people, world.avoid),
            _planted_parties(world, planted),
        ]
    )
    docs = parties.doc[: len(covered) + len(twice)]
    first = np.array([first_award.get(int(d), LAST_DAY) for d in docs], np.int64)
    last = np.array([last_award.get(int(d), LAST_DAY) for d in docs], np.int64)
    first = np.concatenate([first, _random_days(rng, fresh, FIRST_DAY, SNAPSHOT_DAY)])
    last = np.concatenate([last, first[len(docs) :]])
    second = np.zeros(n_background, bool)
    second[len(covered) : len(covered) + len(twice)] = True
    supplier = np.arange(n_background) < len(docs)
    # A supplier registered twice: an older registration cancelled, the current one active.
    state = np.where(second, 1, rng.choice(3, n_background, p=[0.8, 0.12, 0.08]))
    state[: len(covered)][np.isin(covered, twice)] = 0
    registered = first - rng.integers(366, 12 * 365, n_background) - np.where(second, 5 * 365, 0)
    cancelled = state == 1
    cancel_day = np.minimum(
        np.maximum(registered + 365, _random_days(rng, n_background, FIRST_DAY - 2 * 365, LAST_DAY)), SNAPSHOT_DAY
    )
    after_last = np.minimum(np.maximum(last, registered + 365) + rng.integers(0, 365, n_background), SNAPSHOT_DAY)
    cancel_day = np.where(supplier, np.maximum(after_last, last), cancel_day)
    cancel_day = np.where(second, np.minimum(registered + 365 * 4, first - 30), cancel_day)
    ancient = ~supplier & (rng.random(n_background) < 0.01)  # a few registrations dated before 1959
    ancient[np.flatnonzero(~supplier)[:1]] = True  # at least one
    registered = np.where(ancient, _day("1900-01-01"), registered)
    person = parties.person
    nit = [None if p and r < 0.5 else str(d) for p, r, d in zip(person, rng.random(n), parties.doc, strict=True)]
    id_number = [str(d) if p or r < 0.5 else None for p, r, d in zip(person, rng.random(n), parties.doc, strict=True)]

    labels = [label for _, label in RUES_STATES]
    state = np.concatenate([state, [labels.index(r["state"]) for r in planted]]).astype(np.int64)
    registered = np.concatenate([registered, [r["registered"] for r in planted]]).astype(np.int64)
    cancel_day = np.concatenate([cancel_day, [r["cancelled"] or 0 for r in planted]]).astype(np.int64)
    cancelled = state == 1
    for k, r in enumerate(planted):
        nit[n_background + k], id_number[n_background + k] = r["nit"], r["id"]
    renewed_year = np.where(cancelled, _year(cancel_day) - 1, rng.integers(2019, 2026, n))
    renewed_year = np.maximum(renewed_year, _year(registered))
    renewed = np.maximum(
        (renewed_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + rng.integers(0, 90, n),
        registered,
    )
    chamber = rng.integers(0, len(CHAMBERS), n)
    reps = world.pool.rep.take(np.maximum(parties.supplier, 0))
    fresh_reps = _fresh_people(rng, n, world.avoid)
    use_pool_rep = parties.supplier >= 0
    rep_doc = np.where(use_pool_rep, reps.doc, fresh_reps.doc)
    rep_name = [a if u else b for a, b, u in zip(reps.name, fresh_reps.name, use_pool_rep, strict=True)]
    state_table = np.array(RUES_STATES)
    category = np.where(person, "PERSONA NATURAL", "SOCIEDAD ó PERSONA JURIDICA PRINCIPAL ó ESAL")
    matricula = _ids(rng, n, 10_000)
    padded = rng.random(n) < 0.5
    null_text = pa.scalar(None, pa.string())
    open_term = rng.random(n) < 0.7  # a company registered for no fixed term: "99991231"
    term_end = registered + rng.integers(20, 100, n) * 365  # else its term, often far ahead
    return {
        "codigo_camara": _take(_texts(c[0] for c in CHAMBERS), chamber),
        "camara_comercio": _take(_texts(c[1] for c in CHAMBERS), chamber),
        "matricula": _patch(matricula, padded, lambda m: pc.utf8_lpad(m, width=10, padding="0")),
        "inscripcion_proponente": _where(rng.random(n) < 0.2, _num(rng.integers(1000, 99999, n)), null_text),
        "razon_social": parties.surname_first(),
        "primer_apellido": parties.surname1,
        "segundo_apellido": parties.surname2,
        "primer_nombre": parties.given,
        "segundo_nombre": parties.middle,
        "sigla": None,
        "codigo_clase_identificacion": _where(person, "01", "02"),
        "clase_identificacion": _where(person, "CEDULA DE CIUDADANIA", "NIT"),
        "numero_identificacion": pa.array(id_number, pa.string()),
        "nit": pa.array(nit, pa.string()),
        "digito_verificacion": _num(parties.check_digits()),
        "cod_ciiu_act_econ_pri": _pick(rng, CIIU, n),
        "cod_ciiu_act_econ_sec": _pick(rng, (*CIIU, None), n),
        "ciiu3": None,
        "ciiu4": None,
        "fecha_matricula": COMPACT.render(_seconds(registered)),
        "fecha_renovacion": COMPACT.render(_seconds(renewed)),
        "ultimo_ano_renovado": _num(renewed_year),
        "fecha_vigencia": _where(
            person | open_term, _where(person, null_text, OPEN_END), COMPACT.render(_seconds(term_end))
        ),
        "fecha_cancelacion": COMPACT.render(_seconds(cancel_day), ~cancelled),
        "codigo_tipo_sociedad": _where(person, "00", "02"),
        "tipo_sociedad": _where(person, "NO APLICA", "SOCIEDAD COMERCIAL"),
        **_legal_organisation(parties.name, person),
        "codigo_categoria_matricula": _where(person, "00", "01"),
        "categoria_matricula": category,
        "codigo_estado_matricula": state_table[state, 0],
        "estado_matricula": state_table[state, 1],
        "clase_identificacion_rl": _where(person, null_text, "CEDULA DE CIUDADANIA"),
        "num_identificacion_representante_legal": _where(person, null_text, _num(rep_doc)),
        "representante_legal": _where(person, null_text, pa.array(rep_name)),
        "fecha_actualizacion": NANOS.render(
            _seconds(np.minimum(np.maximum(renewed, np.where(cancelled, cancel_day, 0)) + 3, SNAPSHOT_DAY), rng)
        ),
    }


PEP_POSTS = (
    "ALCALDE", "CONCEJAL", "GOBERNADOR", "DIPUTADO", "SECRETARIO DE DESPACHO", "JEFE DE OFICINA",
    "DIRECTOR ADMINISTRATIVO", "GERENTE", "TESORERO GENERAL", "CONTRALOR", "PERSONERO", "SUBDIRECTOR",
)  # fmt: skip


def _entity_sample(world: _World, rng: np.random.Generator, n: int) -> dict[str, pa.Array]:
    return _rows(world.entities, rng.integers(0, len(world.entities), n))


def _after_last_award(world: _World, parties: _Parties, rng: np.random.Generator) -> np.ndarray:
    """Per party: a day after the last award showing its document (-1 if it has none)."""
    _, last = _doc_days(world)
    out = np.full(len(parties), -1, np.int64)
    for i in np.flatnonzero(parties.supplier >= 0):
        day = last.get(int(parties.doc[i]))
        if day is not None:
            out[i] = day + 1 + int(rng.integers(0, max(1, SNAPSHOT_DAY - day)))
    return out


def _overridden(default: pa.Array, rows: list[dict], key: str, n_background: int) -> pa.Array:
    """`default` with the planted rows' `key` values (None: keep the default; "": null)."""
    values = default.to_pylist()
    for k, r in enumerate(rows):
        if r.get(key) is not None:
            values[n_background + k] = r[key] or None
    return pa.array(values, pa.string())


SIGEP_DIRECTORY = "https://www.funcionpublica.gov.co/web/sigep2/hdv/-/directorio/"
SIGEP_NO_RESUME = SIGEP_DIRECTORY + "0-0-0"  # the link SIGEP gives a person without a public resume


def _second_form(rng: np.random.Generator, n: int, n_background: int, share: float = 0.25) -> np.ndarray:
    """1 for the rows a source writes in its second form (SIGEP: the portal's CSV export), else 0: `share`
    of the background rows, every third planted row."""
    second = (rng.random(n) < share).astype(np.int8)
    second[n_background:] = np.arange(n - n_background) % 3 == 2
    return second


def _pep(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Politically exposed persons, 5% of the person suppliers among them (in post only after their
    last award, or out of it more than two years before their first), and the planted ones. Dates are
    day-first as the API serves them, some in the portal's export form; the resume link is a url object."""
    planted = _planted(world, "pep")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.05, exclude=world.plan.docs["pep"])
    people = _Parties.concat([background, _planted_parties(world, planted)])
    start = _random_days(rng, n, _day("2012-01-01"), LAST_DAY)
    left = rng.random(n) < 0.45
    end = np.minimum(start + rng.integers(180, 6 * 365, n), SNAPSHOT_DAY)
    first_award, _ = _doc_days(world)
    after = _after_last_award(world, background, rng)
    for i in np.flatnonzero(after >= 0):
        if rng.random() < 0.5:  # took the post after the last award
            start[i], left[i] = after[i], False
        else:  # left the post more than two years before the first award
            end[i] = first_award[int(background.doc[i])] - 2 * 366 - int(rng.integers(1, 400))
            start[i] = end[i] - int(rng.integers(180, 4 * 365))
            left[i] = True
    for k, r in enumerate(planted):
        i = n_background + k
        start[i], left[i] = r["start"], r["end"] is not None
        end[i] = r["end"] if r["end"] is not None else 0
    entities = _entity_sample(world, rng, n)
    exported = _second_form(rng, n, n_background)
    no_resume = rng.random(n) < 0.1
    person = _num(rng.integers(10**6, 10**7, n))
    resume = _join(SIGEP_DIRECTORY, "S", person, "-", entities["codigo_entidad"], "-4/view")
    return {
        "numero_documento": _overridden(_num(people.doc), planted, "doc", n_background),
        "nombre_pep": people.name,
        "denominacion_cargo": _pick(rng, PEP_POSTS, n),
        "nombre_entidad": pc.utf8_upper(entities["entidad"]),
        "fecha_vinculacion": _mixed((DAY_FIRST, US_TIME), exported, _seconds(start)),
        "fecha_desvinculacion": _mixed((DAY_FIRST, US_TIME), exported, _seconds(end), ~left),
        "enlace_hoja_vida_sigep": _join('{"url":"', _where(no_resume, SIGEP_NO_RESUME, resume), '"}'),
    }


SENSITIVE_POSTS = (
    "PROFESIONAL UNIVERSITARIO", "PROFESIONAL ESPECIALIZADO", "TESORERO", "ALMACENISTA GENERAL",
    "JEFE DE OFICINA ASESORA JURÍDICA", "SECRETARIO DE HACIENDA", "TÉCNICO ADMINISTRATIVO",
    "SUBDIRECTOR DE CONTRATACIÓN",
)  # fmt: skip


def _sensitive_posts(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Servants in corruption-sensitive posts, 4% of the person suppliers among them (appointed after
    their last award), and the planted ones. Start dates are floating timestamps or in the portal's
    export form; a few background ones carry a typo year (2887); salaries have thousands separators."""
    planted = _planted(world, "posts")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.04, exclude=world.plan.docs["posts"])
    people = _Parties.concat([background, _planted_parties(world, planted)])
    start = _random_days(rng, n, _day("2005-01-01"), LAST_DAY)
    after = _after_last_award(world, background, rng)
    start[:n_background] = np.where(after >= 0, after, start[:n_background])
    start[n_background:] = [r["start"] for r in planted]
    typo = (rng.random(n) < 0.01) & (np.arange(n) < n_background)  # a start year such as 2887
    start[typo] = _day("2887-01-01") + rng.integers(0, 365, int(typo.sum()))
    birthplace = rng.integers(0, len(CITIES), n)
    entities = _entity_sample(world, rng, n)
    salary = rng.integers(2_000, 15_000, n) * 1_000
    return {
        "tipo_dcto": _where(rng.random(n) < 0.98, "CC", "CE"),
        "identificacion_funcionario": _overridden(_num(people.doc), planted, "doc", n_background),
        "nombre_completo": people.name,
        "sexo": _where(people.male, "M", "F"),
        "nacionalidad": "COLOMBIA",
        "municipio_nacimiento": pc.utf8_upper(_take(_texts(c[1] for c in CITIES), birthplace)),
        "dpto_nacimiento": pc.utf8_upper(_take(_texts(c[0] for c in CITIES), birthplace)),
        "nivel_academico": _pick(rng, ("PROFESIONAL", "ESPECIALIZACIÓN", "MAESTRÍA", "TECNOLÓGICA", "BACHILLER"), n),
        "nivel_formacion": _pick(rng, ("UNIVERSITARIA", "POSTGRADO", "TECNOLÓGICA", "SECUNDARIA"), n),
        "cod_institucion": entities["codigo_entidad"],
        "nombre_institucion": pc.utf8_upper(entities["entidad"]),
        "municipio_institucion": pc.utf8_upper(entities["ciudad_entidad"]),
        "dpto_institucion": pc.utf8_upper(entities["departamento_entidad"]),
        "orden": pc.utf8_upper(entities["ordenentidad"]),
        "sector_admtivo": _pick(rng, ("HACIENDA", "EDUCACIÓN", "SALUD", "TRANSPORTE", "INTERIOR", "DEFENSA"), n),
        "naturaleza_juridica": _pick(rng, ("ALCALDÍA", "ESTABLECIMIENTO PÚBLICO", "EMPRESA SOCIAL DEL ESTADO"), n),
        "clasificacion_organica": _pick(rng, ("RAMA EJECUTIVA", "ORGANISMOS DE CONTROL", "RAMA JUDICIAL"), n),
        "nivel_jerarquico_empleo": _pick(rng, ("PROFESIONAL", "DIRECTIVO", "ASESOR", "TÉCNICO", "ASISTENCIAL"), n),
        "tipo_nombramiento": _pick(
            rng,
            ("CARRERA ADMINISTRATIVA", "LIBRE NOMBRAMIENTO Y REMOCIÓN", "PROVISIONAL", None),
            n,
            (0.4, 0.3, 0.25, 0.05),
        ),
        "denominacion_empleo_actual": _pick(rng, SENSITIVE_POSTS, n),
        "dependencia_empleo_actual": _pick(
            rng, ("SECRETARÍA DE HACIENDA", "OFICINA JURÍDICA", "ALMACÉN", "SECRETARÍA GENERAL", "CONTRATACIÓN"), n
        ),
        "asig_basica": [f"{v:,}" for v in salary],  # 5,458,553
        "fecha_vinculacion": _mixed((FLOATING, US_TIME), _second_form(rng, n, n_background, 0.6), _seconds(start)),
    }


SIRI_SANCTIONS = (
    ("DESTITUCION E INHABILIDAD GENERAL", "INHABILIDAD GENERAL"),
    ("SUSPENSION E INHABILIDAD ESPECIAL", "INHABILIDAD ESPECIAL"),
    ("MULTA", "INHABILIDAD PARA CONTRATAR"),
    ("AMONESTACION ESCRITA", "SIN INHABILIDAD"),
)


def _siri(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Disciplinary sanctions, 3% of the person suppliers among them (a warning without duration, or
    in force from after their last award), and the planted ones. Documents padded with spaces."""
    planted = _planted(world, "siri")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.03, exclude=world.plan.docs["siri"])
    people = _Parties.concat([background, _planted_parties(world, planted)])
    sanction = rng.choice(len(SIRI_SANCTIONS), n, p=[0.35, 0.3, 0.25, 0.1])
    place = rng.integers(0, len(CITIES), n)
    entities = _entity_sample(world, rng, n)
    effect = _random_days(rng, n, _day("2008-01-01"), LAST_DAY)
    years = np.where(sanction < 2, rng.integers(1, 21, n), 0)
    months = np.where(sanction < 3, rng.integers(0, 12, n), 0)
    days = np.where((sanction < 3) & (rng.random(n) < 0.2), rng.integers(1, 30, n), 0)
    after = _after_last_award(world, background, rng)
    warning = (after >= 0) & (rng.random(n_background) < 0.5)
    effect[:n_background] = np.where(after >= 0, np.where(warning, effect[:n_background], after), effect[:n_background])
    sanction[:n_background][warning] = len(SIRI_SANCTIONS) - 1  # AMONESTACION ESCRITA: no duration
    for k, r in enumerate(planted):
        i = n_background + k
        effect[i], years[i], months[i], days[i] = r["effect"], r["years"], r["months"], r["days"]
        sanction[i] = 0 if r["years"] else 2 if r["months"] + r["days"] else len(SIRI_SANCTIONS) - 1
    zero = sanction == len(SIRI_SANCTIONS) - 1
    years, months, days = (np.where(zero, 0, v) for v in (years, months, days))
    return {
        "numero_siri": _ids(rng, n, 100_000_000),
        "tipo_inhabilidad": _take(_texts(s[1] for s in SIRI_SANCTIONS), sanction),
        "calidad_persona": _pick(rng, ("SERVIDOR PUBLICO", "PARTICULAR", "CONTRATISTA"), n, (0.7, 0.2, 0.1)),
        "tipo_identificacion": "1",
        "nombre_tipo_identificacion": "CEDULA DE CIUDADANIA",
        "numero_identificacion": pc.utf8_rpad(_num(people.doc), width=20, padding=" "),
        "primer_apellido": people.surname1,
        "segundo_apellido": people.surname2,
        "primer_nombre": people.given,
        "segundo_nombre": people.middle,
        "cargo": _pick(rng, (*PEP_POSTS, *SENSITIVE_POSTS), n),
        "lugar_hechos_departamento": pc.utf8_upper(_take(_texts(c[0] for c in CITIES), place)),
        "lugar_hechos_municipio": pc.utf8_upper(_take(_texts(c[1] for c in CITIES), place)),
        "sanciones": _take(_texts(s[0] for s in SIRI_SANCTIONS), sanction),
        "duracion_anos": _num(years),
        "duracion_mes": _num(months),
        "duracion_dias": _num(days),
        "providencia": _pick(
            rng, ("FALLO DE PRIMERA INSTANCIA", "FALLO DE SEGUNDA INSTANCIA", "FALLO DE ÚNICA INSTANCIA"), n
        ),
        "autoridad": _join("PROCURADURIA PROVINCIAL DE ", pc.utf8_upper(_take(_texts(c[1] for c in CITIES), place))),
        "fecha_efectos_juridicos": DAY_FIRST.render(_seconds(effect)),
        "numero_proceso": _join("IUS-", _num(_year(effect) - 2), "-", _num(rng.integers(10_000, 999_999, n))),
        "entidad_sancionado": pc.utf8_upper(entities["entidad"]),
        "entidad_departamento": pc.utf8_upper(entities["departamento_entidad"]),
        "entidad_municipio": pc.utf8_upper(entities["ciudad_entidad"]),
    }


INSURERS = (
    (860009578, "SEGUROS DEL ESTADO S.A."), (860524654, "ASEGURADORA SOLIDARIA DE COLOMBIA"),
    (860037013, "COMPAÑÍA MUNDIAL DE SEGUROS S.A."), (890903407, "SEGUROS GENERALES SURAMERICANA S.A."),
    (860002400, "LA PREVISORA S.A. COMPAÑÍA DE SEGUROS"), (860070374, "CONFIANZA S.A."),
)  # fmt: skip
WORK_ROLES = ("CONTRATISTA", "INTERVENTOR", "SUPERVISOR", "ORDENADOR DEL GASTO")
WORK_SECTORS = (  # (code, sector, group)
    ("22", "EDUCACIÓN", "INFRAESTRUCTURA EDUCATIVA"), ("19", "SALUD", "INFRAESTRUCTURA HOSPITALARIA"),
    ("24", "TRANSPORTE", "RED VIAL"), ("40", "VIVIENDA", "VIVIENDA DE INTERÉS SOCIAL"),
    ("41", "AGUA POTABLE", "ACUEDUCTO Y ALCANTARILLADO"), ("43", "DEPORTE Y RECREACIÓN", "ESCENARIOS DEPORTIVOS"),
    ("33", "CULTURA", "INFRAESTRUCTURA CULTURAL"),
)  # fmt: skip
WORKS = ("COLEGIO", "HOSPITAL", "PUENTE", "POLIDEPORTIVO", "ACUEDUCTO", "VÍA TERCIARIA")
WORK_REASONS = (
    "FALTA DE RECURSOS", "INCUMPLIMIENTO DEL CONTRATISTA", "PROBLEMAS PREDIALES", "FALLAS EN LOS DISEÑOS",
    "LICENCIAS AMBIENTALES",
)  # fmt: skip
# DANE-style codes of the simulated places, by city: (department, its two digits, the city's five digits).
DEPARTMENT_CODES = {d: f"{5 + 3 * i:02d}" for i, d in enumerate(dict.fromkeys(d for d, _ in CITIES))}
PLACES = {c: (d, DEPARTMENT_CODES[d], f"{DEPARTMENT_CODES[d]}{1 + 2 * i:03d}") for i, (d, c) in enumerate(CITIES)}


def _works_dates(which: np.ndarray, days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return _mixed((DAY_FIRST, DAY_FIRST_TIME), which, _seconds(days), null)


def _unfinished_works(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Unfinished works (forms 2000-2011), one row per (work, role) party; 5% of the suppliers are among
    the parties (the contractor's act dated on or after their last award), then the planted lines, one
    work each. A row number leads; dates are day-first, some with a time."""
    planted = _planted(world, "works")
    n_background = n - len(planted)
    works = max(1, n_background // 2) + len(planted)
    counts = np.concatenate([_split_counts(rng, n_background, works - len(planted)), np.ones(len(planted), np.int64)])
    work = np.repeat(np.arange(works), counts)
    role = np.minimum(np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts), len(WORK_ROLES) - 1)
    role_text = [WORK_ROLES[r] for r in role]
    background = world.parties(rng, n_background, "any", 0.05, exclude=world.plan.docs["works"])
    parties = _Parties.concat([background, _planted_parties(world, planted)])
    entity_index = rng.integers(0, len(world.entities), works)[work]
    entities = _rows(world.entities, entity_index)
    nit = world.entity_nit[entity_index]
    insurer = rng.integers(0, len(INSURERS), n)
    act = _random_days(rng, n, _day("2021-01-01"), LAST_DAY)
    after = _after_last_award(world, background, rng)
    act[:n_background] = np.where((after >= 0) & (role[:n_background] == 0), after - 1, act[:n_background])
    for k, r in enumerate(planted):
        act[n_background + k], role_text[n_background + k] = r["act"], r["role"]
    which = _second_form(rng, n, n_background, 0.2)
    contract_value = np.round(np.exp(rng.normal(np.log(800e6), 1.2, works)))[work].astype(np.int64)
    progress = np.round(rng.uniform(5, 95, works), 2)[work]
    started = (act - rng.integers(400, 2500, works)[work]).astype(np.int64)
    days = rng.integers(60, 720, works)[work]
    sector = rng.integers(0, len(WORK_SECTORS), works)[work]
    building = _take(_texts(WORKS), rng.integers(0, len(WORKS), works)[work])
    in_secop = rng.random(n) < 0.7
    modified = rng.random(n) < 0.3
    compensated = rng.random(n) < 0.1
    area = np.round(np.exp(rng.normal(np.log(2_000), 1.0, works)), 2)[work]
    longitude = np.round(rng.uniform(-77.5, -72.0, works), 6)[work]
    latitude = np.round(rng.uniform(1.5, 11.0, works), 6)[work]
    name = _patch(pa.array(parties.name), (rng.random(n) < 0.3) & (np.arange(n) < n_background), pc.utf8_title)
    places = [PLACES.get(city, (None, None, None)) for city in entities["ciudad_entidad"].to_pylist()]
    null_text = pa.scalar(None, pa.string())
    return {
        "numero_registro": _num(np.arange(n)),
        "cod_entidad": entities["codigo_entidad"],
        "cod_obra": _num(10_000 + work),
        "consecutivo": _num(np.arange(n) + 1),
        "numero_acta_2011": _num(rng.integers(1, 30, n)),
        "fecha_2011": _works_dates(which, act),
        "compromisos_2011": _pick(
            rng, ("REANUDAR LA OBRA", "LIQUIDAR EL CONTRATO", "GESTIONAR RECURSOS ADICIONALES", "AJUSTAR DISEÑOS"), n
        ),
        "entidad_2010": _where(rng.random(n) < 0.2, _with_check_digit(nit), _num(nit)),
        "numero_proceso_2010": _join(_pick(rng, ("LP-", "SAMC-", "CD-"), n), _num(rng.integers(1, 300, n))),
        "tipo_2010": _pick(rng, ("OBRA PÚBLICA", "CONVENIO INTERADMINISTRATIVO", "ASOCIACIÓN PÚBLICO PRIVADA"), n),
        "estado_2010": _pick(rng, ("SUSPENDIDO", "TERMINADO", "EN EJECUCIÓN", "LIQUIDADO"), n),
        "nit_aseguradora_2009": _take(_texts(str(i[0]) for i in INSURERS), insurer),
        "nombre_aseguradora_2009": _take(_texts(i[1] for i in INSURERS), insurer),
        "fecha_inicio_2009": _works_dates(which, started),
        "fecha_fin_2009": _works_dates(which, started + days + 3 * 365),
        "numero_poliza_2009": _join(_num(rng.integers(10, 99, n)), "-", _num(rng.integers(10**6, 10**7, n))),
        "valor_asegurado_2009": _num(contract_value // 10),
        "tipo_garantia_2009": _pick(rng, ("CUMPLIMIENTO", "ESTABILIDAD DE LA OBRA", "BUEN MANEJO DEL ANTICIPO"), n),
        "riesgos_2009": _pick(rng, ("INCUMPLIMIENTO", "CALIDAD", "SALARIOS Y PRESTACIONES"), n),
        "indemnizacion_2009": _where(compensated, "SI", "NO"),
        "valor_indemnizado_2009": _where(compensated, _num(contract_value // 20), "0"),
        "valor_2008": _num(contract_value),
        "fecha_2008": _works_dates(which, started - rng.integers(30, 300, n)),
        "estado_presupuesto_2008": _pick(rng, ("COMPROMETIDO", "PAGADO PARCIALMENTE", "SIN EJECUTAR"), n),
        "descripcion_2007": _pick(rng, ("LICENCIA DE CONSTRUCCIÓN", "PERMISO DE OCUPACIÓN DE CAUCE", None), n),
        "fecha_2007": _works_dates(which, started - rng.integers(60, 400, n)),
        "autoridad_2007": _pick(rng, ("CURADURÍA URBANA 1", "SECRETARÍA DE PLANEACIÓN MUNICIPAL", "CAR"), n),
        "numero_licencia_2007": _join("LC-", _num(rng.integers(100, 9_999, n))),
        "rol_2006": pa.array(role_text, pa.string()),
        "tipo_identificacion_2006": _overridden(
            _where(parties.person, "CC", "NIT"),
            [{"doc": "" if r["doc"] == "" else None} for r in planted],
            "doc",
            n_background,
        ),
        "identificacion_2006": _overridden(_num(parties.doc), planted, "doc", n_background),
        "nombre_2006": _overridden(name, planted, "name", n_background),
        "fuente_2005": _pick(rng, ("RECURSOS PROPIOS", "SGP", "REGALÍAS", "PGN", "COFINANCIACIÓN"), n),
        "porcentaje_2005": _pick(rng, ("100", "50", "70", "30"), n),
        "cod_departamento_2004": [place[1] for place in places],
        "departamento_2004": [place[0] for place in places],
        "cod_ciudad_2004": [place[2] for place in places],
        "ciudad_2004": entities["ciudad_entidad"],
        "fecha_inicio_2002": _works_dates(which, started),
        "otrosi_2002": _where(modified, "SI", "NO"),
        "tipo_modificacion_2002": _where(modified, _pick(rng, ("ADICIÓN", "PRÓRROGA", "SUSPENSIÓN"), n), null_text),
        "numero_contrato_2002": _join(_num(rng.integers(1, 400, n)), " DE ", _num(_year(started))),
        "justificacion_2002": _where(modified, _pick(rng, WORK_REASONS, n), null_text),
        "objeto_2002": _join("CONSTRUCCIÓN DE ", building),
        "valor_contrato_2002": _num(contract_value),
        "plazo_en_dias_2002": _num(days),
        "esta_secop_2002": _where(in_secop, "SI", "NO"),
        "codigo_secop_2002": _where(
            in_secop, _join("CO1.PCCNTR.", _num(rng.integers(100_000, 1_400_000, n))), null_text
        ),
        "descripcion_2000": _join(  # commas and quotes: doubled inside the wrapped line
            "CONSTRUCCIÓN DE ",
            building,
            ' "',
            pc.utf8_upper(entities["ciudad_entidad"]),
            '", FASE ',
            _num(1 + work % 3),
        ),
        "cod_sector_2000": _take(_texts(s[0] for s in WORK_SECTORS), sector),
        "sector_2000": _take(_texts(s[1] for s in WORK_SECTORS), sector),
        "grupo_2000": _take(_texts(s[2] for s in WORK_SECTORS), sector),
        "nombreentidad_2000": pc.utf8_upper(entities["entidad"]),
        "area_predio_2000": _num(area),
        "area_contratada_2000": _num(np.round(area * 0.8, 2)),
        "area_construida_2000": _num(np.round(area * 0.8 * progress / 100, 2)),
        "ultimo_avance_2000": _num(progress),
        "presupuesto_total_2000": _num(contract_value),
        "matricula_inmobiliaria_2000": _join(_num(rng.integers(10, 999, n)), "-", _num(rng.integers(10**4, 10**6, n))),
        "cedula_catastral_2000": _join(_num(rng.integers(10**14, 10**15, n)), _num(rng.integers(10**9, 10**10, n))),
        "porque_estado_2000": _pick(rng, WORK_REASONS, n),
        "decision_admin_2000": _pick(rng, ("TERMINAR LA OBRA", "DEMOLER", "DAR OTRO USO", None), n),
        "acto_administrativo_2000": _join("RESOLUCIÓN ", _num(rng.integers(1, 999, n)), " DE ", _num(_year(act))),
        "clase_obra_2000": _pick(rng, ("EDIFICACIÓN", "INFRAESTRUCTURA VIAL", "REDES"), n),
        "estado_registro_2000": _pick(rng, ("APROBADO", "EN REVISIÓN"), n, (0.8, 0.2)),
        "origen_registro_2000": _pick(rng, ("ENTIDAD", "CONTRALORÍA"), n, (0.7, 0.3)),
        "tipo_reporte_2000": _pick(rng, ("INICIAL", "ACTUALIZACIÓN"), n),
        "raz_nouso_2000": _pick(rng, (None, "NO SE HA TERMINADO", "SIN DOTACIÓN"), n, (0.7, 0.2, 0.1)),
        "longitudinicial_2000": _num(longitude),
        "longitudfinal_2000": _num(longitude),
        "latitudinicial_2000": _num(latitude),
        "latitudfinal_2000": _num(latitude),
        "nit_2001": _num(nit),
        "entidad_2001": entities["entidad"],
        "descripcion_2003": _pick(rng, ("VALOR ACTUALIZADO DE LA OBRA", "VALOR CON ADICIONES"), n),
        "valor_2003": _num((contract_value * rng.uniform(1.0, 1.4, n)).astype(np.int64)),
        "fecha_2003": _works_dates(which, act),
    }


REPORTERS = (
    "CONTRALORIA GENERAL DE LA REPUBLICA", "CONTRALORIA DE BOGOTA D.C.", "CONTRALORIA DEPARTAMENTAL DE ANTIOQUIA",
    "CONTRALORIA DEPARTAMENTAL DEL VALLE DEL CAUCA", "CONTRALORIA MUNICIPAL DE MEDELLIN",
    "CONTRALORIA DEPARTAMENTAL DE CUNDINAMARCA",
)  # fmt: skip


def _fiscal_liability(world: _World, n: int, rng: np.random.Generator) -> Built:
    """The Comptroller's bulletin: 'CC 123' / 'NIT 900...' documents, untrimmed names, a few shifted rows.

    Every award of a listed supplier fires (the bulletin has no dates), so the background lists other
    people and companies only; the planted rows name suppliers."""
    planted = _planted(world, "bulletin")
    n_background = n - len(planted)
    parties = _Parties.concat([world.parties(rng, n_background, "any", 0.0), _planted_parties(world, planted)])
    glued = ~parties.person & (rng.random(n) < 0.3)
    number = _where(glued, _with_check_digit(parties.doc, ""), _num(parties.doc))
    entities = _entity_sample(world, rng, n)
    name = _patch(pa.array(parties.name), rng.random(n) < 0.3, pc.utf8_title)
    name = _patch(name, rng.random(n) < 0.1, lambda x: _join(x, " "))
    document = _join(_where(parties.person, "CC ", "NIT "), number)
    columns = {
        "responsable_fiscal": _overridden(name, planted, "name", n_background),
        "tipo_y_num_docuemento": _overridden(document, planted, "doc", n_background),
        "entidad_afectada": pc.utf8_upper(entities["entidad"]),
        "tr": _where(rng.random(n) < 0.7, "I", "S"),
        "r": _num(rng.geometric(0.6, n)),
        "ente_que_reporta": _pick(rng, REPORTERS, n),
        "departamento": pc.utf8_upper(entities["departamento_entidad"]),
        "municipio": pc.utf8_upper(entities["ciudad_entidad"]),
    }
    # Shifted rows (spec/sources.md §4.10): every field after the document moved one column left.
    shifted = (rng.random(n) < 0.02) & (np.arange(n) < n_background)
    shifted[rng.integers(0, n_background)] = True  # at least one
    shifted[n_background:] = [r["shifted"] for r in planted]
    tail = ["tr", "r", "ente_que_reporta", "departamento", "municipio"]
    moved = {a: _where(shifted, columns[b], columns[a]) for a, b in zip(tail, tail[1:], strict=False)}
    moved["municipio"] = _where(shifted, pa.scalar(None, pa.string()), columns["municipio"])
    return {**columns, **moved}


SECOP_I_MODALITIES = (
    ("13", "Contratación Mínima Cuantía"), ("1", "Licitación Pública"), ("2", "Selección Abreviada de Menor Cuantía"),
    ("12", "Contratación Directa (Ley 1150 de 2007)"), ("10", "Régimen Especial"), ("3", "Concurso de Méritos Abierto"),
)  # fmt: skip
SECOP_I_TYPES = ("Prestación de Servicios", "Suministro", "Obra", "Compraventa", "Otro Tipo de Contrato", "Consultoría")


def _secop_i(world: _World, n: int, rng: np.random.Generator) -> Built:
    """SECOP I awards (2015-2023) of the processes' entities; 30% of the suppliers are contractors too."""
    parties = world.parties(rng, n, "any", 0.3)
    reps = _fresh_people(rng, n, world.avoid)
    entity_index = rng.integers(0, len(world.entities), n)
    entities = _rows(world.entities, entity_index)
    nit = world.entity_nit[entity_index]
    modality = rng.integers(0, len(SECOP_I_MODALITIES), n)
    loaded = _random_days(rng, n, _day("2015-01-01"), _day("2023-12-31"))
    signed = loaded + rng.integers(0, 20, n)
    term = rng.integers(1, 12, n)
    start = signed + rng.integers(0, 10, n)
    value = np.exp(rng.normal(np.log(25e6), 1.4, n)).round()
    additions = np.where(rng.random(n) < 0.12, value * rng.uniform(0.05, 0.6, n), 0).round()
    constancia = _join(
        _num(_year(loaded) % 100),
        "-",
        _pick(rng, ("1", "4", "11", "12", "13", "15"), n),
        "-",
        _num(_increasing_ids(rng, np.argsort(loaded, kind="stable"), 4_000_000, 14_000_000)),
    )
    award_id = _ids(rng, n, 4_000_000)
    group = rng.integers(0, 3, n)
    return {
        "uid": _join(constancia, "-", award_id),
        "anno_cargue_secop": _num(_year(loaded)),
        "anno_firma_contrato": _num(_year(signed)),
        "nivel_entidad": pc.utf8_upper(entities["ordenentidad"]),
        "orden_entidad": _join(
            pc.utf8_upper(entities["ordenentidad"]), " ", _pick(rng, ("NIVEL 6", "DISTRITAL", "CENTRALIZADO"), n)
        ),
        "nombre_entidad": _join(
            pc.utf8_upper(entities["departamento_entidad"]), "  ", pc.utf8_upper(entities["entidad"])
        ),
        "nit_de_la_entidad": _with_check_digit(nit),
        "c_digo_de_la_entidad": entities["codigo_entidad"],
        "id_modalidad": _take(_texts(m[0] for m in SECOP_I_MODALITIES), modality),
        "modalidad_de_contratacion": _take(_texts(m[1] for m in SECOP_I_MODALITIES), modality),
        "estado_del_proceso": _pick(rng, ("Celebrado", "Liquidado", "Terminado sin Liquidar", "Adjudicado"), n),
        "causal_de_otras_formas_de": NO_DEFINIDO,
        "id_regimen_de_contratacion": _take(_texts(m[0] for m in SECOP_I_MODALITIES), modality),
        "nombre_regimen_de_contratacion": _take(_texts(m[1] for m in SECOP_I_MODALITIES), modality),
        "tipo_de_contrato": _pick(rng, SECOP_I_TYPES, n),
        "municipio_de_obtencion": entities["ciudad_entidad"],
        "municipio_de_entrega": entities["ciudad_entidad"],
        "fecha_de_cargue_en_el_secop": _floating(loaded),
        "numero_de_constancia": constancia,
        "numero_de_proceso": _join(
            _pick(rng, ("SMC ", "LP ", "SAMC ", "CD "), n), _num(rng.integers(1, 400, n)), " DE ", _num(_year(loaded))
        ),
        "numero_de_contrato": _join(_num(rng.integers(1, 500, n)), " DE ", _num(_year(signed))),
        "cuantia_proceso": _num((value * rng.uniform(1.0, 1.1, n)).round().astype(np.int64)),
        "id_grupo": _take(_texts(("F", "E", "C")), group),
        "nombre_grupo": _take(_texts(("[F] Servicios", "[E] Productos de Uso Final", "[C] Obra")), group),
        "id_adjudicacion": award_id,
        "tipo_identifi_del_contratista": _where(parties.person, "Cédula de Ciudadanía", "Nit de Persona Jurídica"),
        "identificacion_del_contratista": _num(parties.doc),
        "nom_razon_social_contratista": parties.name,
        "dpto_y_muni_contratista": _join(entities["departamento_entidad"], " - ", entities["ciudad_entidad"]),
        "tipo_doc_representante_legal": "Cédula de Ciudadanía",
        "identific_representante_legal": _num(np.where(parties.person, parties.doc, reps.doc)),
        "nombre_del_represen_legal": [
            a if p else b for a, b, p in zip(parties.name, reps.name, parties.person, strict=True)
        ],
        "fecha_de_firma_del_contrato": _floating(signed),
        "fecha_ini_ejec_contrato": _floating(start),
        "plazo_de_ejec_del_contrato": _num(term),
        "rango_de_ejec_del_contrato": "M",
        "tiempo_adiciones_en_dias": _num(np.where(additions > 0, rng.integers(0, 60, n), 0)),
        "tiempo_adiciones_en_meses": _num(np.where(additions > 0, rng.integers(0, 4, n), 0)),
        "fecha_fin_ejec_contrato": _floating(start + 30 * term),
        "compromiso_presupuestal": "Sn Definir",
        "cuantia_contrato": _num(value.astype(np.int64)),
        "valor_total_de_adiciones": _num(additions.astype(np.int64)),
        "valor_contrato_con_adiciones": _num((value + additions).astype(np.int64)),
        "objeto_del_contrato_a_la": _join(_pick(rng, OBJECTS, n), " ", _pick(rng, PURPOSES, n)),
        "moneda": "Peso Colombiano",
        "es_postconflicto": "0",
        "marcacion_adiciones": _num((additions > 0).astype(np.int64)),
        "valor_rubro": "0",
        "sexo_replegal": _pick(rng, ("1", "2"), n),
        "municipio_entidad": entities["ciudad_entidad"],
        "departamento_entidad": entities["departamento_entidad"],
        "ultima_actualizacion": _floating(np.minimum(signed + rng.integers(0, 300, n), SNAPSHOT_DAY)),
        "fecha_liquidacion": _floating(start + 30 * term + 45, rng.random(n) < 0.6),
        "ruta_proceso_en_secop_i": _join(
            '{"url":"https://www.contratos.gov.co/consultas/detalleProceso.do?numConstancia=', constancia, '"}'
        ),
        "es_mipyme": _pick(rng, ("Si", "No", NO_DEFINIDO), n),
    }


TVEC_AGGREGATIONS = (
    "Combustible (Nacional)", "Papelería y útiles de oficina", "Grandes Superficies", "Dotaciones",
    "Servicios de Aseo y Cafetería", "Compra de Vehículos", "Software por catálogo", "Alimentos PAE",
)  # fmt: skip


def _tvec(world: _World, n: int, rng: np.random.Generator) -> Built:
    """Virtual-store purchase orders of the processes' entities; 30% of the supplier companies sell."""
    suppliers = world.parties(rng, n, "company", 0.3)
    requesters = _fresh_people(rng, n, world.avoid)
    entity_index = rng.integers(0, len(world.entities), n)
    entities = _rows(world.entities, entity_index)
    day = _random_days(rng, n)
    aggregation = rng.integers(0, len(TVEC_AGGREGATIONS), n)
    return {
        "a_o": _num(_year(day)),
        "identificador_de_la_orden": _ids(rng, n, 20_000),
        "rama_de_la_entidad": _pick(rng, ("Ejecutivo", "Judicial", "Legislativo"), n, (0.9, 0.07, 0.03)),
        "orden_de_la_entidad": entities["ordenentidad"],
        "sector_de_la_entidad": _pick(rng, SECTORS, n),
        "entidad": entities["entidad"],
        "nit_entidad": _num(world.entity_nit[entity_index]),
        "solicitante": _patch(pa.array(requesters.name), rng.random(n) < 0.5, pc.utf8_title),
        "fecha": FLOATING.render(_seconds(day, rng)),
        "fecha_vence": _floating(day + rng.integers(30, 366, n)),
        "proveedor": suppliers.name,
        "nit_proveedor": _num(suppliers.doc),
        "estado": _pick(rng, ("Emitida", "Aceptada", "Cancelada", "Cerrada", None), n, (0.3, 0.3, 0.05, 0.3, 0.05)),
        "solicitud": _num(rng.integers(10_000, 300_000, n)),
        "items": _take(_texts(TVEC_AGGREGATIONS), aggregation),
        "total": _money(rng, np.exp(rng.normal(np.log(8e6), 1.3, n))),
        "agregacion": _join("Acuerdo Marco - ", _take(_texts(TVEC_AGGREGATIONS), aggregation)),
        "ciudad": entities["ciudad_entidad"],
        "entidad_obigada": _pick(rng, ("Obligada", "No Obligada"), n, (0.7, 0.3)),
        "espostconflicto": _pick(rng, ("No", "Si"), n, (0.95, 0.05)),
        "actividad_economica_proveedor": _pick(rng, CIIU, n),
        "id_entidad": entities["codigo_entidad"],
    }


# --- kind-based filler ---------------------------------------------------------------------------

TEXT_FILLER = (NO_DEFINIDO, "No Aplica", None)
TEXT_FILLER_WEIGHTS = (0.85, 0.1, 0.05)


def _filler(column: Column, n: int, rng: np.random.Generator, dates: _DateFormat) -> pa.Array:
    """Plausible values for a column no builder models, from its kind."""
    kind = column.kind
    if kind == "date":
        return dates.render(_seconds(_random_days(rng, n)), rng.random(n) < 0.3)
    if kind == "amount":
        return _money(rng, np.exp(rng.normal(np.log(20e6), 1.5, n)))
    if kind == "number":
        return _where(rng.random(n) < 0.8, "0", _num(rng.integers(1, 10**7, n)))
    if kind == "integer":
        return _num(rng.integers(0, 30, n))
    if kind in ("code", "key"):
        return _ids(rng, n, 100_000)
    if kind == "name":
        return pa.array(_fresh_people(rng, n, np.zeros(0, np.int64)).name, pa.string())
    if kind == "entity_nit":
        return _num(rng.integers(800_000_000, 900_000_000, n))
    if kind == "document":
        return _num(rng.integers(1_000_000, 99_999_999, n))
    if kind == "combined_document":
        return _join("CC ", _num(rng.integers(1_000_000, 99_999_999, n)))
    if kind == "url":
        return _join('{"url":"https://www.colombiacompra.gov.co/', _num(rng.integers(10**6, 10**7, n)), '"}')
    return _pick(rng, TEXT_FILLER, n, TEXT_FILLER_WEIGHTS)


# --- recipes and public API ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Recipe:
    source: Source
    share: float  # default rows per row of the processes file
    build: Builder
    dates: _DateFormat  # format of the dates `_filler` writes


# In dependency order: cancelled contracts, fines and execution lines read the contract model.
_RECIPES: tuple[_Recipe, ...] = (
    _Recipe(SECOP_II_CONTRATOS, 0.30, _contracts, FLOATING),
    _Recipe(SECOP_II_CONTRATOS_CANCELADOS, 0.03, _cancelled_contracts, FLOATING),
    _Recipe(SECOP_II_OFERTAS, 0.50, _offers, FLOATING),
    _Recipe(SECOP_II_MULTAS, 0.02, _fines, FLOATING),
    _Recipe(SECOP_II_EJECUCION, 0.05, _execution, TICKS),
    _Recipe(RUES_PERSONAS, 0.30, _rues, COMPACT),
    _Recipe(SIGEP_PEP, 0.03, _pep, DAY_FIRST),
    _Recipe(SIGEP_PUESTOS_SENSIBLES, 0.03, _sensitive_posts, US_TIME),
    _Recipe(SIRI_SANCIONES, 0.03, _siri, DAY_FIRST),
    _Recipe(PACO_OBRAS_INCONCLUSAS, 0.02, _unfinished_works, DAY_FIRST),
    _Recipe(PACO_RESPONSABILIDAD_FISCAL, 0.02, _fiscal_liability, DAY_FIRST),
    _Recipe(SECOP_I_PROCESOS, 0.10, _secop_i, FLOATING),
    _Recipe(TVEC_ORDENES, 0.05, _tvec, FLOATING),
)
GENERATED_SOURCES: tuple[Source, ...] = tuple(r.source for r in _RECIPES)  # every catalogue source but processes


def row_counts(processes: int, scale: float = 1.0) -> dict[str, int]:
    """Default rows per source for a processes file of `processes` rows."""
    counts = {r.source.name: max(MIN_ROWS, round(r.share * processes * scale)) for r in _RECIPES}
    cancelled = SECOP_II_CONTRATOS_CANCELADOS.name
    counts[cancelled] = min(counts[cancelled], counts[SECOP_II_CONTRATOS.name] // 3)
    return counts


def _assemble(recipe: _Recipe, world: _World, n: int, seed: int) -> pa.Table:
    source = recipe.source
    rng = np.random.default_rng([seed, zlib.crc32(source.name.encode())])
    built = recipe.build(world, n, rng)
    unknown = set(built) - set(source.field_names)
    if unknown:
        raise ValueError(f"{source.name}: builder returned columns outside the catalogue: {sorted(unknown)}")
    null = pa.nulls(n, pa.string())
    arrays = [
        (null if built[c.field_name] is None else _as_strings(built[c.field_name], n, c.field_name))
        if c.field_name in built
        else _filler(c, n, rng, recipe.dates)
        for c in source.columns
    ]
    table = pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(name, pa.string()) for name in source.field_names]))
    return table.take(pa.array(rng.permutation(n))) if source.name in SHUFFLED else table


# Sources whose planted rows are appended to the background: their rows are shuffled.
SHUFFLED = frozenset(
    s.name
    for s in (
        SECOP_II_OFERTAS,
        SECOP_II_MULTAS,
        SECOP_II_EJECUCION,
        RUES_PERSONAS,
        SIGEP_PEP,
        SIGEP_PUESTOS_SENSIBLES,
        SIRI_SANCIONES,
        PACO_RESPONSABILIDAD_FISCAL,
    )
)


def _write(source: Source, table: pa.Table, out_dir: Path) -> Path:
    path = out_dir / "paco" / source.dataset_id if source.is_file else out_dir / f"{source.dataset_id}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if source.is_file:
        paco_files.write_file(source, table, partial)
    else:
        pq.write_table(table, partial, compression="zstd")
    partial.replace(path)
    return path


def generate_sources(out_dir: Path, processes_path: Path, seed: int = 42, scale: float = 1.0) -> dict[str, Path]:
    """Write every non-processes catalogue source under `out_dir`, consistent with `processes_path`, and
    the planted ground truth of every indicator, `out_dir/ground_truth/flags.csv` (simulator.truth).

    `processes_path` must come from simulator.generator.generate_processes (its planted processes are
    read from `ground_truth/planted_processes.csv` next to it). Row counts follow `row_counts(rows of
    the processes file, scale)` (fewer contracts when there are too few awards for them). Same inputs
    and seed, same files. Raises RuntimeError, and writes no ground truth, if the flags that
    simulator.truth.compute_flags finds in the written files differ from the planted ones.
    Returns {source name: path written}.
    """
    from simulator import plants

    out_dir, processes_path = Path(out_dir), Path(processes_path)
    truth_path = flags_path(out_dir)
    truth_path.unlink(missing_ok=True)
    counts = row_counts(pq.ParquetFile(processes_path).metadata.num_rows, scale)
    world = _build_world(processes_path, np.random.default_rng([seed, 0]))
    world.contracts = _build_contracts(
        world,
        np.random.default_rng([seed, 1]),
        counts[SECOP_II_CONTRATOS.name],
        counts[SECOP_II_CONTRATOS_CANCELADOS.name],
    )
    counts[SECOP_II_CONTRATOS.name] = len(world.contracts.award)
    counts[SECOP_II_CONTRATOS_CANCELADOS.name] = int(world.contracts.listed.sum())
    world.plan = plan = plants.Plan()
    plants.plant_contract_values(world, np.random.default_rng([seed, 2]), plan)
    world.universe = _build_universe(world)
    plants.plant_all(world, np.random.default_rng([seed, 3]), plan)
    for indicator, roles in world.planted.items():
        plan.flag(indicator, (world.universe.key[i] for i in roles.get("fire", [])))
    expected = {indicator: frozenset(plan.truth.get(indicator, ())) for indicator in INDICATORS}

    world.outputs = {}
    read_later = {SECOP_II_CONTRATOS.name}  # outputs a later builder reads (`_World.output`)
    written: dict[str, Path] = {}
    for recipe in _RECIPES:
        table = _assemble(recipe, world, counts[recipe.source.name], seed)
        if recipe.source.name in read_later:
            world.outputs[recipe.source.name] = table
        written[recipe.source.name] = _write(recipe.source, table, out_dir)

    wrong = differences(expected, compute_flags(out_dir, processes_path=processes_path))
    if wrong:
        summary = {k: {kind: v[kind][:5] for kind in v} for k, v in wrong.items()}
        raise RuntimeError(f"generated files disagree with the planted ground truth: {summary}")
    write_flags(truth_path, expected)
    return written
