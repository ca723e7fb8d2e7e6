"""Non-compliance: supplier_cancelled_contracts and delivery_noncompliance."""

from __future__ import annotations

import numpy as np

from simulator.dates import RUN_DAY, SNAPSHOT_DAY
from simulator.parties import check_digits
from simulator.plants.picker import Picker, award_keys, positions_by_value
from simulator.plants.plan import Plan, fire_count
from simulator.vocabulary import NO_DEFINIDO
from simulator.world import DOC_COMPANY, World, document_kind


def plant_cancelled(world: World, pick: Picker, plan: Plan) -> None:
    """supplier_cancelled_contracts: a cancelled contract of the supplier, cancelled before some of its
    awards, listed in the cancelled-contracts dataset (cancelled on its `fechamodificacion`; on an award's
    day, which does not fire) or only in the contracts dataset, in state Cancelado in any case
    (cancelled on its last update); its document written with the check digit or dots. Near-misses:
    no cancellation date, listed or not (the signing date, before the awards, never stands in); a
    listed contract cancelled after the last award whose last update in the contracts dataset is
    before some awards (the listing's date wins). The other cancelled contracts are cancelled on or
    after their supplier's last award."""
    u, rng, c = world.universe, pick.rng, world.contract()
    target = fire_count(len(u.day))
    flagged: set[int] = set()
    by_key: dict[str, np.ndarray] = {}
    order = np.lexsort((np.arange(len(u.day)), u.day))
    for key, group in positions_by_value(u.supplier[order]):
        if key is not None:
            by_key[key] = order[group]
    hosts = {
        listed: iter(rng.permutation(np.flatnonzero(c.cancelled & (c.listed == listed))).tolist())
        for listed in (True, False)
    }
    planted: set[int] = set()

    def attempt(kind: str, i: int) -> bool:
        """Date cancelled contract i as this kind; False if its supplier does not fit."""
        host = int(c.award[i])
        pool, key = int(world.award_supplier[host]), u.supplier[host]
        if key is None or pool in pick.used or pool not in pick.awards_of or np.any(u.tagged[by_key[key]]):
            return False
        awards = by_key[key]
        days = u.day[awards]
        awarded = int(world.award_day[host])  # the cancelled contract's own process was awarded then
        later = np.flatnonzero(days > awarded + 1)
        if kind == "on an award":  # cancelled on an award's day, with a later award that fires
            later = later[days[later] < days[-1]]
        if not len(later):
            return False
        j = int(rng.choice(later))
        cut = int(days[j]) if kind == "on an award" else int(rng.integers(awarded + 1, int(days[j])))
        c.sign_day[i] = int(rng.integers(awarded, cut + 1))
        c.updated_day[i] = c.cancel_day[i] = cut
        if kind == "listed, no date":
            c.cancel_day[i] = -1
        elif kind == "unlisted, no date":
            c.updated_day[i] = -1
        elif kind == "listing wins":
            c.cancel_day[i] = min(SNAPSHOT_DAY, int(days[-1]) + int(rng.integers(1, 30)))
        else:
            flagged.update(awards[days > cut].tolist())
        doc = u.doc[host]
        if doc is not None and len(planted) % 2:  # the same document, written with dots (and the check digit)
            dotted = f"{int(doc):,}".replace(",", ".")
            company = document_kind(doc, doc) == DOC_COMPANY
            c.doc_text[i] = dotted + f"-{check_digits(np.array([int(doc)]))[0]}" if company else dotted
        planted.add(i)
        pick.take(pool)
        return True

    listed_kind = {"listed": True, "on an award": True, "listed, no date": True, "listing wins": True}
    kinds = ("listed", "on an award", "unlisted", "listed, no date", "unlisted, no date", "listing wins")
    for k in range(len(kinds) + 2 * target):
        if k >= len(kinds) and len(flagged) >= target:
            break
        kind = kinds[k] if k < len(kinds) else ("listed", "unlisted")[k % 2]
        next((i for i in hosts[listed_kind.get(kind, False)] if attempt(kind, i)), None)
    plan.flag("supplier_cancelled_contracts", award_keys(world, flagged))
    # The background: cancelled on or after the last award of the supplier key.
    for i in np.flatnonzero(c.cancelled).tolist():
        if i in planted:
            continue
        key = u.supplier[int(c.award[i])]
        last = int(u.day[by_key[key]].max()) if key is not None else int(c.sign_day[i])
        low = max(last, int(c.sign_day[i]))
        c.updated_day[i] = c.cancel_day[i] = min(SNAPSHOT_DAY, low + int(rng.integers(0, 90)))


