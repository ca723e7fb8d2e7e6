"""What the marts make of the oracle's Findings: each award's flags and risk score (fct_contract_risk) and each
indicator's counts (fct_indicator_summary), computed from the flags as docs/indicators/README.md defines them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from simulator.dbt_vars import INDICATORS
from simulator.truth.oracle import Findings
from simulator.truth.rules import FINER_UNITS


@dataclass(frozen=True)
class AwardRisk:
    """An award's flag per indicator (1 fired, 0 evaluated and clean, None outside its universe), how many fired
    and the weighted mean of its flags over the indicators that evaluated it (0 when none did)."""

    flags: dict[str, int | None]
    flag_count: int
    risk_score: Fraction


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator's counts: distinct irregularity units, distinct flagged awards, their values summed once
    each, their excess amounts summed (None when it has none) and the awards it evaluated."""

    flagged_units: int
    flagged_awards: int
    flagged_amount: Decimal
    flagged_excess_amount: Decimal | None
    total_awards: int


def award_risks(findings: Findings, weights: Mapping[str, float] | None = None) -> dict[str, AwardRisk]:
    """{award_key: AwardRisk} under `weights` (indicator_id -> weight; a missing id weighs 1)."""
    weight = {i: Fraction(str((weights or {}).get(i, 1))) for i in INDICATORS}
    risks = {}
    for award in findings.award_values:
        flags = {
            i: (1 if award in findings.flags[i] else 0) if award in findings.universes[i] else None for i in INDICATORS
        }
        evaluated = sum(weight[i] for i, flag in flags.items() if flag is not None)
        fired = sum(weight[i] for i, flag in flags.items() if flag)
        score = fired / evaluated if evaluated else Fraction(0)
        risks[award] = AwardRisk(flags, sum(1 for flag in flags.values() if flag), score)
    return risks


def indicator_summaries(findings: Findings) -> dict[str, IndicatorSummary]:
    """{indicator_id: IndicatorSummary}; an indicator whose unit is finer than an award counts its units with
    its FINER_UNITS figure."""
    summaries = {}
    for indicator in INDICATORS:
        flags = findings.flags[indicator]
        units = (
            sum(flag[FINER_UNITS[indicator]] for flag in flags.values())
            if indicator in FINER_UNITS
            else len({flag["unit_key"] for flag in flags.values()})
        )
        excess = [flag["excess_amount"] for flag in flags.values() if flag.get("excess_amount") is not None]
        summaries[indicator] = IndicatorSummary(
            flagged_units=units,
            flagged_awards=len(flags),
            flagged_amount=sum((findings.award_values[k] or Decimal(0) for k in flags), Decimal(0)),
            flagged_excess_amount=sum(excess, Decimal(0)) if excess else None,
            total_awards=len(findings.universes[indicator]),
        )
    return summaries
