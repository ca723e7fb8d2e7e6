"""The pure-Python identifier rules of docs/sources.md#cleaning-rules."""

import itertools
import re

import pytest

from spark_jobs.identifiers import LEGAL_FORM, canonical_document, dian_check_digit, name_match_key


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


def test_legal_forms_fold_in_one_pass_as_the_three_rules_one_after_the_other():
    """docs/sources.md#cleaning-rules folds `S A S`, then `L T D A`, then `S A`: the one-pass rule gives the same keys
    for every spaced name of up to 7 characters made of those letters, a space and another letter."""
    rules = ((r"\bS ?A ?S\b", "SAS"), (r"\bL ?T ?D ?A\b", "LTDA"), (r"\bS ?A\b", "SA"))
    names = {" ".join("".join(c).split()) for n in range(1, 8) for c in itertools.product("SALTDX ", repeat=n)} - {""}
    for name in names:
        expected = name
        for pattern, replacement in rules:
            expected = re.sub(pattern, replacement, expected)
        assert name_match_key(name) == expected, name
    assert re.compile(LEGAL_FORM).groups == 7
