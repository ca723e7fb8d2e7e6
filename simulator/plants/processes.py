"""Cases planted in the processes themselves: repeat awards, single bidder, short submission period,
award close to the base price and contract splitting, next to their near-misses."""

from __future__ import annotations

import numpy as np

from simulator.processes.model import (
    AWARD_YEARS,
    CODE_ONLY_SHARE,
    FIRST_AWARD_DAY,
    HIDDEN,
    LAST_AWARD_DAY,
    NULL,
    TAG_CLOSE,
    TAG_CLOSE_NEAR,
    TAG_REPEAT,
    TAG_REPEAT_NEAR,
    TAG_SHORT,
    TAG_SHORT_NEAR,
    TAG_SINGLE,
    TAG_SINGLE_NEAR,
    TAG_SPLIT,
    TAG_SPLIT_NEAR,
    VISIBLE,
    Entities,
    Processes,
    Truth,
    day_in_year,
    expand,
    selection_days,
    year_start,
)
from simulator.processes.rules import (
    COMPETITIVE_MODALITIES,
    REPEAT_AWARDS_MIN,
    SPLITTING_SMMLV,
    SPLITTING_WINDOW_DAYS,
    splitting_threshold,
)
from simulator.vocabulary import (
    CD,
    CD_UPPER,
    CMA,
    LP,
    LP_WORKS,
    MC,
    MC_UPPER,
    RE,
    RE_OFFERS,
    SAMC,
    SAMC_NO_INTEREST,
    SASI,
)


def planted_repeat_awards(
    rng: np.random.Generator, n_groups: int, ents: Entities, weight: np.ndarray, first_supplier: int
) -> tuple[Processes, Truth]:
    """Firing groups: 3-8 awards of one organisation to one dedicated supplier in one award year.

    Their values are above the contract-splitting threshold, so the group never splits a contract.
    """
    sizes = rng.integers(REPEAT_AWARDS_MIN, 9, n_groups)
    group, pos = expand(sizes)
    unit = rng.choice(len(ents), n_groups, p=weight)
    year = rng.choice(AWARD_YEARS, n_groups)
    award = day_in_year(rng, year[group])
    pub = award - selection_days(rng, len(group))
    # Half the groups open with an award in early January that was published the December before.
    january = (rng.random(n_groups) < 0.5)[group] & (pos == 0)
    award[january] = day_in_year(rng, year[group][january], 0, 9)
    pub[january] = year_start(year[group][january]) - rng.integers(1, 25, january.sum())
    code_only = rng.random(n_groups) < CODE_ONLY_SHARE
    code_only[:2] = True, False  # at least one group of each kind
    procs = Processes.make(
        ents.siblings(rng, unit[group]),
        first_supplier + group,
        award,
        pub,
        np.where(code_only[group], HIDDEN, VISIBLE),
        cycle=pos + rng.integers(0, 8, n_groups)[group],
        direct=True,
        tag=TAG_REPEAT,
        big=True,
    )
    return procs, Truth(unit, first_supplier + np.arange(n_groups), year, sizes, code_only)


