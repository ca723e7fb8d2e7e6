"""Why an award is flagged, rendered from its flag: `render_reason(flag, lang)`.

The evidence JSON is the truth; the sentence is a rendering of it. The words are in texts/reasons.yml (a
template per indicator, fragments, counted phrases); here, per indicator, only the logic: which evidence field
fills which blank, formatted for the language, and which fragment or variant applies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from texts.formats import iso_date, money, number, percent
from texts.labels import match_method_name
from texts.templates import DEFAULT_LANGUAGE, checked_language, text

Counted = tuple[str, str]
"""A count to word: (its noun in texts/reasons.yml `count`, the evidence field holding it)."""


class EvidenceError(ValueError):
    """A flag lacks a column or an evidence field that its indicator's sentence quotes."""


class Flag:
    """One flag to render in one language: its row's columns, its evidence, and the formatting of figures."""

    def __init__(self, row: Mapping[str, Any], lang: str) -> None:
        self.row = row
        self.lang = lang
        self.indicator = row.get("indicator_id")
        evidence = self.column("evidence")
        self.evidence = json.loads(evidence, parse_float=Decimal) if isinstance(evidence, str) else evidence or {}

    def column(self, name: str) -> Any:
        """The flag row's column `name` (it may be null, it may not be missing)."""
        if name not in self.row:
            raise EvidenceError(f"{self.indicator}: the flag lacks the column {name!r}")
        return self.row[name]

    def field(self, name: str) -> Any:
        """The evidence's field `name` (it may be null, it may not be missing)."""
        if name not in self.evidence:
            raise EvidenceError(f"{self.indicator}: the evidence lacks the field {name!r}")
        return self.evidence[name]

    def listed(self, records: str, name: str) -> list[Any]:
        """The field `name` of each record of the evidence's list `records` (the list holds at least one)."""
        listed = self.field(records)
        if not listed:
            raise EvidenceError(f"{self.indicator}: the evidence lists no {records!r}")
        if any(name not in record for record in listed):
            raise EvidenceError(f"{self.indicator}: the evidence lacks the field '{records}[].{name}'")
        return [record[name] for record in listed]

    def first(self, *names: str) -> Any:
        """The first non-null of the evidence's fields `names` (each must be there)."""
        values = [self.field(name) for name in names]
        return next((value for value in values if value is not None), None)

    def words(self, key: str, **fields: Any) -> str:
        """The template `reasons.<key>` in the flag's language."""
        return text(f"reasons.{key}", self.lang, **fields)

    def count(self, noun: str, n: int) -> str:
        """`n` and its noun, singular or plural (`reasons.count.<noun>.one|other`)."""
        return self.words(f"count.{noun}.{'one' if abs(n) == 1 else 'other'}", n=self.number(n))

    def number(self, value: Any, decimals: int | None = 0) -> str:
        return number(value, self.lang, decimals)

    def money(self, value: Any) -> str:
        return money(value, self.lang)

    def percent(self, value: Any, decimals: int | None = None) -> str:
        return percent(value, self.lang, decimals)

    def ratio(self, name: str, decimals: int | None = None) -> str:
        """The evidence's field `name`, a fraction, as a percentage (0.25 -> 25 %)."""
        return self.percent(100 * Decimal(str(self.field(name))), decimals)

    def date(self, value: Any) -> str:
        return self.words("unknown_date") if value is None else iso_date(value)

    def match(self) -> str:
        """How the supplier was matched, in words (the row's match_method)."""
        return match_method_name(self.column("match_method"), self.lang)

    def entity(self) -> str:
        """The award's entity: its name, else its key, else the words for an unidentified one."""
        name, key = self.column("entity_name"), self.column("entity_key")
        return name or key or self.words("unknown_entity")

    def supplier(self) -> str:
        """The award's supplier: its name, else its key, else the words for an unidentified one."""
        name, key = self.column("supplier_name"), self.column("supplier_key")
        return name or key or self.words("unknown_supplier")

    def opening(self) -> str:
        """The start of a supplier's flag: "<entity> awarded <award key> to <supplier> on <award date>"."""
        return self.words(
            "award_opening",
            entity=self.entity(),
            award_key=self.column("award_key"),
            supplier=self.supplier(),
            award_date=self.date(self.column("award_date")),
        )


def repeat_awards(flag: Flag) -> str:
    return flag.words(
        "repeat_awards",
        entity=flag.entity(),
        awards=flag.count("contract", flag.field("group_awards")),
        supplier=flag.supplier(),
        award_year=str(flag.field("award_year")),
        threshold=flag.count("contract", flag.field("threshold")),
    )