def _quantity(due: int, late: int | None, due_qty: str, received: str) -> dict:
    """A plan line of quantities: due `due` days from the as-of date, delivered `late` days after (None: not
    delivered), `received` of `due_qty` units."""
    progress = "100" if received == due_qty else "0"
    return {"type": "Entregable", "due": due, "late": late, "due_qty": due_qty, "received": received,
            "expected": "100", "progress": progress}  # fmt: skip


def _percentage(due: int, expected: str, progress: str, late: int | None = None, **fields: str) -> dict:
    """A plan line of progress: `progress` percent done where `expected` was due; no quantities."""
    line = {"type": "Porcentaje", "due": due, "late": late, "due_qty": NO_DEFINIDO, "received": NO_DEFINIDO}
    return {**line, "expected": expected, "progress": progress, **fields}


def plant_delivery(world: World, pick: Picker, plan: Plan) -> None:
    """delivery_noncompliance: a line due before the as-of date with fewer units received (9 of 10), a
    line delivered a day late, a line due the day before the as-of date with nothing received, a
    percentage line behind its expected progress once due (79.9 of 80; the type in any case).
    Near-misses: due on the as-of date (quantities, and progress), over-delivered (10 of 9), a late
    percentage line on track, a percentage line short of units (its quantities are not tested), a
    percentage line of unknown progress, short and behind lines of a suspended contract (any case), late
    lines of a cancelled and of a draft contract, a line delivered on its due day."""
    u, rng, c, rows = world.universe, pick.rng, world.contract(), plan.rows["execution"]
    target = fire_count(len(u.day))
    fire = [
        [_quantity(-200, None, "10", "9")],
        [_quantity(-300, 1, "5", "5"), _quantity(-100, 0, "5", "5")],
        [_quantity(-1, None, "3", "0")],
        [_percentage(-90, "80", "79.9", late=10)],
        [_percentage(-1, "50", "10", type=" porcentaje ")],
    ]
    near = [
        [_quantity(0, None, "4", "0"), _quantity(-50, 0, "2", "2"), _percentage(0, "50", "10")],
        [_quantity(-150, -2, "9", "10")],
        [_percentage(-120, "60", "60", late=30)],
        [_percentage(-60, "40", "100", late=15, due_qty="1", received="0")],
        [_percentage(-100, "70", NO_DEFINIDO)],
        [_quantity(-200, None, "10", "3"), _percentage(-100, "80", "20")],  # suspended
        [_percentage(-80, "90", "5", type="PORCENTAJE")],  # suspended
    ]
    suspended = {5: "suspendido", 6: " SUSPENDIDO "}  # near-misses of a contract in state Suspendido

    def line_rows(contract: int, lines: list[dict], state: str | None = None) -> None:
        for n, line in enumerate(lines):
            due_day = RUN_DAY + line["due"]
            real = None if line["late"] is None else due_day + line["late"]
            rows.append({**line, "contract": contract, "line": n + 1, "due": due_day, "real": real, "state": state})
        world.delivery_planted.add(contract)

    live = [  # contracts in execution (a suspended one's lines never fail)
        i
        for i in rng.permutation(np.flatnonzero(c.live)).tolist()
        if not u.tagged[c.award[i]]
        and int(world.award_supplier[c.award[i]]) not in world.value_planted
        and c.state[i].strip().lower() != "suspendido"
    ]
    flagged: list[int] = []
    for k, i in enumerate(live):
        if k >= len(fire) and len(flagged) >= target:
            break
        line_rows(i, fire[k % len(fire)])
        flagged.append(int(c.award[i]))
    for k, i in enumerate(live[len(flagged) : len(flagged) + len(near)]):
        if k in suspended:
            c.state[i] = "Suspendido"
        line_rows(i, near[k], suspended.get(k))
    others = np.flatnonzero(c.cancelled | c.draft)
    for i in others[:2].tolist():
        line_rows(i, [_quantity(-200, 20, "8", "3")])
    plan.flag("delivery_noncompliance", award_keys(world, flagged))
