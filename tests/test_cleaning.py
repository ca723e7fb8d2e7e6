"""Spark cleaning rules against the pure-Python reference and the trusted/quarantine contract."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from catalogue import SECOP_II_PROCESOS
from spark_jobs import cleaning
from spark_jobs.identifiers import canonical_document, name_match_key

pytestmark = pytest.mark.spark

DOCUMENTS = [
    "899999061",
    "8999990619",
    "8999990610",
    "899.999.061-9",
    "901958094-4",
    "80-0696494",
    "1075226795.",
    " 0012345 ",
    "P12000051198",
    "No Definido",
    "no aplica",
    "---",
    "0-0",
    "",
    None,
    "9001234568",
    "900123456-8",
    "900.123.456-8",
    "800197268-4",
    "900123456- 8",  # dashes, zeros, dots
    "00900123456-8",
    "900-123-456-8",
    "9001234568-",
    "-8",
    "0.0.1",
    "a0b0c5",
]
NAMES = [
    "Construcciones del Valle S.A.S.",
    "CONSTRUCCIONES  DEL VALLE SAS ",
    "Ingeniería Andina Ltda.",
    "ALCALDÍA MUNICIPAL DE SOPÓ",
    "No Definido",
    None,
    "Ñandú & Cía S. A.",
    "S A S A",  # legal forms: one pass (spark_jobs/identifiers.py LEGAL_FORM) and Java's unmatched groups
    "L.T.D.A. S.A",
    "SA S LTD A SASA",
    "ROSA SANCHEZ S A",  # legal-form letters inside words: no fold
    "SASA",
    "Comercial  L.T.D.A",
    "x\t\tS.A.",  # whitespace other than spaces
    "ÇA SA",
]


def test_canonical_document_matches_reference(spark):
    df = spark.createDataFrame([(v,) for v in DOCUMENTS], "v string")
    got = [r[0] for r in df.select(cleaning.canonical_document(F.col("v"))).collect()]
    assert got == [canonical_document(v) for v in DOCUMENTS]


def test_name_match_key_matches_reference(spark):
    df = spark.createDataFrame([(v,) for v in NAMES], "v string")
    got = [r[0] for r in df.select(cleaning.name_match_key(F.col("v"))).collect()]
    assert got == [name_match_key(v) for v in NAMES]


def test_dates_amounts_integers(spark):
    df = spark.createDataFrame(
        [
            ("2025-12-26T00:00:00.000", "1,250,000.50", "11"),
            ("2026-05-21 00:00:00", "-5", "2.0"),
            ("07/23/2025", "abc", "x"),
            ("2025-07-23", None, None),
        ],
        "d string, a string, i string",
    )
    rows = df.select(
        cleaning.parse_timestamp(F.col("d")).cast("date").cast("string").alias("d"),
        cleaning.parse_amount(F.col("a")).cast("string").alias("a"),
        cleaning.parse_integer(F.col("i")).alias("i"),
    ).collect()
    assert [r.d for r in rows] == ["2025-12-26", "2026-05-21", "2025-07-23", "2025-07-23"]
    assert [r.a for r in rows] == ["1250000.500", "-5.000", None, None]
    assert [r.i for r in rows] == [11, 2, None, None]


def test_amounts_lose_whitespace_dollars_and_commas_and_integers_out_of_range_are_null(spark):
    amounts = [" $ 1,250,000.50\t", "1\n000", "12\x0b\f\r", "1\u00a0000", "$", "-5", None]
    integers = ["1e30", "NaN", "Infinity", "-0", "2.5", " 7 ", "3.0"]  # 1e30 and NaN used to fail the job
    df = spark.createDataFrame(list(zip(amounts, integers, strict=True)), "a string, i string")
    rows = df.select(
        cleaning.parse_amount(F.col("a")).cast("string").alias("a"), cleaning.parse_integer(F.col("i")).alias("i")
    ).collect()
    assert [r.a for r in rows] == ["1250000.500", "1000.000", "12.000", None, None, "-5.000", None]
    assert [r.i for r in rows] == [None, None, None, 0, None, 7, 3]


def test_display_names_collapse_every_run_of_whitespace(spark):
    names = ["a\t\tb", " x \n\r y ", "a\u00a0b", "  ", "Ana  María"]  # a no-break space is not whitespace here
    df = spark.createDataFrame([(v,) for v in names], "v string")
    assert [r[0] for r in df.select(cleaning.display_name(F.col("v"))).collect()] == [
        "A B",
        "X Y",
        "A\u00a0B",
        None,
        "ANA MARÍA",
    ]


def test_dates_in_iso_and_each_source_s_own_patterns(spark):
    """ISO forms are always read (fractions of any length, a trailing Z); then the column's patterns: RUES
    `yyyyMMdd` and nanoseconds, SIRI and SIGEP day-first, the CSV export's month-first with a time."""
    forms = [
        ("2019-03-05T00:00:00.000", (), "2019-03-05"),  # a Socrata floating timestamp
        ("2019-03-05T10:00:00.000Z", (), "2019-03-05"),  # a fixed one
        ("2019-03-05t10:00:00,5", (), "2019-03-05"),  # the pattern's letters in either case, a comma
        ("  2019-03-05T00:00:00.000  ", (), "2019-03-05"),
        ("2019-03-05T10:00:00.000Z\n", (), None),
        ("2020-02-29T23:59:59.999", (), "2020-02-29"),  # invalid calendar days and times
        ("2019-02-29T00:00:00.000", (), None),
        ("2019-03-05T24:00:00", (), None),
        ("2019-03-05T23:59:60.000", (), None),
        ("0999-01-01T00:00:00.000", (), "0999-01-01"),
        ("2019-03-05T10:00+01.000", (), None),
        ("2024-03-01 00:00:00.0000000", (), "2024-03-01"),  # execution lines: 7 digits
        ("07/23/2025", (), "2025-07-23"),  # no pattern of its own: the export forms
        ("20190305", ("yyyyMMdd",), "2019-03-05"),
        ("2019-03-05", ("yyyyMMdd",), "2019-03-05"),  # served as a calendar date after all
        ("2024/03/15 08:12:44.000000000", ("yyyy/MM/dd HH:mm:ss",), "2024-03-15"),  # RUES nanoseconds
        ("20/07/2018", ("dd/MM/yyyy", "MM/dd/yyyy HH:mm:ss"), "2018-07-20"),  # SIGEP API: day first
        ("05/07/2018", ("dd/MM/yyyy", "MM/dd/yyyy HH:mm:ss"), "2018-07-05"),  # ... 5 July, not 7 May
        ("05/07/2018 00:00:00", ("dd/MM/yyyy", "MM/dd/yyyy HH:mm:ss"), "2018-05-07"),  # the export: month first
        ("03/15/2024 08:12:44 AM", ("dd/MM/yyyy", "MM/dd/yyyy hh:mm:ss a"), "2024-03-15"),
        ("15/03/2024", ("yyyyMMdd",), None),
        ("bad", ("dd/MM/yyyy",), None),
    ]
    df = spark.createDataFrame([(text,) for text, _, _ in forms], "d string")
    got = [
        df.select(cleaning.parse_timestamp(F.col("d"), formats).cast("date").cast("string")).collect()[i][0]
        for i, (_, formats, _) in enumerate(forms)
    ]
    assert got == [expected for _, _, expected in forms]