def costly_offers(flag: Flag) -> str:
    return flag.words(
        "costly_offers",
        entity=flag.entity(),
        supplier=flag.supplier(),
        award_value=flag.money(flag.field("award_value")),
        process=flag.first("process_id", "portfolio_id"),
        gap=flag.money(flag.field("gap")),
        valid_offers=flag.count("valid_offer", flag.field("valid_offers")),
        cheapest_value=flag.money(flag.field("cheapest_offer_value")),
        cheapest_supplier=flag.first("cheapest_supplier_name", "cheapest_supplier_key"),
    )


def inactive_supplier(flag: Flag) -> str:
    return flag.words(
        "inactive_supplier", opening=flag.opening(), cancelled_date=flag.date(flag.field("last_cancelled_date"))
    )


def pep_supplier(flag: Flag) -> str:
    posts = "pep_records"  # the most recent post first
    starts = flag.listed(posts, "start_date")
    sentence = flag.words(
        "pep_supplier",
        opening=flag.opening(),
        post=flag.listed(posts, "post")[0] or flag.words("unnamed_post"),
        post_entity=flag.listed(posts, "entity")[0] or flag.words("unnamed_entity"),
        post_start=flag.date(starts[0]),
    )
    if len(starts) > 1:
        sentence += flag.words("pep_supplier.records", records=flag.count("pep_record", len(starts)))
    return sentence


def sensitive_post_supplier(flag: Flag) -> str:
    starts = flag.listed("posts", "start_date")  # the most recent post first
    sentence = flag.words(
        "sensitive_post_supplier",
        opening=flag.opening(),
        post=flag.listed("posts", "post")[0] or flag.words("unnamed_post"),
        institution=flag.listed("posts", "institution")[0] or flag.words("unnamed_institution"),
        post_start=flag.date(starts[0]),
    )
    if len(starts) > 1:
        sentence += flag.words("sensitive_post_supplier.posts", posts=flag.count("sensitive_post", len(starts)))
    return sentence + flag.words(
        "sensitive_post_supplier.snapshot", snapshot_date=flag.date(flag.field("snapshot_date"))
    )


def supplier_cancelled_contracts(flag: Flag) -> str:
    return flag.words(
        "supplier_cancelled_contracts",
        opening=flag.opening(),
        cancelled=flag.count("cancelled_contract", flag.field("cancelled_count")),
        last_cancelled_date=flag.date(flag.field("last_cancelled_date")),
    )


def delivery_noncompliance(flag: Flag) -> str:
    return flag.words(
        "delivery_noncompliance",
        contract_id=flag.field("contract_id"),
        supplier=flag.supplier(),
        entity=flag.entity(),
        failing_lines=flag.number(flag.field("failing_lines")),
        plan_lines=flag.count("plan_line", flag.field("plan_lines")),
        as_of_date=flag.date(flag.field("as_of_date")),
        short_lines=flag.number(flag.field("short_lines")),
        late_lines=flag.number(flag.field("late_lines")),
        tolerance=flag.count("day", flag.field("tolerance_days")),
        behind_lines=flag.number(flag.field("behind_lines")),
    )


def barred_fines(flag: Flag) -> str:
    years = flag.field("lookback_years")
    lookback = "" if years is None else flag.words("barred_fines.lookback", years=flag.count("year", years))
    return flag.words(
        "barred_fines",
        supplier=flag.supplier(),
        fines=flag.count("fine", flag.field("fines")),
        award_date=flag.date(flag.column("award_date")),
        lookback=lookback,
        latest_event_date=flag.date(flag.field("latest_event_date")),
        match=flag.words(f"barred_fines.matched_by.{flag.field('matched_by')}"),
    )


def barred_unfinished_works(flag: Flag) -> str:
    return flag.words(
        "barred_unfinished_works",
        supplier=flag.supplier(),
        works=flag.count("unfinished_work", flag.field("works")),
        award_date=flag.date(flag.column("award_date")),
        latest_act_date=flag.date(flag.field("latest_act_date")),
        match=flag.match(),
    )


def barred_fiscal_liability(flag: Flag) -> str:
    return flag.words(
        "barred_fiscal_liability",
        supplier=flag.supplier(),
        listings=flag.count("listing", flag.field("listings")),
        snapshot_date=flag.date(flag.field("snapshot_date")),
        award_date=flag.date(flag.column("award_date")),
        match=flag.match(),
    )


