"""Trusted-zone cleaning rules as Spark column expressions, driven by a catalogue cleaning spec.

Per column kind (catalogue/) a cleaned, typed value and the issues it raises. Rows
whose key, main date (when present), amounts or entity NIT are unusable go to quarantine with `_reason`; other bad
fields become null and are listed in `_issues`. The latest version of each key survives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from spark_jobs.identifiers import DIAN_WEIGHTS, LEGAL_FORM, LEGAL_FORM_LETTERS, PLACEHOLDERS

# Always accepted: Socrata's floating and fixed timestamps and ISO dates (a fraction of a second of any
# length and a trailing `Z` are dropped before parsing: SECOP II execution lines carry 7 digits, RUES 9).
ISO_FORMATS = ("yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd")
# A date column that names no patterns of its own: the portal's CSV-export forms.
EXPORT_FORMATS = ("MM/dd/yyyy hh:mm:ss a", "MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy")
OPEN_END = "9999-12-31"  # how a column's open-end sentinel (RUES 99991231: no expiry) is kept
ACCENTED, UNACCENTED = "ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇ", "AAAAAEEEEIIIIOOOOOUUUUNC"
AMOUNT_TYPE = "decimal(30,3)"


def _blank_to_null(col: Column) -> Column:
    """Trimmed, empty -> null. `nullif` evaluates `col` once (Spark 4 shares it; `when` would compute it twice)."""
    return F.nullif(F.trim(col), F.lit(""))


def is_placeholder(col: Column) -> Column:
    return F.upper(F.trim(col)).isin(*PLACEHOLDERS)


def dian_check_digit(nine_digits: Column) -> Column:
    """DIAN check digit of a 9-digit string column (weights from the rightmost digit).

    The remainder r maps to r when r <= 1, else to 11 - r: looked up in a literal array, so that r is
    computed once per row (a `when` would compute it in its condition and again in its branch)."""
    weighted = [F.substring(nine_digits, 9 - i, 1).cast("int") * weight for i, weight in enumerate(DIAN_WEIGHTS[:9])]
    remainder = reduce(lambda a, b: a + b, weighted) % 11
    return F.element_at(F.array(*(F.lit(r if r <= 1 else 11 - r) for r in range(11))), remainder + 1)


DIGITS = "0123456789"


def trim_leading(col: Column, characters: str) -> Column:
    """`col` without the leading characters of `characters`: SQL's `ltrim(trimStr, str)` (PySpark's `ltrim`
    takes the characters only from Spark 4 on; EMR 7 releases run Spark 3.5)."""
    return F.call_function("ltrim", F.lit(characters), col)


def only_digits(col: Column) -> Column:
    """`col`, trimmed, holds digits only (or nothing): no regular expression, a scan of its bytes."""
    return trim_leading(F.trim(col), DIGITS) == ""


def document_digits(col: Column) -> Column:
    """Digits of a document, a `-<one digit>` check-digit suffix dropped, leading zeros stripped.

    A value of digits only (most documents) has its leading zeros stripped and nothing else: the three regular
    expressions run on the others only."""
    text = F.upper(F.trim(col))
    without_dash_dv = F.regexp_replace(text, r"^([0-9][0-9.\s]*)-\s*[0-9]$", "$1")
    general = F.regexp_replace(F.regexp_replace(without_dash_dv, r"[^0-9]", ""), r"^0+", "")
    return F.when(only_digits(col), trim_leading(F.trim(col), "0")).otherwise(general)


def has_letters(col: Column) -> Column:
    """`upper(col)` holds a letter A-Z; false without a regular expression when `col` is digits only."""
    return F.when(only_digits(col), F.lit(False)).otherwise(F.upper(col).rlike("[A-Z]"))


def canonical_from_digits(col: Column, digits: Column) -> Column:
    """The canonical document of `col` given its `document_digits` (computed once, used many times)."""
    has_dv = (
        (F.length(digits) == 10)
        & F.substring(digits, 1, 1).isin("8", "9")
        & (F.substring(digits, 10, 1).cast("int") == dian_check_digit(F.substring(digits, 1, 9)))
    )
    canonical = F.when(has_dv, F.substring(digits, 1, 9)).otherwise(digits)  # empty only when digits are
    return F.when(col.isNull() | is_placeholder(col) | has_letters(col), None).otherwise(
        F.when(digits != "", canonical)
    )


def canonical_document(col: Column) -> Column:
    """Digits only, leading zeros and a valid NIT check digit removed; placeholders and letters -> null."""
    return canonical_from_digits(col, document_digits(col))


# Java's `\s` (no Unicode flag): what `\s+` collapses. A value holding none of these but single spaces is left as is.
WHITESPACE = " \t\n\x0b\f\r"


def collapse_whitespace(col: Column) -> Column:
    """`regexp_replace(col, "\\s+", " ")`, attempted only where it changes something: two whitespace
    characters in a row, or one other than a space (a byte search each; most names hold neither)."""
    needs = reduce(lambda a, b: a | b, [col.contains("  "), *(col.contains(c) for c in WHITESPACE[1:])])
    return F.when(needs, F.regexp_replace(col, r"\s+", " ")).otherwise(col)


def upper_name(col: Column) -> Column:
    """Upper-cased, whitespace runs as one space: what the display name and the match key both start from
    (in one projection Spark computes it once for both; upper-casing a non-ASCII value goes through ICU)."""
    return F.upper(collapse_whitespace(col))


def display_name(col: Column) -> Column:
    return _blank_to_null(upper_name(col))


def fold_accents(text: Column) -> Column:
    """Accented capitals to their letters; an ASCII value (as many bytes as characters) holds none of them and
    skips `translate`, which looks every character up in a map."""
    return F.when(F.length(text) != F.octet_length(text), F.translate(text, ACCENTED, UNACCENTED)).otherwise(text)


def name_spaced(col: Column) -> Column:
    """Upper, accents folded, every run of other characters (punctuation, spaces) one space, trimmed.

    Starts from `upper_name` (whitespace already collapsed: the same runs become one space either way)."""
    return F.trim(F.regexp_replace(fold_accents(upper_name(col)), r"[^A-Z0-9]+", " "))


# How a legal form spelled with spaces starts (`S A`, `SA S`; `L T`, `LT D`, `LTD A`): a match of LEGAL_FORM
# changes a name only if it holds a space, and it starts a word, so one of these starts the name or follows a space.
SPACED_LEGAL_FORMS = ("S A", "SA S", "L T", "LT D", "LTD A")


def fold_legal_forms(spaced: Column) -> Column:
    """`regexp_replace(spaced, LEGAL_FORM, LEGAL_FORM_LETTERS)` on a `name_spaced` value (letters, digits and
    single spaces), attempted only where a legal form is spelled with spaces: elsewhere every match is
    replaced by itself."""
    starts = [spaced.startswith(form) | spaced.contains(f" {form}") for form in SPACED_LEGAL_FORMS]
    spelled = reduce(lambda a, b: a | b, starts)
    return F.when(spelled, F.regexp_replace(spaced, LEGAL_FORM, LEGAL_FORM_LETTERS)).otherwise(spaced)


def name_match_key(col: Column, spaced: Column | None = None) -> Column:
    """Upper, accents folded, punctuation removed, spaces collapsed, legal forms folded.

    `spaced`, when given, is `name_spaced(col)` computed beforehand (typed_rows does, in its own projection)."""
    spaced = name_spaced(col) if spaced is None else spaced
    return F.when(spaced.isin(*PLACEHOLDERS) | col.isNull(), None).otherwise(fold_legal_forms(spaced))


def date_formats(column: dict) -> tuple[str, ...]:
    """A date column's own patterns (none: the portal's export forms)."""
    return tuple(column.get("date_formats") or ())


# A pattern's separators: a value parses only if it holds each of them (a parse that fails costs an exception
# inside Spark, so a value is tried only against the patterns whose separators it holds).
SEPARATORS = "-/:"


def try_pattern(text: Column, fmt: str) -> Column:
    """`try_to_timestamp(text, fmt)`, not attempted (null, as the attempt would be) where `text` lacks one of
    the pattern's separators: a RUES `yyyyMMdd` value skips the three ISO forms."""
    parsed = F.try_to_timestamp(text, F.lit(fmt))
    held = [text.contains(c) for c in sorted(set(fmt) & set(SEPARATORS))]
    return F.when(reduce(lambda a, b: a & b, held), parsed) if held else parsed


