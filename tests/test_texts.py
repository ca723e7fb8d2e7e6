"""The user-facing texts (texts/): every template in es and en, every indicator's reason rendered from crafted
evidence in both languages, the figures formatted per language, and a clear error for missing evidence."""

from __future__ import annotations

import json
import string
from datetime import date
from decimal import Decimal

import pytest
import yaml

from orchestration.settings import DBT_PROJECT_DIR
from simulator.dbt_vars import dbt_vars
from texts import (
    LANGUAGES,
    EvidenceError,
    checked_language,
    group_name,
    indicator_name,
    iso_date,
    match_method_name,
    money,
    not_evaluated_reasons,
    number,
    percent,
    render_not_evaluated,
    render_reason,
    templates,
    text,
    unit_name,
)

INDICATORS = dbt_vars()["indicators"]


def flag(indicator_id: str, evidence: dict, **columns) -> dict:
    """A fct_contract_flags row with the award's names, as consumers pass it (evidence as JSON text)."""
    row = {
        "indicator_id": indicator_id,
        "award_key": "CO1.PCCNTR.1",
        "unit_key": "CO1.PCCNTR.1",
        "entity_key": "899999061",
        "entity_name": "ALCALDÍA DE SOPÓ",
        "supplier_key": "900123456",
        "supplier_name": "ACME S.A.S.",
        "award_date": date(2024, 5, 2),
        "award_value": Decimal("573788174.500"),
        "excess_amount": None,
        "match_method": "document",
        "evidence": json.dumps(evidence),
    }
    return row | columns