def near_misses(
    rng: np.random.Generator, n: int, ents: Entities, weight: np.ndarray, first_supplier: int
) -> list[Processes]:
    """Groups that must not fire, each with its own dedicated supplier(s) and n groups per kind.

    pair: exactly 2 awards in a year; split: 2 awards in December and 1 in the next January, all
    published in the first year; stale: 2 awards plus a process whose older version is an award but
    whose final version is not; spread: 3 awards from 3 organisations; nobody: 3 awards of one
    organisation to the placeholder supplier.
    """
    parts: list[Processes] = []
    next_supplier = first_supplier

    def groups(size: int, years: np.ndarray = AWARD_YEARS) -> dict[str, np.ndarray]:
        """Members of n groups: position, dedicated supplier, award year, unit, document visibility."""
        nonlocal next_supplier
        group, pos = expand(np.full(n, size))
        members = {
            "pos": pos,
            "supplier": next_supplier + group,
            "year": rng.choice(years, n)[group],
            "unit": rng.choice(len(ents), n, p=weight)[group],
            "hide": np.where(rng.random(n) < 0.5, HIDDEN, VISIBLE)[group],
        }
        next_supplier += n
        return members

    def make(g: dict[str, np.ndarray], award: np.ndarray, pub: np.ndarray | None = None, **kwargs) -> Processes:
        pub = award - selection_days(rng, len(award)) if pub is None else pub
        cycle = g["pos"] + rng.integers(0, 8, len(award))
        return Processes.make(
            g["unit"], g["supplier"], award, pub, g["hide"], cycle=cycle, tag=TAG_REPEAT_NEAR, big=True, **kwargs
        )

    def subset(g: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
        return {k: v[mask] for k, v in g.items()}

    pair = groups(2)
    parts.append(make(pair, day_in_year(rng, pair["year"])))

    split = groups(3, AWARD_YEARS[:-1])
    late, year = split["pos"] == 2, split["year"]
    award = np.where(late, day_in_year(rng, year + 1, 0, 19), day_in_year(rng, year, 305, 364))
    pub = np.where(
        late, year_start(year + 1) - rng.integers(1, 20, len(award)), award - selection_days(rng, len(award))
    )
    parts.append(make(split, award, pub))

    stale = groups(3)
    stale["award"] = day_in_year(rng, stale["year"])
    final = stale["pos"] < 2
    parts.append(make(subset(stale, final), stale["award"][final]))
    parts.append(make(subset(stale, ~final), stale["award"][~final], awarded=False, old_award=True))

    spread = groups(3)
    spread["unit"] = np.concatenate([distinct_org_units(rng, ents, weight, 3) for _ in range(n)])
    parts.append(make(spread, day_in_year(rng, spread["year"])))

    nobody = groups(3)
    award = day_in_year(rng, nobody["year"])
    none = np.full(len(award), -1)
    parts.append(
        Processes.make(nobody["unit"], none, award, award - 5, np.full(len(award), HIDDEN), tag=TAG_REPEAT_NEAR)
    )
    return parts


def distinct_org_units(rng: np.random.Generator, ents: Entities, weight: np.ndarray, k: int) -> np.ndarray:
    """k units of k different organisations."""
    while True:
        units = rng.choice(len(ents), k, replace=False, p=weight)
        if len(np.unique(ents.org[units])) == k:
            return units


def award_plants(
    rng: np.random.Generator,
    n_fire: int,
    ents: Entities,
    weight: np.ndarray,
    first_supplier: int,
    person_suppliers: list[int],
) -> list[Processes]:
    """Awards planted for the process-level indicators, each supplier dedicated to its plant.

    single_bidder fires on competitive awards with one unique bidder (or, unique bidders unknown, one
    response); near-misses: one bidder in direct contracting (also spelled in capitals), unknown unique
    bidders with two responses. short_submission_period fires under each modality's minimum; near-misses
    sit exactly on it (or use a direct modality). award_close_to_base_price fires at ratios 1, 0.99,
    0.995 and exactly 0.98; near-misses one peso outside the band, a direct award at ratio 1 and a zero
    base price. contract_splitting (dates, values and modalities pinned) fires on 2-3 small awards within 30
    days (boundary included, across a new year, across units of one organisation, at the 280-SMMLV ceiling of
    selección abreviada de menor cuantía); near-misses: 31 days apart, a sum exactly at the threshold, one
    award at the threshold, two organisations, two suppliers, the placeholder supplier, the January half of
    a pair that fires for its December half (a higher wage), a menor-cuantía pair above the mínima-cuantía
    ceiling only, a pair of two ceilings.
    """
    parts: list[Processes] = []
    next_supplier = first_supplier

    def suppliers(n: int) -> np.ndarray:
        nonlocal next_supplier
        next_supplier += n
        return np.arange(next_supplier - n, next_supplier)

    def plant(tag: int, n: int, **fixed) -> None:
        """n awards to n dedicated suppliers on random days, with fixed attributes (arrays of n or scalars)."""
        unit = fixed.pop("unit", None)
        unit = rng.choice(len(ents), n, p=weight) if unit is None else unit
        supplier = fixed.pop("supplier", None)
        supplier = suppliers(n) if supplier is None else supplier
        award = fixed.pop("award", None)
        award = rng.integers(FIRST_AWARD_DAY + 60, LAST_AWARD_DAY - 60 + 1, n) if award is None else award
        hide = fixed.pop("hide", np.where(rng.random(n) < 0.5, HIDDEN, VISIBLE))
        hide = np.broadcast_to(hide, (n,)).copy()
        hide[np.asarray(supplier) < 0] = HIDDEN
        pub = award - selection_days(rng, n)
        parts.append(Processes.make(unit, np.asarray(supplier), award, pub, hide, tag=tag, **fixed))

    def cycled(values: list, n: int) -> np.ndarray:
        return np.array([values[i % len(values)] for i in range(n)])

    competitive = [int(m) for m in COMPETITIVE_MODALITIES]
    # single_bidder: (unique bidders, responses)
    bidders = cycled([(1, 1), (1, 3), (NULL, 1)], n_fire)
    plant(TAG_SINGLE, n_fire, modality=cycled(competitive, n_fire), unique=bidders[:, 0], responses=bidders[:, 1])
    near = np.array([(CD, 1, 1), (CD_UPPER, 1, 1), (RE_OFFERS, 1, 2), (LP, NULL, 2), (MC, NULL, 2)])
    plant(TAG_SINGLE_NEAR, len(near), modality=near[:, 0], unique=near[:, 1], responses=near[:, 2])

    # short_submission_period: (modality, days from publication to the offer deadline)
    short = cycled([(LP, 10), (SASI, 2), (MC, 0), (CMA, 14), (SAMC, 5), (MC_UPPER, 0), (LP_WORKS, 7)], n_fire)
    plant(TAG_SHORT, n_fire, modality=short[:, 0], reception=short[:, 1])
    near = np.array([(LP, 15), (SASI, 3), (MC, 1), (MC_UPPER, 1), (SAMC_NO_INTEREST, 15), (CD, 2), (RE, 0)])
    plant(TAG_SHORT_NEAR, len(near), modality=near[:, 0], reception=near[:, 1])

    # award_close_to_base_price: base prices in whole hundreds of thousands, exact ratios
    base = (np.exp(rng.normal(np.log(300), 1.0, n_fire)).clip(5, 50_000)).astype(np.int64) * 100_000
    per_thousand = cycled([1000, 980, 990, 995], n_fire)
    plant(TAG_CLOSE, n_fire, modality=cycled(competitive, n_fire), base=base, value=base // 1000 * per_thousand)
    base = (np.exp(rng.normal(np.log(300), 1.0, 4)).clip(5, 50_000)).astype(np.int64) * 100_000
    plant(
        TAG_CLOSE_NEAR,
        4,
        modality=np.array([LP, SASI, CD, MC]),
        base=np.array([base[0], base[1], base[2], 0]),
        value=np.array([base[0] // 100 * 98 - 1, base[1] + 1, base[2], base[3]]),
    )

    # Big awards (600M-4,000M) to dedicated suppliers showing their document, not planted themselves: the
    # registers of simulator.datasets plant new suppliers' big awards on them, even in a small world.
    value = np.exp(rng.uniform(np.log(6e8), np.log(4e9), n_fire)).round().astype(np.int64)
    plant(-1, n_fire, value=value, hide=VISIBLE)
    # Persons awarded three times (March-October of three years, any organisations: never repeated nor
    # split), showing their id: candidates for the person registers (PEP, sensitive posts, SIRI).
    persons = suppliers(2 * n_fire)
    years = np.array([rng.choice(AWARD_YEARS, 3, replace=False) for _ in persons]).ravel()
    plant(-1, 3 * len(persons), supplier=np.repeat(persons, 3), award=day_in_year(rng, years, 60, 300), hide=VISIBLE)
    person_suppliers.extend(persons.tolist())

    # contract_splitting: days relative to a mid-year day or to 1 January of the next year, values as shares of
    # the ceiling (mínima cuantía unless stated: 28 minimum wages of the award year); each case one unit and one
    # dedicated supplier unless stated.
    for _ in range(max(1, n_fire // 6)):
        year = rng.choice(AWARD_YEARS[1:-1])
        mid = int(year_start(year)) + int(rng.integers(60, 250))
        new_year = int(year_start(year + 1))
        low, high = (int(splitting_threshold(day, SPLITTING_SMMLV[m])) for day, m in ((mid, MC), (mid, SAMC)))
        next_low = int(splitting_threshold(new_year, SPLITTING_SMMLV[MC]))  # the next year's: a higher wage

        def split(tag: int, days: list[int], pesos: list[float], **fixed) -> None:
            n = len(days)
            unit = np.resize(fixed.pop("unit") if "unit" in fixed else rng.choice(len(ents), 1, p=weight), n)
            supplier = np.resize(fixed.pop("supplier") if "supplier" in fixed else suppliers(1), n)
            hide = fixed.pop("hide", HIDDEN if rng.random() < 0.5 else VISIBLE)  # one supplier key per case
            modality = fixed.pop("modality", MC)
            value = np.array(pesos).astype(np.int64)
            plant(tag, n, unit=unit, supplier=supplier, award=np.array(days), value=value, hide=hide, modality=modality)

        def shared() -> dict:  # one unit and supplier for a case planted in two calls (two roles)
            hide = HIDDEN if rng.random() < 0.5 else VISIBLE
            return {"unit": rng.choice(len(ents), 1, p=weight), "supplier": suppliers(1), "hide": hide}

        split(TAG_SPLIT, [mid, mid + 5], [0.55 * low] * 2)
        split(TAG_SPLIT, [mid, mid + SPLITTING_WINDOW_DAYS], [0.52 * low, 0.5 * low])
        split(TAG_SPLIT, [new_year - 7, new_year + 5, new_year + 18], [f * next_low for f in (0.4, 0.35, 0.38)])
        # 25 then 31 days apart: the last is alone
        case = shared()
        split(TAG_SPLIT, [new_year - 22, new_year + 3], [0.25 * next_low, 0.8 * next_low], **case)
        split(TAG_SPLIT_NEAR, [new_year + 34], [0.15 * next_low], **case)
        # The same pair across 1 January, together exactly the new year's ceiling: above the old year's (the
        # December award fires), not above the new one's (the January award does not).
        case = shared()
        split(TAG_SPLIT, [new_year - 3], [next_low // 2], **case)
        split(TAG_SPLIT_NEAR, [new_year + 3], [next_low // 2], **case)
        multi = np.flatnonzero((np.bincount(ents.org)[ents.org] > 1) & (weight > 0))
        if len(multi):  # two units of one organisation (one NIT)
            units = rng.choice(np.flatnonzero(ents.org == ents.org[rng.choice(multi)]), 2, replace=False)
            split(TAG_SPLIT, [mid + 40, mid + 43], [0.55 * low] * 2, unit=units)
        else:
            split(TAG_SPLIT, [mid + 40, mid + 43], [0.55 * low] * 2)
        # Selección abreviada de menor cuantía has its own ceiling (280 minimum wages): pairs worth 1.1 of it, to
        # the heaviest buyers (a small one would give its supplier most of its value: winner_share_of_buyer).
        heavy = np.argsort(-weight, kind="stable")[:3]
        split(TAG_SPLIT, [mid, mid + 5], [0.55 * high] * 2, modality=SAMC, unit=rng.choice(heavy, 1))
        split(
            TAG_SPLIT, [mid, mid + 9], [0.6 * high, 0.45 * high], modality=SAMC_NO_INTEREST, unit=rng.choice(heavy, 1)
        )
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [0.55 * low] * 2, modality=SAMC)  # above the mínima cuantía only
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [0.55 * low] * 2, modality=np.array([MC, SAMC]))  # two ceilings
        split(TAG_SPLIT_NEAR, [mid, mid + SPLITTING_WINDOW_DAYS + 1], [0.55 * low] * 2)
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [low // 2] * 2)
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [low, 0.55 * low])
        split(TAG_SPLIT_NEAR, [mid, mid + 3], [0.55 * low] * 2, unit=distinct_org_units(rng, ents, weight, 2))
        split(TAG_SPLIT_NEAR, [mid, mid + 3], [0.55 * low] * 2, supplier=np.full(2, -1))
        split(TAG_SPLIT_NEAR, [mid, mid + 2], [0.55 * low] * 2, supplier=suppliers(2))
    return parts