# Socrata's floating timestamp (`2019-03-05T00:00:00.000`), most dates served: read as it is, before the
# fraction is cut with a regular expression for the general forms.
FLOATING_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS"


def parse_timestamp(col: Column, formats: tuple[str, ...] = ()) -> Column:
    """ISO forms, then the column's own patterns (the portal's export forms when it names none).

    A value shaped as Socrata's floating timestamp (23 characters, a `.` 20th) is first read whole with
    FLOATING_FORMAT, which keeps its milliseconds (the general forms drop them): where it parses, the first
    ISO form parses the value without its fraction to the same second; elsewhere the general forms decide.
    Only the date and the year of a parsed value reach a trusted row (`check_date`)."""
    trimmed = F.trim(col)
    floating = (F.length(trimmed) == 23) & (F.substring(trimmed, 20, 1) == ".")
    text = F.regexp_replace(trimmed, r"(\d{2}:\d{2}:\d{2})[.,]\d{1,9}|Z$", "$1")
    general = (try_pattern(text, fmt) for fmt in (*ISO_FORMATS, *(formats or EXPORT_FORMATS)))
    return F.coalesce(F.when(floating, F.try_to_timestamp(trimmed, F.lit(FLOATING_FORMAT))), *general)


def try_cast(col: Column, data_type: str) -> Column:
    """Null when the value does not convert. Spark 4 has `Column.try_cast`; on Spark 3.5 (EMR 7 releases)
    a plain cast does the same, ANSI mode being off there by default."""
    return col.try_cast(data_type) if hasattr(Column, "try_cast") else col.cast(data_type)


