"""The pure-Python identifier rules of docs/sources.md#cleaning-rules."""

import itertools
import re

import pytest

from spark_jobs.identifiers import (
    LEGAL_FORM,
    LEGAL_FORM_SPELLINGS,
    canonical_document,
    dian_check_digit,
    name_match_key,
)


@pytest.mark.parametrize(
    ("nit", "digit"), [("899999061", 9), ("800197268", 4), ("860002400", 2), ("900123456", 8), ("811030191", 9)]
)
def test_dian_check_digit(nit, digit):
    assert dian_check_digit(nit) == digit


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("899999061", "899999061"),
        ("8999990619", "899999061"),  # check digit glued on
        ("8999990610", "8999990610"),  # a last digit that is not the check digit stays
        ("899.999.061-9", "899999061"),
        ("901958094-4", "901958094"),
        ("900123456", "900123456"),  # one NIT as the sources spell it (the repeat_awards unit test's key)
        ("900123456-8", "900123456"),
        ("900.123.456-8", "900123456"),
        ("9001234568", "900123456"),
        ("80-0696494", "800696494"),
        ("1075226795.", "1075226795"),
        (" 0012345 ", "12345"),
        ("P12000051198", None),  # passport: letters, no canonical number
        ("No Definido", None),
        ("no aplica", None),
        ("---", None),
        ("0-0", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_document(raw, canonical):
    assert canonical_document(raw) == canonical


def test_person_document_type_keeps_ten_digits():
    assert canonical_document("8999990619", doc_type="Cédula de Ciudadanía") == "8999990619"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Construcciones del Valle S.A.S.", "CONSTRUCCIONES DEL VALLE SAS"),
        ("CONSTRUCCIONES  DEL VALLE SAS ", "CONSTRUCCIONES DEL VALLE SAS"),
        ("Ingeniería Andina Ltda.", "INGENIERIA ANDINA LTDA"),
        ("ALCALDÍA MUNICIPAL DE SOPÓ", "ALCALDIA MUNICIPAL DE SOPO"),
        ("No Definido", None),
    ],
)
def test_name_match_key(raw, key):
    assert name_match_key(raw) == key


def spaced_names() -> set[str]:
    """Every spaced name (single spaces, none at the ends) of up to 7 characters of legal-form letters and X."""
    return {" ".join("".join(c).split()) for n in range(1, 8) for c in itertools.product("SALTDX ", repeat=n)} - {""}


def test_legal_forms_fold_in_one_pass_as_the_three_rules_one_after_the_other():
    """docs/sources.md#cleaning-rules folds `S A S`, then `L T D A`, then `S A`: the one-pass rule gives the same keys
    for every spaced name of up to 7 characters made of those letters, a space and another letter."""
    rules = ((r"\bS ?A ?S\b", "SAS"), (r"\bL ?T ?D ?A\b", "LTDA"), (r"\bS ?A\b", "SA"))
    for name in spaced_names():
        expected = name
        for pattern, replacement in rules:
            expected = re.sub(pattern, replacement, expected)
        assert name_match_key(name) == expected, name
    assert re.compile(LEGAL_FORM).groups == 7


def test_a_legal_form_is_in_a_name_exactly_when_one_of_its_spellings_is_a_whole_word_part_of_it():
    """The Spark cleaning runs the fold only on names with a spelling between spaces (or the ends): it finds
    every name the fold would change, for every spaced name of up to 7 characters of those letters."""
    assert set(LEGAL_FORM_SPELLINGS) == {"SA", "S A", "SAS", "SA S", "S AS", "S A S"} | {
        "LTDA",
        "LTD A",
        "LT DA",
        "LT D A",
        "L TDA",
        "L TD A",
        "L T DA",
        "L T D A",
    }
    for name in spaced_names():
        spelled = any(f" {spelling} " in f" {name} " for spelling in LEGAL_FORM_SPELLINGS)
        assert (re.search(LEGAL_FORM, name) is not None) == spelled, name
