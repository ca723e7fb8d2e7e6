"""simulator.truth.scores on hand-made findings: what fct_contract_risk and fct_indicator_summary must hold."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from simulator.dbt_vars import INDICATORS
from simulator.truth import Findings, award_risks, indicator_summaries

# Three awards; costly_offers evaluates A and B and flags A; delivery_noncompliance flags B on two plan lines;
# repeat_awards (every award) flags A and B as one unit.
FINDINGS = Findings(
    award_values={"A": Decimal("100.500"), "B": Decimal("200"), "C": None},
    universes={
        i: frozenset({"A", "B"}) if i in ("costly_offers", "delivery_noncompliance") else frozenset("ABC")
        for i in INDICATORS
    },
    flags={i: {} for i in INDICATORS}
    | {
        "costly_offers": {"A": {"unit_key": "P1", "excess_amount": Decimal("10.250")}},
        "delivery_noncompliance": {"B": {"unit_key": "B", "failing_lines": 2}},
        "repeat_awards": {"A": {"unit_key": "E|S|2024"}, "B": {"unit_key": "E|S|2024"}},
    },
)


def test_each_award_is_flagged_1_0_or_null_and_scored_over_the_indicators_that_evaluated_it():
    risks = award_risks(FINDINGS)
    assert [risks[k].flags["costly_offers"] for k in "ABC"] == [1, 0, None]
    evaluated_c = len(INDICATORS) - 2  # C is outside two universes
    assert [risks[k].flag_count for k in "ABC"] == [2, 2, 0]
    assert risks["A"].risk_score == Fraction(2, len(INDICATORS))
    assert risks["C"].risk_score == 0 and sum(f is not None for f in risks["C"].flags.values()) == evaluated_c


def test_weights_count_a_missing_indicator_as_1():
    weighted = award_risks(FINDINGS, {"costly_offers": 3, "repeat_awards": 0.5})
    total = len(INDICATORS) - 2 + 3 + 0.5
    assert weighted["A"].risk_score == Fraction(7, 2) / Fraction(str(total))
    assert weighted["B"].risk_score == Fraction(3, 2) / Fraction(str(total))  # delivery 1 + repeat 0.5


def test_summaries_count_units_awards_amounts_once_and_the_universe():
    summaries = indicator_summaries(FINDINGS)
    costly, delivery, repeat = (summaries[i] for i in ("costly_offers", "delivery_noncompliance", "repeat_awards"))
    assert (costly.flagged_units, costly.flagged_awards, costly.total_awards) == (1, 1, 2)
    assert (costly.flagged_amount, costly.flagged_excess_amount) == (Decimal("100.500"), Decimal("10.250"))
    assert delivery.flagged_units == 2  # its plan lines, not its award
    assert (repeat.flagged_units, repeat.flagged_awards, repeat.flagged_amount) == (1, 2, Decimal("300.500"))
    assert repeat.flagged_excess_amount is None and repeat.total_awards == 3
    assert summaries["single_bidder"].flagged_amount == 0 and summaries["single_bidder"].flagged_units == 0