def parse_amount(col: Column) -> Column:
    return try_cast(F.regexp_replace(F.trim(col), r"[\s$,]", ""), AMOUNT_TYPE)


def parse_integer(col: Column) -> Column:
    """A whole number as bigint, else null. Outside bigint's range (`1e30`, `NaN`) null too: `floor` would
    fail the job there under ANSI mode (Spark 4's default)."""
    number = try_cast(F.trim(col), "double")
    whole = try_cast(number, "bigint")
    return F.when(number == whole, whole)


def url_value(col: Column) -> Column:
    return F.coalesce(F.get_json_object(col, "$.url"), F.when(F.trim(col).startswith("http"), F.trim(col)))


@dataclass(frozen=True)
class Checked:
    """Cleaned output columns plus the issue and quarantine conditions they raise."""

    columns: dict[str, Column]
    issues: list[Column]  # string-valued: null when fine
    reasons: list[Column]  # string-valued: null when fine


def digits_column(field: str) -> str:
    return f"__digits_{field}"


def spaced_column(field: str) -> str:
    return f"__spaced_{field}"


def display_column(field: str) -> str:
    return f"__display_{field}"


def parsed_column(field: str) -> str:
    return f"__parsed_{field}"


OVERFLOW = "_overflow"  # ingestion: the values of a file row beyond the header's fields, as JSON
ROW_RULES = "_row_rules"  # `prepare_source`: the reasons of the catalogue's row rules a row breaks


def combined_number(col: Column) -> Column:
    """The number at the end of a `<type> <number>` field (`CC 79.407.584`, `NIT 900123456-7`)."""
    return F.regexp_extract(F.trim(col), r"([0-9][0-9.\s-]*)$", 1)


def with_columns(df: DataFrame, columns: dict[str, Column]) -> DataFrame:
    """`df.withColumns(columns)`, `df` itself for none (Spark Connect rejects an empty `withColumns`)."""
    return df.withColumns(columns) if columns else df