def _raw_row(**values):
    row = {name: None for name in SECOP_II_PROCESOS.field_names}
    row.update(
        id_del_proceso="CO1.REQ.1",
        nit_entidad="899999061",
        entidad="Alcaldía  de Sopó ",
        fecha_de_publicacion_del="2024-01-10T00:00:00.000",
        fecha_de_ultima_publicaci="2024-01-10T00:00:00.000",
        precio_base="1000",
        valor_total_adjudicacion="900",
        urlproceso='{"url":"https://community.secop.gov.co/x?noticeUID=CO1.NTC.77&isModal=False"}',
        _row_id="row-1",
        _source_updated_at="2024-02-01T00:00:00.000Z",
        _batch_id="20240201T000000000000Z-abc",
        _ingested_at="2024-02-01T00:00:01.000+00:00",
    )
    row.update(values)
    return row


def test_clean_splits_trusted_quarantine_and_keeps_latest_version(spark):
    rows = [
        _raw_row(),
        _raw_row(_row_id="row-2", fecha_de_ultima_publicaci="2024-03-01T00:00:00.000", nombre_del_proveedor="Nuevo"),
        _raw_row(_row_id="row-3", id_del_proceso="CO1.REQ.2", precio_base="-1"),
        _raw_row(_row_id="row-4", id_del_proceso="CO1.REQ.3", nit_entidad="89999A061"),
        _raw_row(_row_id="row-5", id_del_proceso=" "),
        _raw_row(_row_id="row-6", id_del_proceso="CO1.REQ.4", fecha_de_publicacion_del="31/31/2024"),
        _raw_row(
            _row_id="row-7",
            id_del_proceso="CO1.REQ.5",
            nit_del_proveedor_adjudicado="P12000051198",
            duracion="tres",
            fecha_adjudicacion="not a date",
        ),
    ]
    df = spark.createDataFrame(rows, ", ".join(f"`{k}` string" for k in rows[0]))
    result = cleaning.clean(df, SECOP_II_PROCESOS.cleaning_spec(), run_year=2026)
    trusted = {r.id_del_proceso: r for r in result.trusted.collect()}
    reasons = {r._row_id: r._reason for r in result.quarantine.collect()}

    assert set(trusted) == {"CO1.REQ.1", "CO1.REQ.5"}
    latest = trusted["CO1.REQ.1"]
    assert latest._row_id == "row-2" and latest.nombre_del_proveedor == "NUEVO"
    assert latest.entidad == "ALCALDÍA DE SOPÓ" and latest.entidad_match == "ALCALDIA DE SOPO"
    assert latest.nit_entidad_key == "899999061" and str(latest.precio_base) == "1000.000"
    assert latest.urlproceso.startswith("https://") and latest.notice_uid == "CO1.NTC.77"
    assert latest._year == 2024 and str(latest.fecha_corte_datos) == "2024-02-01"
    foreign = trusted["CO1.REQ.5"]
    assert foreign.nit_del_proveedor_adjudicado_key is None and foreign.duracion is None
    assert "nit_del_proveedor_adjudicado: not a number" in foreign._issues
    assert "fecha_adjudicacion: unparseable date" in foreign._issues
    assert reasons == {
        "row-3": "precio_base: unparseable or negative amount",
        "row-4": "nit_entidad: not a NIT",
        "row-5": "id_del_proceso: missing key",
        "row-6": "fecha_de_publicacion_del: unparseable date",
    }
    # rows in = trusted + quarantined + superseded
    assert len(rows) == len(trusted) + len(reasons) + 1