# One crafted flag per indicator (evidence as its dbt model writes it), and per language the figures its
# sentence must quote, formatted in that language.
CRAFTED: dict[str, tuple[dict, dict[str, list[str]]]] = {
    "repeat_awards": (
        flag("repeat_awards", {"award_year": 2024, "group_awards": 1234, "threshold": 3}),
        {"es": ["1.234 contratos", "2024", "3 contratos"], "en": ["1,234 contracts", "2024", "3 contracts"]},
    ),
    "costly_offers": (
        flag(
            "costly_offers",
            {
                "process_id": "CO1.REQ.1",
                "portfolio_id": "CO1.BDOS.1",
                "cheapest_supplier_key": "800111222",
                "cheapest_supplier_name": "BETA LTDA",
                "cheapest_offer_value": 1000000.4,
                "valid_offers": 3,
                "award_value": 1200000.5,
                "gap": 200000.1,
            },
        ),
        {
            "es": ["$1.200.001", "$200.000", "3 ofertas válidas", "$1.000.000", "BETA LTDA", "CO1.REQ.1"],
            "en": ["COP 1,200,001", "COP 200,000", "3 valid offers", "COP 1,000,000", "BETA LTDA"],
        },
    ),
    "inactive_supplier": (
        flag("inactive_supplier", {"last_cancelled_date": "2020-01-04"}),
        {"es": ["2020-01-04", "CO1.PCCNTR.1", "2024-05-02"], "en": ["2020-01-04", "CO1.PCCNTR.1", "2024-05-02"]},
    ),
    "pep_supplier": (
        flag(
            "pep_supplier",
            {
                "pep_records": [
                    {"post": "CONCEJAL", "entity": "CONCEJO DE CHÍA", "start_date": "2018-01-01"},
                    {"post": "ALCALDE", "entity": "MUNICIPIO DE SOPÓ", "start_date": "2012-01-31"},
                ]
            },
        ),
        {
            "es": ["CONCEJAL en CONCEJO DE CHÍA desde 2018-01-01", "(2 registros PEP)"],
            "en": ["CONCEJAL at CONCEJO DE CHÍA since 2018-01-01", "(2 PEP records)"],
        },
    ),
    "sensitive_post_supplier": (
        flag(
            "sensitive_post_supplier",
            {"snapshot_date": None, "posts": [{"post": "TESORERO", "institution": None, "start_date": "2019-12-31"}]},
        ),
        {
            "es": ["desde 2019-12-31: TESORERO en una institución sin nombre", "corte al fecha desconocida"],
            "en": ["since 2019-12-31: TESORERO at an unnamed institution, active at snapshot unknown date"],
        },
    ),
    "supplier_cancelled_contracts": (
        flag("supplier_cancelled_contracts", {"cancelled_count": 1, "last_cancelled_date": "2020-03-01"}),
        {
            "es": ["1 contrato de SECOP II cancelado", "2020-03-01"],
            "en": ["1 SECOP II contract cancelled", "2020-03-01"],
        },
    ),
    "delivery_noncompliance": (
        flag(
            "delivery_noncompliance",
            {
                "contract_id": "CO1.PCCNTR.100",
                "as_of_date": "2026-01-15",
                "tolerance_days": 1,
                "plan_lines": 4,
                "failing_lines": 3,
                "short_lines": 1,
                "late_lines": 1,
                "behind_lines": 1,
            },
        ),
        {
            "es": ["incumplidas 3 de sus 4 líneas del plan de ejecución al 2026-01-15", "más de 1 día de retraso"],
            "en": ["has 3 of its 4 execution plan lines failing as of 2026-01-15", "more than 1 day late"],
        },
    ),
    "barred_fines": (
        flag(
            "barred_fines",
            {"lookback_years": None, "fines": 2, "latest_event_date": "2024-04-30", "matched_by": "code_as_document"},
            match_method="document",
        ),
        {
            "es": ["2 multas o sanciones registradas", "2024-05-02", "2024-04-30", "leído como documento"],
            "en": ["2 fines or sanctions", "2024-05-02", "2024-04-30", "read as the supplier's document"],
        },
    ),
    "barred_unfinished_works": (
        flag(
            "barred_unfinished_works",
            {"works": 2, "latest_act_date": "2024-04-30"},
            match_method="name",
        ),
        {
            "es": ["2 obras públicas inconclusas", "2024-04-30", "solo el nombre"],
            "en": ["2 unfinished public works", "2024-04-30", "name only"],
        },
    ),
    "barred_fiscal_liability": (
        flag("barred_fiscal_liability", {"snapshot_date": "2026-11-23", "listings": 2}, award_date=None),
        {"es": ["2 veces", "2026-11-23", "fecha desconocida"], "en": ["2 times", "2026-11-23", "unknown date"]},
    ),
    "sanctioned_supplier": (
        flag(
            "sanctioned_supplier",
            {"sanctions": 2, "latest_end_date": "2029-06-30"},
        ),
        {
            "es": ["2 sanciones disciplinarias vigentes", "2029-06-30", "2024-05-02"],
            "en": ["2 disciplinary sanctions", "2029-06-30", "2024-05-02"],
        },
    ),
    "single_bidder": (
        flag("single_bidder", {"modality": "Mínima cuantía"}, entity_name=None, entity_key=None),
        {
            "es": ["Una entidad sin identificar", "(Mínima cuantía)", "una sola oferta"],
            "en": ["An unidentified entity", "(Mínima cuantía)", "a single bid"],
        },
    ),
    "short_submission_period": (
        flag(
            "short_submission_period",
            {
                "modality": "Mínima cuantía",
                "published_date": "2024-01-01",
                "offers_due_date": "2024-01-02",
                "submission_days": 1,
                "minimum_days": 3,
            },
        ),
        {
            "es": ["1 día", "2024-01-01", "2024-01-02", "mínimo: 3 días"],
            "en": ["1 day", "2024-01-01", "2024-01-02", "minimum: 3 days"],
        },
    ),
    "identical_bid_prices": (
        flag(
            "identical_bid_prices",
            {
                "portfolio_id": "CO1.BDOS.1",
                "tied_value": 150000.0,
                "tied_values": [150000.0, 170000.0],
                "tied_suppliers": ["900123456", "SECOP:77", "800111222"],
            },
        ),
        {
            "es": ["3 proveedores distintos", "2 valores empatados", "$150.000", "CO1.BDOS.1"],
            "en": ["3 different suppliers", "2 tied amounts", "COP 150,000", "CO1.BDOS.1"],
        },
    ),
    "award_close_to_base_price": (
        flag(
            "award_close_to_base_price",
            {
                "modality": "Licitación pública",
                "process_awarded_value": 985432.0,
                "base_price": 1000000.0,
                "min_ratio": 0.985,
                "max_ratio": 1.0,
            },
        ),
        {
            "es": ["$985.432", "98,54 %", "$1.000.000", "de 98,5 % a 100 %"],
            "en": ["COP 985,432", "98.54%", "COP 1,000,000", "98.5% to 100%"],
        },
    ),
    "direct_award_share": (
        flag(
            "direct_award_share",
            {
                "direct_share": 0.8,
                "counted_awards": 5,
                "direct_awards": 4,
                "peer_basis": "order_sector",
                "peer_order": "territorial",
                "peer_sector": "cultura",
                "entity_sector": "cultura",
                "peer_entities": 5,
                "upper_fence": 0.7,
            },
        ),
        {
            "es": [
                "4 de sus 5 contratos",
                "80,0 %",
                "70,0 %",
                "5 entidades",
                "orden 'territorial' y el sector 'cultura'",
            ],
            "en": ["4 of its 5 contracts", "80.0%", "70.0%", "5 entities", "order 'territorial' and sector 'cultura'"],
        },
    ),
    "contract_splitting": (
        flag(
            "contract_splitting",
            {
                "window_awards": 2,
                "window_value": 40000000.0,
                "smmlv_year": 2024,
                "threshold_smmlv": 280,
                "threshold": 364000000,
                "window_days": 30,
            },
        ),
        {
            "es": ["2 contratos", "$364.000.000", "280 SMMLV de 2024", "30 días", "2024-05-02", "$40.000.000"],
            "en": ["2 contracts", "COP 364,000,000", "280 monthly minimum wages of 2024", "30 days", "2024-05-02"],
        },
    ),
    "value_additions": (
        flag(
            "value_additions",
            {
                "contract_id": "CO1.PCCNTR.1",
                "contract_value": 1500001.0,
                "process_awarded_value": 1000000.0,
                "increase_amount": 500001.0,
                "increase_pct": 50.0,
                "severity": "legal_cap",
                "soft_pct": 0.2,
                "max_pct": 0.5,
            },
        ),
        {
            "es": ["$1.500.001", "$500.001", "50,00 %", "$1.000.000", "tope legal: 50 %"],
            "en": ["COP 1,500,001", "COP 500,001", "50.00%", "COP 1,000,000", "legal cap: 50%"],
        },
    ),
    "new_supplier_big_award": (
        flag(
            "new_supplier_big_award",
            {
                "first_registered_date": "2019-04-09",
                "award_date": "2024-05-02",
                "days_registered": 129,
                "max_days": 365,
                "min_value": 500000000,
            },
        ),
        {
            "es": ["$573.788.175", "2024-05-02", "129 días", "2019-04-09", "$500.000.000", "365 días"],
            "en": ["COP 573,788,175", "2024-05-02", "129 days", "2019-04-09", "COP 500,000,000", "365 days"],
        },
    ),
    # the offer-based outliers (Tukey fences)
    "close_to_winning_bid": (
        flag(
            "close_to_winning_bid",
            {
                "process_id": "CO1.REQ.1",
                "portfolio_id": "CO1.BDOS.1",
                "winning_offer_value": 1000000.0,
                "runner_up_offer_value": 1020000.0,
                "runner_up_supplier_name": "BETA LTDA",
                "runner_up_supplier_key": "800111222",
                "gap_ratio": 0.02,
                "lower_fence": 0.025,
                "population": 40,
            },
        ),
        {
            "es": ["CO1.REQ.1", "$1.000.000", "$20.000", "$1.020.000 de BETA LTDA", "2,0 %", "2,5 %", "40 procesos"],
            "en": [
                "CO1.REQ.1",
                "COP 1,000,000",
                "COP 20,000",
                "COP 1,020,000 from BETA LTDA",
                "2.0%",
                "2.5%",
                "40 awarded",
            ],
        },
    ),
    "heavily_discounted_bid": (
        flag(
            "heavily_discounted_bid",
            {
                "process_id": None,
                "portfolio_id": "CO1.BDOS.1",
                "winning_offer_value": 600000.0,
                "runner_up_offer_value": 1000000.0,
                "runner_up_supplier_name": None,
                "runner_up_supplier_key": "800111222",
                "gap_ratio": 0.666667,
                "upper_fence": 0.4,
                "population": 1,
            },
        ),
        {
            "es": [
                "CO1.BDOS.1",
                "$600.000",
                "$400.000",
                "$1.000.000 de 800111222",
                "66,7 %",
                "40,0 %",
                "1 proceso adjudicado",
            ],
            "en": [
                "CO1.BDOS.1",
                "COP 600,000",
                "COP 400,000",
                "COP 1,000,000 from 800111222",
                "66.7%",
                "40.0%",
                "1 awarded process",
            ],
        },
    ),
    "excessive_unsuccessful_bids": (
        flag(
            "excessive_unsuccessful_bids",
            {"bids": 30, "wins": 3, "win_ratio": 0.1, "lower_fence": 0.125, "population": 25, "p75_bids": 12.5},
        ),
        {
            "es": [
                "ganó 3 de 30 procesos",
                "10,0 %",
                "12,5 %",
                "25 oferentes frecuentes",
                "al menos 12,5",
                "se infieren",
            ],
            "en": ["won 3 of 30 processes", "10.0%", "12.5%", "25 frequent bidders", "at least 12.5", "inferred"],
        },
    ),
    # Relational flags of issue 24 (OCP R040, R048).
    "winner_share_of_buyer": (
        flag(
            "winner_share_of_buyer",
            {
                "window_start": "2023-05-04",
                "window_end": "2024-05-02",
                "supplier_window_awards": 2,
                "supplier_window_value": 684853267.0,
                "entity_window_awards": 21,
                "entity_window_value": 1032536566.75,
                "supplier_share": 0.663273,
                "threshold": 0.5,
            },
        ),
        {
            "es": ["el 66,3 %", "ALCALDÍA DE SOPÓ", "2023-05-04", "2024-05-02", "$684.853.267", "2 de sus 21 contratos"]
            + ["$1.032.536.567", "más del 50 %"],
            "en": ["66.3%", "ACME S.A.S.", "2023-05-04", "COP 684,853,267", "2 of its 21 contracts"]
            + ["COP 1,032,536,567", "over 50%"],
        },
    ),
    "heterogeneous_supplier": (
        flag(
            "heterogeneous_supplier",
            {"supplier_awards": 25, "segments": 7, "population_suppliers": 195, "upper_fence": 6.5}
            | {"min_awards": 20, "segment": "80"},
        ),
        {
            "es": ["25 contratos en 7 segmentos", "6,5", "195 proveedores distintos", "20 contratos", "segmento 80"],
            "en": ["25 contracts in 7 segments", "6.5", "195 different suppliers", "20 contracts", "segment 80"],
        },
    ),
}


