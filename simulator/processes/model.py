"""The semantic model of the processes, in numpy arrays: entities, suppliers, processes, the planted
groups (`Truth`) and the direct-award share panel; shared array helpers."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from simulator.dates import iso_day
from simulator.vocabulary import SECOP_PREFIX

CODE_ONLY_SHARE = 0.25  # planted groups whose supplier NIT is always 'No Definido'


FIRST_AWARD_DAY = iso_day("2018-01-01")
LAST_AWARD_DAY = iso_day("2025-12-31")
AWARD_YEARS = np.arange(2018, 2026)


# Supplier kinds and how `nit_del_proveedor_adjudicado` is written (model code -> rendering).
COMPANY, PERSON, FOREIGN = 0, 1, 2
COMPANY_FORMATS = 7  # 900123456 | 900123456-7 | 900.123.456-7 | 9001234567 | ' 900123456 ' | 90-0123456 | 900.123.456
COMPANY_FORMAT_WEIGHTS = np.array([0.55, 0.15, 0.05, 0.10, 0.05, 0.03, 0.07])
PERSON_FORMATS = 4  # 52345678 | 1075226795. | ' 52345678' | 52.345.678
PERSON_FORMAT_WEIGHTS = np.array([0.75, 0.10, 0.05, 0.10])
FMT_FOREIGN = COMPANY_FORMATS + PERSON_FORMATS  # P12000051198
FMT_HIDDEN = FMT_FOREIGN + 1  # 'No Definido' with a real code and name
FMT_HIDDEN_OTHER = FMT_HIDDEN + 1  # another placeholder ('No aplica', '---', ...)
VISIBLE, HIDDEN, HIDDEN_OTHER = 0, 1, 2
BACKGROUND_HIDE_WEIGHTS = np.array([0.5, 0.45, 0.05])
PLACEHOLDER_SUPPLIER_SHARE = 0.015  # awards whose every supplier field is 'No Definido'
ENTITY_NAME_WEIGHTS = np.array([0.70, 0.12, 0.10, 0.08])


# Planted processes, by (indicator id, role): "fire" processes are awards the indicator must flag,
# "near" processes are near-misses it must not flag. simulator.datasets turns them into award keys.
PLANT_TAGS: tuple[tuple[str, str], ...] = (
    ("repeat_awards", "fire"),
    ("repeat_awards", "near"),
    ("single_bidder", "fire"),
    ("single_bidder", "near"),
    ("short_submission_period", "fire"),
    ("short_submission_period", "near"),
    ("award_close_to_base_price", "fire"),
    ("award_close_to_base_price", "near"),
    ("contract_splitting", "fire"),
    ("contract_splitting", "near"),
    ("direct_award_share", "fire"),
    ("heterogeneous_supplier", "fire"),
    ("heterogeneous_supplier", "near"),
    ("winner_share_of_buyer", "fire"),
    ("winner_share_of_buyer", "near"),  # a minority share
    ("winner_share_of_buyer", "near"),  # a majority in an entity with too few awards
)
(
    TAG_REPEAT,
    TAG_REPEAT_NEAR,
    TAG_SINGLE,
    TAG_SINGLE_NEAR,
    TAG_SHORT,
    TAG_SHORT_NEAR,
    TAG_CLOSE,
    TAG_CLOSE_NEAR,
    TAG_SPLIT,
    TAG_SPLIT_NEAR,
    TAG_DIRECT,
    TAG_HETEROGENEOUS,
    TAG_HETEROGENEOUS_NEAR,
    TAG_WINNER_SHARE,
    TAG_WINNER_SHARE_NEAR,
    TAG_WINNER_SHARE_FEW,
) = range(len(PLANT_TAGS))
# Tags whose award date and value must reach the warehouse unchanged: a contract, if any, is signed on
# the award day for exactly the awarded value.
PINNED_TAGS = frozenset({TAG_SPLIT, TAG_SPLIT_NEAR, TAG_WINNER_SHARE, TAG_WINNER_SHARE_NEAR, TAG_WINNER_SHARE_FEW})

FREE, NULL = -1, -2  # fixed-attribute sentinels: not fixed; rendered as null


@dataclass(frozen=True)
class Entities:
    """Contracting units; units of one organisation share its NIT (hence its entity key)."""

    org: np.ndarray  # int32 organisation of each unit
    nit: np.ndarray  # int64 base NIT (no check digit)
    weight: np.ndarray  # float64 share of processes
    glue_rate: np.ndarray  # float64 share of processes whose NIT is written with the check digit glued
    names: pa.Array  # len(ENTITY_NAME_WEIGHTS) name variants per unit, flattened
    nits: pa.Array  # two renderings per unit: plain, check digit glued
    columns: dict[str, pa.Array]  # per-unit constant API columns
    city: np.ndarray  # int index into CITIES

    def __len__(self) -> int:
        return len(self.org)

    def siblings(self, rng: np.random.Generator, units: np.ndarray) -> np.ndarray:
        """A random unit of the same organisation as each given unit."""
        order = np.argsort(self.org, kind="stable")
        counts = np.bincount(self.org)
        starts = np.cumsum(counts) - counts
        org = self.org[units]
        return order[starts[org] + (rng.random(len(units)) * counts[org]).astype(np.int64)]


@dataclass(frozen=True)
class Suppliers:
    kind: np.ndarray  # uint8 COMPANY / PERSON / FOREIGN
    doc: np.ndarray  # int64 NIT without check digit, cédula, or passport digits
    dv: np.ndarray  # uint8 DIAN check digit (companies)
    code: np.ndarray  # int64 SECOP supplier code, unique
    pieces: np.ndarray  # (n, 4) uint8 name pieces
    city: np.ndarray  # int16 index into CITIES, -1 unknown

    def key(self, supplier: int, code_only: bool) -> str:
        """Supplier key of the pipeline's rule (canonical document, else SECOP code)."""
        if code_only or self.kind[supplier] == FOREIGN:
            return f"{SECOP_PREFIX}{self.code[supplier]}"
        return str(self.doc[supplier])