def test_a_pattern_is_tried_only_on_values_holding_its_separators(spark):
    """A value lacking one of a pattern's separators (`-`, `/`, `:`) cannot parse with it: skipping that attempt
    (a failed parse costs an exception in Spark) gives what every attempt gives, on each form above and more."""
    texts = ["20190305", "2019-03-05", "2019-03-05T10:00:00", "2019-03-05 10:00:00", "2019/03/05 10:00:00",
             "05/07/2018", "05/07/2018 00:00:00", "03/15/2024 08:12:44 AM", "03/15/2024 08:12:44 pm", "1:2-3/4",
             "2019-03-05T10", "10:00:00", "99991231", "2019 03 05", "", "  ", "bad", None]  # fmt: skip
    patterns = ("yyyyMMdd", "yyyy/MM/dd HH:mm:ss", "dd/MM/yyyy", "MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy hh:mm:ss a")
    df = spark.createDataFrame([(t,) for t in texts], "d string")
    for fmt in (*cleaning.ISO_FORMATS, *cleaning.EXPORT_FORMATS, *patterns):
        every = F.try_to_timestamp(F.col("d"), F.lit(fmt))
        rows = df.select(cleaning.try_pattern(F.col("d"), fmt).alias("guarded"), every.alias("every")).collect()
        assert [r["guarded"] for r in rows] == [r["every"] for r in rows], fmt
    assert sum(r["every"] is not None for r in rows) == 2  # the last pattern reads both AM/PM forms


