"""What a catalogue entry says about a dataset: where it comes from, its columns, its key and cleaning."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from catalogue.lake_layout import TRUSTED_SYSTEM_COLUMNS

# How a column is cleaned in the trusted zone (docs/sources.md#cleaning-rules) and typed by the replay server.
ColumnKind = Literal[
    "key",  # business key: trimmed; null or empty -> quarantine
    "text",  # trimmed string, empty -> null
    "code",  # platform code (e.g. SECOP supplier code): trimmed, placeholders -> null
    "name",  # person/company name: display upper-cased + `<col>_match` key (accents folded)
    "entity_nit",  # NIT of a public entity: `<col>_key`; letters inside -> quarantine
    "document",  # supplier/person document: `<col>_key`; letters -> null key, noted in _issues
    "combined_document",  # type and number in one field (`CC 123`): `<col>_key` from the trailing number
    "date",  # floating timestamp or export date -> date; bad -> null + _issues (main date: quarantine)
    "amount",  # money -> decimal(30,3); unparseable or negative -> quarantine
    "number",  # other decimals (percentages, areas): bad -> null + _issues
    "integer",  # counts -> bigint; bad -> null + _issues
    "url",  # Socrata url object {"url": ...} -> the url string
]

# Socrata `dataTypeName` per kind, as the metadata endpoint reports it.
SOCRATA_TYPE: dict[str, str] = {
    "key": "text",
    "text": "text",
    "code": "text",
    "name": "text",
    "entity_nit": "text",
    "document": "text",
    "combined_document": "text",
    "date": "calendar_date",
    "amount": "number",
    "number": "number",
    "integer": "number",
    "url": "url",
}

# The type of each trusted-zone column, by kind (the Spark job writes them; dbt's sources declare them, and
# a source with nothing landed yet is an empty relation of these types). Portable names: dbt maps `text`.
AMOUNT_TYPE = "decimal(30,3)"
TRUSTED_TYPE: dict[str, str] = {"date": "date", "amount": AMOUNT_TYPE, "number": AMOUNT_TYPE, "integer": "bigint"}

Origin = Literal["socrata", "paco"]  # a Socrata dataset, or a file on PACO's public blob container

SOCRATA_ID = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}")  # a dataset's "4x4"
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")  # a plain file name: no path, query or control


def checked_dataset_id(value: str, origin: Origin, variable: str) -> str:
    """`value` if it is a Socrata 4x4 id (or, for a PACO file, a plain file name); else a ValueError naming
    `variable` and what is expected, without echoing the value (it reaches URLs: never trust it)."""
    pattern = FILE_NAME if origin == "paco" else SOCRATA_ID
    if not pattern.fullmatch(value) or (origin == "paco" and ".." in value):
        expected = (
            "a plain file name (letters, digits, '.', '_', '-')" if origin == "paco" else "a 4x4 id like jbjy-vk9h"
        )
        raise ValueError(f"{variable} must be {expected}")
    return value


def field_name_of(header: str) -> str:
    """Socrata's field-name rule for a column header: lower case, accents and symbols to `_`."""
    folded = unicodedata.normalize("NFC", header.strip()).lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "_c0"


NOTICE_URL_FIELD = "urlproceso"  # the SECOP process link: its `noticeUID` gives `notice_uid`
MIN_YEAR = 1900  # a date before this is a typo or a placeholder, unless a column says otherwise
MAX_YEARS_AHEAD = 5  # a date more than this many years after the run's year is a typo, likewise


@dataclass(frozen=True)
class Column:
    field_name: str  # API field name (`columns[].fieldName`); for files, `field_name_of(header)`
    display_name: str  # CSV-export header (`columns[].name`); for files, the header itself
    kind: ColumnKind = "text"
    # Dates: the text patterns (Spark datetime patterns, e.g. `dd/MM/yyyy`) the source publishes besides
    # ISO timestamps, which are always accepted (Socrata's floating timestamps, `2024-03-15 08:12:44`); a
    # fraction of a second of any length (RUES writes nanoseconds) is ignored. Tried in this order, so a
    # day-first pattern must not overlap a month-first one (one has a time, the other none). Empty: the
    # portal's export forms (`MM/dd/yyyy[ HH:mm:ss]`).
    date_formats: tuple[str, ...] = ()
    # Dates: years outside [min_year, run year + max_years_ahead] are typos or placeholders (RUES
    # `19000101`, execution lines in year 218, a post held since 2887): null, noted in `_issues` as
    # "year out of range", never quarantined.
    min_year: int = MIN_YEAR
    max_years_ahead: int = MAX_YEARS_AHEAD
    # Dates: the text that means "no end" (RUES `fecha_vigencia` 99991231): kept as 9999-12-31, no issue.
    open_end: str | None = None

    @property
    def socrata_type(self) -> str:
        return "text" if self.date_formats else SOCRATA_TYPE[self.kind]

    @property
    def derives_notice_uid(self) -> bool:
        return self.kind == "url" and self.field_name == NOTICE_URL_FIELD

    @property
    def trusted_names(self) -> tuple[str, ...]:
        """The trusted-zone columns this field becomes (the value plus its canonical keys)."""
        derived = {
            "name": ("_match",),
            "entity_nit": ("_key",),
            "document": ("_key",),
            "combined_document": ("_key",),
        }.get(self.kind, ())
        extra = ("notice_uid",) if self.derives_notice_uid else ()
        return (self.field_name, *(self.field_name + s for s in derived), *extra)

    @property
    def trusted_types(self) -> dict[str, str]:
        """Each trusted-zone column of this field and its type (derived keys are text)."""
        return {
            name: TRUSTED_TYPE.get(self.kind, "text") if name == self.field_name else "text"
            for name in self.trusted_names
        }

    def cleaning_spec(self) -> dict:
        spec: dict = {"field_name": self.field_name, "kind": self.kind}
        if self.kind == "date":
            spec.update(
                date_formats=list(self.date_formats),
                min_year=self.min_year,
                max_years_ahead=self.max_years_ahead,
                open_end=self.open_end,
            )
        if self.derives_notice_uid:
            spec["notice_uid"] = True
        return spec