def test_every_indicator_has_a_crafted_flag():
    assert set(CRAFTED) == set(INDICATORS)


@pytest.mark.parametrize("indicator_id", list(INDICATORS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_indicator_renders_its_figures_in_each_language(indicator_id, lang):
    row, figures = CRAFTED[indicator_id]
    reason = render_reason(row, lang)
    assert [figure for figure in figures[lang] if figure not in reason] == [], reason
    assert not reason[0].islower() and "{" not in reason


def test_the_sentences_read_as_written():
    row = CRAFTED["single_bidder"][0] | {"entity_name": "ALCALDÍA DE SOPÓ"}
    assert render_reason(row) == (
        "ALCALDÍA DE SOPÓ adjudicó a ACME S.A.S. un contrato en un proceso competitivo (Mínima cuantía) que "
        "recibió una sola oferta"
    )
    assert render_reason(CRAFTED["costly_offers"][0], "en") == (
        "ALCALDÍA DE SOPÓ paid ACME S.A.S. COP 1,200,001 for process CO1.REQ.1, COP 200,000 more than the cheapest "
        "of 3 valid offers (COP 1,000,000 from BETA LTDA)"
    )


def test_a_fragment_appears_only_when_its_condition_holds():
    row, _ = CRAFTED["pep_supplier"]
    evidence = json.loads(row["evidence"])
    one = row | {"evidence": {"pep_records": evidence["pep_records"][:1]}}  # a dict is accepted too
    assert "registro" not in render_reason(one, "es") and "record" not in render_reason(one, "en")
    fines, _ = CRAFTED["barred_fines"]
    with_lookback = fines | {"evidence": json.loads(fines["evidence"]) | {"lookback_years": 1}}
    assert "(periodo revisado: 1 año)" in render_reason(with_lookback, "es")
    assert "(lookback: 1 year)" in render_reason(with_lookback, "en")
    assert "lookback" not in render_reason(fines, "en")
    ties, _ = CRAFTED["identical_bid_prices"]
    one_tie = ties | {"evidence": json.loads(ties["evidence"]) | {"tied_values": [150000.0]}}
    assert "exactly the same amount (COP 150,000)" in render_reason(one_tie, "en")
    additions, _ = CRAFTED["value_additions"]
    soft = additions | {"evidence": json.loads(additions["evidence"]) | {"severity": "soft"}}
    assert "(above the warning level of 20%, within the legal cap of 50%)" in render_reason(soft, "en")
    assert "(por encima del nivel de alerta de 20 %, dentro del tope legal de 50 %)" in render_reason(soft, "es")
    assert "legal cap: 50%" in render_reason(additions, "en") and "warning" not in render_reason(additions, "en")


def test_direct_award_share_names_its_peers_and_why_not_by_sector():
    row, _ = CRAFTED["direct_award_share"]
    evidence = json.loads(row["evidence"]) | {"peer_basis": "order", "peer_sector": None}
    few = row | {"evidence": evidence}
    assert "of order 'territorial' (its sector 'cultura' has too few comparable entities)" in render_reason(few, "en")
    assert "del orden 'territorial' (su sector 'cultura' tiene muy pocas" in render_reason(few, "es")
    none = row | {"evidence": evidence | {"entity_sector": None}}
    assert render_reason(none, "en").endswith("among 5 entities of order 'territorial'")
    assert render_reason(none, "es").endswith("entre 5 entidades del orden 'territorial'")


@pytest.mark.parametrize("indicator_id", list(INDICATORS))
def test_a_missing_evidence_field_names_the_indicator_and_the_field(indicator_id):
    row, _ = CRAFTED[indicator_id]
    evidence = json.loads(row["evidence"])
    for name in evidence:  # the crafted evidence holds only what the sentence quotes
        lacking = row | {"evidence": {k: v for k, v in evidence.items() if k != name}}
        with pytest.raises(EvidenceError, match=f"^{indicator_id}: the evidence lacks the field '{name}'$"):
            render_reason(lacking, "es")


@pytest.mark.parametrize("indicator_id", list(INDICATORS))
def test_a_missing_column_names_the_indicator_and_the_column(indicator_id):
    row, _ = CRAFTED[indicator_id]
    required = set()
    for name in row.keys() - {"indicator_id"}:
        try:
            render_reason({k: v for k, v in row.items() if k != name}, "en")
        except EvidenceError as error:
            assert str(error) == f"{indicator_id}: the flag lacks the column '{name}'"
            required.add(name)
    assert "evidence" in required
    named = {"entity_name", "entity_key"} if "{entity}" in text_of(indicator_id) else set()
    named |= {"supplier_name", "supplier_key"} if "{supplier}" in text_of(indicator_id) else set()
    assert named <= required


def text_of(indicator_id: str) -> str:
    """The indicator's sentences in both languages, the award opening spelled out."""
    keys = [key for key in templates() if key.startswith(f"reasons.{indicator_id}")]
    found = " ".join(templates()[key][lang] for key in keys for lang in LANGUAGES)
    return found.replace("{opening}", templates()["reasons.award_opening"]["en"])


def test_an_unknown_indicator_or_language_is_refused():
    with pytest.raises(EvidenceError, match="no reason sentence for indicator 'nope'"):
        render_reason(flag("nope", {}))
    with pytest.raises(ValueError, match="unsupported language 'fr': use one of es, en"):
        render_reason(CRAFTED["single_bidder"][0], "fr")
    assert checked_language(None) == "es"


def test_every_template_has_both_languages_with_the_same_fields():
    for key, languages in templates().items():
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(languages[lang]) if f} for lang in LANGUAGES}
        assert all(languages[lang].strip() for lang in LANGUAGES), key
        assert fields["es"] == fields["en"], key