def sanctioned_supplier(flag: Flag) -> str:
    return flag.words(
        "sanctioned_supplier",
        supplier=flag.supplier(),
        sanctions=flag.count("sanction", flag.field("sanctions")),
        award_date=flag.date(flag.column("award_date")),
        latest_end_date=flag.date(flag.field("latest_end_date")),
    )


def single_bidder(flag: Flag) -> str:
    return flag.words("single_bidder", entity=flag.entity(), supplier=flag.supplier(), modality=flag.field("modality"))


def short_submission_period(flag: Flag) -> str:
    return flag.words(
        "short_submission_period",
        entity=flag.entity(),
        days=flag.count("day", flag.field("submission_days")),
        published_date=flag.date(flag.field("published_date")),
        offers_due_date=flag.date(flag.field("offers_due_date")),
        modality=flag.field("modality"),
        minimum=flag.count("day", flag.field("minimum_days")),
    )


def identical_bid_prices(flag: Flag) -> str:
    tied_amounts = len(flag.field("tied_values"))
    return flag.words(
        "identical_bid_prices" if tied_amounts == 1 else "identical_bid_prices.several",
        suppliers=flag.count("supplier", len(flag.field("tied_suppliers"))),
        tied_amounts=flag.count("tied_amount", tied_amounts),
        tied_value=flag.money(flag.field("tied_value")),
        portfolio_id=flag.field("portfolio_id"),
        entity=flag.entity(),
    )


def award_close_to_base_price(flag: Flag) -> str:
    awarded, base = flag.field("process_awarded_value"), flag.field("base_price")
    return flag.words(
        "award_close_to_base_price",
        entity=flag.entity(),
        modality=flag.field("modality"),
        awarded_value=flag.money(awarded),
        share=flag.percent(100 * Decimal(awarded) / Decimal(base), 2),
        base_price=flag.money(base),
        min_share=flag.ratio("min_ratio"),
        max_share=flag.ratio("max_ratio"),
    )


def share_beyond_fence(
    flag: Flag, party: str, part: str, whole: Counted, share: str, fence: str, population: Counted, **fields: str
) -> str:
    """A party's `part` of `whole` whose `share` is beyond the Tukey `fence` of its `population` (evidence
    fields; `whole` and `population` counted in their nouns' words), `fields` filling the template's other
    blanks: direct_award_share's entity, excessive_unsuccessful_bids' bidder."""
    return flag.words(
        flag.indicator,
        party=party,
        part=flag.number(flag.field(part)),
        whole=flag.count(whole[0], flag.field(whole[1])),
        share=flag.ratio(share, 1),
        fence=flag.ratio(fence, 1),
        population=flag.count(population[0], flag.field(population[1])),
        **fields,
    )


def direct_award_share(flag: Flag) -> str:
    whole, peers = ("its_contract", "counted_awards"), ("entity", "peer_entities")
    order, sector = flag.field("peer_order"), flag.field("entity_sector")
    if flag.field("peer_basis") == "order_sector":
        group = flag.words("direct_award_share_peers.order_sector", order=order, sector=flag.field("peer_sector"))
    elif sector is not None:
        group = flag.words("direct_award_share_peers.order_few_sector", order=order, sector=sector)
    else:
        group = flag.words("direct_award_share_peers.order", order=order)
    more = {"peers": group}
    return share_beyond_fence(flag, flag.entity(), "direct_awards", whole, "direct_share", "upper_fence", peers, **more)


def contract_splitting(flag: Flag) -> str:
    return flag.words(
        "contract_splitting",
        entity=flag.entity(),
        supplier=flag.supplier(),
        window_awards=flag.count("contract", flag.field("window_awards")),
        threshold=flag.money(flag.field("threshold")),
        threshold_smmlv=flag.number(flag.field("threshold_smmlv")),
        smmlv_year=str(flag.field("smmlv_year")),
        window_days=flag.count("day", flag.field("window_days")),
        award_date=flag.date(flag.column("award_date")),
        window_value=flag.money(flag.field("window_value")),
    )


def value_additions(flag: Flag) -> str:
    return flag.words(
        "value_additions",
        contract_id=flag.field("contract_id"),
        entity=flag.entity(),
        supplier=flag.supplier(),
        contract_value=flag.money(flag.field("contract_value")),
        increase_amount=flag.money(flag.field("increase_amount")),
        increase_pct=flag.percent(flag.field("increase_pct"), 2),
        awarded_value=flag.money(flag.field("process_awarded_value")),
        level=flag.words(
            f"value_additions.severity.{flag.field('severity')}",
            soft_pct=flag.ratio("soft_pct"),
            max_pct=flag.ratio("max_pct"),
        ),
    )