def test_each_date_is_parsed_once_per_row(spark):
    """A date's checks (year bounds, unparseable, the value) read its parsed value from a helper column of
    `typed_rows`: the optimized plan holds one parse per date column (each trying every pattern), not one
    per check."""
    spec = SECOP_II_PROCESOS.cleaning_spec()
    spec = {**spec, "columns": [c for c in spec["columns"] if c["kind"] in ("key", "date")]}
    dates = [c for c in spec["columns"] if c["kind"] == "date"]
    row = {c["field_name"]: "2024-01-10T00:00:00.000" for c in spec["columns"]}
    row.update(_row_id="row-1", _source_updated_at=None, _batch_id="20240201T000000000000Z-1", _ingested_at=None)
    raw = spark.createDataFrame([row], ", ".join(f"`{k}` string" for k in row)).repartition(1)  # not folded
    plan = cleaning.typed_rows(raw, spec, run_year=2026)._jdf.queryExecution().optimizedPlan().toString()
    patterns = [len(cleaning.ISO_FORMATS) + len(cleaning.date_formats(c) or cleaning.EXPORT_FORMATS) for c in dates]
    # and the floating timestamp read whole first (`parse_timestamp`)
    assert len(dates) == 7 and plan.count("try_to_timestamp") == sum(patterns) + len(dates)


# The guards of names, documents and dates skip work where it changes nothing: each guarded expression against
# its unguarded form (as it was before the guards) on tricky values and on random strings of the characters the
# guards look at.
TRICKY = [
    None,
    "",
    " ",
    "  ",
    "\t",
    "a\u00a0b",
    "Ñandú  S.A.S",
    "ñandu s a s",
    "S A",
    " S A",
    "SA S",
    "SA  S",
    "L T D A",
    "LT DA",
    "LTD A",
    "LTD.A.",
    "ROSA SANCHEZ S A",
    "CASA SALUD",
    "SAS A",
    "x\tS.A.",
    "a\r\nb",
    "a\x0bb\fc",
    "EMPRESA – LTDA",
    "Ä-Ö—Ü",
    "ß",
    "ÇA SA",
    "ﬁ S.A",
    "0",
    "---",
    "N/A",
    "no definido",
    "ª S A",
]


def _random_strings(alphabet: str, count: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(count)]


def test_guarded_names_equal_the_unguarded(spark):
    values = TRICKY + _random_strings("SALTDsa .-\t\n\r\x0b\fÁñ\u00a0–0", 4000, seed=8)
    df = spark.createDataFrame([(v,) for v in values], "v string")
    v = F.col("v")
    display = cleaning._blank_to_null(F.upper(F.regexp_replace(v, r"\s+", " ")))
    spaced = F.trim(
        F.regexp_replace(F.translate(F.upper(v), cleaning.ACCENTED, cleaning.UNACCENTED), r"[^A-Z0-9]+", " ")
    )
    key = F.when(spaced.isin(*cleaning.PLACEHOLDERS) | v.isNull(), None).otherwise(
        F.regexp_replace(spaced, cleaning.LEGAL_FORM, cleaning.LEGAL_FORM_LETTERS)
    )
    rows = df.select(
        display.alias("display"),
        cleaning.display_name(v).alias("display_guarded"),
        key.alias("key"),
        cleaning.name_match_key(v).alias("key_guarded"),
    ).collect()
    assert [(r.display, r.key) for r in rows] == [(r.display_guarded, r.key_guarded) for r in rows]
    assert [r.key for r in rows[: len(TRICKY)]] == [name_match_key(v) for v in TRICKY]
    assert sum(r.key != r.display for r in rows if r.key) > 1000  # the random strings do exercise the folds


