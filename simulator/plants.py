"""Planted red flags in the sources simulator.datasets derives from the processes.

`simulator.generator` plants the process-level cases (repeat awards, single bidders, short submission
periods, awards close to the base price, contract splitting, direct-award share) and lists them in
`ground_truth/planted_processes.csv`. This module plants everything that lives in the other sources,
against the award universe of the world (`datasets._Universe`: one award per awarded process, its
date and value as the warehouse will see them):

- contract values: value additions over 1.5 x the award, new suppliers' awards at exactly 500M;
- cancelled contracts, fines, execution lines, offers and every register (RUES, PEP, SIGEP, SIRI,
  PACO works and fiscal bulletin): rows that make chosen awards fire, next to near-misses one day,
  one peso or one spelling away.

Each planting function picks suppliers no other plant uses, writes the rows into the plan and adds
the awards the rule flags (evaluated on the planted rows: the background never fires by
construction) to the plan's truth. Everything is deterministic for a seed.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from simulator import datasets as ds
from simulator.truth import RUN_DATE, Rules

RULES = Rules()
EPOCH = date(1970, 1, 1)
RUN_DAY = (date.fromisoformat(RUN_DATE) - EPOCH).days
NEW_SUPPLIER_VALUE = RULES.new_supplier_min_value
FIRST_ACT = (date(2017, 3, 1) - EPOCH).days  # an act before every award


def as_date(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


def add_months(day: int, months: int) -> int:
    """The day `months` calendar months later (earlier if negative), clamped to the month's end."""
    d = as_date(day)
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    return (date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1])) - EPOCH).days


def add_years(day: int, years: int) -> int:
    return add_months(day, 12 * years)


def plain(day: int) -> bool:
    """A day whose calendar arithmetic is unambiguous: day of month at most 28."""
    return as_date(day).day <= 28


@dataclass
class Plan:
    """What the planting functions decided: rows per source and the awards each indicator must flag."""

    truth: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    docs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # planted docs per source

    def flag(self, indicator: str, keys: Iterable[str]) -> None:
        self.truth[indicator].update(keys)


class Picker:
    """Suppliers available to plants: all their awards outside the generator's plants, each used once."""

    def __init__(self, world: ds._World, rng: np.random.Generator) -> None:
        self.world, self.rng, u = world, rng, world.universe
        self.u = u
        stage1 = set(u.pool[u.tagged].tolist())
        self.used: set[int] = {-1} | stage1 | world.value_planted
        self.awards_of: dict[int, np.ndarray] = {}  # pool index -> its awards, by day
        order = np.lexsort((np.arange(len(u.day)), u.day))
        for pool, group in _groups(u.pool[order]):
            if pool >= 0:
                self.awards_of[pool] = order[group]
        self.by_doc: dict[str, np.ndarray] = {}
        for doc, group in _groups(u.doc[order]):
            if doc is not None:
                self.by_doc[doc] = order[group]

    def doc_awards(self, pool: int) -> np.ndarray:
        """Awards whose document is this supplier's (the awards that hide it are not matched by document)."""
        doc = self.u.doc[self.awards_of[pool]]
        known = [d for d in doc if d is not None]
        return self.by_doc[known[0]] if known else np.zeros(0, np.int64)

    def suppliers(self, accept: Callable[[int], bool]) -> Iterable[int]:
        """Unused suppliers (pool indexes) in random order that `accept`; the caller marks the ones it uses."""
        for pool in self.rng.permutation(np.array(sorted(self.awards_of), np.int64)).tolist():
            if pool not in self.used and accept(pool):
                yield pool

    def documented(self, pool: int, *, person: bool | None = None, contracts_only: bool = False) -> bool:
        """The supplier shows its document on some award; of the given kind; all awards are contracts."""
        awards = self.doc_awards(pool)
        if not len(awards):
            return False
        doc = self.u.doc[awards[0]]
        if person is not None and (ds._doc_kind(doc, doc) == ds.DOC_PERSON) != person:
            return False
        return not contracts_only or bool(np.all(self.u.contract[awards] >= 0))

    def hidden(self, pool: int) -> bool:
        """Every award hides the supplier's document, one name key, shared with no other supplier."""
        awards = self.awards_of[pool]
        names = set(self.u.name[awards].tolist())
        return (
            bool(np.all(self.u.doc[awards] == None))  # noqa: E711 (object array)
            and len(names) == 1
            and None not in names
            and self.world.universe.name_owners[next(iter(names))] == {pool}
        )

    def take(self, pool: int) -> None:
        self.used.add(pool)


