"""The relational flags of issue 24 in the processes: heterogeneous_supplier and winner_share_of_buyer.

heterogeneous_supplier: every unplanted award's category is in BACKGROUND_SEGMENTS (two UNSPSC segments),
so every compared supplier has at most two segments and the population's fence is 2 (Q1 = Q3 = 2); planted
suppliers with at least the minimum awards span every segment (fire), four more span exactly the two
background segments with five codes (near: equal to the fence; they also keep the population at its
minimum in a small world), and one spans every segment with one award too few (near: not compared). A
world of fewer than HETEROGENEOUS_MIN_WORLD awards has no room for them: nothing is planted.

winner_share_of_buyer: three organisations get, on otherwise empty windows (their background awards in
them moved to other organisations, `clear_winner_windows`), WINNER_MIN_AWARDS pinned awards of FILLER_VALUE
to dedicated suppliers on consecutive days, then a pinned award of a dedicated supplier: worth the fillers'
total plus the least that the share's 6 decimals show (fire: 0.500001, and so do its two later awards of
FILLER_VALUE), exactly their total (near: 0.5), or their total plus one peso after two fillers fewer (near:
19 awards, too few). A background supplier that could take more than
half of an organisation's window is scaled down (`quiet_winner_share`, a bound that holds whatever day a
contract is signed and for 0.9-1.05 times the awarded value).

A mixed world keeps the plants but not the quiet: its background supplier may take most of a window, and
some of its categories come from MIXED_SEGMENTS (the background's two and the next six): MIXED_ANY_SEGMENT of
a narrow supplier's or of a wide one's (a MIXED_WIDE_SUPPLIERS share of them), so that wide ones fire too.
They are as many segments, S, as keep the fence under the firing plant's 19 whatever the population: every
other compared supplier spans 1..S of them, so Q1 >= 1, Q3 <= S (in a population of 5 or more the plant is
never at Q3's ranks) and the fence <= S + 1.5 (S - 1) = 18.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.plants.processes import distinct_org_units
from simulator.processes.model import (
    AWARD_YEARS,
    TAG_HETEROGENEOUS,
    TAG_HETEROGENEOUS_NEAR,
    TAG_WINNER_SHARE,
    TAG_WINNER_SHARE_FEW,
    TAG_WINNER_SHARE_NEAR,
    VISIBLE,
    Entities,
    Processes,
    day_in_year,
    selection_days,
    year_start,
)
from simulator.processes.rules import BIG_FLOOR, MAX_SIGNING_DELAY, VARS
from simulator.vocabulary import UNSPSC

HETEROGENEOUS_MIN_AWARDS: int = VARS["heterogeneous_supplier_min_awards"]
WINNER_SHARE: float = VARS["winner_share_min_share"]
WINNER_WINDOW_DAYS: int = VARS["winner_share_window_days"]
WINNER_MIN_AWARDS: int = VARS["winner_share_min_entity_awards"]

HETEROGENEOUS_MIN_WORLD = 800  # awarded processes (2,000 rows hold 900)
BACKGROUND_SEGMENTS = ("72", "80")
BACKGROUND_CODES = np.array([i for i, code in enumerate(UNSPSC) if code[:2] in BACKGROUND_SEGMENTS])
# One code of each segment, so that a supplier cycling through them covers every segment.
SEGMENT_CODES = np.array(sorted({code[:2]: i for i, code in enumerate(UNSPSC)}.values()))
SEGMENTS = sorted({code[:2] for code in UNSPSC})
# The most segments every other compared supplier may span for the upper fence to stay under all of them.
MIXED_SEGMENT_COUNT = max(s for s in range(1, len(SEGMENTS)) if s + 1.5 * (s - 1) < len(SEGMENTS))
MIXED_SEGMENTS = (
    BACKGROUND_SEGMENTS
    + tuple(s for s in SEGMENTS if s not in BACKGROUND_SEGMENTS)[: MIXED_SEGMENT_COUNT - len(BACKGROUND_SEGMENTS)]
)
MIXED_CODES = np.array([i for i, code in enumerate(UNSPSC) if code[:2] in MIXED_SEGMENTS])

# A contract is signed 0..MAX_SIGNING_DELAY days after the award for 0.9-1.05 times the awarded value (the
# few contracts the value_additions and new-supplier plants raise further are checked by the oracle).
LOWEST_CONTRACT_FACTOR, HIGHEST_CONTRACT_FACTOR = 0.9, 1.05
QUIET_SHARE = 0.45  # a background supplier found above the bound is scaled down to this share of it
LOWEST_VALUE, HIGHEST_VALUE = 300_000, 80_000_000_000  # the background's awarded values
MIXED_WIDE_SUPPLIERS = 0.12  # a mixed world's suppliers whose categories spread over MIXED_SEGMENTS
MIXED_ANY_SEGMENT = (0.01, 0.5)  # the share of a (narrow, wide) supplier's categories drawn from MIXED_SEGMENTS


def background_categories(rng: np.random.Generator, procs: Processes, mixed: bool = False) -> np.ndarray:
    """Each process's category: its fixed one, else a code of BACKGROUND_SEGMENTS; in a mixed world
    MIXED_ANY_SEGMENT of a narrow or a wide supplier's a code of MIXED_SEGMENTS (the wide ones span more
    segments, the busiest beyond the fence, which stays under the firing plant's segments)."""
    category = rng.choice(BACKGROUND_CODES, len(procs.entity)).astype(np.int16)
    if mixed:
        wide = rng.random(int(procs.supplier.max()) + 1) < MIXED_WIDE_SUPPLIERS
        share = np.take(MIXED_ANY_SEGMENT, wide[procs.supplier] & (procs.supplier >= 0))
        anywhere = rng.random(len(category)) < share
        category[anywhere] = rng.choice(MIXED_CODES, int(anywhere.sum()))
    return np.where(procs.category >= 0, procs.category, category).astype(np.uint8)


