"""Offers: costly_offers, identical_bid_prices, close_to_winning_bid, heavily_discounted_bid and
excessive_unsuccessful_bids (simulator.plants.bidders)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulator.parties import check_digits
from simulator.plants.bidders import plant_bidders
from simulator.plants.picker import Picker
from simulator.plants.plan import Plan, fire_count
from simulator.sources.secop_ii_contracts import BID_GAP_BAND
from simulator.world import DOC_COMPANY, World, document_kind


def plant_offers(world: World, pick: Picker, plan: Plan, offer_rows: int) -> None:
    """costly_offers: another supplier's valid offer under the award value (in COP, without currency,
    as 'cop ', beside an invalid zero offer), or equal to the winner's and registered earlier (also an
    identical price). Near-misses: the cheaper offer in dollars, exactly the award value, the winner's own
    under another spelling of its document, from no identifiable supplier, beside no second valid
    offer, in a multi-lot process. identical_bid_prices: two suppliers offering the same amount ('X' and
    'X.00' too); near-misses: the same supplier twice, one or both offers in dollars, one peso apart,
    both zero. close_to_winning_bid and heavily_discounted_bid: a runner-up a peso or 0.1% over the winner (a
    costly-offers tie too: a gap of 0), or 60% to 100% over; near-misses: a gap between the background's band
    (BID_GAP_BAND) and a fence, the close or far offer the winner's own, in dollars or from no identifiable
    supplier. Every planted portfolio has no other offers, and every other planted gap lies in the band.
    The bidders of the background and excessive_unsuccessful_bids' plants come last (`plant_bidders`), sized
    on these plants' rows, and none of them bids or wins here."""
    u, rng, rows = world.universe, pick.rng, plan.rows["offers"]
    pool = world.pool
    text = world.awards
    codes = text["codigoproveedor"].to_pylist()
    docs = text["nit_del_proveedor_adjudicado"].to_pylist()
    names = text["nombre_del_proveedor"].to_pylist()
    lots = [int(v or 0) for v in text["numero_de_lotes"].to_pylist()]
    day0 = u.pub_day

    def winner(a: int, value: str, day: int = 1, doc: str | None = None, code: str | None = None) -> dict:
        return {
            "award": a,
            "code": codes[a].strip() if code is None else code,
            "doc": docs[a] if doc is None else doc,
            "name": names[a],
            "value": value,
            "currency": "COP",
            "day": int(day0[a]) + day,
        }

    others = iter(rng.permutation(len(pool.code)).tolist())
    losers: set[int] = set()

    def other(a: int, value: str, currency: str | None = "COP", day: int = 2) -> dict:
        for p in others:
            if p != world.award_supplier[a]:
                losers.add(p)
                return {
                    "award": a,
                    "code": pool.code[p],
                    "doc": pool.raw_doc[p],
                    "name": pool.parties.name[p],
                    "value": value,
                    "currency": currency,
                    "day": int(day0[a]) + day,
                }
        raise RuntimeError("generator bug: no other bidder")

    def nobody(a: int, value: str) -> dict:
        return {
            "award": a,
            "code": "No Definido",
            "doc": "No Definido",
            "name": "No Definido",
            "value": value,
            "currency": "COP",
            "day": int(day0[a]) + 3,
        }

    def same_supplier(a: int, value: str) -> dict:
        """The winner again, its document written another way (or its code padded when it hides it)."""
        doc = u.doc[a]
        if doc is not None and document_kind(doc, doc) == DOC_COMPANY:
            dv = check_digits(np.array([int(doc)]))[0]
            return winner(a, value, 4, doc=f"{int(doc):,}".replace(",", ".") + f"-{dv}")
        if doc is not None:
            return winner(a, value, 4, doc=f"{int(doc):,}".replace(",", "."))
        return winner(a, value, 4, code=f" {codes[a].strip()} ")

    def pct(v: int, p: float) -> str:
        return str(round(v * p))

    costly: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.9))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.95), currency=None)],
        lambda a, v: [winner(a, pct(v, 0.97), day=6), other(a, pct(v, 0.97), day=2)],  # tie: earlier wins
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.92)), other(a, "0")],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.93), currency="cop ")],  # COP, however written
    ]
    costly_near: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.8), currency="USD"), other(a, pct(v, 1.1))],
        lambda a, v: [winner(a, pct(v, 1.02)), other(a, str(v))],
        lambda a, v: [winner(a, str(v)), same_supplier(a, pct(v, 0.9)), other(a, pct(v, 1.05))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.7), currency="USD")],
        lambda a, v: [winner(a, str(v)), nobody(a, pct(v, 0.6)), other(a, pct(v, 1.15))],
    ]
    identical: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, pct(v, 1.2))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.15)), other(a, pct(v, 1.15) + ".00")],
    ]
    identical_near: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), same_supplier(a, str(v)), other(a, pct(v, 1.1))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, pct(v, 1.2), currency="USD")],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, str(round(v * 1.2) + 1))],
        lambda a, v: [winner(a, str(v)), other(a, "0"), other(a, "0"), other(a, pct(v, 1.14))],
        # two offers in dollars: not valid offers (COP or no currency), however equal
        lambda a, v: [
            winner(a, str(v)),
            other(a, pct(v, 1.25), currency="USD"),
            other(a, pct(v, 1.25), currency="USD"),
            other(a, pct(v, 1.13)),
        ],
    ]
    low, high = BID_GAP_BAND
    close: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, str(v + 1)), other(a, pct(v, 1.15))],  # a peso over
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.001))],
    ]
    close_near: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1 + low - 0.02))],  # under the band, over the lower fence
        lambda a, v: [winner(a, str(v)), same_supplier(a, str(v + 1)), other(a, pct(v, 1.15))],
        lambda a, v: [winner(a, str(v)), other(a, str(v + 1), currency="USD"), other(a, pct(v, 1.15))],
    ]
    discounted: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, str(2 * v))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.6)), other(a, pct(v, 1.9))],
    ]
    discounted_near: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1 + high + 0.02))],  # over the band, under the upper fence
        lambda a, v: [winner(a, pct(v, 0.5)), same_supplier(a, str(v)), other(a, pct(v, 0.6))],  # won far under
        lambda a, v: [winner(a, str(v)), other(a, str(2 * v), currency="USD"), other(a, pct(v, 1.15))],
        lambda a, v: [winner(a, str(v)), nobody(a, str(2 * v)), other(a, pct(v, 1.15))],
    ]
    target = fire_count(len(u.day))
    candidates = [
        a
        for a in rng.permutation(len(u.day)).tolist()
        if not u.tagged[a]
        and u.supplier[a] is not None
        and world.award_supplier[a] >= 0
        and u.value[a] >= 1_000_000
        and u.value[a] == int(u.value[a])  # whole pesos: an offer can equal the award exactly
    ]
    # Suppliers no other plant uses first; in a small world awards of the others follow (offers of an
    # award bear on no other indicator).
    candidates.sort(key=lambda a: int(world.award_supplier[a]) in pick.used)
    multi = [a for a in candidates if lots[a] >= 2]
    single = iter(a for a in candidates if lots[a] <= 1)
    n_costly = max(len(costly), target)
    n_identical = max(len(identical), min(target, 8))

    def plant(cases: list, n: int, indicators: tuple[str, ...]) -> None:
        for k in range(n):
            a = next(single)
            v = int(u.value[a])
            case = cases[k % len(cases)]
            rows.extend(case(a, v))
            world.offers_planted.add(a)
            if indicators:
                plan.flag(indicators[0], [u.key[a]])
            if case is costly[2]:  # a tie at the cheapest offer: identical prices, a gap of 0
                plan.flag("identical_bid_prices", [u.key[a]])
                plan.flag("close_to_winning_bid", [u.key[a]])

    plant(costly, n_costly, ("costly_offers",))
    plant(costly_near, len(costly_near), ())
    plant(identical, n_identical, ("identical_bid_prices",))
    plant(identical_near, len(identical_near), ())
    n_gaps = max(len(close), min(target, 6))
    plant(close, n_gaps, ("close_to_winning_bid",))
    plant(close_near, len(close_near), ())
    plant(discounted, n_gaps, ("heavily_discounted_bid",))
    plant(discounted_near, len(discounted_near), ())
    if multi:  # a multi-lot process: cheaper offer, out of the costly-offers universe
        a = multi[0]
        v = int(u.value[a])
        rows.extend([winner(a, str(v)), other(a, pct(v, 0.9))])
        world.offers_planted.add(a)
    plant_bidders(world, pick, plan, offer_rows, losers | {int(world.award_supplier[a]) for a in world.offers_planted})