def test_every_indicator_group_and_match_method_has_its_labels():
    for indicator_id, spec in INDICATORS.items():
        assert indicator_name(indicator_id, "en") == spec["name"]  # the warehouse catalogue's English name
        assert indicator_name(indicator_id) != spec["name"]  # Spanish by default
        assert unit_name(indicator_id, "es") and group_name(spec["group"], "es") and group_name(spec["group"], "en")
    assert match_method_name("secop_code", "es") == "código de proveedor de SECOP"
    assert text("labels.not_evaluated", "es") == "no evaluado" and text("labels.not_evaluated", "en") == "not evaluated"


def test_figures_are_written_as_each_language_writes_them():
    assert money(Decimal("1234567.5"), "es") == "$1.234.568"
    assert money(1234567.4, "en") == "COP 1,234,567"
    assert money(0, "es") == "$0" and money(-1500, "en") == "COP -1,500"
    assert number(1234, "es") == "1.234" and number(1234, "en") == "1,234"
    assert number(Decimal("0.125"), "es", 2) == "0,13" and number(Decimal("2.500"), "en", None) == "2.5"
    assert percent(Decimal("98.5"), "es") == "98,5 %" and percent(98.5, "en") == "98.5%"
    assert percent(100, "es", 2) == "100,00 %" and percent(Decimal("53.66"), "en", 1) == "53.7%"
    assert iso_date(date(2024, 1, 31)) == iso_date("2024-01-31T00:00:00") == "2024-01-31"


