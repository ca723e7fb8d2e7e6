"""Contract values: value_additions and new_supplier_big_award (before the universe is fixed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np

from simulator.plants.plan import NEW_SUPPLIER_VALUE, RULES, Plan, fire_count
from simulator.world import DOC_COMPANY, DOC_PERSON, World


def plant_contract_values(world: World, rng: np.random.Generator, plan: Plan) -> None:
    """value_additions (contract value above 1.2 x the award, some above 1.5 x) and new suppliers' awards of
    exactly 500M (of awards at least 0.84 x that: the raised value stays within value_additions' soft level)."""
    c, awards = world.contract(), world.awards
    text = awards["valor_total_adjudicacion"].to_pylist()
    lots = [int(v or 0) for v in awards["numero_de_lotes"].to_pylist()]
    tagged = world.tagged
    live = np.flatnonzero(c.live)
    rng.shuffle(live)
    whole = [t.isdigit() and int(t) % 2 == 0 and int(t) > 0 for t in text]
    fire = fire_count(len(text))

    def contracts(accept: Callable[[int], bool]) -> Iterable[int]:
        for i in live.tolist():
            a = int(c.award[i])
            if not tagged[a] and world.award_supplier[a] not in world.value_planted and accept(a):
                world.value_planted.add(int(world.award_supplier[a]))
                yield i

    plain_lot = contracts(lambda a: whole[a] and lots[a] <= 1)
    # contract value = awarded value x factor (+ 1 peso): fires above the soft level (1 + value_additions_soft_pct,
    # 1.2; severity soft up to the cap 1 + value_additions_max_pct, 1.5, legal_cap above), exactly 1.2 does not
    soft, cap = (Fraction(str(1 + pct)) for pct in (RULES.value_additions_soft_pct, RULES.value_additions_max_pct))
    factors = ((cap, 1), (cap + Fraction(1, 2), 0), (soft, 1), (cap, 0))
    for k, i in zip(range(fire + 1), plain_lot, strict=False):
        factor, extra = factors[k % len(factors)] if k < fire else (soft, 0)
        c.set_value(i, str(int(text[c.award[i]]) * factor.numerator // factor.denominator + extra))
        if k < fire:
            plan.flag("value_additions", [c.ids[i]])
    for i in contracts(lambda a: whole[a] and lots[a] >= 2):  # a multi-lot process: out of the universe
        c.set_value(i, str(int(text[c.award[i]]) * 2))
        break

    # New suppliers: a documented supplier's award of exactly 500M (fires) or one peso less (does not).
    def boundary(a: int) -> bool:
        value = float(text[a])
        return 0.84 * NEW_SUPPLIER_VALUE <= value <= 1.38 * NEW_SUPPLIER_VALUE and world.award_doc_kind[a] in (
            DOC_COMPANY,
            DOC_PERSON,
        )

    for value, i in zip((NEW_SUPPLIER_VALUE, NEW_SUPPLIER_VALUE - 1), contracts(boundary), strict=False):
        c.set_value(i, str(value))
        world.new_supplier_boundary.append(int(c.award[i]))
