"""Per-source cleaning rules declared in the catalogue: year bounds and open ends, row rules, combined documents,
file rows with more fields than the header, padded documents. Crafted raw rows make each rule fire and
not fire; every row is accounted for (trusted or quarantined, nothing superseded: no key repeats).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from pyspark.sql import functions as F

from catalogue import (
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_II_EJECUCION,
    SECOP_II_PROCESOS,
    SIRI_SANCIONES,
    RowRule,
    Source,
)
from spark_jobs import cleaning
from spark_jobs.identifiers import combined_document

pytestmark = pytest.mark.spark

RUN_YEAR = 2026  # out-of-range years by default: before 1900 or after 2031
TR_REASON = "TR is not I or S (shifted or incomplete row)"
OVERFLOW_REASON = "more fields than the header"


def raw_frame(spark, source: Source, rows: list[dict], extra: tuple[str, ...] = ()):
    """Raw rows as ingestion writes them: every catalogued field a string (null unless given)."""
    full = []
    for i, values in enumerate(rows):
        row = dict.fromkeys([*source.field_names, *extra])
        row.update(
            _row_id=f"row-{i}",
            _source_updated_at="2026-11-22T00:00:00.000Z",
            _source_created_at="2026-11-22T00:00:00.000Z",
            _batch_id="20261123T000000000000Z-abcdef12",
            _ingested_at="2026-11-23T00:00:01.000+00:00",
        )
        row.update(values)
        full.append(row)
    return spark.createDataFrame(full, ", ".join(f"`{name}` string" for name in full[0]))


def run(spark, source: Source, rows: list[dict], extra: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """(trusted rows by row number, quarantined rows by row number); every row is one or the other."""
    result = cleaning.clean(raw_frame(spark, source, rows, extra), source.cleaning_spec(), run_year=RUN_YEAR)
    trusted = {int(r._row_id[4:]): r for r in result.trusted.collect()}
    quarantined = {int(r._row_id[4:]): r for r in result.quarantine.collect()}
    assert len(trusted) + len(quarantined) == len(rows)
    return trusted, quarantined


def issues(row) -> set[str]:
    return set(row._issues.split("; ")) if row._issues else set()


def test_the_catalogue_declares_the_rules_as_data():
    spec = RUES_PERSONAS.cleaning_spec()
    years = {c["field_name"]: (c["min_year"], c["max_years_ahead"]) for c in spec["columns"] if c["kind"] == "date"}
    assert years == {
        "fecha_matricula": (1959, 5),
        "fecha_renovacion": (1959, 5),
        "fecha_vigencia": (1959, 500),
        "fecha_cancelacion": (1959, 5),
        "fecha_actualizacion": (1900, 5),
    }
    assert {c["field_name"]: c["open_end"] for c in spec["columns"] if c["kind"] == "date"}["fecha_vigencia"] == (
        "99991231"
    )
    fiscal = PACO_RESPONSABILIDAD_FISCAL.cleaning_spec()
    assert fiscal["row_rules"] == [{"condition": "trim(tr) in ('I', 'S')", "reason": TR_REASON}]
    assert {c["field_name"]: c["kind"] for c in fiscal["columns"]}["tipo_y_num_docuemento"] == "combined_document"
    assert SECOP_II_PROCESOS.cleaning_spec()["row_rules"] == []
    [combined] = [c for c in PACO_RESPONSABILIDAD_FISCAL.columns if c.kind == "combined_document"]
    assert combined.trusted_names == ("tipo_y_num_docuemento", "tipo_y_num_docuemento_key")


def test_rues_years_out_of_range_are_null_and_noted_never_quarantined_and_99991231_is_an_open_end(spark):
    def registration(matricula: str, **dates: str) -> dict:
        return {"codigo_camara": "04", "matricula": matricula, "fecha_matricula": "20190305", **dates}

    trusted, quarantined = run(
        spark,
        RUES_PERSONAS,
        [
            registration("0"),  # fine
            registration("1", fecha_matricula="19000101"),  # placeholder on the main date: null, kept
            registration("2", fecha_matricula="18991231"),  # before 1900 as well
            registration("3", fecha_matricula="19590101", fecha_renovacion="19581231"),  # 1959 is kept
            registration("4", fecha_cancelacion="19000101", fecha_vigencia="19000101"),
            registration("5", fecha_matricula="20991231"),  # after run year + 5: out of range too
            registration("6", fecha_matricula="2019-03-05"),  # ISO is always read
            registration("7", fecha_matricula="05/03/2019"),  # neither ISO nor the source's pattern
            registration("8", fecha_vigencia="99991231"),  # no expiry: an open end, not an error
            registration("9", fecha_vigencia="21160101"),  # a company's term a century ahead: fine
            registration("10", fecha_actualizacion="2024/03/15 08:12:44.000000000"),  # nanoseconds
        ],
    )
    assert {i: r._reason for i, r in quarantined.items()} == {7: "fecha_matricula: unparseable date"}
    assert str(trusted[0].fecha_matricula) == "2019-03-05" and trusted[0]._issues is None
    for i in (1, 2, 5):
        assert trusted[i].fecha_matricula is None and trusted[i]._year is None
        assert issues(trusted[i]) == {"fecha_matricula: year out of range"}
    assert str(trusted[3].fecha_matricula) == "1959-01-01" and trusted[3].fecha_renovacion is None
    assert issues(trusted[3]) == {"fecha_renovacion: year out of range"}
    assert trusted[4].fecha_cancelacion is None and trusted[4].fecha_vigencia is None
    assert issues(trusted[4]) == {"fecha_cancelacion: year out of range", "fecha_vigencia: year out of range"}
    assert str(trusted[6].fecha_matricula) == "2019-03-05" and trusted[6]._issues is None
    assert str(trusted[8].fecha_vigencia) == "9999-12-31" and trusted[8]._issues is None
    assert str(trusted[9].fecha_vigencia) == "2116-01-01" and trusted[9]._issues is None
    assert str(trusted[10].fecha_actualizacion) == "2024-03-15" and trusted[10]._issues is None


def test_execution_typo_years_become_null_and_noted_even_on_the_main_date(spark):
    def line(real: str | None, created: str = "2024-02-20 10:15:00.1234567") -> dict:
        return {
            "identificadorcontrato": "CO1.PCCNTR.1",
            "fechadeentregareal": real,
            "fechadeentregaesperada": "2024-03-01 00:00:00.0000000",
            "fechacreacion": created,
        }

    typo_years = ["0018", "0202", "0218", "0219", "0221"]
    rows = [
        line("2024-03-04 00:00:00.0000000"),  # 0: fine
        *(line(f"{year}-03-04 00:00:00.0000000") for year in typo_years),  # 1-5: typos, null
        line(None),  # 6: not delivered yet
        line("2024-03-04 00:00:00.0000000", created="0218-02-20 10:15:00.1234567"),  # 7: main date typo
        line("2024-03-04 00:00:00.0000000", created="2040-02-20 10:15:00.0000000"),  # 8: main date too late
        line("3024-03-04 00:00:00.0000000"),  # 9: too late
        line("2024-03-04 00:00:00.0000000", created="20 de febrero"),  # 10: an unparseable main date
    ]
    trusted, quarantined = run(spark, SECOP_II_EJECUCION, rows)
    assert {i: r._reason for i, r in quarantined.items()} == {10: "fechacreacion: unparseable date"}
    assert str(trusted[0].fechadeentregareal) == "2024-03-04" and trusted[0]._issues is None
    assert str(trusted[0].fechacreacion) == "2024-02-20" and trusted[0]._year == 2024
    for i in (*range(1, 6), 9):
        assert trusted[i].fechadeentregareal is None
        assert issues(trusted[i]) == {"fechadeentregareal: year out of range"}
    assert trusted[6].fechadeentregareal is None and trusted[6]._issues is None
    for i in (7, 8):
        assert trusted[i].fechacreacion is None and trusted[i]._year is None
        assert issues(trusted[i]) == {"fechacreacion: year out of range"}


def fiscal_row(document: str | None, tr: str | None, **values: str) -> dict:
    return {
        "responsable_fiscal": " Pérez Gómez María ",
        "tipo_y_num_docuemento": document,
        "entidad_afectada": "MUNICIPIO DE SOPO",
        "tr": tr,
        "r": "1",
        "ente_que_reporta": "CONTRALORIA GENERAL DE LA REPUBLICA",
        **values,
    }


def test_fiscal_bulletin_keeps_tr_i_or_s_and_quarantines_the_rest(spark):
    rows = [
        fiscal_row("CC 79.407.584", "I"),  # 0
        fiscal_row("NIT 8999990619", "S"),  # 1: NIT with its check digit glued on
        fiscal_row("NIT 900123456-8", " S "),  # 2: TR with spaces is still S
        # 3: a shifted row (every field after the document one column left): TR holds R's value
        fiscal_row("CC 52123456", "1", r="CONTRALORIA DE BOGOTA D.C.", ente_que_reporta="CUNDINAMARCA"),
        fiscal_row("CC 52123457", None),  # 4: incomplete row
        fiscal_row("CC 52123458", "i"),  # 5: lower case is not the bulletin's code
    ]
    trusted, quarantined = run(spark, PACO_RESPONSABILIDAD_FISCAL, rows)
    assert {i: r._reason for i, r in quarantined.items()} == {3: TR_REASON, 4: TR_REASON, 5: TR_REASON}
    assert quarantined[3].tr == "1" and quarantined[3].r == "CONTRALORIA DE BOGOTA D.C."  # kept as ingested
    assert sorted(trusted) == [0, 1, 2]
    keys = {i: r.tipo_y_num_docuemento_key for i, r in trusted.items()}
    assert keys == {0: "79407584", 1: "899999061", 2: "900123456"}
    assert trusted[2].tr == "S" and trusted[0].responsable_fiscal == "PÉREZ GÓMEZ MARÍA"


def test_a_row_rule_is_plain_sql_that_duckdb_runs_too():
    import duckdb

    [rule] = PACO_RESPONSABILIDAD_FISCAL.row_rules
    kept = duckdb.sql(
        f"select tr, coalesce({rule.condition}, false) as kept from (values ('I'), (' S '), ('1'), (null)) t(tr)"
    ).fetchall()
    assert kept == [("I", True), (" S ", True), ("1", False), (None, False)]


COMBINED = [
    "CC 79.407.584",
    "CC 79407584",
    "C.C. 1.110.519.454",
    "NIT 8999990619",
    "NIT 899999061-9",
    "NIT 899.999.061 - 9",
    "NIT 8999990610",
    "CE 0012345",
    "TI 1075226795.",
    "  CC   52123456  ",
    "PA P12000051198",
    "No registra",
    "NIT",
    "CC 0",
    "",
    None,
]


def test_combined_document_matches_reference(spark):
    df = spark.createDataFrame([(v,) for v in COMBINED], "v string")
    number = cleaning.combined_number(F.col("v"))
    got = [r[0] for r in df.select(cleaning.canonical_from_digits(number, cleaning.document_digits(number))).collect()]
    expected = [combined_document(v) for v in COMBINED]
    assert got == expected
    assert expected[:10] == [
        "79407584",
        "79407584",
        "1110519454",
        "899999061",
        "899999061",
        "899999061",
        "8999990610",  # the last digit is not the check digit: a 10-digit number
        "12345",
        "1075226795",
        "52123456",
    ]
    assert expected[10:] == ["12000051198", None, None, None, None, None]


def test_combined_document_without_a_number_is_noted_not_quarantined(spark):
    rows = [fiscal_row("No registra", "I"), fiscal_row(None, "S"), fiscal_row("NIT", "I")]
    trusted, quarantined = run(spark, PACO_RESPONSABILIDAD_FISCAL, rows)
    assert not quarantined and all(r.tipo_y_num_docuemento_key is None for r in trusted.values())
    assert issues(trusted[0]) == {"tipo_y_num_docuemento: no document number"}
    assert trusted[1]._issues is None
    assert issues(trusted[2]) == {"tipo_y_num_docuemento: no document number"}


def test_file_rows_with_more_fields_than_the_header_are_quarantined_with_their_overflow(spark):
    rows = [
        fiscal_row("CC 79407584", "I"),  # no overflow column value: fine
        fiscal_row("CC 79407585", "S", _overflow='["BOYACA", "TUNJA"]'),  # two values past the header
        fiscal_row("CC 79407586", "X", _overflow='["TUNJA"]'),  # and a broken row rule
    ]
    trusted, quarantined = run(spark, PACO_RESPONSABILIDAD_FISCAL, rows, extra=("_overflow",))
    assert sorted(trusted) == [0]
    assert {i: r._reason for i, r in quarantined.items()} == {
        1: OVERFLOW_REASON,
        2: f"{OVERFLOW_REASON}; {TR_REASON}",
    }
    assert quarantined[1]._overflow == '["BOYACA", "TUNJA"]'  # the raw extra values are kept
    assert "_overflow" not in trusted[0].asDict()


def test_a_socrata_source_with_no_overflow_column_gets_no_overflow_rule(spark):
    spec = SECOP_II_PROCESOS.cleaning_spec()
    raw = raw_frame(spark, SECOP_II_PROCESOS, [{"id_del_proceso": "CO1.REQ.1"}])
    prepared, prepared_spec = cleaning.prepare_source(raw, spec)
    assert "_overflow" not in prepared.columns and len(prepared_spec["columns"]) == len(spec["columns"])
    assert spec == SECOP_II_PROCESOS.cleaning_spec()  # the caller's spec is not modified
    # A row rule on a Socrata source works the same way: any SQL over the raw fields.
    ruled = replace(SECOP_II_PROCESOS, row_rules=(RowRule("adjudicado in ('Si', 'No')", "adjudicado is not Si/No"),))
    trusted, quarantined = run(
        spark,
        ruled,
        [
            {"id_del_proceso": "CO1.REQ.1", "adjudicado": "Si", "fecha_de_publicacion_del": "2024-01-10"},
            {"id_del_proceso": "CO1.REQ.2", "adjudicado": "Tal vez", "fecha_de_publicacion_del": "2024-01-10"},
        ],
    )
    assert sorted(trusted) == [0] and quarantined[1]._reason == "adjudicado is not Si/No"


def test_siri_documents_padded_with_spaces_are_canonical(spark):
    def sanction(document: str) -> dict:
        return {"numero_identificacion": document, "fecha_efectos_juridicos": "05/03/2019"}

    rows = [sanction("52123456            "), sanction("   79407584"), sanction(" 0012345678 "), sanction("  ")]
    trusted, quarantined = run(spark, SIRI_SANCIONES, rows)
    assert not quarantined
    keys = [trusted[i].numero_identificacion_key for i in range(4)]
    assert keys == ["52123456", "79407584", "12345678", None]
    assert trusted[0].numero_identificacion == "52123456" and trusted[3].numero_identificacion is None
    assert all(r._issues is None for r in trusted.values())
    assert str(trusted[0].fecha_efectos_juridicos) == "2019-03-05"
