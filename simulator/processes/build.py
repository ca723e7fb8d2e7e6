"""The background processes, suppliers, per-process attributes and row versions: the whole `Model`
of one generation (`build_model`)."""

from __future__ import annotations

import numpy as np

from simulator.arrow import increasing_ids
from simulator.plants.processes import award_plants, near_misses, planted_repeat_awards
from simulator.processes.direct_share import balance_direct_share, choose_panel, fill_panel
from simulator.processes.entities import build_entities
from simulator.processes.mixed import mix_background
from simulator.processes.model import (
    BACKGROUND_HIDE_WEIGHTS,
    COMPANY,
    COMPANY_FORMAT_WEIGHTS,
    COMPANY_FORMATS,
    ENTITY_NAME_WEIGHTS,
    FIRST_AWARD_DAY,
    FMT_FOREIGN,
    FMT_HIDDEN,
    FMT_HIDDEN_OTHER,
    FOREIGN,
    FREE,
    HIDDEN,
    HIDDEN_OTHER,
    LAST_AWARD_DAY,
    PERSON,
    PERSON_FORMAT_WEIGHTS,
    PERSON_FORMATS,
    PLACEHOLDER_SUPPLIER_SHARE,
    ROW_FINAL,
    ROW_OLD,
    ROW_OLD_AWARD,
    TAG_DIRECT,
    Entities,
    Model,
    Panel,
    Processes,
    Suppliers,
    Truth,
    plant_weights,
    rank_in_group,
    selection_days,
    year_of,
)
from simulator.processes.relations import (
    HETEROGENEOUS_MIN_WORLD,
    WinnerSharePlan,
    background_categories,
    choose_winner_share_plan,
    clear_winner_windows,
    heterogeneous_plants,
    quiet_winner_share,
    winner_share_plants,
)
from simulator.processes.rules import (
    BACKGROUND_MAX,
    BACKGROUND_PAIR_GAP,
    BIG_FLOOR,
    COMPETITIVE,
    LOW_CEILING,
    MIN_SUBMISSION_DAYS,
)
from simulator.vocabulary import (
    AMOUNT_FRACTIONS,
    AWARDED_STATE,
    CANCELLED_STATE,
    CITIES,
    COMPANY_HEADS,
    COMPANY_QUALIFIERS,
    COMPANY_TAILS,
    CONSORTIUM_HEADS,
    CONTRACT_TYPES,
    DIRECT_MODALITY,
    DOMESTIC_FORMS,
    DURATION_UNITS,
    FINAL_OPEN_STATES,
    FINAL_OPEN_WEIGHTS,
    FOREIGN_FORMS,
    LEGAL_FORM_NONE,
    MALE_NAMES,
    MANIFESTATION_MODALITIES,
    MODALITIES,
    OBJECTS,
    OLD_STATES,
    OLD_WEIGHTS,
    PURPOSES,
    SURNAMES,
)
from spark_jobs.identifiers import dian_check_digit

OLD_VERSION_SHARE = 0.15  # rows that are older versions of a process
AWARDED_SHARE = 0.45  # rows that are the final, awarded version of a process
AWARDS_PER_PLANTED_GROUP = 250
MIN_PLANTED_GROUPS = 5