def prepare_source(raw: DataFrame, spec: dict) -> tuple[DataFrame, dict]:
    """The catalogue's per-source rules as helper columns and pseudo-columns that `check_column` reads.

    Adds every catalogued field missing from the raw rows (as null), then: `__digits_<f>` for combined
    documents; `_row_rules`, the reasons of the
    source's row rules a row breaks (a rule that is false or null is broken). The returned spec (a copy)
    lists `_row_rules` and, for file sources, `_overflow` as pseudo-columns that only raise quarantine
    reasons: they add nothing to the trusted rows, and quarantine keeps the raw row, `_overflow` included.
    """
    present = set(raw.columns)
    missing = [c["field_name"] for c in spec["columns"] if c["field_name"] not in present]
    raw = with_columns(raw, {f: F.lit(None).cast("string") for f in missing})
    pseudo = []
    if spec.get("snapshot") or OVERFLOW in raw.columns:
        if OVERFLOW not in raw.columns:
            raw = raw.withColumn(OVERFLOW, F.lit(None).cast("string"))
        pseudo.append({"field_name": OVERFLOW, "kind": "overflow"})
    rules = spec.get("row_rules") or []
    if rules:
        broken = [F.when(~F.coalesce(F.expr(r["condition"]), F.lit(False)), F.lit(r["reason"])) for r in rules]
        raw = raw.withColumn(ROW_RULES, F.concat_ws("; ", *broken))
        pseudo.append({"field_name": ROW_RULES, "kind": "row_rules"})
    helpers = {
        digits_column(c["field_name"]): document_digits(combined_number(F.col(c["field_name"])))
        for c in spec["columns"]
        if c["kind"] == "combined_document"
    }
    return with_columns(raw, helpers), {**spec, "columns": [*spec["columns"], *pseudo]}


def check_date(field: str, column: dict, is_main_date: bool, run_year: int) -> Checked:
    """A date in ISO or the column's patterns. Its open-end sentinel is 9999-12-31; a year outside the
    column's bounds is a typo or placeholder (null, noted); unparseable is null and noted, or on the main
    date a quarantine reason; a missing main date is noted. Reads the parsed value from `typed_rows`'s helper
    column (`parsed_column`)."""
    raw = F.col(field)
    present = _blank_to_null(raw).isNotNull() & ~is_placeholder(raw)
    parsed = F.col(parsed_column(field))
    year = F.year(parsed)
    min_year, max_year = column.get("min_year", 1900), run_year + column.get("max_years_ahead", 5)
    open_end = F.trim(raw) == column["open_end"] if column.get("open_end") else F.lit(False)
    out_of_range = present & ~open_end & ((year < min_year) | (year > max_year))
    unparseable = present & ~open_end & parsed.isNull()
    value = F.when(open_end, F.lit(OPEN_END).cast("date")).when(~out_of_range, parsed.cast("date"))
    issues = [F.when(out_of_range, F.lit(f"{field}: year out of range"))]
    if is_main_date:
        missing = F.when(~present, F.lit(f"{field}: missing date"))
        return Checked({field: value}, [missing, *issues], [F.when(unparseable, F.lit(f"{field}: unparseable date"))])
    return Checked({field: value}, [F.when(unparseable, F.lit(f"{field}: unparseable date")), *issues], [])


def check_column(field: str, kind: str, column: dict | None = None) -> Checked:
    """A field's cleaned columns, issues and quarantine reasons (dates: `check_date`); reads the helpers
    of `prepare_source`."""
    raw = F.col(field)
    present = _blank_to_null(raw).isNotNull() & ~is_placeholder(raw)

    def flag(condition: Column, message: str) -> Column:
        return F.when(condition, F.lit(f"{field}: {message}"))

    if kind == "key":
        value = _blank_to_null(raw)
        return Checked({field: value}, [], [flag(value.isNull(), "missing key")])
    if kind == "code":
        return Checked({field: F.when(~is_placeholder(raw), _blank_to_null(raw))}, [], [])
    if kind == "name":
        return Checked(
            {field: F.col(display_column(field)), f"{field}_match": name_match_key(raw, F.col(spaced_column(field)))},
            [],
            [],
        )
    if kind in ("entity_nit", "document"):
        key = canonical_from_digits(raw, F.col(digits_column(field)))
        letters = present & has_letters(raw)
        if kind == "entity_nit":
            return Checked({field: _blank_to_null(raw), f"{field}_key": key}, [], [flag(letters, "not a NIT")])
        return Checked({field: _blank_to_null(raw), f"{field}_key": key}, [flag(letters, "not a number")], [])
    if kind == "combined_document":
        number = combined_number(raw)
        key = canonical_from_digits(number, F.col(digits_column(field)))
        missing = present & (number == "")
        return Checked({field: _blank_to_null(raw), f"{field}_key": key}, [flag(missing, "no document number")], [])
    if kind == "amount":
        parsed = parse_amount(raw)
        bad = present & (parsed.isNull() | (parsed < 0))
        return Checked({field: F.when(~bad, parsed)}, [], [flag(bad, "unparseable or negative amount")])
    if kind == "number":
        parsed = parse_amount(raw)
        return Checked({field: parsed}, [flag(present & parsed.isNull(), "not a number")], [])
    if kind == "integer":
        parsed = parse_integer(raw)
        return Checked({field: parsed}, [flag(present & parsed.isNull(), "not an integer")], [])
    if kind == "url":
        url = url_value(raw)
        if not (column or {}).get("notice_uid"):
            return Checked({field: url}, [], [])
        notice = F.regexp_extract(url, r"noticeUID=(CO1\.NTC\.[0-9]+)", 1)
        return Checked({field: url, "notice_uid": F.when(notice != "", notice)}, [], [])
    if kind == "overflow":  # a file row with more fields than the header: its values cannot be placed
        return Checked({}, [], [F.when(raw.isNotNull(), F.lit("more fields than the header"))])
    if kind == "row_rules":  # the source's row rules this row breaks (`prepare_source`)
        return Checked({}, [], [F.when(raw != "", raw)])
    return Checked({field: _blank_to_null(raw)}, [], [])


