"""Real files of catalogued sources (../shared/real_samples, see its INDEX.md) through `clean()`.

Each file is landed the way ingestion lands rows: columns mapped to the catalogue's field names (API field
names as they are, CSV-export display names through the catalogue, anything else by Socrata's
field-name rule), every value a string (parquet timestamps as Socrata floating timestamps, url objects as
compact JSON, as the API serves them), plus the system columns. Only the first `HEAD` rows of a file are
used, to keep the run short. Quarantine is expected only for rows that are genuinely invalid, counted per
reason below with what is wrong in them; the tests also check that real quirks come out right.

The samples are not in this repository: without ../shared the tests skip.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from catalogue import (
    SECOP_I_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_PROCESOS,
    SOURCES,
    Source,
    field_name_of,
    source_by_dataset_id,
)
from spark_jobs.cleaning import clean
from spark_jobs.identifiers import canonical_document, dian_check_digit
from tests.conftest import REAL_SAMPLES, real_sample

pytestmark = pytest.mark.spark

HEAD = 3_000  # rows read from the top of each file
RUN_YEAR = 2026
BATCH_ID = "20261123T000000000000Z-abcdef12"
SERVED_AT = "2026-11-22T00:00:00.000Z"  # the rows' `:updated_at`
INGESTED_AT = "2026-11-23T00:00:01.000+00:00"

PINCH = "p6dx-8zbt/PinchCapybara21__secop_3m.parquet"
CARLOS = "p6dx-8zbt/carlosbax25__secop2_adjudicados_limpio.csv"
DRUIZ = "p6dx-8zbt/druizf85__clean_data.parquet"
DANIELLA = "jbjy-vk9h/DaniellaGuerra6__SECOP_RAW_ALL__2019_2026.from_xlsx.csv"
MIBERNAL = "f789-7hwg/mibernal__output.from_xlsx.csv"
DANII = "f789-7hwg/Danii114__secop_2026-04.parquet"


def read_sample(path: Path) -> pa.Table:
    """The first HEAD rows of a sample file; CSV values all strings, empty fields null."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        options = pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True, null_values=[""]
        )
        table = pa_csv.read_csv(
            path, convert_options=options, parse_options=pa_csv.ParseOptions(newlines_in_values=True)
        )
        return table.slice(0, HEAD)
    return pq.ParquetFile(path).read().slice(0, HEAD)