def date(field_name: str, display_name: str, *formats: str, **bounds: int | str) -> Column:
    """A date column published in `formats` (besides ISO), with its own `min_year`/`max_years_ahead`/`open_end`."""
    return Column(field_name, display_name, "date", tuple(formats), **bounds)


@dataclass(frozen=True)
class RowRule:
    """A condition every trusted row of a source meets; a row where it is false or null is quarantined.

    `condition` is a boolean SQL expression over the raw columns (all strings, by field name), written in
    plain SQL that Spark (`F.expr`) and DuckDB both run, e.g. `trim(tr) in ('I', 'S')`. `reason` is the
    quarantine reason.
    """

    condition: str
    reason: str


@dataclass(frozen=True)
class Source:
    """One dataset: `dataset_id` is its Socrata 4x4 id, or for a PACO file the file name.

    The id is configuration: `SECOP_DATASET_<NAME>` (e.g. `SECOP_DATASET_SIGEP_PEP=abcd-1234`) overrides
    the default given here, for ids that may move upstream.
    """

    name: str  # our short name: asset keys raw/<name>, trusted/<name>, dbt source table, lake folder
    default_id: str  # Socrata 4x4 id, or the PACO file name
    title: str
    description: str
    key: tuple[str, ...]  # business key of the trusted table (one row per key); `_row_id` if none exists
    # Which raw version of a key survives (first wins). System columns are `_source_updated_at`, `_row_id`.
    survivor_order: tuple[str, ...]
    main_date: str | None  # main business date: unparseable -> quarantine; trusted partitioned by its year
    columns: tuple[Column, ...] = field(default_factory=tuple)
    origin: Origin = "socrata"
    row_rules: tuple[RowRule, ...] = ()  # rows that break one go to quarantine (e.g. shifted file rows)
    # A current register (who is a PEP, sanctioned, registered now): rows the publisher deletes leave the
    # trusted zone too (orchestration/reconcile.py). Other datasets keep a row once seen.
    register: bool = False
    # Days the publisher's data (its rowsUpdatedAt, or a file's Last-Modified) may age before the source
    # counts as stale: the indicators that need it are then not evaluated. The publisher's own rhythm
    # (SECOP II daily, RUES monthly, PACO's bulletin quarterly) plus some slack.
    max_age_days: int = 14
    # A source whose rows stand in when this dataset is not published at all (HTTP 404 on its metadata).
    stand_in: str | None = None

    @property
    def dataset_id_variable(self) -> str:
        return f"SECOP_DATASET_{self.name.upper()}"

    @property
    def dataset_id(self) -> str:
        """The id from `SECOP_DATASET_<NAME>` or the default, validated: it becomes part of request URLs."""
        configured = os.environ.get(self.dataset_id_variable) or self.default_id
        return checked_dataset_id(configured, self.origin, self.dataset_id_variable)

    @property
    def is_file(self) -> bool:
        return self.origin != "socrata"

    @property
    def origin_label(self) -> str:
        """Where it comes from, for people: `Socrata jbjy-vk9h`, `PACO file MD-2000-2011.xls`."""
        return f"PACO file {self.dataset_id}" if self.is_file else f"Socrata {self.dataset_id}"

    @property
    def field_names(self) -> list[str]:
        return [c.field_name for c in self.columns]

    @property
    def trusted_types(self) -> dict[str, str]:
        """Every column of the trusted table and its type: the catalogued ones, then the lineage columns."""
        system = {name: data_type for name, (data_type, _) in TRUSTED_SYSTEM_COLUMNS.items()}
        return {name: t for c in self.columns for name, t in c.trusted_types.items()} | system

    def cleaning_spec(self) -> dict:
        """Plain-JSON description of the cleaning rules, handed to the Spark job over Pipes."""
        return {
            "name": self.name,
            "dataset_id": self.dataset_id,
            "key": list(self.key),
            "survivor_order": list(self.survivor_order),
            "main_date": self.main_date,
            "snapshot": self.is_file,
            "columns": [c.cleaning_spec() for c in self.columns],
            "row_rules": [{"condition": r.condition, "reason": r.reason} for r in self.row_rules],
        }


ColumnSpec = tuple[str, str] | tuple[str, str, ColumnKind]


def columns(*specs: ColumnSpec | Column) -> tuple[Column, ...]:
    """Columns from (field_name, display_name[, kind]) tuples, or `Column`s as they are (`date()` for dates
    with their own patterns or bounds)."""
    return tuple(spec if isinstance(spec, Column) else Column(*spec) for spec in specs)


def file_columns(*specs: tuple[str] | tuple[str, ColumnKind] | Column) -> tuple[Column, ...]:
    """Columns of a delimited file from (header[, kind]) tuples, whose field names follow `field_name_of`,
    or `Column`s as they are."""
    return tuple(
        spec if isinstance(spec, Column) else Column(field_name_of(spec[0]), spec[0], *spec[1:]) for spec in specs
    )


LATEST_VERSION = ("_source_updated_at desc", "_row_id desc")