def _background(
    rng: np.random.Generator,
    n: int,
    ents: Entities,
    first_supplier: int,
    panel: Panel,
    winner_plan: WinnerSharePlan,
    mixed: bool = False,
) -> tuple[Processes, int]:
    """Ordinary awards, at most BACKGROUND_MAX per (organisation, supplier, award year) and
    BACKGROUND_PAIR_GAP days apart for one (organisation, supplier): they never repeat or split. In a
    mixed world they may (no limit, simulator.processes.mixed's twins and thresholds).

    Returns the awards and the number of supplier ids used.
    """
    n_suppliers = max(100, n // 3)
    popularity = 1.0 / (rng.permutation(n_suppliers) + 10.0) ** 1.1
    supplier = rng.choice(n_suppliers, n, p=popularity / popularity.sum())
    entity = fill_panel(rng, rng.choice(len(ents), n, p=ents.weight), ents, panel)
    award = rng.integers(FIRST_AWARD_DAY, LAST_AWARD_DAY + 1, n)
    entity = clear_winner_windows(rng, entity, award, ents, plant_weights(ents, panel.orgs()), winner_plan)
    placeholder = rng.random(n) < PLACEHOLDER_SUPPLIER_SHARE

    pair = ents.org[entity].astype(np.int64) * n_suppliers + supplier
    group = pair * 100 + year_of(award) - 2000
    group[placeholder] = -1 - np.arange(placeholder.sum())  # placeholder awards never group
    overflow = (rank_in_group(group) >= BACKGROUND_MAX) & (not mixed)
    supplier[overflow] = n_suppliers + np.arange(overflow.sum())  # fresh single-award suppliers
    used = n_suppliers + int(overflow.sum())

    pair = np.where(overflow | placeholder, -1 - np.arange(n), pair)
    order = np.lexsort((award, pair))
    close = np.zeros(n, bool)
    close[order[1:]] = (
        (pair[order[1:]] == pair[order[:-1]])
        & (award[order[1:]] - award[order[:-1]] < BACKGROUND_PAIR_GAP)
        & (not mixed)
    )
    supplier[close] = used + np.arange(close.sum())
    used += int(close.sum())

    supplier = np.where(placeholder, -1, first_supplier + supplier)
    hide = rng.choice(3, n, p=BACKGROUND_HIDE_WEIGHTS)
    procs = Processes.make(entity, supplier, award, award - selection_days(rng, n), hide)
    return (mix_background(rng, procs, LAST_AWARD_DAY) if mixed else procs), used


def _unawarded(rng: np.random.Generator, n: int, ents: Entities) -> Processes:
    entity = rng.choice(len(ents), n, p=ents.weight)
    pub = rng.integers(FIRST_AWARD_DAY, LAST_AWARD_DAY + 1, n)
    none = np.full(n, -1)
    return Processes.make(entity, none, none, pub, np.zeros(n), awarded=False)


def _build_processes(
    rng: np.random.Generator, rows: int, ents: Entities, mixed: bool
) -> tuple[Processes, Truth, int, int, int, Panel, list[int]]:
    """All processes, the planted truth, supplier count, dedicated-supplier count, older-version rows,
    the direct-award-share panel and the dedicated suppliers that must be persons."""
    n_old = round(rows * OLD_VERSION_SHARE)
    n_awarded = round(rows * AWARDED_SHARE)
    n_groups = max(MIN_PLANTED_GROUPS, round(n_awarded / AWARDS_PER_PLANTED_GROUP))
    panel = choose_panel(rng, ents, n_awarded)
    weight = plant_weights(ents, panel.planted)  # plants stay out of the planted organisations
    planted, truth = planted_repeat_awards(rng, n_groups, ents, weight, 0)
    near = near_misses(rng, max(2, n_groups // 2), ents, weight, n_groups)
    first = int(Processes.concat([planted, *near]).supplier.max()) + 1
    n_fire = int(np.clip(round(n_awarded / 150), 5, 20))
    persons: list[int] = []
    special = Processes.concat([planted, *near, *award_plants(rng, n_fire, ents, weight, first, persons)])
    if n_awarded >= HETEROGENEOUS_MIN_WORLD:
        special = Processes.concat([special, *heterogeneous_plants(rng, ents, weight, int(special.supplier.max()) + 1)])
    winner_plan = choose_winner_share_plan(rng, ents, plant_weights(ents, panel.orgs()), special)
    winner = winner_share_plants(rng, winner_plan, int(special.supplier.max()) + 1)
    special = Processes.concat([special, winner])
    n_special_suppliers = int(special.supplier.max()) + 1
    background, n_background_suppliers = _background(
        rng, n_awarded - int(special.awarded.sum()), ents, n_special_suppliers, panel, winner_plan, mixed
    )
    n_suppliers = n_special_suppliers + n_background_suppliers
    n_stale = int(special.old_award.sum())
    unawarded = _unawarded(rng, rows - n_old - n_awarded - n_stale, ents)
    procs = Processes.concat([special, background, unawarded])
    return procs, truth, n_suppliers, n_special_suppliers, n_old, panel, persons


def _build_suppliers(
    rng: np.random.Generator, n: int, n_special: int, ents: Entities, persons: list[int] | None = None
) -> Suppliers:
    """Suppliers with unique documents and codes; the first n_special are never foreign, `persons` are
    natural persons."""
    kind = rng.choice(3, n, p=[0.62, 0.37, 0.01]).astype(np.uint8)
    kind[:n_special] = rng.choice(2, n_special, p=[0.6, 0.4])
    kind[np.asarray(persons or [], np.int64)] = PERSON
    company, person, foreign = kind == COMPANY, kind == PERSON, kind == FOREIGN
    ten_digits = person & (rng.random(n) < 0.4)

    doc = np.zeros(n, np.int64)
    pool = rng.choice(102_000_000, company.sum() + len(ents), replace=False) + 800_000_000
    doc[company] = pool[~np.isin(pool, ents.nit)][: company.sum()]  # never an entity's NIT
    doc[person & ~ten_digits] = rng.choice(99_900_000, (person & ~ten_digits).sum(), replace=False) + 100_000
    doc[ten_digits] = rng.choice(100_000_000, ten_digits.sum(), replace=False) + 1_000_000_000
    doc[foreign] = rng.integers(10**9, 2 * 10**10, foreign.sum())
    dv = np.zeros(n, np.uint8)
    dv[company] = np.fromiter((dian_check_digit(str(d)) for d in doc[company]), np.uint8, company.sum())

    consortium = np.isin(np.arange(len(COMPANY_HEADS)), [COMPANY_HEADS.index(h) for h in CONSORTIUM_HEADS])
    head = rng.integers(0, len(COMPANY_HEADS), n)
    form = np.where(foreign, rng.choice(FOREIGN_FORMS, n), rng.choice(DOMESTIC_FORMS, n))
    company_pieces = np.stack(
        [
            head,
            rng.integers(0, len(COMPANY_TAILS), n),
            np.where(rng.random(n) < 0.3, rng.integers(1, len(COMPANY_QUALIFIERS), n), 0),
            np.where(consortium[head], LEGAL_FORM_NONE, form),
        ],
        axis=1,
    )
    gender = rng.integers(0, 2, n) * len(MALE_NAMES)  # offset of the person's half of FIRST_NAMES
    person_pieces = np.stack(
        [
            gender + rng.integers(0, len(MALE_NAMES), n),
            np.where(rng.random(n) < 0.6, 1 + gender + rng.integers(0, len(MALE_NAMES), n), 0),
            rng.integers(0, len(SURNAMES), n),
            rng.integers(0, len(SURNAMES), n),
        ],
        axis=1,
    )
    return Suppliers(
        kind=kind,
        doc=doc,
        dv=dv,
        code=rng.choice(9_900_000, n, replace=False) + 100_000,
        pieces=np.where(person[:, None], person_pieces, company_pieces).astype(np.uint8),
        city=np.where(rng.random(n) < 0.6, rng.integers(0, len(CITIES), n), -1).astype(np.int16),
    )


def _weighted(rng: np.random.Generator, table: tuple, n: int) -> np.ndarray:
    weights = np.array([row[-1] for row in table])
    return rng.choice(len(table), n, p=weights / weights.sum()).astype(np.uint8)


def _document_formats(rng: np.random.Generator, procs: Processes, sup: Suppliers) -> np.ndarray:
    """Format code of each process's supplier document: random by kind, rotating inside planted groups."""
    n, cyc = len(procs.entity), procs.cycle
    kind = sup.kind[np.maximum(procs.supplier, 0)]
    company = np.where(cyc >= 0, cyc % COMPANY_FORMATS, rng.choice(COMPANY_FORMATS, n, p=COMPANY_FORMAT_WEIGHTS))
    person = COMPANY_FORMATS + np.where(
        cyc >= 0, cyc % PERSON_FORMATS, rng.choice(PERSON_FORMATS, n, p=PERSON_FORMAT_WEIGHTS)
    )
    return np.select(
        [procs.supplier < 0, procs.hide == HIDDEN, procs.hide == HIDDEN_OTHER, kind == FOREIGN, kind == PERSON],
        [FMT_HIDDEN, FMT_HIDDEN, FMT_HIDDEN_OTHER, FMT_FOREIGN, person],
        company,
    ).astype(np.uint8)


COMPETITIVE_FACTORS = ((0.55, 0.97), (1.01, 1.1))  # award / base price of competitive background awards


def _low_ceiling_for_big(procs: Processes, modality: np.ndarray) -> np.ndarray:
    """`modality` with each free big award (a planted repeat group's, over BIG_FLOOR) of a modality with a
    higher contract-splitting ceiling (selección abreviada de menor cuantía) moved to the first competitive
    modality with the default ceiling: the same competition (direct_award_share is unchanged), no split."""
    modality = modality.copy()
    moved = procs.big & (procs.modality < 0) & ~LOW_CEILING[modality]
    modality[moved] = np.flatnonzero(COMPETITIVE & LOW_CEILING & (np.array([m[3] for m in MODALITIES]) > 0))[0]
    return modality


def _build_attrs(
    rng: np.random.Generator, procs: Processes, ents: Entities, sup: Suppliers, panel: Panel, mixed: bool
) -> dict[str, np.ndarray]:
    """Per-process attributes that only shape the rendering (same for every version of a process).

    Fixed attributes of planted processes win; the background's make no process-level indicator fire:
    a competitive award has at least two unique bidders, the modality's minimum days to submit offers
    and an award / base price ratio outside CLOSE_TO_BASE.
    """
    n = len(procs.entity)
    bears_award = procs.awarded | procs.old_award
    modality = _weighted(rng, MODALITIES, n)
    modality[procs.direct & (rng.random(n) < 0.6)] = DIRECT_MODALITY
    fixed = procs.modality >= 0
    modality[fixed] = procs.modality[fixed]
    modality = balance_direct_share(rng, procs, ents, modality, panel)
    modality = _low_ceiling_for_big(procs, modality)
    competitive = COMPETITIVE[modality]
    competitive_award = bears_award & competitive

    unit = _weighted(rng, DURATION_UNITS, n)
    unit_max = np.array([u[1] for u in DURATION_UNITS])[unit]
    raw = np.exp(rng.normal(np.log(30e6), 1.5, n)).clip(3e5, 8e10)
    factor = np.where(rng.random(n) < 0.3, 1.0, rng.uniform(0.55, 1.0, n))
    above = rng.random(n) < 0.03  # a few awards above the base price
    factor[above] = rng.uniform(1.0, 1.1, above.sum())
    (low, high), (low_above, high_above) = COMPETITIVE_FACTORS
    safe = np.where(rng.random(n) < 0.9, rng.uniform(low, high, n), rng.uniform(low_above, high_above, n))
    factor = np.where(competitive_award, safe, factor)
    value = np.where(bears_award, (raw * factor).round(), 0)
    small = procs.big & (value < BIG_FLOOR)  # planted repeat groups never split a contract
    value[small] = (BIG_FLOOR * rng.uniform(1.0, 4.0, small.sum())).round()
    fixed_value = procs.value >= 0
    value[fixed_value] = procs.value[fixed_value]
    if not mixed:
        value = quiet_winner_share(procs, ents, value, fixed_value)
    base = np.where(rng.random(n) < 0.02, 0, (value / factor).round()).astype(np.int64)
    base = np.where(bears_award, base, np.where(rng.random(n) < 0.02, 0, raw.round())).astype(np.int64)
    fixed_base = procs.base >= 0
    base[fixed_base] = procs.base[fixed_base]
    exact = fixed_value | fixed_base

    responses = np.where(bears_award, 1 + rng.geometric(0.35, n), rng.integers(0, 4, n)).clip(0, 60)
    unique = (1 + rng.random(n) * responses).astype(np.int64).clip(0, responses)
    unique = np.where(competitive_award, np.maximum(unique, 2), unique)
    responses = np.maximum(responses, unique)
    unique = np.where(procs.unique != FREE, procs.unique, unique)  # NULL stays: rendered null
    responses = np.where(procs.responses != FREE, procs.responses, responses)
    reception = np.where(competitive, MIN_SUBMISSION_DAYS[modality] + rng.integers(0, 26, n), rng.integers(3, 30, n))
    reception = np.where(procs.reception != FREE, procs.reception, reception)

    by_publication = np.argsort(procs.pub_day, kind="stable")
    cyc = procs.cycle
    return {
        "modality": modality,
        "contract": _weighted(rng, CONTRACT_TYPES, n),
        "object": rng.integers(0, len(OBJECTS), n, dtype=np.uint8),
        "purpose": rng.integers(0, len(PURPOSES), n, dtype=np.uint8),
        "category": background_categories(rng, procs, mixed),
        "duration_unit": unit,
        "duration": (1 + rng.random(n) * unit_max).astype(np.int16),
        "lots": np.where(rng.random(n) < 0.05, rng.integers(2, 7, n), 0).astype(np.uint8),
        "ref_style": rng.choice(3, n, p=[0.6, 0.25, 0.15]).astype(np.uint8),
        "ref_seq": rng.integers(1, 400, n, dtype=np.int16),
        "ref_phase": rng.random(n) < 0.15,
        "base": base,
        "base_frac": np.where(
            (base > 0) & ~exact & (rng.random(n) < 0.03), rng.integers(1, len(AMOUNT_FRACTIONS), n), 0
        ),
        "value": value.astype(np.int64),
        "value_frac": np.where(~exact & (rng.random(n) < 0.05), rng.integers(1, len(AMOUNT_FRACTIONS), n), 0).astype(
            np.uint8
        ),
        "responses": responses.astype(np.int16),
        "unique_bidders": unique.astype(np.int16),
        "interested": np.where(np.isin(modality, MANIFESTATION_MODALITIES), rng.integers(0, 15, n), 0).astype(np.uint8),
        "reception": reception.astype(np.int16),
        "req": increasing_ids(rng, by_publication, 1_000_000, 90_000_000),
        "bdos": increasing_ids(rng, by_publication, 900_000, 90_000_000),
        "ntc": increasing_ids(rng, by_publication, 1_000_000, 90_000_000),
        "award_id": increasing_ids(rng, np.argsort(procs.award_day, kind="stable"), 1_000_000, 90_000_000),
        "sup_fmt": _document_formats(rng, procs, sup),
        "ent_glue": np.where(cyc >= 0, cyc % 2 == 0, rng.random(n) < ents.glue_rate[procs.entity]),
        "ent_var": np.where(
            cyc >= 0,
            (cyc // 2 + cyc) % len(ENTITY_NAME_WEIGHTS),
            rng.choice(len(ENTITY_NAME_WEIGHTS), n, p=ENTITY_NAME_WEIGHTS),
        ).astype(np.uint8),
    }


def _build_rows(rng: np.random.Generator, procs: Processes, n_old: int) -> dict[str, np.ndarray]:
    """One final row per process plus older versions, strictly earlier by at least a day, shuffled."""
    n = len(procs.entity)
    stale = np.flatnonzero(procs.old_award)
    old_proc = np.concatenate([rng.integers(0, n, n_old - len(stale)), stale])
    old_kind = np.concatenate([np.full(n_old - len(stale), ROW_OLD), np.full(len(stale), ROW_OLD_AWARD)])
    order = np.lexsort((old_kind, old_proc))  # a stale award is the newest older version of its process
    old_proc, old_kind = old_proc[order], old_kind[order]
    version = rank_in_group(old_proc)
    versions = np.bincount(old_proc, minlength=n)

    old_last = procs.pub_day[old_proc] + version
    old_last = np.where(old_kind == ROW_OLD_AWARD, np.maximum(old_last, procs.award_day[old_proc]), old_last)
    anchor = np.where(procs.awarded, procs.award_day, np.where(procs.old_award, procs.award_day + 1, procs.pub_day))
    final_last = np.maximum(procs.pub_day + versions, anchor) + rng.integers(0, 15, n)

    final_state = np.where(
        procs.awarded,
        AWARDED_STATE,
        np.where(procs.old_award, CANCELLED_STATE, rng.choice(FINAL_OPEN_STATES, n, p=FINAL_OPEN_WEIGHTS)),
    )
    old_state = np.where(old_kind == ROW_OLD_AWARD, AWARDED_STATE, rng.choice(OLD_STATES, len(old_proc), p=OLD_WEIGHTS))
    shuffle = rng.permutation(n + len(old_proc))
    return {
        "proc": np.concatenate([np.arange(n), old_proc]).astype(np.int32)[shuffle],
        "kind": np.concatenate([np.full(n, ROW_FINAL), old_kind]).astype(np.uint8)[shuffle],
        "last_day": np.concatenate([final_last, old_last]).astype(np.int32)[shuffle],
        "state": np.concatenate([final_state, old_state]).astype(np.uint8)[shuffle],
    }


def _truth_groups(truth: Truth, ents: Entities, sup: Suppliers) -> dict[tuple[str, str, int], int]:
    return {
        (str(ents.nit[u]), sup.key(s, bool(c)), int(y)): int(k)
        for u, s, y, k, c in zip(truth.unit, truth.supplier, truth.year, truth.size, truth.code_only, strict=True)
    }


def build_model(rows: int, seed: int, mixed: bool = False) -> Model:
    """The model of `rows` process rows; `mixed`: a background that may fire (simulator.processes.mixed)."""
    rng = np.random.default_rng(seed)
    ents = build_entities(rng, rows)
    procs, truth, n_suppliers, n_special, n_old, panel, persons = _build_processes(rng, rows, ents, mixed)
    sup = _build_suppliers(rng, n_suppliers, n_special, ents, persons)
    attrs = _build_attrs(rng, procs, ents, sup, panel, mixed)
    # Every award of a planted organisation is non-competitive: direct_award_share flags them all.
    procs.tag[procs.awarded & np.isin(ents.org[procs.entity], panel.planted)] = TAG_DIRECT
    return Model(
        entities=ents,
        suppliers=sup,
        procs=procs,
        attrs=attrs,
        rows=_build_rows(rng, procs, n_old),
        truth=_truth_groups(truth, ents, sup),
        panel=panel,
    )