def _order_column(expression: str) -> Column:
    name, _, direction = expression.partition(" ")
    col = F.col(name)
    return col.desc_nulls_last() if direction.strip().lower() == "desc" else col.asc_nulls_last()


# Lineage columns of a typed row (`fecha_corte_datos`: the date of the ingestion batch).
SYSTEM_COLUMNS = (
    "_row_id",
    "_source_updated_at_raw",
    "_source_updated_at",
    "_batch_id",
    "_ingested_at",
    "fecha_corte_datos",
)
# A typed row's identity within one job (`typed_rows`): how superseded versions are dropped.
VERSION_ID = "_version_id"
# A raw row's identity: how quarantine rows are found again in the raw files.
ROW_IDENTITY = ("_row_id", "_source_updated_at_raw", "_batch_id")


def typed_rows(raw: DataFrame, spec: dict, run_year: int | None = None) -> DataFrame:
    """Every raw row typed and cleaned, with `_issues` and `_reason` (null when fine) and `_year`.

    The job stages this frame once, so the cleaning expressions are evaluated once per row.
    """
    raw, spec = prepare_source(raw, spec)  # per-source rules of the catalogue (row rules, overflow)
    run_year = run_year or date.today().year
    for column in spec["columns"]:  # a catalogued field absent from every served row is all null
        if column["field_name"] not in raw.columns:
            raw = raw.withColumn(column["field_name"], F.lit(None).cast("string"))
    # Document digits, folded names and parsed dates first, in their own projection: the check-digit test
    # reads the digits a dozen times, the match key its folded name twice, a date's checks its parsed value
    # three times (a projection is not merged into the next when that would evaluate an expression more than
    # once; within one, Spark shares an expression only where every branch evaluates it).
    documents = [c["field_name"] for c in spec["columns"] if c["kind"] in ("entity_nit", "document")]
    names = [c["field_name"] for c in spec["columns"] if c["kind"] == "name"]
    dates = [c for c in spec["columns"] if c["kind"] == "date"]
    helpers = {digits_column(f): document_digits(F.col(f)) for f in documents}
    for f in names:  # one upper-casing for both (`upper_name`)
        helpers.update({display_column(f): display_name(F.col(f)), spaced_column(f): name_spaced(F.col(f))})
    helpers.update(
        {parsed_column(c["field_name"]): parse_timestamp(F.col(c["field_name"]), date_formats(c)) for c in dates}
    )
    raw = with_columns(raw, helpers)
    catalogued = {c["field_name"] for c in spec["columns"]}
    extras = [c for c in raw.columns if c not in catalogued and not c.startswith("_")]
    checks = [
        check_date(c["field_name"], c, c["field_name"] == spec["main_date"], run_year)
        if c["kind"] == "date"
        else check_column(c["field_name"], c["kind"], c)
        for c in spec["columns"]
    ]
    outputs = {name: col for check in checks for name, col in check.columns.items()}
    outputs.update({name: _blank_to_null(F.col(name)) for name in extras})
    issues = [i for check in checks for i in check.issues]
    reasons = [r for check in checks for r in check.reasons]
    typed = raw.select(
        *(col.alias(name) for name, col in outputs.items()),
        F.col("_row_id"),
        F.col("_source_updated_at").alias("_source_updated_at_raw"),
        F.to_timestamp("_source_updated_at").alias("_source_updated_at"),
        F.col("_batch_id"),
        F.to_timestamp("_ingested_at").alias("_ingested_at"),
        F.to_date(F.substring("_batch_id", 1, 8), "yyyyMMdd").alias("fecha_corte_datos"),
        F.concat_ws("; ", *issues).alias("_issues") if issues else F.lit("").alias("_issues"),
        F.concat_ws("; ", *reasons).alias("_reason") if reasons else F.lit("").alias("_reason"),
    )
    year = F.year(spec["main_date"]) if spec["main_date"] else F.lit(None).cast("int")
    return typed.select(
        *outputs,
        *SYSTEM_COLUMNS,
        *(F.when(F.col(c) != "", F.col(c)).alias(c) for c in ("_issues", "_reason")),
        year.alias("_year"),
        F.monotonically_increasing_id().alias(VERSION_ID),
    )


