"""Who bids where in the background's awarded processes (`Bidding`), and excessive_unsuccessful_bids' plants.

The warehouse infers a bid's outcome from the awards (docs/indicators/excessive_unsuccessful_bids.md): a
bidder's win ratio is its won processes over the processes it bid in. The background's awarded processes
with offers are won by a panel of frequent bidders, suppliers with WINS awards each (their offers keyed as
their awards are), who lose in other panel processes as many times as a win ratio spread evenly over
WIN_RATIO_BAND needs; a few fresh companies lose once. The other offer plants' bidders bid in few processes,
every other offer is of an open process (no outcome), so the panel is more than a quarter of the bidders,
its bids at least the 75th percentile, and its ratios, the population of the fence, have quartiles near
0.45 and 0.55: a lower fence near 0.3 (0.32 in a small world, where most members win 3 processes).

Plants: three bidders win one process in FIRE_BIDS (over any panel member's bids: frequent) and fire on
their one award; near-misses: a bidder of NEAR_WINS wins in FIRE_BIDS + 1 bids (a ratio over the fence,
under the band), and one of one win in the panel's fewest bids less one (not a frequent bidder).
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from simulator.plants.picker import Picker
from simulator.plants.plan import Plan
from simulator.world import World

WIN_RATIO_BAND = (0.4, 0.6)
WINS = (3, 6)  # a panel member wins this many processes (at least, at most)
FRESH_SHARE = 0.25  # fresh companies that lose once, per panel member
PANEL_OFFER_SHARE = 0.6  # the panel's offers, at most this share of the offer rows
FIRE_BIDDERS = 3


def losses_for(wins: int, ratio: float) -> int:
    """Lost bids that bring `wins` to a win ratio nearest `ratio`."""
    return max(1, round(wins / ratio) - wins)


MOST_PANEL_BIDS = WINS[1] + losses_for(WINS[1], WIN_RATIO_BAND[0])
FEWEST_PANEL_BIDS = WINS[0] + losses_for(WINS[0], WIN_RATIO_BAND[1])
FIRE_BIDS = MOST_PANEL_BIDS + 1  # 1 win: a ratio of 1/16
NEAR_WINS = 6  # in FIRE_BIDS + 1 bids: 6/17 = 0.353, over the fence (~0.3), under the band


def plant_bidders(world: World, pick: Picker, plan: Plan, offer_rows: int) -> None:
    """excessive_unsuccessful_bids: the plants and the background's panel (`Plan.bidding`), in at most
    PANEL_OFFER_SHARE of `offer_rows` offers."""
    u, rng = world.universe, pick.rng
    bidding = plan.bidding

    def awards(s: int) -> list[int]:
        return [int(a) for a in pick.awards_of[s] if u.supplier[a] is not None]

    def add(s: int, wins: int, bids: int) -> list[int]:
        won = sorted(rng.choice(awards(s), wins, replace=False).tolist())
        bidding.wins[s], bidding.losses[s] = won, bids - wins
        return won

    # Suppliers no other plant uses first, then any: bids bear on no other plant's indicator (the other offer
    # plants leave the bidders out).
    everyone = rng.permutation(np.array(sorted(pick.awards_of), np.int64)).tolist()
    plants = [(1, FIRE_BIDS)] * FIRE_BIDDERS + [(NEAR_WINS, FIRE_BIDS + 1), (1, FEWEST_PANEL_BIDS - 1)]
    for k, (wins, bids) in enumerate(plants):
        s = next(
            s
            for s in chain(pick.suppliers(lambda s: True), everyone)
            if s not in bidding.wins and len(awards(s)) >= wins
        )
        won = add(s, wins, bids)
        pick.take(s)  # the panel's suppliers stay free for a mixed world's boundary rows
        if k < FIRE_BIDDERS:
            plan.flag("excessive_unsuccessful_bids", [u.key[a] for a in won])
    budget = PANEL_OFFER_SHARE * offer_rows - sum(bids for _, bids in plants)
    members = [s for s in everyone if s not in bidding.wins and len(awards(s)) >= WINS[0]]
    low, high = WIN_RATIO_BAND
    ratios = low + (high - low) * (rng.permutation(len(members)) + 0.5) / max(len(members), 1)  # spread evenly
    for s, ratio in zip(members, ratios.tolist(), strict=True):
        wins = min(len(awards(s)), WINS[1])
        bids = wins + losses_for(wins, ratio)
        if bids * (1 + FRESH_SHARE) > budget:
            break
        add(s, wins, bids)
        budget -= bids * (1 + FRESH_SHARE)
    bidding.fresh = round(FRESH_SHARE * (len(bidding.wins) - len(plants)))