# Why an indicator was not evaluated: one reason record of each kind, as orchestration/indicator_status.py and
# int_indicator_status write them, and their sentences.
NOT_EVALUATED = [
    {
        "kind": "pull_failed",
        "source": "sigep_pep",
        "at": "2026-12-06T10:00:00+00:00",
        "problem": "HTTP 404 from https://www.datos.gov.co",
        "last_landed": "2026-11-29T06:00:00+00:00",
    },
    {
        "kind": "stale",
        "source": "sigep_pep",
        "published_at": "2026-10-01T00:00:00+00:00",
        "age_days": 66,
        "max_age_days": 1,
    },
    {"kind": "column_gone", "source": "sigep_pep", "column": "cargo"},
    {
        "kind": "column_unusable",
        "source": "sigep_pep",
        "column": "fecha_inicio",
        "at": "2026-12-06T11:00:00+00:00",
        "share": 0.3125,
        "limit": 0.2,
    },
    {"kind": "source_empty", "source": "secop_ii_ofertas"},
]
NOT_EVALUATED_SENTENCES = {
    "es": [
        "la descarga de sigep_pep falló el 2026-12-06T10:00:00+00:00: HTTP 404 from https://www.datos.gov.co; "
        "la última descarga completa fue el 2026-11-29T06:00:00+00:00",
        "sigep_pep: el publicador la cambió por última vez el 2026-10-01, hace 66 días (desactualizada pasados 1 día)",
        "sigep_pep.cargo ya no se publica",
        "sigep_pep.fecha_inicio: el 31 % de sus valores no se pudo usar en la última limpieza "
        "(2026-12-06T11:00:00+00:00; límite 20 %)",
        "la fuente secop_ii_ofertas no tiene filas en la zona confiable",
    ],
    "en": [
        "raw/sigep_pep failed on 2026-12-06T10:00:00+00:00: HTTP 404 from https://www.datos.gov.co; "
        "last landed 2026-11-29T06:00:00+00:00",
        "sigep_pep: the publisher last changed it on 2026-10-01, 66 days ago (stale after 1 day)",
        "sigep_pep.cargo is no longer published",
        "sigep_pep.fecha_inicio: 31% of its values were unusable in the last cleaning "
        "(2026-12-06T11:00:00+00:00; limit 20%)",
        "source secop_ii_ofertas holds no rows in the trusted zone",
    ],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_why_an_indicator_was_not_evaluated_reads_as_written(lang):
    assert render_not_evaluated(json.dumps(NOT_EVALUATED), lang) == "; ".join(NOT_EVALUATED_SENTENCES[lang])
    assert [render_not_evaluated([reason], lang) for reason in NOT_EVALUATED] == NOT_EVALUATED_SENTENCES[lang]
    never = {**NOT_EVALUATED[0], "last_landed": None}
    assert render_not_evaluated([never], lang).endswith(
        "; never landed" if lang == "en" else "; nunca se ha descargado"
    )


def test_a_reason_of_an_older_build_is_shown_as_it_is_and_none_is_no_reason():
    older = "raw/secop_ii_multas failed on 2026-11-01T10:00:00+00:00: HTTP 500 from https://www.datos.gov.co"
    assert render_not_evaluated(older, "es") == older and not_evaluated_reasons(older) is None
    assert render_not_evaluated('"a JSON text, not reasons"', "en") == '"a JSON text, not reasons"'
    assert render_not_evaluated(None, "es") is None and not_evaluated_reasons(None) is None
    assert not_evaluated_reasons(json.dumps(NOT_EVALUATED)) == NOT_EVALUATED


def test_an_unknown_kind_or_a_missing_field_is_refused():
    with pytest.raises(ValueError, match="no sentence for a reason of kind 'moved'"):
        render_not_evaluated([{"kind": "moved", "source": "sigep_pep"}], "es")
    with pytest.raises(ValueError, match="a column_gone reason lacks the field 'column'"):
        render_not_evaluated([{"kind": "column_gone", "source": "sigep_pep"}], "en")
    with pytest.raises(ValueError, match="unsupported language"):
        render_not_evaluated(json.dumps(NOT_EVALUATED), "fr")


def test_the_reasons_int_indicator_status_writes_render_in_each_language():
    """The reasons the dbt unit test of int_indicator_status expects the model to write (one reported by the
    orchestrator, one found by the SQL) are records these templates render."""
    models = yaml.safe_load((DBT_PROJECT_DIR / "models/intermediate/int_indicator_status.yml").read_text())
    [unit_test] = models["unit_tests"]
    written = [row["not_evaluated_reason"] for row in unit_test["expect"]["rows"] if row["not_evaluated_reason"]]
    kinds = {reason["kind"] for value in written for reason in not_evaluated_reasons(value)}
    assert kinds == {"pull_failed", "column_gone", "source_empty"}
    for lang in LANGUAGES:
        assert all(render_not_evaluated(value, lang) for value in written)
    assert render_not_evaluated(written[-1], "es") == "la fuente secop_ii_ofertas no tiene filas en la zona confiable"
