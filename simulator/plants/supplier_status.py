"""Supplier status registers: inactive_supplier (RUES), pep_supplier and sensitive_post_supplier (SIGEP)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from simulator.parties import check_digits
from simulator.plants.picker import Picker, award_keys
from simulator.plants.plan import NEW_SUPPLIER_VALUE, RULES, Plan, add_years, as_date, fire_count, plain
from simulator.world import DOC_PERSON, World, document_kind


def plant_rues(world: World, pick: Picker, plan: Plan) -> None:
    """inactive_supplier: a cancelled registration before some awards (cut between awards, exactly on an
    award day, or a new registration later that covers the later awards); near-misses: an active
    registration covering the cancelled one, a cancellation on the last award day. new_supplier_big_award:
    a first registration less than 365 days before an award of 500M or more (on the award day too);
    near-misses: exactly 365 days before, an award one peso under 500M."""
    u, rng, rows = world.universe, pick.rng, plan.rows["rues"]
    target = fire_count(len(u.day))

    def registration(pool: int, state: str, registered: int, cancelled: int | None, variant: int) -> None:
        doc = pick.u.doc[pick.doc_awards(pool)[0]]
        person = document_kind(doc, doc) == DOC_PERSON
        number = doc
        if variant % 3 == 1:  # a company's NIT with its check digit glued on, a person's id zero-padded
            number = f"{doc}{check_digits(np.array([int(doc)]))[0]}" if not person else doc.rjust(12, "0")
        nit = None if person else number
        id_number = number if person else (doc if variant % 2 else None)
        rows.append(
            {
                "party": pool,
                "state": state,
                "registered": registered,
                "cancelled": cancelled,
                "nit": nit,
                "id": id_number,
            }
        )
        plan.docs["rues"].add(int(doc))

    flagged: set[int] = set()
    variant = 0
    for pool in pick.suppliers(lambda p: pick.documented(p) and len(pick.doc_awards(p)) >= 2):
        if len(flagged) >= target and variant >= 4:
            break
        awards = pick.doc_awards(pool)
        days = u.day[awards]
        first = int(days[0])
        registered = first - int(rng.integers(400, 4000))
        gaps = np.flatnonzero(np.diff(days) >= 3) + 1  # positions j with days[j] - days[j - 1] >= 3
        kind = variant % 4
        if kind == 0:  # cancelled between two awards: the later ones fire
            j = int(rng.choice(gaps)) if len(gaps) else 0
            low = int(days[j - 1]) + 1 if j else first - 300
            cut = int(rng.integers(low, int(days[j])))
            registration(pool, "CANCELADA", registered, cut, variant)
            fire = awards[days > cut]
        elif kind == 1:  # cancelled on an award day: that award does not fire, the later ones do
            later = np.flatnonzero(days > days[0])
            if not len(later):
                continue
            cut = int(days[later[0] - 1])
            registration(pool, "CANCELADA", registered, cut, variant)
            fire = awards[days > cut]
        elif kind == 2:  # cancelled before the awards, registered again on a later award's day
            if not len(gaps):
                continue
            j = int(rng.choice(gaps))
            cut, again = first - int(rng.integers(1, 200)), int(days[j])
            registration(pool, "CANCELADA", registered, cut, variant)
            registration(pool, "ACTIVA", again, None, variant + 1)
            fire = awards[(days > cut) & (days < again)]
        else:  # near-miss: an older registration cancelled, the current one active since before
            registration(pool, "CANCELADA", registered - 2000, registered - 30, variant)
            registration(pool, "ACTIVA", registered, None, variant + 1)
            fire = awards[:0]
        pick.take(pool)
        flagged.update(fire.tolist())
        variant += 1
    for pool in pick.suppliers(lambda p: pick.documented(p)):  # near-miss: cancelled on the last award day
        awards = pick.doc_awards(pool)
        registration(pool, "CANCELADA", int(u.day[awards[0]]) - 1000, int(u.day[awards[-1]]), 0)
        pick.take(pool)
        break
    plan.flag("inactive_supplier", award_keys(world, flagged))

    # new_supplier_big_award
    big = u.value >= NEW_SUPPLIER_VALUE
    flagged = set()
    boundary = [int(world.award_supplier[a]) for a in world.new_supplier_boundary]

    def first_registration(pool: int, award: int, days_before: int) -> None:
        awards = pick.doc_awards(pool)
        registered = int(u.day[award]) - days_before
        registration(pool, "ACTIVA", registered, None, len(rows))
        after = u.day[awards] - registered
        flagged.update(awards[big[awards] & (after >= 0) & (after < RULES.new_supplier_max_days)].tolist())
        pick.take(pool)

    for pool in boundary:
        first_registration(pool, _award_of(world, pool), 100)
    candidates = pick.suppliers(lambda p: pick.documented(p) and bool(np.any(big[pick.doc_awards(p)])))
    for k, pool in enumerate(candidates):
        if len(flagged) >= min(target, 8) and k >= 4:
            break
        award = int(rng.choice(pick.doc_awards(pool)[big[pick.doc_awards(pool)]]))
        before = (int(rng.integers(1, RULES.new_supplier_max_days)), 0, RULES.new_supplier_max_days)[min(k, 2)]
        first_registration(pool, award, before if k < 3 else int(rng.integers(0, RULES.new_supplier_max_days)))
    plan.flag("new_supplier_big_award", award_keys(world, flagged))


def _award_of(world: World, pool: int) -> int:
    """The award whose contract value was set for a new-supplier boundary plant."""
    return next(a for a in world.new_supplier_boundary if world.award_supplier[a] == pool)


def plant_pep_and_posts(world: World, pick: Picker, plan: Plan) -> None:
    """pep_supplier: in post (no end) since before some awards (since an award's day too); left the post
    exactly two years before an award. Near-misses: in post from the day after an award, left two years
    and a day before, an award whose contract types the document as a NIT. sensitive_post_supplier:
    in post since an award's day or before; near-misses: from the day after, a NIT-typed contract.
    Documents are persons' ids, some written with dots or leading zeros. Only contracts (typed with a
    person's document) fall inside a planted window: an award without contract has no document type,
    which the rule may or may not accept, so none is ever in a window."""
    u, rng = world.universe, pick.rng
    target = fire_count(len(u.day))

    def candidates() -> Iterable[int]:
        return pick.suppliers(
            lambda p: pick.documented(p, person=True) and bool(np.any(u.contract[pick.doc_awards(p)] >= 0))
        )

    def doc_text(doc: str, variant: int) -> str:
        if variant % 3 == 1:
            return f"{int(doc):,}".replace(",", ".")
        if variant % 3 == 2:
            return doc.rjust(11, "0")
        return doc

    def in_window(awards: np.ndarray, start: int, end: int | None) -> np.ndarray:
        days = u.day[awards]
        return awards[(days >= start) & ((days <= end) if end is not None else True)]

    def typed(awards: np.ndarray) -> np.ndarray:
        return awards[[(t or "").strip().upper() != "NIT" for t in u.doc_type[awards]]]

    def contract_after_processes(awards: np.ndarray) -> tuple[np.ndarray, int]:
        """The contract awards after the last process award, and that process award's day."""
        process = awards[u.contract[awards] < 0]
        latest = int(u.day[process].max()) if len(process) else -(10**6)
        return awards[(u.contract[awards] >= 0) & (u.day[awards] > latest)], latest

    def attempt(kind: str, pool: int, rows: list[dict], indicator: str, variant: int, flagged: set[int]) -> bool:
        """Plant one list row of this kind for this supplier; False if the supplier does not fit."""
        awards = pick.doc_awards(pool)
        days = u.day[awards]
        doc = u.doc[awards[0]]
        contracts, latest = contract_after_processes(awards)
        end = None
        if kind == "before":
            if not len(contracts):
                return False
            a = int(rng.choice(contracts))
            start = int(u.day[a]) - int(rng.integers(0, max(1, min(400, int(u.day[a]) - latest))))
        elif kind == "from an award":
            if not len(contracts):
                return False
            start = int(u.day[contracts[-1]])
        elif kind in ("left, grace boundary", "grace + 1"):
            pool_of = contracts if kind == "left, grace boundary" else awards
            ok = [a for a in pool_of if plain(u.day[a]) and as_date(u.day[a]).month != 2]
            if not ok:
                return False
            day = int(u.day[ok[-1]])
            end = add_years(day, -RULES.pep_grace_years) - (kind == "grace + 1")
            before = u.day[awards[(u.contract[awards] < 0) & (days <= day)]]
            start = max(int(before.max()) + 1 if len(before) else -(10**6), end - int(rng.integers(200, 1500)))
        elif kind == "day after":
            start = int(days[-1]) + 1
        else:  # NIT type: the single contract says the document is a NIT
            if len(awards) != 1 or u.contract[awards[0]] < 0:
                return False
            start = int(days[0]) - 100
        if end is not None and start > end:
            return False
        limit = add_years(end, RULES.pep_grace_years) if end is not None else None
        window = in_window(awards, start, limit)
        if np.any(u.contract[window] < 0):
            return False
        if kind == "NIT type":
            world.contract().doc_type[int(u.contract[awards[0]])] = "NIT"
            u.doc_type[awards[0]] = "NIT"
        row = {"party": pool, "doc": doc_text(doc, variant), "start": start}
        if indicator == "pep":
            row["end"] = end
        rows.append(row)
        plan.docs[indicator].add(int(doc))
        flagged.update(typed(window).tolist())
        pick.take(pool)
        return True

    near_kinds = {"day after", "grace + 1", "NIT type"}

    def plant(indicator: str, kinds: tuple[str, ...], firing: int, pools: list[int], near_pools: list[int]) -> None:
        """The listed kinds once each, then firing kinds until the target; firing kinds take suppliers
        with contracts, near-misses any documented person."""
        rows, flagged = plan.rows[indicator], set()
        sources = {False: iter(pools), True: iter(near_pools)}
        todo, k = list(kinds), 0
        while todo or len(flagged) < target:
            kind = todo[0] if todo else kinds[k % firing]
            pool = next((p for p in sources[kind in near_kinds] if p not in pick.used), None)
            if pool is None:
                if not todo:
                    break
                todo.pop(0)
                continue
            if attempt(kind, pool, rows, indicator, k, flagged):
                k += 1
                if todo:
                    todo.pop(0)
        plan.flag("pep_supplier" if indicator == "pep" else "sensitive_post_supplier", award_keys(world, flagged))

    # The two lists share the scarce candidates: PEP takes every other one, sensitive posts the rest.
    pools = list(candidates())
    anyone = list(pick.suppliers(lambda p: pick.documented(p, person=True)))
    pep_kinds = ("before", "from an award", "left, grace boundary", "day after", "grace + 1", "NIT type")
    plant("pep", pep_kinds, 3, pools[0::2], anyone)
    plant("posts", ("before", "from an award", "day after", "NIT type"), 2, pools[1::2] + pools, anyone[::-1])