def new_supplier_big_award(flag: Flag) -> str:
    return flag.words(
        "new_supplier_big_award",
        supplier=flag.supplier(),
        award_value=flag.money(flag.column("award_value")),
        award_date=flag.date(flag.field("award_date")),
        days_registered=flag.count("day", flag.field("days_registered")),
        first_registered_date=flag.date(flag.field("first_registered_date")),
        min_value=flag.money(flag.field("min_value")),
        max_days=flag.count("day", flag.field("max_days")),
    )


def bid_gap(flag: Flag, fence: str) -> str:
    """close_to_winning_bid and heavily_discounted_bid: the winning offer, the runner-up and the `fence` crossed."""
    winning, runner_up = flag.field("winning_offer_value"), flag.field("runner_up_offer_value")
    return flag.words(
        flag.indicator,
        supplier=flag.supplier(),
        process=flag.first("process_id", "portfolio_id"),
        entity=flag.entity(),
        winning_value=flag.money(winning),
        gap=flag.money(Decimal(str(runner_up)) - Decimal(str(winning))),
        runner_up_value=flag.money(runner_up),
        runner_up=flag.first("runner_up_supplier_name", "runner_up_supplier_key"),
        gap_pct=flag.ratio("gap_ratio", 1),
        fence=flag.ratio(fence, 1),
        population=flag.count("awarded_process", flag.field("population")),
    )


def close_to_winning_bid(flag: Flag) -> str:
    return bid_gap(flag, "lower_fence")


def heavily_discounted_bid(flag: Flag) -> str:
    return bid_gap(flag, "upper_fence")


def excessive_unsuccessful_bids(flag: Flag) -> str:
    bids, bidders = ("process", "bids"), ("frequent_bidder", "population")
    more = {"min_bids": flag.number(flag.field("p75_bids"), None)}
    return share_beyond_fence(flag, flag.supplier(), "wins", bids, "win_ratio", "lower_fence", bidders, **more)


def winner_share_of_buyer(flag: Flag) -> str:
    return flag.words(
        "winner_share_of_buyer",
        supplier=flag.supplier(),
        supplier_share=flag.ratio("supplier_share", 1),
        entity=flag.entity(),
        window_start=flag.date(flag.field("window_start")),
        window_end=flag.date(flag.field("window_end")),
        supplier_value=flag.money(flag.field("supplier_window_value")),
        supplier_awards=flag.number(flag.field("supplier_window_awards")),
        entity_awards=flag.count("its_contract", flag.field("entity_window_awards")),
        entity_value=flag.money(flag.field("entity_window_value")),
        threshold=flag.ratio("threshold"),
    )


def heterogeneous_supplier(flag: Flag) -> str:
    return flag.words(
        "heterogeneous_supplier",
        supplier=flag.supplier(),
        supplier_awards=flag.count("contract", flag.field("supplier_awards")),
        segments=flag.count("segment", flag.field("segments")),
        upper_fence=flag.number(flag.field("upper_fence"), None),
        population=flag.count("supplier", flag.field("population_suppliers")),
        min_awards=flag.count("contract", flag.field("min_awards")),
        segment=flag.field("segment"),
    )


RENDERERS: dict[str, Callable[[Flag], str]] = {
    renderer.__name__: renderer
    for renderer in (
        repeat_awards,
        costly_offers,
        inactive_supplier,
        pep_supplier,
        sensitive_post_supplier,
        supplier_cancelled_contracts,
        delivery_noncompliance,
        barred_fines,
        barred_unfinished_works,
        barred_fiscal_liability,
        sanctioned_supplier,
        single_bidder,
        short_submission_period,
        identical_bid_prices,
        award_close_to_base_price,
        direct_award_share,
        contract_splitting,
        value_additions,
        new_supplier_big_award,
        close_to_winning_bid,
        heavily_discounted_bid,
        excessive_unsuccessful_bids,
        winner_share_of_buyer,
        heterogeneous_supplier,
    )
}


def render_reason(flag: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """Why an award is flagged, in `lang`: a rendering of the flag's evidence and award columns.

    `flag` holds a fct_contract_flags row (indicator_id, award_key, entity_key, supplier_key, award_date,
    award_value, match_method, evidence as JSON text or a dict) and the award's entity_name and supplier_name.
    A column or evidence field the indicator's sentence quotes that is missing raises an EvidenceError."""
    indicator = flag.get("indicator_id")
    if indicator not in RENDERERS:
        raise EvidenceError(f"no reason sentence for indicator {indicator!r}")
    sentence = RENDERERS[indicator](Flag(flag, checked_language(lang)))
    return sentence[:1].upper() + sentence[1:]