@dataclass
class Processes:
    """One entry per process (its final version); arrays of equal length."""

    entity: np.ndarray  # int32 unit
    supplier: np.ndarray  # int32, -1 = placeholder supplier / none
    awarded: np.ndarray  # bool: the final version is an award
    old_award: np.ndarray  # bool: an older version is an award (the final one is not)
    award_day: np.ndarray  # int32 days since epoch (awarded or old_award)
    pub_day: np.ndarray  # int32
    hide: np.ndarray  # uint8 VISIBLE / HIDDEN / HIDDEN_OTHER supplier document
    cycle: np.ndarray  # int16 rendering rotation inside a planted group, -1 = random
    direct: np.ndarray  # bool: prefer 'Contratación directa'
    tag: np.ndarray  # int8 index into PLANT_TAGS, -1 = background
    big: np.ndarray  # bool: awarded value at least BIG_FLOOR (simulator.processes.rules)
    # Fixed attributes (FREE = drawn like the background's): modality index, unique bidders (NULL:
    # rendered null), responses, days from publication to the offer deadline, base price, awarded value,
    # UNSPSC category.
    modality: np.ndarray  # int8
    unique: np.ndarray  # int16
    responses: np.ndarray  # int16
    reception: np.ndarray  # int16
    base: np.ndarray  # int64
    value: np.ndarray  # int64
    category: np.ndarray  # int16 index into UNSPSC

    @classmethod
    def concat(cls, parts: list[Processes]) -> Processes:
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})

    @classmethod
    def make(
        cls,
        entity: np.ndarray,
        supplier: np.ndarray,
        award_day: np.ndarray,
        pub_day: np.ndarray,
        hide: np.ndarray,
        *,
        awarded: bool = True,
        old_award: bool = False,
        cycle: np.ndarray | None = None,
        direct: bool = False,
        tag: int | np.ndarray = -1,
        big: bool = False,
        modality: int | np.ndarray = FREE,
        unique: int | np.ndarray = FREE,
        responses: int | np.ndarray = FREE,
        reception: int | np.ndarray = FREE,
        base: int | np.ndarray = FREE,
        value: int | np.ndarray = FREE,
        category: int | np.ndarray = FREE,
    ) -> Processes:
        n = len(entity)

        def full(v: int | np.ndarray, dtype: type) -> np.ndarray:
            return np.broadcast_to(np.asarray(v, dtype), (n,)).copy()

        return cls(
            entity=entity.astype(np.int32),
            supplier=supplier.astype(np.int32),
            awarded=np.full(n, awarded),
            old_award=np.full(n, old_award),
            award_day=award_day.astype(np.int32),
            pub_day=pub_day.astype(np.int32),
            hide=hide.astype(np.uint8),
            cycle=np.full(n, -1, np.int16) if cycle is None else cycle.astype(np.int16),
            direct=np.full(n, direct),
            tag=full(tag, np.int8),
            big=np.full(n, big),
            modality=full(modality, np.int8),
            unique=full(unique, np.int16),
            responses=full(responses, np.int16),
            reception=full(reception, np.int16),
            base=full(base, np.int64),
            value=full(value, np.int64),
            category=full(category, np.int16),
        )