def heterogeneous_plants(
    rng: np.random.Generator, ents: Entities, weight: np.ndarray, first_supplier: int
) -> list[Processes]:
    """Dedicated suppliers' awards, one per (organisation, award year), values above the splitting
    threshold: 1 supplier over every segment (fire: a fifth of the smallest population, under its upper
    quartile), 4 over the background's two segments and 1 over every segment with one award too few (near)."""
    parts = []
    plants = [(TAG_HETEROGENEOUS, SEGMENT_CODES, HETEROGENEOUS_MIN_AWARDS + 1)]
    plants += [(TAG_HETEROGENEOUS_NEAR, BACKGROUND_CODES, HETEROGENEOUS_MIN_AWARDS)] * 4
    plants += [(TAG_HETEROGENEOUS_NEAR, SEGMENT_CODES, HETEROGENEOUS_MIN_AWARDS - 1)]
    for supplier, (tag, codes, n) in enumerate(plants, start=first_supplier):
        k = np.arange(n)
        units = distinct_org_units(rng, ents, weight, -(-n // len(AWARD_YEARS)))
        award = day_in_year(rng, AWARD_YEARS[k % len(AWARD_YEARS)])
        parts.append(
            Processes.make(
                units[k // len(AWARD_YEARS)],
                np.full(n, supplier),
                award,
                award - selection_days(rng, n),
                np.full(n, VISIBLE),
                tag=tag,
                big=True,
                category=codes[k % len(codes)],
            )
        )
    return parts


FILLER_VALUE = 60_000_000  # COP, above BIG_FLOOR (1.25 x the highest mínima-cuantía ceiling)
WINNER_TAGS = (TAG_WINNER_SHARE, TAG_WINNER_SHARE_NEAR, TAG_WINNER_SHARE_FEW)
# Days a planted window spans (fillers, then the plant), and the background days cleared around it: every
# award whose contract may be signed inside a window of the fillers or the plant.
PLANT_SPAN = WINNER_MIN_AWARDS + 1
LATER_AWARDS = 2  # the firing supplier's awards after the one that takes it over half: they fire too
CLEARED = (-WINNER_WINDOW_DAYS - MAX_SIGNING_DELAY, PLANT_SPAN + LATER_AWARDS + MAX_SIGNING_DELAY)


@dataclass(frozen=True)
class WinnerSharePlan:
    """The planted windows: one unit of another organisation each, and the day of its first filler."""

    unit: np.ndarray
    start: np.ndarray


def choose_winner_share_plan(
    rng: np.random.Generator, ents: Entities, weight: np.ndarray, special: Processes
) -> WinnerSharePlan:
    """A unit of 3 organisations each (by `weight`) whose window no other plant's award may reach."""
    # The plant on December 30th: the firing supplier's later awards on the 31st and on January 1st, so
    # that no award year holds 3 of its awards (repeat_awards).
    year = rng.choice(AWARD_YEARS[1:-1], len(WINNER_TAGS))
    start = year_start(year + 1) - 2 - (PLANT_SPAN - 1)
    special_org = ents.org[special.entity][special.awarded]
    special_day = special.award_day[special.awarded]
    for _ in range(1_000):
        unit = distinct_org_units(rng, ents, weight, len(WINNER_TAGS))
        reached = [
            np.any((special_org == ents.org[u]) & (special_day >= d + CLEARED[0]) & (special_day <= d + CLEARED[1]))
            for u, d in zip(unit.tolist(), start.tolist(), strict=True)
        ]
        if not any(reached):
            return WinnerSharePlan(unit, start)
    raise RuntimeError("generator bug: no organisation free for the winner_share_of_buyer plants")


def clear_winner_windows(
    rng: np.random.Generator,
    entity: np.ndarray,
    award: np.ndarray,
    ents: Entities,
    weight: np.ndarray,
    plan: WinnerSharePlan,
) -> np.ndarray:
    """Background award units with the awards of the planted windows' organisations around them moved to
    units of other organisations."""
    entity = entity.copy()
    orgs = ents.org[plan.unit]
    others = np.where(np.isin(ents.org, orgs), 0.0, weight)
    for org, start in zip(orgs.tolist(), plan.start.tolist(), strict=True):
        inside = (ents.org[entity] == org) & (award >= start + CLEARED[0]) & (award <= start + CLEARED[1])
        entity[inside] = rng.choice(len(ents), int(inside.sum()), p=others / others.sum())
    return entity


def winner_share_plants(rng: np.random.Generator, plan: WinnerSharePlan, first_supplier: int) -> Processes:
    """The fillers (role near) and the plants of `plan`'s windows, each to its own supplier, pinned."""
    fillers = [WINNER_MIN_AWARDS, WINNER_MIN_AWARDS, WINNER_MIN_AWARDS - 2]
    # Pesos over the fillers' total: the least that shows in the share's 6 decimals (0.500001), none, one.
    extra = [WINNER_MIN_AWARDS * FILLER_VALUE // 200_000, 0, 1]
    later = [LATER_AWARDS, 0, 0]
    unit, supplier, day, tag, value = [], [], [], [], []
    for u, start, plant, n, pesos, m in zip(plan.unit, plan.start, WINNER_TAGS, fillers, extra, later, strict=True):
        unit += [u] * (n + 1 + m)
        supplier += list(range(first_supplier, first_supplier + n + 1)) + [first_supplier + n] * m
        first_supplier += n + 1
        day += [start + k for k in range(n)] + [start + PLANT_SPAN - 1 + k for k in range(1 + m)]
        tag += [TAG_WINNER_SHARE_NEAR] * n + [plant] * (1 + m)
        value += [FILLER_VALUE] * n + [n * FILLER_VALUE + pesos] + [FILLER_VALUE] * m
    n_awards = len(unit)
    award = np.array(day)
    return Processes.make(
        np.array(unit),
        np.array(supplier),
        award,
        award - selection_days(rng, n_awards),
        np.full(n_awards, VISIBLE),
        tag=np.array(tag),
        big=True,
        value=np.array(value),
    )


class _DaySpans:
    """The rows of each group sorted by day once, and per row the span of its group's rows dated in
    [first, last] (positions in that order): sums over the spans are then a cumulative sum and two lookups."""

    def __init__(self, group: np.ndarray, day: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        self.order = np.lexsort((day, group))
        base = group[self.order].astype(np.int64) * 100_000
        key = base + day[self.order]
        # Looked up in sorted order (cache-friendly, several times faster), then put back in the rows' order.
        self.lo, self.hi = np.empty_like(self.order), np.empty_like(self.order)
        self.lo[self.order] = np.searchsorted(key, base + first[self.order])
        self.hi[self.order] = np.searchsorted(key, base + last[self.order], "right")

    def sums(self, weight: np.ndarray) -> np.ndarray:
        """For each row: the sum of `weight` over its span."""
        cumulative = np.concatenate([[0.0], np.cumsum(weight[self.order])])
        return cumulative[self.hi] - cumulative[self.lo]

    def rows(self, i: int) -> np.ndarray:
        """The rows of row i's span."""
        return self.order[self.lo[i] : self.hi[i]]


class _Windows:
    """Per award: its organisation's (and its supplier's) awards and value possibly or certainly in its
    window, whatever day in 0..MAX_SIGNING_DELAY after their award their contracts are signed."""

    def __init__(self, org: np.ndarray, supplier: np.ndarray, day: np.ndarray, awarded: np.ndarray) -> None:
        self.awarded = awarded
        # One dense id per (organisation, supplier): numbered in the order of the pairs.
        self.pair = np.unique(org.astype(np.int64) * (int(supplier.max()) + 2) + supplier + 1, return_inverse=True)[1]
        delay = MAX_SIGNING_DELAY
        possible = (day - WINNER_WINDOW_DAYS + 1 - delay, day + delay)
        self.org_possible = _DaySpans(org, day, *possible)
        self.org_certain = _DaySpans(org, day, day - WINNER_WINDOW_DAYS + 1 + delay, day - delay)
        self.pair_possible = _DaySpans(self.pair, day, *possible)

    def possible_awards(self) -> np.ndarray:
        return self.org_possible.sums(self.awarded.astype(float))

    def possible_pair_awards(self) -> np.ndarray:
        return self.pair_possible.sums(self.awarded.astype(float))

    def lowest_value(self, value: np.ndarray) -> np.ndarray:
        """The least the organisation's window can be worth: its awards certainly in it and the award itself."""
        awarded = value * self.awarded
        return LOWEST_CONTRACT_FACTOR * (self.org_certain.sums(awarded) + awarded)

    def neighbours(self, i: int) -> np.ndarray:
        """The organisation's awards of other suppliers that may be signed inside award i's window."""
        near = self.org_possible.rows(i)
        return near[self.awarded[near] & (self.pair[near] != self.pair[i])]

    def highest_supplier_value(self, value: np.ndarray) -> np.ndarray:
        """The most the award's supplier can take of the window."""
        return HIGHEST_CONTRACT_FACTOR * self.pair_possible.sums(value * self.awarded)


def quiet_winner_share(procs: Processes, ents: Entities, value: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """The awarded values, `value` with the free awards of every supplier that could take more than WINNER_SHARE of an
    organisation's window scaled down (to QUIET_SHARE of the least the window can be worth, never under the
    floor of its kind); where that supplier cannot shrink (fixed values, or at the floor: a planted repeat
    group), the other suppliers' free awards that may share its window are raised instead. Until no supplier
    can (the window, if evaluated, holds WINNER_MIN_AWARDS awards: a second bound on what it is worth)."""
    windows = _Windows(ents.org[procs.entity], np.maximum(procs.supplier, 0), procs.award_day, procs.awarded)
    value = value.astype(float)
    floor = np.where(procs.big, BIG_FLOOR, LOWEST_VALUE)
    # The planted windows are exact (pinned, cleared around): the oracle checks them.
    evaluated = procs.awarded & (procs.supplier >= 0) & ~np.isin(procs.tag, WINNER_TAGS)
    free = procs.awarded & ~fixed
    crowded = evaluated & (windows.possible_awards() >= WINNER_MIN_AWARDS)
    # Evaluated, the window holds WINNER_MIN_AWARDS awards: at least that many less the pair's are others',
    # worth at least the sum of that many of the smallest others.
    others_needed = np.maximum(WINNER_MIN_AWARDS - windows.possible_pair_awards(), 0).astype(int)
    for _ in range(200):
        supplier_high = windows.highest_supplier_value(value)
        entity_low = windows.lowest_value(value)
        risky = crowded & (supplier_high > WINNER_SHARE * entity_low)
        for i in np.flatnonzero(risky).tolist():
            others = np.sort(value[windows.neighbours(i)])
            if len(others) < others_needed[i]:  # the window cannot hold enough awards: never evaluated
                risky[i] = False
                continue
            least = LOWEST_CONTRACT_FACTOR * others[: others_needed[i]].sum()
            if supplier_high[i] <= WINNER_SHARE * max(entity_low[i], least + LOWEST_CONTRACT_FACTOR * value[i]):
                risky[i] = False
        if not risky.any():
            return value.astype(np.int64)
        factor = np.ones(int(windows.pair.max()) + 1)
        np.minimum.at(factor, windows.pair[risky], QUIET_SHARE * entity_low[risky] / supplier_high[risky])
        shrunk = np.maximum(np.minimum(np.floor(value * factor[windows.pair]), value), floor)
        scaled = np.where(free, shrunk, value)
        shrinks = np.zeros(len(factor), bool)
        shrinks[windows.pair[scaled != value]] = True
        stuck = risky & ~shrinks[windows.pair]
        # A pair that cannot shrink: the other suppliers' free awards that may share its window are raised
        # so that any others_needed of the others outweigh it, counting the fixed others (which cannot rise) as 0.
        for i in np.flatnonzero(stuck).tolist():
            others = windows.neighbours(i)
            raisable = int(others_needed[i]) - int((~free[others]).sum())
            if raisable <= 0:
                continue
            others = others[free[others]]
            least = supplier_high[i] / (QUIET_SHARE * LOWEST_CONTRACT_FACTOR * raisable)
            scaled[others] = np.minimum(np.maximum(scaled[others], np.ceil(least)), HIGHEST_VALUE)
        if np.array_equal(scaled, value):
            # Only stuck pairs whose window's others are too many fixed ones for any count of them to outweigh
            # it: the window's free others are raised instead so that the window is worth more than the pair
            # by the quiet margin (the least it is worth counts the others certainly in it; runs again if short).
            for i in np.flatnonzero(stuck).tolist():
                others = windows.neighbours(i)
                others = others[free[others]]
                if len(others):
                    deficit = supplier_high[i] / QUIET_SHARE - entity_low[i]
                    rise = np.ceil(deficit / (LOWEST_CONTRACT_FACTOR * len(others)))
                    scaled[others] = np.minimum(scaled[others] + max(rise, 1), HIGHEST_VALUE)
        if np.array_equal(scaled, value):
            raise RuntimeError("generator bug: a supplier takes most of an organisation's value, nothing can change")
        value = scaled
    raise RuntimeError("generator bug: winner_share_of_buyer's background did not settle")
