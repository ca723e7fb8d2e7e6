"""The direct_award_share panel: an organisation planted far above its peers (of one order and sector), and
the background's non-competitive shares spread over DIRECT_SHARE_BAND within each peer group (the warehouse's:
order and sector, else order) so that no other organisation fires."""

from __future__ import annotations

import numpy as np

from simulator.processes.model import Entities, Panel, Processes, plant_weights, rank_in_group
from simulator.processes.rules import (
    COMPETITIVE,
    COMPETITIVE_MODALITIES,
    DIRECT_SHARE_MIN_AWARDS,
    DIRECT_SHARE_MIN_PEERS,
    DIRECT_SHARE_MIN_SECTOR_PEERS,
    DIRECT_SHARE_UNKNOWN_SECTORS,
    folded_label,
)
from simulator.vocabulary import MODALITIES, entity_sector

PANEL_ORDER = "Territorial"
PANEL_MEMBERS = 6
PANEL_MIN_AWARDS = DIRECT_SHARE_MIN_AWARDS + 1


def choose_panel(rng: np.random.Generator, ents: Entities, n_awarded: int) -> Panel:
    """The heaviest single-unit territorial organisations: PANEL_MEMBERS peers, then 1-3 planted ones of
    distinct sectors (two planted in one small (order, sector) group would move its quartiles)."""
    orders = np.array(ents.columns["ordenentidad"].to_pylist())
    single = np.bincount(ents.org)[ents.org] == 1
    candidates = np.flatnonzero((orders == PANEL_ORDER) & single)
    candidates = candidates[np.argsort(-ents.weight[candidates], kind="stable")]
    n_planted = int(np.clip(round(n_awarded / 2_000), 1, 3))
    planted, sectors = [], set()
    for unit in candidates[PANEL_MEMBERS:]:
        sector = _sector(entity_sector(int(ents.nit[unit])))
        if len(planted) < n_planted and (sector is None or sector not in sectors):
            planted.append(unit)
            sectors.add(sector)
    members = ents.org[candidates[:PANEL_MEMBERS]]
    awards = rng.integers(PANEL_MIN_AWARDS, PANEL_MIN_AWARDS + 6, len(planted))
    return Panel(ents.org[np.array(planted, np.int64)], members, awards)


def _sector(label: str) -> str | None:
    """A sector as the warehouse groups it: folded, None for a value that names no sector."""
    folded = folded_label(label)
    return None if not folded or folded in DIRECT_SHARE_UNKNOWN_SECTORS else folded


def fill_panel(rng: np.random.Generator, entity: np.ndarray, ents: Entities, panel: Panel) -> np.ndarray:
    """Background award units moved so that each panel organisation has its number of awards."""
    entity = entity.copy()
    unit_of = np.zeros(ents.org.max() + 1, np.int64)
    unit_of[ents.org] = np.arange(len(ents))
    panel_orgs = panel.orgs()
    others = plant_weights(ents, panel_orgs)
    for org, target in zip(panel.planted, panel.planted_awards, strict=True):
        extra = np.flatnonzero(ents.org[entity] == org)[target:]
        entity[extra] = rng.choice(len(ents), len(extra), p=others)
    needs = [(org, int(target)) for org, target in zip(panel.planted, panel.planted_awards, strict=True)]
    needs += [(org, PANEL_MIN_AWARDS) for org in panel.members]
    for org, target in needs:
        missing = target - int(np.sum(ents.org[entity] == org))
        if missing > 0:
            donors = np.flatnonzero(~np.isin(ents.org[entity], panel_orgs))
            if len(donors) < missing:
                raise RuntimeError("generator bug: too few background awards for the direct-award-share panel")
            entity[rng.choice(donors, missing, replace=False)] = unit_of[org]
    return entity


DIRECT_SHARE_BAND = (0.15, 0.40)  # non-competitive shares of the compared background organisations