@dataclass(frozen=True)
class Truth:
    """Planted firing groups, by model ids."""

    unit: np.ndarray
    supplier: np.ndarray
    year: np.ndarray
    size: np.ndarray
    code_only: np.ndarray


@dataclass
class Model:
    entities: Entities
    suppliers: Suppliers
    procs: Processes
    attrs: dict[str, np.ndarray]  # per-process rendering attributes
    rows: dict[str, np.ndarray]  # per-row arrays in output order: proc, kind, last_day, state
    truth: dict[tuple[str, str, int], int]
    panel: Panel


ROW_FINAL, ROW_OLD, ROW_OLD_AWARD = 0, 1, 2


def year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def year_start(year: np.ndarray) -> np.ndarray:
    return (np.asarray(year) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def day_in_year(rng: np.random.Generator, year: np.ndarray, first: int = 0, last: int | None = None) -> np.ndarray:
    """A random day of each year, between day-of-year `first` and `last` (default: year end)."""
    start = year_start(year)
    end = year_start(np.asarray(year) + 1) - 1 if last is None else start + last
    return start + first + (rng.random(len(start)) * (end - start - first + 1)).astype(np.int64)


def selection_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days between a process's publication and its award."""
    return rng.integers(1, 46, n)


def expand(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group index and position inside the group of every member of groups of the given sizes."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    return group, np.arange(len(group)) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def rank_in_group(keys: np.ndarray) -> np.ndarray:
    """Rank of each element among the elements with the same key, in order of appearance."""
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    order = np.argsort(inverse, kind="stable")
    rank = np.empty(len(keys), np.int64)
    rank[order] = np.arange(len(keys)) - np.repeat(np.cumsum(counts) - counts, counts)
    return rank


def plant_weights(ents: Entities, excluded_orgs: np.ndarray) -> np.ndarray:
    """Unit weights without the units of some organisations, normalised."""
    weight = np.where(np.isin(ents.org, excluded_orgs), 0.0, ents.weight)
    return weight / weight.sum()


@dataclass(frozen=True)
class Panel:
    """Organisations the direct-award-share indicator compares, guaranteed at every size.

    `planted` organisations award only non-competitively (they fire; each of its own sector); `members` are
    peers of the same order with at least DIRECT_SHARE_MIN_AWARDS + 1 background awards each.
    """

    planted: np.ndarray
    members: np.ndarray
    planted_awards: np.ndarray  # background awards of each planted organisation

    def orgs(self) -> np.ndarray:
        """Every organisation of the panel, planted and members."""
        return np.concatenate([self.planted, self.members])
