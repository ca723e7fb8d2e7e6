"""Who bids where in the background's awarded processes (`Bidding`), and excessive_unsuccessful_bids' plants.

The warehouse infers a bid's outcome from the awards (docs/indicators/excessive_unsuccessful_bids.md): a
bidder's win ratio is its won processes over the processes it bid in. The background's awarded processes
with offers are won by a panel of frequent bidders that bid PANEL_BIDS times each (their offers keyed as
their awards are): half win PANEL_WINS[0] of them, half PANEL_WINS[1]; a few fresh companies lose once.
The other offer plants' bidders bid in few processes, every other offer is of an open process (no outcome),
and the panel is large enough (`fewest_members`) that the 75th percentile of bids is PANEL_BIDS whatever the
world's size: the frequent bidders are exactly the panel and the plants that bid more, and the fence's
quartiles are the panel's two ratios, 0.4 and 0.6, so the lower fence is 0.4 - 1.5 (0.6 - 0.4) = 0.1.

Plants: three bidders win one process in FIRE_BIDS (over PANEL_BIDS: frequent) and fire on their one
award; near-misses: a bidder of NEAR_WINS wins in FIRE_BIDS + 1 bids (a ratio over the fence, under the
panel's), and one of one win in PANEL_BIDS - 1 bids (0.25: over the fence, and not a frequent bidder).
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain

import numpy as np

from simulator.plants.picker import Picker
from simulator.plants.plan import Plan
from simulator.world import World

PANEL_BIDS = 5
PANEL_WINS = (2, 3)  # a panel member wins this many of its PANEL_BIDS: ratios 0.4 and 0.6, as many of each
MIN_MEMBERS = 30  # the quartiles stay on the panel's ratios beside the plants (and a mixed world's losers)
FRESH_SHARE = 0.25  # fresh companies that lose once, per panel member
PANEL_OFFER_SHARE = 0.6  # the panel's offers, at most this share of the offer rows (unless more are needed)
FIRE_BIDDERS = 3
FIRE_BIDS = 16  # 1 win: a ratio of 1/16
NEAR_WINS = 2  # in FIRE_BIDS + 1 bids: 2/17 = 0.118, over the fence (0.1), under the panel's 0.4
PLANTS = [(1, FIRE_BIDS)] * FIRE_BIDDERS + [(NEAR_WINS, FIRE_BIDS + 1), (1, PANEL_BIDS - 1)]  # (wins, bids)


def fewest_members(other_bidders: int) -> int:
    """The fewest panel members that keep the 75th percentile of bids per bidder (DuckDB's quantile_cont) at
    PANEL_BIDS beside `other_bidders` bidders of fewer bids (at most: the other offer plants' rows), the fresh
    companies and the plants (one of fewer bids, four of more)."""
    members = MIN_MEMBERS
    while True:
        fewer = other_bidders + round(FRESH_SHARE * members) + 1
        position = 0.75 * (fewer + members + 4 - 1)  # of the sorted bids: fewer ones, the panel's, the plants'
        if int(position) >= fewer and int(np.ceil(position)) < fewer + members:
            return members
        members += 1


def plant_bidders(world: World, pick: Picker, plan: Plan, offer_rows: int, others: Collection[int]) -> None:
    """excessive_unsuccessful_bids: the plants and the background's panel (`Plan.bidding`), in PANEL_OFFER_SHARE
    of `offer_rows` offers or the fewest members that hold the 75th percentile of bids, after the other offer
    plants (their rows: `plan.rows["offers"]`, their bidders: `others`, pool indexes none of these is)."""
    u, rng = world.universe, pick.rng
    bidding = plan.bidding

    def awards(s: int) -> list[int]:
        return [int(a) for a in pick.awards_of[s] if u.supplier[a] is not None and a not in world.offers_planted]

    def free(s: int, wins: int) -> bool:  # a planted contract value is no background bidder's award
        taken = s in bidding.wins or s in others or s in world.value_planted
        return not taken and len(awards(s)) >= wins

    def add(s: int, wins: int, bids: int) -> None:
        bidding.wins[s] = sorted(rng.choice(awards(s), wins, replace=False).tolist())
        bidding.losses[s] = bids - wins

    # Suppliers no other plant uses first, then any: bids bear on no other plant's indicator.
    everyone = rng.permutation(np.array(sorted(pick.awards_of), np.int64)).tolist()
    for k, (wins, bids) in enumerate(PLANTS):
        s = next(s for s in chain(pick.suppliers(lambda s: True), everyone) if free(s, wins))
        add(s, wins, bids)
        pick.take(s)  # the panel's suppliers stay free for a mixed world's boundary rows
        if k < FIRE_BIDDERS:
            plan.flag("excessive_unsuccessful_bids", [u.key[a] for a in bidding.wins[s]])
    budget = PANEL_OFFER_SHARE * offer_rows - sum(bids for _, bids in PLANTS)
    low, high = PANEL_WINS
    many = [s for s in everyone if free(s, high)]  # may win either number
    few = [s for s in everyone if free(s, low) and not free(s, high)]
    supply = min(len(many) + len(few), 2 * len(many))
    members = max(min(int(budget / (PANEL_BIDS * (1 + FRESH_SHARE))), supply), fewest_members(len(plan.rows["offers"])))
    if members > supply:
        raise RuntimeError(f"generator bug: {supply} suppliers for a panel of {members} bidders")
    winners = many[: members // 2]
    for s in winners:
        add(s, high, PANEL_BIDS)
    for s in (few + many[members // 2 :])[: members - len(winners)]:
        add(s, low, PANEL_BIDS)
    bidding.fresh = round(FRESH_SHARE * members)