def peer_groups(awards: np.ndarray, order: np.ndarray, sector: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The direct_award_share peer groups, given per entity its awards, order and sector (None: unknown): a
    (population, judged) pair of entity index arrays per group. Entities with at least DIRECT_SHARE_MIN_AWARDS
    awards are compared: by (order, sector) when that group holds DIRECT_SHARE_MIN_SECTOR_PEERS of them, else
    by order (all the order's compared entities) when it holds DIRECT_SHARE_MIN_PEERS."""
    compared = awards >= DIRECT_SHARE_MIN_AWARDS
    pair = np.array([f"{o}|{s}" if s is not None else "" for o, s in zip(order, sector, strict=True)], object)
    by_sector = np.zeros(len(awards), bool)
    groups = []
    for name in np.unique(pair[compared & (pair != "")]):
        members = np.flatnonzero(compared & (pair == name))
        if len(members) >= DIRECT_SHARE_MIN_SECTOR_PEERS:
            by_sector[members] = True
            groups.append((members, members))
    for name in np.unique(order[compared]):
        members = np.flatnonzero(compared & (order == name))
        judged = members[~by_sector[members]]
        if len(members) >= DIRECT_SHARE_MIN_PEERS and len(judged):
            groups.append((members, judged))
    return groups


def direct_share_outliers(
    awards: np.ndarray, noncompetitive: np.ndarray, order: np.ndarray, sector: np.ndarray, *, include_self: bool = True
) -> np.ndarray:
    """Entities the direct_award_share rule flags, given per entity its awards, non-competitive awards,
    order and sector (`peer_groups`): those whose share is above Q3 + 1.5 IQR of their group's shares
    (linear interpolation; `include_self=False`: of the other entities' shares)."""
    flagged = np.zeros(len(awards), bool)
    share = np.where(awards > 0, noncompetitive / np.maximum(awards, 1), 0.0)
    for members, judged in peer_groups(awards, order, sector):
        ranked = np.argsort(share[members], kind="stable")
        values = share[members][ranked]
        removed = np.full(len(members), len(members)) if include_self else np.arange(len(members))
        q1, q3 = (_quantile_without(values, removed, q) for q in (0.25, 0.75))
        outlier = values > q3 + 1.5 * (q3 - q1)
        is_judged = np.isin(members[ranked], judged)
        flagged[members[ranked][is_judged]] = outlier[is_judged]
    return flagged


def _quantile_without(values: np.ndarray, removed: np.ndarray, q: float) -> np.ndarray:
    """For each index in `removed`, the q-quantile (linear interpolation) of the sorted `values` without
    that element (an index past the end removes nothing)."""
    n = len(values) - (removed < len(values))
    position = q * (n - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n - 1)

    def at(p: np.ndarray) -> np.ndarray:
        return values[p + (p >= removed)]

    return at(low) + (position - low) * (at(high) - at(low))


def _org_orders(ents: Entities) -> np.ndarray:
    order = np.empty(int(ents.org.max()) + 1, object)
    order[ents.org] = np.array(ents.columns["ordenentidad"].to_pylist(), object)
    return order


def _org_sectors(ents: Entities) -> np.ndarray:
    sector = np.empty(int(ents.org.max()) + 1, object)
    sector[ents.org] = [_sector(entity_sector(int(nit))) for nit in ents.nit]
    return sector


def balance_direct_share(
    rng: np.random.Generator, procs: Processes, ents: Entities, modality: np.ndarray, panel: Panel
) -> np.ndarray:
    """Modalities of free awards (no fixed modality) of every organisation with enough awards to be
    compared, so that its non-competitive share is its target: evenly spread over DIRECT_SHARE_BAND
    among the organisations of an order (no outlier), 1 for the planted organisations."""
    modality = modality.copy()
    org = ents.org[procs.entity].astype(np.int64)
    n_orgs = int(ents.org.max()) + 1
    awarded = procs.awarded
    counts = np.bincount(org[awarded], minlength=n_orgs)
    target = np.full(n_orgs, -1.0)
    orders, sectors = _org_orders(ents), _org_sectors(ents)
    for _, judged in peer_groups(counts, orders, sectors):
        # Evenly spread, the top level twice: no entity stands out, even against the others alone.
        levels = np.linspace(*DIRECT_SHARE_BAND, max(1, len(judged) - 1))
        target[rng.permutation(judged)] = np.append(levels, levels[-1])[: len(judged)]
    # Entities compared with no group (too few peers) still get a target in the band.
    alone = (counts >= DIRECT_SHARE_MIN_AWARDS) & (target < 0)
    target[alone] = rng.uniform(*DIRECT_SHARE_BAND, int(alone.sum()))
    target[panel.planted] = 1.0

    fixed = procs.modality >= 0
    if np.any(fixed & awarded & np.isin(org, panel.planted)):
        raise RuntimeError("generator bug: a planted process in a direct-award-share organisation")
    free = awarded & ~fixed & (target[org] >= 0)
    fixed_noncompetitive = np.bincount(org[awarded & fixed & ~COMPETITIVE[modality]], minlength=n_orgs)
    n_free = np.bincount(org[free], minlength=n_orgs)
    wanted = np.clip(np.round(target * counts).astype(np.int64) - fixed_noncompetitive, 0, n_free)
    rows = np.flatnonzero(free)
    rank = np.empty(len(rows), np.int64)
    shuffled = rng.permutation(len(rows))
    rank[shuffled] = rank_in_group(org[rows][shuffled])
    noncompetitive = rank < wanted[org[rows]]

    weights = np.array([m[3] for m in MODALITIES])
    direct_p = np.where(~COMPETITIVE, weights, 0.0)
    competitive_p = np.where(COMPETITIVE, weights, 0.0)
    to_direct = rows[noncompetitive & COMPETITIVE[modality[rows]]]
    to_competitive = rows[~noncompetitive & ~COMPETITIVE[modality[rows]]]
    modality[to_direct] = rng.choice(len(MODALITIES), len(to_direct), p=direct_p / direct_p.sum())
    modality[to_competitive] = rng.choice(len(MODALITIES), len(to_competitive), p=competitive_p / competitive_p.sum())

    # Rounding can still leave a background organisation just above the fence: make one of its free
    # non-competitive awards competitive until none is (the planted ones stay far above).
    planted = set(panel.planted.tolist())
    for _ in range(1_000):
        noncompetitive_awards = np.bincount(org[awarded & ~COMPETITIVE[modality]], minlength=n_orgs)
        flagged = set()
        for include_self in (True, False):
            outliers = direct_share_outliers(counts, noncompetitive_awards, orders, sectors, include_self=include_self)
            flagged |= set(np.flatnonzero(outliers).tolist())
        extra = sorted(flagged - planted)
        if not extra:
            break
        for o in extra:
            direct = np.flatnonzero(free & (org == o) & ~COMPETITIVE[modality])
            if not len(direct):
                raise RuntimeError(f"generator bug: organisation {o} is a direct-award-share outlier")
            modality[direct[0]] = COMPETITIVE_MODALITIES[0]
    if flagged != planted:
        raise RuntimeError(
            f"generator bug: direct-award-share outliers {sorted(flagged)} are not the planted organisations "
            f"{sorted(planted)}"
        )
    return modality