def served_strings(column: pa.ChunkedArray) -> pa.Array:
    """A column as the API serves it: strings; timestamps floating (`2025-12-26T00:00:00.000`), objects JSON."""
    column = column.combine_chunks()
    if pa.types.is_timestamp(column.type):
        return pc.strftime(column.cast(pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S.000")
    if pa.types.is_struct(column.type):
        values = column.to_pylist()
        return pa.array([None if v is None else json.dumps(v, separators=(",", ":")) for v in values], pa.string())
    if pa.types.is_null(column.type):
        return pa.nulls(len(column), pa.string())
    return column.cast(pa.string())


def land(table: pa.Table, source: Source) -> pa.Table:
    """Raw rows as ingestion writes them: catalogue field names, strings, system columns."""
    by_name = {c.display_name: c.field_name for c in source.columns} | {
        c.field_name: c.field_name for c in source.columns
    }
    fields = [by_name.get(name.strip()) or field_name_of(name) for name in table.column_names]
    assert len(set(fields)) == len(fields), "two sample columns land on one field"
    n = table.num_rows
    system = {
        "_row_id": pa.array([f"row-{i:05d}" for i in range(n)]),
        "_source_updated_at": pa.array([SERVED_AT] * n),
        "_source_created_at": pa.array([SERVED_AT] * n),
        "_batch_id": pa.array([BATCH_ID] * n),
        "_ingested_at": pa.array([INGESTED_AT] * n),
    }
    return pa.table({**{f: served_strings(c) for f, c in zip(fields, table.columns, strict=True)}, **system})


@dataclass(frozen=True)
class Cleaned:
    raw: list[dict]  # the landed rows, by row number
    trusted: dict[int, dict]  # by row number
    quarantined: dict[int, dict]
    seconds: float

    @property
    def reasons(self) -> Counter:
        return Counter(row["_reason"] for row in self.quarantined.values())

    @property
    def superseded(self) -> int:
        return len(self.raw) - len(self.trusted) - len(self.quarantined)

    def issues(self) -> Counter:
        return Counter(i for row in self.trusted.values() if row["_issues"] for i in row["_issues"].split("; "))

    def trusted_where(self, field: str, raw_value: str) -> list[dict]:
        return [self.trusted[i] for i, row in enumerate(self.raw) if row.get(field) == raw_value and i in self.trusted]


def clean_sample(spark, folder: Path, relpath: str, source: Source, fix=None) -> Cleaned:
    """Land the file as a raw parquet file (as the job reads raw batches) and clean it."""
    landed = land(read_sample(real_sample(relpath)), source)
    if fix:
        landed = fix(landed)
    pq.write_table(landed, folder / "raw.parquet")
    started = time.monotonic()
    result = clean(spark.read.parquet(str(folder / "raw.parquet")), source.cleaning_spec(), run_year=RUN_YEAR)
    trusted = {int(r["_row_id"][4:]): r.asDict() for r in result.trusted.collect()}
    quarantined = {int(r["_row_id"][4:]): r.asDict() for r in result.quarantine.collect()}
    cleaned = Cleaned(landed.to_pylist(), trusted, quarantined, time.monotonic() - started)
    print(
        f"{relpath}: {len(cleaned.raw)} rows, {len(trusted)} trusted, {len(quarantined)} quarantined, "
        f"{cleaned.superseded} superseded, {cleaned.seconds:.1f}s; reasons {dict(cleaned.reasons)}"
    )
    return cleaned


def assert_accounted(cleaned: Cleaned, key: tuple[str, ...]) -> None:
    """Rows in = trusted + quarantined + superseded, and one trusted row per key of the valid rows."""
    valid_keys = {tuple(row[k] for k in key) for i, row in enumerate(cleaned.raw) if i not in cleaned.quarantined}
    assert len(cleaned.trusted) == len(valid_keys)
    assert len({tuple(row[k] for k in key) for row in cleaned.trusted.values()}) == len(cleaned.trusted)


def assert_keys_match_reference(cleaned: Cleaned, field: str) -> None:
    """The Spark document key of every trusted row equals the pure-Python reference on its raw value."""
    for i, row in cleaned.trusted.items():
        assert row[f"{field}_key"] == canonical_document(cleaned.raw[i][field]), (field, cleaned.raw[i][field])


def login_page_urls(cleaned: Cleaned) -> int:
    """Check `urlproceso` -> url and notice_uid; returns how many rows link to the login page (no notice)."""
    login = 0
    for row in cleaned.trusted.values():
        assert row["urlproceso"].startswith("https://community.secop.gov.co/")
        if row["urlproceso"] == "https://community.secop.gov.co/STS/Users/Login/Index":
            login += 1
            assert row["notice_uid"] is None
        else:
            assert row["notice_uid"].startswith("CO1.NTC.") and f"noticeUID={row['notice_uid']}" in row["urlproceso"]
    return login


def key_of(cleaned: Cleaned, field: str, raw_value: str) -> set[str | None]:
    rows = cleaned.trusted_where(field, raw_value)
    assert rows, f"{raw_value!r} not among the first {HEAD} rows"
    return {row[f"{field}_key"] for row in rows}


def test_processes_api_sample_pinchcapybara21(spark, tmp_path):
    """Raw API rows (all unawarded): `urlproceso` an object, `fecha_de_publicacion` a parquet timestamp."""
    cleaned = clean_sample(spark, tmp_path, PINCH, SECOP_II_PROCESOS)
    assert not cleaned.quarantined and not cleaned.issues()  # every field of every row is valid
    assert_accounted(cleaned, SECOP_II_PROCESOS.key)
    assert cleaned.superseded > 0  # several phases of one process: the latest publication wins
    rows = list(cleaned.trusted.values())
    # Unawarded processes carry `No Definido` supplier fields: null keys, no issue.
    assert {r["nit_del_proveedor_adjudicado"] for r in rows} == {"No Definido"}
    assert all(r["nit_del_proveedor_adjudicado_key"] is None and r["codigoproveedor"] is None for r in rows)
    assert all(r["nombre_del_proveedor_match"] is None for r in rows)
    # Url objects: the url string and the notice id; 9 rows link to SECOP's login page, with no notice id.
    assert login_page_urls(cleaned) == 9
    assert all(r["fecha_de_publicacion"] is not None and r["_year"] in (2025, 2026) for r in rows)
    # Entity NITs: a glued check digit is dropped, a tenth digit that is not one stays, leading zero out.
    assert_keys_match_reference(cleaned, "nit_entidad")
    assert key_of(cleaned, "nit_entidad", "8999990619") == {"899999061"}
    assert key_of(cleaned, "nit_entidad", "8001028385") == {"800102838"}
    assert key_of(cleaned, "nit_entidad", "0899999061") == {"899999061"}
    tenth = [r["nit_entidad_key"] for r in rows if len(r["nit_entidad_key"]) == 10]
    assert tenth and all(int(k[9]) != dian_check_digit(k[:9]) for k in tenth)  # e.g. 8999990615 stays


def test_processes_awarded_sample_carlosbax25(spark, tmp_path):
    """Awarded processes with real supplier documents; dates cut to YYYY-MM-DD by the author."""
    cleaned = clean_sample(spark, tmp_path, CARLOS, SECOP_II_PROCESOS)
    assert not cleaned.quarantined and not cleaned.issues()
    assert_accounted(cleaned, SECOP_II_PROCESOS.key)
    assert_keys_match_reference(cleaned, "nit_del_proveedor_adjudicado")
    assert_keys_match_reference(cleaned, "nit_entidad")
    assert key_of(cleaned, "nit_del_proveedor_adjudicado", "80-0696494") == {"800696494"}
    assert key_of(cleaned, "nit_del_proveedor_adjudicado", "No Definido") == {None}
    assert key_of(cleaned, "nit_entidad", "8999990619") == {"899999061"}
    rows = list(cleaned.trusted.values())
    assert all(r["valor_total_adjudicacion"] is not None for r in rows)
    # Every award date parses; one awarded process (row 1507, still `Publicado`) has none in the source.
    assert [i for i, r in cleaned.trusted.items() if r["fecha_adjudicacion"] is None] == [1507]
    assert cleaned.raw[1507]["fecha_adjudicacion"] is None
    assert all(r["_year"] is not None for r in rows)
    # The author's derived columns travel as extra text columns.
    assert {"modalidad_corta", "anio_adjudicacion"} <= set(rows[0])


def test_processes_csv_export_names_druizf85(spark, tmp_path):
    """CSV-export display names, mapped through the catalogue; the author replaced the main date."""
    cleaned = clean_sample(spark, tmp_path, DRUIZ, SECOP_II_PROCESOS)
    assert not cleaned.quarantined
    assert_accounted(cleaned, SECOP_II_PROCESOS.key)
    # "Fecha de Publicacion del Proceso" was replaced by the author's "Fecha de Publicacion final": the
    # main date is missing from every row, noted and not quarantined.
    assert cleaned.issues() == Counter({"fecha_de_publicacion_del: missing date": len(cleaned.raw)})
    rows = list(cleaned.trusted.values())
    assert all(r["id_del_proceso"].startswith("CO1.REQ.") and r["precio_base"] is not None for r in rows)
    assert all(r["fecha_de_ultima_publicaci"] is not None for r in rows)  # a parquet timestamp
    assert login_page_urls(cleaned) == 43  # plain url strings; 43 rows link to the login page
    assert all(r["nit_del_proveedor_adjudicado_key"] is None for r in rows)  # all `No Definido`
    assert_keys_match_reference(cleaned, "nit_entidad")
    assert key_of(cleaned, "nit_entidad", "8999990619") == {"899999061"}
    assert "fecha_de_publicacion_final" in rows[0]  # a derived column, kept as an extra


def test_contracts_sample_daniellaguerra6(spark, tmp_path):
    """Contracts (28 of the API fields); `urlproceso` stored by the author as a Python dict repr."""
    cleaned = clean_sample(spark, tmp_path, DANIELLA, SECOP_II_CONTRATOS)
    assert not cleaned.quarantined
    assert_accounted(cleaned, SECOP_II_CONTRATOS.key)
    # `N.A.` (row 2771) is no document number: a null key, noted.
    assert cleaned.issues() == Counter({"documento_proveedor: not a number": 1})
    assert cleaned.raw[2771]["documento_proveedor"] == "N.A."
    assert_keys_match_reference(cleaned, "documento_proveedor")
    assert_keys_match_reference(cleaned, "nit_entidad")
    assert key_of(cleaned, "documento_proveedor", "901958094-4") == {"901958094"}
    assert key_of(cleaned, "documento_proveedor", "1075226795.") == {"1075226795"}
    for placeholder in ("No Definido", "NO APLICA", "---", "0-0", "000.000.000-0"):
        assert key_of(cleaned, "documento_proveedor", placeholder) == {None}
    assert key_of(cleaned, "nit_entidad", "9014427611") == {"901442761"}
    rows = list(cleaned.trusted.values())
    assert login_page_urls(cleaned) == 0  # `{'url': '...'}` (a Python dict repr) reads like JSON
    assert all(r["fecha_de_firma"] is not None and r["valor_del_contrato"] is not None for r in rows)


def test_secop_i_sample_mibernal(spark, tmp_path):
    """SECOP I with all 71 columns intact (three entities)."""
    cleaned = clean_sample(spark, tmp_path, MIBERNAL, SECOP_I_PROCESOS)
    assert not cleaned.quarantined
    assert_accounted(cleaned, SECOP_I_PROCESOS.key)
    # Two long contracts end well after the run year (row 1122: 2022 + 142 months -> 2034; row 1167: 2021 +
    # 350 months -> 2050): within the end date's own bounds (50 years ahead), so nothing is noted.
    assert not cleaned.issues()
    ends = {i: str(cleaned.trusted[i]["fecha_fin_ejec_contrato"])[:4] for i in (1122, 1167)}
    assert [cleaned.raw[i]["fecha_fin_ejec_contrato"][:4] for i in (1122, 1167)] == list(ends.values())
    assert list(ends.values()) == ["2034", "2050"]
    # uid is `<numero_de_constancia>-<id_adjudicacion>` on every row (used to repair Danii114's file).
    assert all(r["uid"] == f"{r['numero_de_constancia']}-{r['id_adjudicacion']}" for r in cleaned.raw)
    assert key_of(cleaned, "nit_de_la_entidad", "890981567-1") == {"890981567"}
    assert key_of(cleaned, "nit_de_la_entidad", "800081091-9") == {"800081091"}
    assert_keys_match_reference(cleaned, "identificacion_del_contratista")
    rows = list(cleaned.trusted.values())
    assert all(r["cuantia_contrato"] is not None and r["fecha_de_cargue_en_el_secop"] is not None for r in rows)


def test_secop_i_2026_schema_danii114(spark, tmp_path):
    """SECOP I, current schema. The author's script coerced `uid`, `estado_del_proceso` and
    `cuantia_contrato` to datetimes: uid and the state are null in every row, some amounts became dates."""
    path = real_sample(DANII)
    damaged = pq.read_table(path, columns=["uid", "estado_del_proceso"])
    assert all(damaged[c].null_count == damaged.num_rows for c in damaged.column_names)

    # As delivered every row would be quarantined for a missing key. Stand in the uid as SECOP I builds it
    # (see the mibernal test); unawarded rows share `<constancia>-Sin Adjudicar`, so some are superseded.
    def with_uid(table: pa.Table) -> pa.Table:
        uid = pc.binary_join_element_wise(table["numero_de_constancia"], table["id_adjudicacion"], "-")
        return table.set_column(table.column_names.index("uid"), "uid", uid)

    cleaned = clean_sample(spark, tmp_path, DANII, SECOP_I_PROCESOS, fix=with_uid)
    # Nine amounts the script turned into dates (e.g. `2062-01-09T00:00:00.000`): quarantined.
    assert cleaned.reasons == Counter({"cuantia_contrato: unparseable or negative amount": 9})
    assert all(cleaned.raw[i]["cuantia_contrato"].endswith("T00:00:00.000") for i in cleaned.quarantined)
    unsigned = [i for i in cleaned.trusted if cleaned.raw[i]["anno_firma_contrato"] == "Sin Firma"]
    # `Sin Firma` (not signed) is no year: null, noted. Long contracts' end dates are within their bounds.
    assert cleaned.issues() == Counter({"anno_firma_contrato: not an integer": len(unsigned)})
    assert_accounted(cleaned, SECOP_I_PROCESOS.key)
    assert cleaned.superseded > 0
    # Entity NITs with a dash, dots or a space before the check digit; `No Definido` is no NIT (no quarantine).
    assert_keys_match_reference(cleaned, "nit_de_la_entidad")
    assert key_of(cleaned, "nit_de_la_entidad", "800222498-9") == {"800222498"}
    assert key_of(cleaned, "nit_de_la_entidad", "891.200.916-2") == {"891200916"}
    assert key_of(cleaned, "nit_de_la_entidad", "No Definido") == {None}
    rows = list(cleaned.trusted.values())
    assert all(r["ruta_proceso_en_secop_i"].startswith("https://www.contratos.gov.co/") for r in rows)
    assert all(r["identificacion_del_contratista_key"] is None for r in rows if r["id_adjudicacion"] == "Sin Adjudicar")


# Columns the samples' authors added (INDEX.md of real_samples), or put in place of the portal's own.
AUTHORS_COLUMNS = {
    CARLOS: {"modalidad_corta", "anio_adjudicacion", "rango_oferentes", "baja_competencia"},
    DRUIZ: {
        "Fecha de Publicacion final",
        "Fecha de Publicacion inicial",
        "Modalidad General",
        "Estado General",
        "Fecha de Publicacion (Fase Seleccion)",  # the portal's other publication dates, renamed by the author
        "Fecha de Publicacion (Fase Borrador)",
    },
    DANIELLA: {"anio"},
    DANII: {"actualizacion_anio", "actualizacion_mes"},
}
SAMPLES = {PINCH: SECOP_II_PROCESOS, CARLOS: SECOP_II_PROCESOS, DRUIZ: SECOP_II_PROCESOS, DANIELLA: SECOP_II_CONTRATOS}
SAMPLES |= {MIBERNAL: SECOP_I_PROCESOS, DANII: SECOP_I_PROCESOS}
NOT_CATALOGUED = {"rpmr-utcd": "SECOP Integrado, a union of SECOP I and II that no indicator reads"}


def test_every_real_sample_folder_is_a_catalogued_dataset_or_said_not_to_be():
    if not REAL_SAMPLES.exists():
        pytest.skip("../shared/real_samples is absent in this checkout")
    folders = {path.name for path in REAL_SAMPLES.iterdir() if path.is_dir()}
    catalogued = {folder for folder in folders if source_by_dataset_id(folder) is not None}
    assert catalogued | set(NOT_CATALOGUED) == folders
    sampled = {relpath.split("/")[0] for relpath in SAMPLES}
    assert sampled == catalogued and catalogued <= {s.dataset_id for s in SOURCES}


@pytest.mark.parametrize("relpath", sorted(SAMPLES))
def test_every_column_of_a_real_sample_is_catalogued(relpath):
    """Each column of each sample is a catalogued API field name or CSV-export header of its dataset, but
    for the columns its author added; a catalogue entry that disagreed with the portal would show here."""
    path = real_sample(relpath)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            columns = next(csv.reader(handle))
    else:
        columns = pq.read_schema(path).names
    source = SAMPLES[relpath]
    known = {c.field_name for c in source.columns} | {c.display_name for c in source.columns}
    assert {c for c in columns if c not in known} == AUTHORS_COLUMNS.get(relpath, set())
