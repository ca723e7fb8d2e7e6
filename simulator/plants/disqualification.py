"""Disqualification: sanctioned_supplier (SIRI), barred_unfinished_works and barred_fiscal_liability (PACO),
barred_fines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from simulator.dates import RUN_DAY
from simulator.parties import check_digits
from simulator.plants.picker import Picker, award_keys
from simulator.plants.plan import FIRST_ACT, RULES, Plan, add_months, add_years, as_date, fire_count, plain
from simulator.sources.secop_ii_execution import NO_CONTRACT, code_reads_as_award_document
from simulator.vocabulary import fold_accents
from simulator.world import DOC_PERSON, World, document_kind
from spark_jobs.identifiers import name_match_key


def plant_siri(world: World, pick: Picker, plan: Plan) -> None:
    """sanctioned_supplier: a sanction in force at some awards (from an award's day; ending exactly on a
    later award's day, which does not fire). Near-misses: a zero-duration sanction, one in force after
    the last award."""
    u, rng, rows = world.universe, pick.rng, plan.rows["siri"]
    target = fire_count(len(u.day))
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
    plan.flag("sanctioned_supplier", award_keys(world, flagged))


def _similar_name(world: World, pool: int) -> str:
    """A name one word away from a supplier's, matching no award's name key."""
    base = world.pool.parties.name[pool]
    for suffix in (" Y ASOCIADOS", " DEL NORTE", " 2", " HERMANOS"):
        name = base + suffix
        if name_match_key(name) not in world.universe.name_owners:
            return name
    raise RuntimeError("generator bug: no unused similar name")


def _name_variant(world: World, pool: int, k: int) -> str:
    """The supplier's name as a register writes it: title case, accents folded or as awarded."""
    name = world.pool.parties.name[pool]
    return (name.title(), fold_accents(name), name + " ")[k % 3]


def plant_works_and_bulletin(world: World, pick: Picker, plan: Plan) -> None:
    """barred_unfinished_works: the supplier as CONTRATISTA (any case) of a work whose act is before some
    awards (or on an award's day, which does not fire); by name when the line has no document.
    Near-misses: an INTERVENTOR, a similar name. barred_fiscal_liability: every award of a listed
    supplier ('NIT 900123456-7', 'NIT 9001234567', 'CC 52.345.678'...; by name without document).
    Near-misses: a similar name, a supplier on a shifted row (quarantined by the trusted zone)."""
    u, rng = world.universe, pick.rng
    target = fire_count(len(u.day))
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
    plan.flag("barred_unfinished_works", award_keys(world, flagged))

    bulletin, flagged = plan.rows["bulletin"], set()
    for k, pool in enumerate(pick.suppliers(lambda p: pick.documented(p))):
        if k >= 4 and len(flagged) >= min(target, 8):
            break
        awards = pick.doc_awards(pool)
        doc = u.doc[awards[0]]
        person = document_kind(doc, doc) == DOC_PERSON
        if person:
            text = ("CC " + f"{int(doc):,}".replace(",", ".")) if k % 2 else f"CC {doc}"
        else:
            dv = check_digits(np.array([int(doc)]))[0]
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
    plan.flag("barred_fiscal_liability", award_keys(world, flagged))


def plant_fines(world: World, pick: Picker, plan: Plan) -> None:
    """barred_fines by supplier code (event before some awards, on an award's day, exactly 3 years
    before an award; near-misses 3 years and a day, a revoked fine), two fines naming no contract ('No
    definido') with the same act number in two processes (two rows, both fire), by the fined contract's
    document (no code), by a code that is in fact the supplier's document (zero-padded too; near-miss:
    one digit off), by name (no code, contract unknown)."""
    u, rng, c, rows = world.universe, pick.rng, world.contract(), plan.rows["fines"]
    target = fire_count(len(u.day))
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
                fine(-1, pool, event, code=padded, contract_id=NO_CONTRACT)
            else:
                fine(-1, pool, event, code=unused_code(doc), contract_id=NO_CONTRACT)
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
            fine(-1, pool, event, contract_id=NO_CONTRACT, act=shared_act)
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
            and not code_reads_as_award_document(world, world.pool.code[pool])
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
    plan.flag("barred_fines", award_keys(world, flagged))