def test_documents_of_digits_only_equal_the_general_rule(spark):
    tricky = [None, "", " ", "0", "000", " 0012 ", "12\n", "12 34", "１２", "١٢٣", "900123456-8", "9001234568", "0-0",
              "-8", "8-", "1.2", "A1", "a", "ß", "12a", "00900123456-8", "\u00a012"]  # fmt: skip
    values = tricky + _random_strings("0123456789 -.aZ\n", 3000, seed=8)
    df = spark.createDataFrame([(v,) for v in values], "v string")
    v = F.col("v")
    text = F.upper(F.trim(v))
    general = F.regexp_replace(
        F.regexp_replace(F.regexp_replace(text, r"^([0-9][0-9.\s]*)-\s*[0-9]$", "$1"), r"[^0-9]", ""), r"^0+", ""
    )
    rows = df.select(
        general.alias("digits"),
        cleaning.document_digits(v).alias("digits_guarded"),
        F.upper(v).rlike("[A-Z]").alias("letters"),
        cleaning.has_letters(v).alias("letters_guarded"),
    ).collect()
    assert [(r.digits, r.letters) for r in rows] == [(r.digits_guarded, r.letters_guarded) for r in rows]
    keys = [r[0] for r in df.select(cleaning.canonical_document(v)).collect()]
    assert keys[: len(tricky)] == [canonical_document(t) for t in tricky]


def test_floating_timestamps_read_whole_give_the_general_forms_date(spark):
    """The fast read of `yyyy-MM-ddTHH:mm:ss.SSS` keeps milliseconds the general forms drop: the same date and
    year, and null exactly where the general forms give null."""
    shaped = [
        "2019-03-05T10:00:00.000",
        "2019-03-05t10:00:00.999",
        "2019-03-05 10:00:00.000",
        "2019-02-29T00:00:00.000",
        "2020-02-29T23:59:59.999",
        "2019-13-05T10:00:00.000",
        "2019-03-05T24:00:00.000",
        "2019-03-05T10:00:60.000",
        "2019-03-05T10:00:00.12Z",
        "2019-03-05T10:00:00.1a2",
        "+019-03-05T10:00:00.000",
        "0999-01-01T00:00:00.000",
        " 2019-03-05T00:00:00.000 ",
        "2019-03-05T10:00:00,000",
        "2019-3-5T10:00:00.000000",
        "2019/03/05T10:00:00.000",
        "2019-03-05T10:00:00.0000",
        "2019-03-05T10:00:00Z",
        "20190305",
        "",
        None,
    ]
    import random

    rng = random.Random(8)  # near the calendar's and the clock's edges: 00-13 months, 28-32 days, 23-24 hours
    shaped += [
        f"{rng.randint(1, 2999):04d}-{rng.randint(0, 13):02d}-{rng.randint(28, 32):02d}T{rng.randint(23, 24):02d}:"
        f"{rng.randint(58, 60):02d}:{rng.randint(58, 61):02d}.{rng.randint(0, 999):03d}"
        for _ in range(400)
    ]
    df = spark.createDataFrame([(v,) for v in shaped], "v string")
    v = F.col("v")
    text = F.regexp_replace(F.trim(v), r"(\d{2}:\d{2}:\d{2})[.,]\d{1,9}|Z$", "$1")
    for formats in ((), ("yyyyMMdd",)):
        general = F.coalesce(
            *(cleaning.try_pattern(text, f) for f in (*cleaning.ISO_FORMATS, *(formats or cleaning.EXPORT_FORMATS)))
        )
        fast = cleaning.parse_timestamp(v, formats)
        rows = df.select(general.cast("date").alias("general"), fast.cast("date").alias("fast")).collect()
        assert [r.general for r in rows] == [r.fast for r in rows], formats
    assert sum(r.fast is not None for r in rows) > 10