def latest_per_key(valid: DataFrame, spec: dict) -> DataFrame:
    """One row per key: the first in the catalogue's survivor order (ties: the latest batch).

    Only a narrow projection (the key, the order columns and `_version_id`) is ranked, and the superseded
    versions, the fewer, leave the wide rows through a broadcast anti-join: wide rows are never shuffled.
    """
    if VERSION_ID not in valid.columns:  # stored rows read back: any stable row identity will do
        valid = valid.withColumn(VERSION_ID, F.monotonically_increasing_id())
    order = [_order_column(e) for e in spec["survivor_order"]] + [F.col("_batch_id").desc()]
    order_names = [e.split(" ", 1)[0] for e in spec["survivor_order"]]
    narrow = valid.select(*dict.fromkeys([*spec["key"], *order_names, "_batch_id", VERSION_ID]))
    rank = F.row_number().over(Window.partitionBy(*spec["key"]).orderBy(*order))
    superseded = narrow.withColumn("_version_rank", rank).filter(F.col("_version_rank") > 1).select(VERSION_ID)
    latest = valid.join(F.broadcast(superseded), VERSION_ID, "left_anti")
    return latest.drop(VERSION_ID, "_reason", "_source_updated_at_raw")


@dataclass(frozen=True)
class CleanResult:
    trusted: DataFrame  # the latest valid version of each key
    quarantine: DataFrame  # the raw rows that cannot be trusted, as ingested, with `_reason`


# Bad rows up to this many find their raw rows through a broadcast join: Spark, which cannot tell how few rows
# pass the filter, would otherwise shuffle every raw row of a large table to join them.
BROADCAST_BAD_ROWS = 1_000_000


def split(typed: DataFrame, raw: DataFrame, spec: dict, bad_rows: int | None = None) -> CleanResult:
    """Valid rows compete for their key; each bad row goes to quarantine as it was ingested.

    Rows in = trusted + quarantined + superseded versions. A bad new version never hides the last
    valid one: it is quarantined, and the key keeps its previous trusted row. `bad_rows`, when known, is
    how many rows have a `_reason` (up to BROADCAST_BAD_ROWS: they join the raw rows by broadcast).
    """
    reason = F.col("_reason")
    bad = typed.filter(reason.isNotNull()).select(*ROW_IDENTITY, "_reason")
    if bad_rows is not None and bad_rows <= BROADCAST_BAD_ROWS:
        bad = F.broadcast(bad)
    raw_identity = raw.withColumnRenamed("_source_updated_at", "_source_updated_at_raw")
    quarantine = raw_identity.join(bad, list(ROW_IDENTITY)).withColumnRenamed(
        "_source_updated_at_raw", "_source_updated_at"
    )
    return CleanResult(trusted=latest_per_key(typed.filter(reason.isNull()), spec), quarantine=quarantine)


def clean(raw: DataFrame, spec: dict, run_year: int | None = None) -> CleanResult:
    """Type and clean raw rows of one source; split into trusted (one row per key) and quarantine."""
    return split(typed_rows(raw, spec, run_year), raw, spec)