def _groups(values: np.ndarray) -> Iterable[tuple[object, np.ndarray]]:
    """(value, positions) of each distinct value, positions in increasing order."""
    index: dict[object, list[int]] = defaultdict(list)
    for i, v in enumerate(values.tolist()):
        index[v].append(i)
    return ((v, np.array(positions, np.int64)) for v, positions in index.items())


def _fire_count(n_awards: int) -> int:
    return int(np.clip(round(n_awards / 150), 5, 15))


# --- contract values (before the universe is fixed) -------------------------------------------------


def plant_contract_values(world: ds._World, rng: np.random.Generator, plan: Plan) -> None:
    """value_additions (contract value above 1.5 x the award) and new suppliers' awards of exactly 500M."""
    c, awards = world.contract(), world.awards
    text = awards["valor_total_adjudicacion"].to_pylist()
    lots = [int(v or 0) for v in awards["numero_de_lotes"].to_pylist()]
    tagged = world.tagged
    live = np.flatnonzero(c.live)
    rng.shuffle(live)
    whole = [t.isdigit() and int(t) % 2 == 0 and int(t) > 0 for t in text]
    fire = _fire_count(len(text))

    def contracts(accept: Callable[[int], bool]) -> Iterable[int]:
        for i in live.tolist():
            a = int(c.award[i])
            if not tagged[a] and world.award_supplier[a] not in world.value_planted and accept(a):
                world.value_planted.add(int(world.award_supplier[a]))
                yield i

    plain_lot = contracts(lambda a: whole[a] and lots[a] <= 1)
    # contract value = awarded value x num / den (+ 1 peso): fires above 1.5, exactly 1.5 does not
    factors = [(3, 2, 1), (2, 1, 0), (8, 5, 0)]
    for k, i in zip(range(fire + 1), plain_lot, strict=False):
        num, den, extra = factors[k % len(factors)] if k < fire else (3, 2, 0)
        c.set_value(i, str(int(text[c.award[i]]) * num // den + extra))
        if k < fire:
            plan.flag("value_additions", [c.ids[i]])
    for i in contracts(lambda a: whole[a] and lots[a] >= 2):  # a multi-lot process: out of the universe
        c.set_value(i, str(int(text[c.award[i]]) * 2))
        break

    # New suppliers: a documented supplier's award of exactly 500M (fires) or one peso less (does not).
    def boundary(a: int) -> bool:
        value = float(text[a])
        return 0.72 * NEW_SUPPLIER_VALUE <= value <= 1.38 * NEW_SUPPLIER_VALUE and world.award_doc_kind[a] in (
            ds.DOC_COMPANY,
            ds.DOC_PERSON,
        )

    for value, i in zip((NEW_SUPPLIER_VALUE, NEW_SUPPLIER_VALUE - 1), contracts(boundary), strict=False):
        c.set_value(i, str(value))
        world.new_supplier_boundary.append(int(c.award[i]))


# --- registers -----------------------------------------------------------------------------------------


def _keys(world: ds._World, awards: Iterable[int]) -> list[str]:
    return [world.universe.key[a] for a in awards]


def plant_rues(world: ds._World, pick: Picker, plan: Plan) -> None:
    """inactive_supplier: a cancelled registration before some awards (cut between awards, exactly on an
    award day, or a new registration later that covers the later awards); near-misses: an active
    registration covering the cancelled one, a cancellation on the last award day. new_supplier_big_award:
    a first registration less than 365 days before an award of 500M or more (on the award day too);
    near-misses: exactly 365 days before, an award one peso under 500M."""
    u, rng, rows = world.universe, pick.rng, plan.rows["rues"]
    target = _fire_count(len(u.day))

    def registration(pool: int, state: str, registered: int, cancelled: int | None, variant: int) -> None:
        doc = pick.u.doc[pick.doc_awards(pool)[0]]
        person = ds._doc_kind(doc, doc) == ds.DOC_PERSON
        number = doc
        if variant % 3 == 1:  # a company's NIT with its check digit glued on, a person's id zero-padded
            number = f"{doc}{ds._check_digits(np.array([int(doc)]))[0]}" if not person else doc.rjust(12, "0")
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
    plan.flag("inactive_supplier", _keys(world, flagged))

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
    plan.flag("new_supplier_big_award", _keys(world, flagged))


def _award_of(world: ds._World, pool: int) -> int:
    """The award whose contract value was set for a new-supplier boundary plant."""
    return next(a for a in world.new_supplier_boundary if world.award_supplier[a] == pool)


def plant_pep_and_posts(world: ds._World, pick: Picker, plan: Plan) -> None:
    """pep_supplier: in post (no end) since before some awards (since an award's day too); left the post
    exactly two years before an award. Near-misses: in post from the day after an award, left two years
    and a day before, an award whose contract types the document as a NIT. sensitive_post_supplier:
    in post since an award's day or before; near-misses: from the day after, a NIT-typed contract.
    Documents are persons' ids, some written with dots or leading zeros. Only contracts (typed with a
    person's document) fall inside a planted window: an award without contract has no document type,
    which the rule may or may not accept, so none is ever in a window."""
    u, rng = world.universe, pick.rng
    target = _fire_count(len(u.day))

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
        plan.flag("pep_supplier" if indicator == "pep" else "sensitive_post_supplier", _keys(world, flagged))

    # The two lists share the scarce candidates: PEP takes every other one, sensitive posts the rest.
    pools = list(candidates())
    anyone = list(pick.suppliers(lambda p: pick.documented(p, person=True)))
    pep_kinds = ("before", "from an award", "left, grace boundary", "day after", "grace + 1", "NIT type")
    plant("pep", pep_kinds, 3, pools[0::2], anyone)
    plant("posts", ("before", "from an award", "day after", "NIT type"), 2, pools[1::2] + pools, anyone[::-1])


def plant_siri(world: ds._World, pick: Picker, plan: Plan) -> None:
    """sanctioned_supplier: a sanction in force at some awards (from an award's day; ending exactly on a
    later award's day, which does not fire). Near-misses: a zero-duration sanction, one in force after
    the last award."""
    u, rng, rows = world.universe, pick.rng, plan.rows["siri"]
    target = _fire_count(len(u.day))
    flagged: set[int] = set()
    kinds = ("in force", "from an award", "ends on an award", "zero", "after")
    for k, pool in enumerate(pick.suppliers(lambda p: pick.documented(p, person=True))):
        kind = kinds[k] if k < len(kinds) else kinds[k % 3]
        if k >= len(kinds) and len(flagged) >= target:
            break
        awards = pick.doc_awards(pool)
        days = u.day[awards]
        years, months, extra = int(rng.integers(1, 4)), int(rng.integers(0, 12)), int(rng.integers(0, 20))
        if kind == "in force":
            effect = int(days[int(rng.integers(0, len(days)))]) - int(rng.integers(0, 200))
        elif kind == "from an award":
            effect = int(days[0])
        elif kind == "ends on an award":
            ok = [a for a in awards[1:] if plain(u.day[a])] if len(awards) > 1 else []
            if not ok:
                continue
            end_award = int(ok[0])
            years, extra = 0, 0
            months = int(rng.integers(2, 30))
            effect = add_months(int(u.day[end_award]), -months)
        elif kind == "zero":
            years = months = extra = 0
            effect = int(days[0]) - int(rng.integers(10, 500))
        else:
            effect = int(days[-1]) + int(rng.integers(1, 25))
        rows.append({"party": pool, "effect": effect, "years": years, "months": months, "days": extra})
        plan.docs["siri"].add(int(u.doc[awards[0]]))
        if years + months + extra:
            end = add_months(effect, 12 * years + months) + extra
            flagged.update(awards[(days >= effect) & (days < end)].tolist())
        pick.take(pool)
    plan.flag("sanctioned_supplier", _keys(world, flagged))


def _similar_name(world: ds._World, pool: int) -> str:
    """A name one word away from a supplier's, matching no award's name key."""
    base = world.pool.parties.name[pool]
    for suffix in (" Y ASOCIADOS", " DEL NORTE", " 2", " HERMANOS"):
        name = base + suffix
        if ds.name_match_key(name) not in world.universe.name_owners:
            return name
    raise RuntimeError("generator bug: no unused similar name")


def _name_variant(world: ds._World, pool: int, k: int) -> str:
    """The supplier's name as a register writes it: title case, accents folded or as awarded."""
    name = world.pool.parties.name[pool]
    return (name.title(), ds._fold(name), name + " ")[k % 3]


def plant_works_and_bulletin(world: ds._World, pick: Picker, plan: Plan) -> None:
    """barred_unfinished_works: the supplier as CONTRATISTA (any case) of a work whose act is before some
    awards (or on an award's day, which does not fire); by name when the line has no document.
    Near-misses: an INTERVENTOR, a similar name. barred_fiscal_liability: every award of a listed
    supplier ('NIT 900123456-7', 'NIT 9001234567', 'CC 52.345.678'...; by name without document).
    Near-misses: a similar name, a supplier on a shifted row (quarantined by the trusted zone)."""
    u, rng = world.universe, pick.rng
    target = _fire_count(len(u.day))
    works, flagged = plan.rows["works"], set()
    roles = ("CONTRATISTA", "Contratista ", "contratista", "CONTRATISTA")
    kinds = ("before", "on an award", "before", "interventor", "before")
    for k, pool in enumerate(pick.suppliers(lambda p: pick.documented(p))):
        kind = kinds[k] if k < len(kinds) else "before"
        if k >= len(kinds) and len(flagged) >= target:
            break
        awards = pick.doc_awards(pool)
        days = u.day[awards]
        doc = u.doc[awards[0]]
        role = roles[k % len(roles)]
        if kind == "before":
            act = int(days[int(rng.integers(0, len(days)))]) - int(rng.integers(1, 300))
        elif kind == "on an award":
            act = int(days[0])
        else:
            role, act = "INTERVENTOR", int(days[0]) - 400
        works.append({"party": pool, "doc": doc, "role": role, "act": act, "name": None})
        plan.docs["works"].add(int(doc))
        if role.strip().upper() in RULES.works_contractor_roles:
            flagged.update(awards[days > act].tolist())
        pick.take(pool)
    for k, pool in enumerate(pick.suppliers(pick.hidden)):  # by name: the line has no document
        awards = pick.awards_of[pool]
        act = int(u.day[awards[0]]) - int(rng.integers(1, 200))
        works.append(
            {"party": pool, "doc": "", "role": "CONTRATISTA", "act": act, "name": _name_variant(world, pool, k)}
        )
        flagged.update(awards[u.day[awards] > act].tolist())
        pick.take(pool)
        break
    for pool in pick.suppliers(lambda p: pick.documented(p)):  # near-miss: a similar name, no document
        works.append(
            {"party": pool, "doc": "", "role": "CONTRATISTA", "act": FIRST_ACT, "name": _similar_name(world, pool)}
        )
        break
    plan.flag("barred_unfinished_works", _keys(world, flagged))

    bulletin, flagged = plan.rows["bulletin"], set()
    for k, pool in enumerate(pick.suppliers(lambda p: pick.documented(p))):
        if k >= 4 and len(flagged) >= min(target, 8):
            break
        awards = pick.doc_awards(pool)
        doc = u.doc[awards[0]]
        person = ds._doc_kind(doc, doc) == ds.DOC_PERSON
        if person:
            text = ("CC " + f"{int(doc):,}".replace(",", ".")) if k % 2 else f"CC {doc}"
        else:
            dv = ds._check_digits(np.array([int(doc)]))[0]
            text = (f"NIT {doc}-{dv}", f"NIT {doc}{dv}", f"NIT {int(doc):,}".replace(",", "."), f"NIT {doc}")[k % 4]
        bulletin.append({"party": pool, "doc": text, "name": None, "shifted": False})
        plan.docs["bulletin"].add(int(doc))
        flagged.update(awards.tolist())
        pick.take(pool)
    for k, pool in enumerate(pick.suppliers(pick.hidden)):
        bulletin.append({"party": pool, "doc": "", "name": _name_variant(world, pool, k + 1), "shifted": False})
        flagged.update(pick.awards_of[pool].tolist())
        pick.take(pool)
        break
    for pool in pick.suppliers(lambda p: pick.documented(p)):
        bulletin.append({"party": pool, "doc": "", "name": _similar_name(world, pool), "shifted": False})
        break
    for pool in pick.suppliers(lambda p: pick.documented(p)):  # quarantined row: never in the warehouse
        doc = u.doc[pick.doc_awards(pool)[0]]
        bulletin.append({"party": pool, "doc": f"NIT {doc}", "name": None, "shifted": True})
        plan.docs["bulletin"].add(int(doc))
        pick.take(pool)
        break
    plan.flag("barred_fiscal_liability", _keys(world, flagged))


# --- SECOP II satellites ------------------------------------------------------------------------------


def plant_fines(world: ds._World, pick: Picker, plan: Plan) -> None:
    """barred_fines by supplier code (event before some awards, on an award's day, exactly 3 years
    before an award; near-misses 3 years and a day, a revoked fine), two fines naming no contract ('No
    definido') with the same act number in two processes (two rows, both fire), by the fined contract's
    document (no code), by a code that is in fact the supplier's document (zero-padded too; near-miss:
    one digit off), by name (no code, contract unknown)."""
    u, rng, c, rows = world.universe, pick.rng, world.contract(), plan.rows["fines"]
    target = _fire_count(len(u.day))
    contracts_of: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(c.award.tolist()):
        contracts_of[int(world.award_supplier[a])].append(i)
    flagged: set[int] = set()
    lookback = RULES.fines_lookback_years
    codes = set(world.pool.code)
    taken = codes | u.documents  # what a fine's code may match
    shared_act = f"RESOLUCIÓN 1 DE {as_date(RUN_DAY).year - 2}"  # the act number of both unnamed fines

    def window(awards: np.ndarray, event: int) -> np.ndarray:
        return awards[[event < u.day[a] and event >= add_years(int(u.day[a]), -lookback) for a in awards]]

    def before(awards: np.ndarray) -> int:
        return int(u.day[awards[int(rng.integers(0, len(awards)))]]) - int(rng.integers(1, 300))

    def fine(contract: int, pool: int, event: int, **fields: str | int | None) -> None:
        award = int(c.award[contract]) if contract >= 0 else int(pick.awards_of[pool][0])
        row = {"contract": contract, "award": award, "code": world.pool.code[pool], "event": event}
        rows.append({**row, "name": world.pool.parties.name[pool], **fields})
        pick.take(pool)

    def unused_code(doc: str) -> str:
        """A number one digit off the document: no award's code nor document."""
        return next(str(v) for v in range(int(doc) + 1, int(doc) + 100) if str(v) not in taken)

    def attempt(kind: str, pool: int) -> bool:
        """Plant one fine of this kind on this supplier; False if the supplier does not fit."""
        awards = pick.awards_of[pool]
        days = u.day[awards]
        contract = int(rng.choice(contracts_of[pool]))
        if kind in ("document", "code is the document", "code is the padded document", "code one digit off"):
            shown = [i for i in contracts_of[pool] if u.doc[c.award[i]] is not None]
            doc = u.doc[c.award[shown[0]]] if shown else None
            if doc is None or (kind != "document" and (len(doc) not in (7, 8) or doc in codes)):
                return False  # the fines' codes have 7-8 digits; this one must be no supplier's SECOP code
            doc_awards = pick.by_doc[doc]
            event = int(u.day[doc_awards[0]]) - int(rng.integers(1, 200))
            if kind == "document":  # the fine has no code: its contract's supplier document matches
                fine(shown[0], pool, event, code=None)
            elif kind != "code one digit off":  # no contract named, the code is the document (zero-padded)
                padded = "0" * (kind == "code is the padded document") + doc
                fine(-1, pool, event, code=padded, contract_id=ds.NO_CONTRACT)
            else:
                fine(-1, pool, event, code=unused_code(doc), contract_id=ds.NO_CONTRACT)
                return True
            flagged.update(window(doc_awards, event).tolist())
            return True
        if kind in ("before", "revoked", "unnamed"):
            event = before(awards)
        elif kind == "on an award":
            event = int(days[0])
        else:  # the lookback boundary, or a day beyond it
            ok = [a for a in awards if plain(u.day[a]) and as_date(u.day[a]).month != 2]
            if not ok:
                return False
            event = add_years(int(u.day[ok[-1]]), -lookback) - (kind == "lookback + 1")
        if kind == "revoked":
            fine(contract, pool, event, state="Revocada")
            return True
        if kind == "unnamed":
            fine(-1, pool, event, contract_id=ds.NO_CONTRACT, act=shared_act)
        else:
            fine(contract, pool, event)
        flagged.update(window(awards, event).tolist())
        return True

    def fits(kind: str) -> Callable[[int], bool]:
        """Suppliers with a contract whose code is no award's document; two awards or more for the kinds
        that date a fine among the awards."""
        awards = 1 if kind.startswith("code ") else 2
        return lambda pool: (
            len(pick.awards_of[pool]) >= awards
            and bool(contracts_of.get(pool))
            and not ds.code_reads_as_award_document(world, world.pool.code[pool])
        )

    kinds = (
        "before", "on an award", "lookback boundary", "lookback + 1", "revoked", "unnamed", "unnamed", "document",
        "code is the document", "code is the padded document", "code one digit off",
    )  # fmt: skip
    for k in range(len(kinds) + target):
        if k >= len(kinds) and len(flagged) >= target:
            break
        kind = kinds[k] if k < len(kinds) else "before"
        next((pool for pool in pick.suppliers(fits(kind)) if attempt(kind, pool)), None)
    for k, pool in enumerate(pick.suppliers(pick.hidden)):  # by name: no code, a contract SECOP does not list
        awards = pick.awards_of[pool]
        event = int(u.day[awards[0]]) - int(rng.integers(1, 300))
        fine(-1, pool, event, code=None, name=_name_variant(world, pool, k))
        flagged.update(window(awards, event).tolist())
        break
    plan.flag("barred_fines", _keys(world, flagged))


def plant_cancelled(world: ds._World, pick: Picker, plan: Plan) -> None:
    """supplier_cancelled_contracts: a cancelled contract of the supplier, cancelled before some of its
    awards, listed in the cancelled-contracts dataset (cancelled on its `fechamodificacion`; on an award's
    day, which does not fire) or only in the contracts dataset, in state Cancelado in any case
    (cancelled on its last update); its document written with the check digit or dots. Near-misses:
    no cancellation date, listed or not (the signing date, before the awards, never stands in); a
    listed contract cancelled after the last award whose last update in the contracts dataset is
    before some awards (the listing's date wins). The other cancelled contracts are cancelled on or
    after their supplier's last award."""
    u, rng, c = world.universe, pick.rng, world.contract()
    target = _fire_count(len(u.day))
    flagged: set[int] = set()
    by_key: dict[str, np.ndarray] = {}
    order = np.lexsort((np.arange(len(u.day)), u.day))
    for key, group in _groups(u.supplier[order]):
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
            c.cancel_day[i] = min(ds.SNAPSHOT_DAY, int(days[-1]) + int(rng.integers(1, 30)))
        else:
            flagged.update(awards[days > cut].tolist())
        doc = u.doc[host]
        if doc is not None and len(planted) % 2:  # the same document, written with dots (and the check digit)
            dotted = f"{int(doc):,}".replace(",", ".")
            company = ds._doc_kind(doc, doc) == ds.DOC_COMPANY
            c.doc_text[i] = dotted + f"-{ds._check_digits(np.array([int(doc)]))[0]}" if company else dotted
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
    plan.flag("supplier_cancelled_contracts", _keys(world, flagged))
    # The background: cancelled on or after the last award of the supplier key.
    for i in np.flatnonzero(c.cancelled).tolist():
        if i in planted:
            continue
        key = u.supplier[int(c.award[i])]
        last = int(u.day[by_key[key]].max()) if key is not None else int(c.sign_day[i])
        low = max(last, int(c.sign_day[i]))
        c.updated_day[i] = c.cancel_day[i] = min(ds.SNAPSHOT_DAY, low + int(rng.integers(0, 90)))


def _quantity(due: int, late: int | None, due_qty: str, received: str) -> dict:
    """A plan line of quantities: due `due` days from the as-of date, delivered `late` days after (None: not
    delivered), `received` of `due_qty` units."""
    progress = "100" if received == due_qty else "0"
    return {"type": "Entregable", "due": due, "late": late, "due_qty": due_qty, "received": received,
            "expected": "100", "progress": progress}  # fmt: skip


def _percentage(due: int, expected: str, progress: str, late: int | None = None, **fields: str) -> dict:
    """A plan line of progress: `progress` percent done where `expected` was due; no quantities."""
    line = {"type": "Porcentaje", "due": due, "late": late, "due_qty": ds.NO_DEFINIDO, "received": ds.NO_DEFINIDO}
    return {**line, "expected": expected, "progress": progress, **fields}


def plant_delivery(world: ds._World, pick: Picker, plan: Plan) -> None:
    """delivery_noncompliance: a line due before the as-of date with fewer units received (9 of 10), a
    line delivered a day late, a line due the day before the as-of date with nothing received, a
    percentage line behind its expected progress once due (79.9 of 80; the type in any case).
    Near-misses: due on the as-of date (quantities, and progress), over-delivered (10 of 9), a late
    percentage line on track, a percentage line short of units (its quantities are not tested), a
    percentage line of unknown progress, short and behind lines of a suspended contract (any case), late
    lines of a cancelled and of a draft contract, a line delivered on its due day."""
    u, rng, c, rows = world.universe, pick.rng, world.contract(), plan.rows["execution"]
    target = _fire_count(len(u.day))
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
        [_percentage(-100, "70", ds.NO_DEFINIDO)],
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
    plan.flag("delivery_noncompliance", _keys(world, flagged))


def plant_offers(world: ds._World, pick: Picker, plan: Plan) -> None:
    """costly_offers: another supplier's valid offer under the award value (in COP, without currency,
    as 'cop ', beside an invalid zero offer), or equal to the winner's and registered earlier (also an
    identical price). Near-misses: the cheaper offer in dollars, exactly the award value, the winner's own
    under another spelling of its document, from no identifiable supplier, beside no second valid
    offer, in a multi-lot process. identical_bid_prices: two suppliers offering the same amount ('X' and
    'X.00' too); near-misses: the same supplier twice, one or both offers in dollars, one peso apart,
    both zero. Every planted portfolio has no other offers."""
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

    def other(a: int, value: str, currency: str | None = "COP", day: int = 2) -> dict:
        for p in others:
            if p != world.award_supplier[a]:
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
        if doc is not None and ds._doc_kind(doc, doc) == ds.DOC_COMPANY:
            dv = ds._check_digits(np.array([int(doc)]))[0]
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
        lambda a, v: [winner(a, str(v)), same_supplier(a, pct(v, 0.9)), other(a, pct(v, 1.2))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 0.7), currency="USD")],
        lambda a, v: [winner(a, str(v)), nobody(a, pct(v, 0.6)), other(a, pct(v, 1.15))],
    ]
    identical: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, pct(v, 1.2))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.3)), other(a, pct(v, 1.3) + ".00")],
    ]
    identical_near: list[Callable[[int, int], list[dict]]] = [
        lambda a, v: [winner(a, str(v)), same_supplier(a, str(v)), other(a, pct(v, 1.1))],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, pct(v, 1.2), currency="USD")],
        lambda a, v: [winner(a, str(v)), other(a, pct(v, 1.2)), other(a, str(round(v * 1.2) + 1))],
        lambda a, v: [winner(a, str(v)), other(a, "0"), other(a, "0"), other(a, pct(v, 1.4))],
        # two offers in dollars: not valid offers (COP or no currency), however equal
        lambda a, v: [
            winner(a, str(v)),
            other(a, pct(v, 1.25), currency="USD"),
            other(a, pct(v, 1.25), currency="USD"),
            other(a, pct(v, 1.3)),
        ],
    ]
    target = _fire_count(len(u.day))
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
            if case is costly[2]:
                plan.flag("identical_bid_prices", [u.key[a]])

    plant(costly, n_costly, ("costly_offers",))
    plant(costly_near, len(costly_near), ())
    plant(identical, n_identical, ("identical_bid_prices",))
    plant(identical_near, len(identical_near), ())
    if multi:  # a multi-lot process: cheaper offer, out of the costly-offers universe
        a = multi[0]
        v = int(u.value[a])
        rows.extend([winner(a, str(v)), other(a, pct(v, 0.9))])
        world.offers_planted.add(a)


def plant_all(world: ds._World, rng: np.random.Generator, plan: Plan) -> None:
    """Every plant of the sources other than processes, after the universe is fixed."""
    pick = Picker(world, rng)
    plant_pep_and_posts(world, pick, plan)  # the scarcest suppliers first: persons with contracts
    plant_siri(world, pick, plan)
    plant_rues(world, pick, plan)
    plant_works_and_bulletin(world, pick, plan)
    plant_fines(world, pick, plan)
    plant_cancelled(world, pick, plan)
    plant_delivery(world, pick, plan)
    plant_offers(world, pick, plan)
