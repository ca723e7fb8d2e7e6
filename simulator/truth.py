"""The planted ground truth of every red-flag indicator, and a reference implementation to check it.

`simulator.datasets.generate_sources` writes `<out_dir>/ground_truth/flags.csv` (header
`indicator_id,award_key`): for each indicator, exactly the awards of the warehouse's award universe
(`int_awards`: a live contract keyed by its `id_contrato`, else an awarded process without any contract
keyed `PROC:<id_del_proceso>`) that its rule flags at the as-of date `RUN_DATE`. `load_planted_flags`
reads it back.

`compute_flags` evaluates the rules of the warehouse (the dbt models' contract, thresholds of
dbt_project.yml) on the generated files, independently of how they were generated: it reads the
strings the replay server serves (PACO files through simulator.paco_files), applies the trusted zone's
identifier rules (`spark_jobs.identifiers`: canonical documents, name match keys, placeholders to null;
the latest version of each process; the fiscal bulletin's TR row rule) and its date rules (each catalogued
column's formats and year bounds, as spark_jobs.cleaning reads them), and runs the rules in DuckDB. The
generator plants its cases by construction and refuses to publish data whose computed flags differ from
the planted ones.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SECOP_II_PROCESOS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
    SOURCES,
    Column,
    Source,
)
from simulator import paco_files
from simulator.dbt_vars import INDICATORS, dbt_vars
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document, combined_document, name_match_key

RUN_DATE = "2026-01-15"  # the as-of date the ground truth holds for (delivery_noncompliance depends on it)
FLAGS_HEADER = ("indicator_id", "award_key")
VARS = dbt_vars()


@dataclass(frozen=True)
class Rules:
    """Thresholds of the rules: the defaults of dbt_project.yml's vars."""

    run_date: str = RUN_DATE
    repeat_awards_min: int = VARS["repeat_awards_min"]
    costly_offers_min_offers: int = VARS["costly_offers_min_offers"]
    pep_grace_years: int = VARS["pep_grace_years"]
    delivery_tolerance_days: int = VARS["delivery_tolerance_days"]
    fines_lookback_years: int = VARS["fines_lookback_years"]
    works_contractor_roles: tuple[str, ...] = tuple(VARS["works_contractor_roles"])
    non_competitive_modalities: tuple[str, ...] = tuple(VARS["non_competitive_modalities"])
    short_submission_min_days: int = VARS["short_submission_min_days"]
    short_submission_min_days_by_modality: tuple[tuple[str, int], ...] = tuple(
        VARS["short_submission_min_days_by_modality"].items()
    )
    award_close_to_base_min_ratio: float = VARS["award_close_to_base_min_ratio"]
    award_close_to_base_max_ratio: float = VARS["award_close_to_base_max_ratio"]
    direct_award_share_min_awards: int = VARS["direct_award_share_min_awards"]
    direct_award_share_min_peers: int = VARS["direct_award_share_min_peers"]
    value_additions_max_pct: float = VARS["value_additions_max_pct"]
    contract_splitting_threshold: int = VARS["contract_splitting_threshold"]
    contract_splitting_window_days: int = VARS["contract_splitting_window_days"]
    new_supplier_max_days: int = VARS["new_supplier_max_days"]
    new_supplier_min_value: int = VARS["new_supplier_min_value"]


# --- the ground-truth file ------------------------------------------------------------------------


def flags_path(out_dir: Path) -> Path:
    return Path(out_dir) / "ground_truth" / "flags.csv"


def write_flags(path: Path, flags: Mapping[str, Iterable[str]]) -> None:
    """One row per (indicator, flagged award), indicators in INDICATORS order, award keys sorted."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FLAGS_HEADER)
        for indicator in INDICATORS:
            writer.writerows((indicator, key) for key in sorted(flags.get(indicator, ())))
    partial.replace(path)


def load_planted_flags(path: Path) -> dict[str, frozenset[str]]:
    """{indicator_id: award keys it must flag} of a flags CSV; every indicator of INDICATORS is a key."""
    found: dict[str, set[str]] = {indicator: set() for indicator in INDICATORS}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != FLAGS_HEADER:
            raise ValueError(f"{path}: header {reader.fieldnames}, expected {FLAGS_HEADER}")
        for row in reader:
            if row["indicator_id"] not in found:
                raise ValueError(f"{path}: unknown indicator {row['indicator_id']!r}")
            found[row["indicator_id"]].add(row["award_key"])
    return {indicator: frozenset(keys) for indicator, keys in found.items()}


def differences(expected: Mapping[str, frozenset[str]], actual: Mapping[str, frozenset[str]]) -> dict[str, dict]:
    """Per indicator that differs: the awards missing from `actual` and the unexpected ones."""
    out = {}
    for indicator in INDICATORS:
        want, got = expected.get(indicator, frozenset()), actual.get(indicator, frozenset())
        if want != got:
            out[indicator] = {"missing": sorted(want - got), "unexpected": sorted(got - want)}
    return out


# --- reading the generated files as the trusted zone sees them --------------------------------------


def _mapped(values: pa.ChunkedArray | pa.Array, function: Callable[[str], str | None]) -> pa.Array:
    """`function` of every value (null stays null), computed once per distinct value."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    keys = pa.array([None if v is None else function(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return keys.take(encoded.indices)


def _code(value: str) -> str | None:
    """A `code` column as the trusted zone keeps it: trimmed, placeholders and blanks null."""
    text = value.strip()
    return None if text.upper() in PLACEHOLDERS else text


def _folded(value: str) -> str:
    """dbt macro folded_text: lower case, trimmed, Spanish accents folded."""
    return value.translate(str.maketrans("ÁÉÍÓÚÜÑáéíóúüñ", "AEIOUUNaeiouun")).strip().lower()


def _read(out_dir: Path, source: Source, columns: Iterable[str], path: Path | None = None) -> pa.Table:
    if path is not None:
        return pq.read_table(path, columns=list(columns))
    if source.is_file:
        return paco_files.read_file(source, out_dir / "paco" / source.dataset_id).select(list(columns))
    return pq.read_table(out_dir / f"{source.dataset_id}.parquet", columns=list(columns))


def _with_keys(table: pa.Table, **derived: tuple[str, Callable[[str], str | None]]) -> pa.Table:
    """The table plus derived columns: name=(source column, function)."""
    for name, (column, function) in derived.items():
        table = table.append_column(name, _mapped(table[column], function))
    return table


def _load(out_dir: Path, processes_path: Path | None) -> dict[str, pa.Table]:
    doc, code, name, fold = canonical_document, _code, name_match_key, _folded
    processes = _read(
        out_dir,
        SECOP_II_PROCESOS,
        (
            "id_del_proceso id_del_portafolio nit_entidad ordenentidad modalidad_de_contratacion adjudicado "
            "nit_del_proveedor_adjudicado codigoproveedor nombre_del_proveedor proveedores_unicos_con "
            "respuestas_al_procedimiento numero_de_lotes precio_base valor_total_adjudicacion "
            "fecha_de_publicacion_del fecha_de_recepcion_de fecha_adjudicacion fecha_de_ultima_publicaci"
        ).split(),
        processes_path,
    )
    processes = _with_keys(
        processes,
        entity_key=("nit_entidad", doc),
        sup_doc=("nit_del_proveedor_adjudicado", doc),
        sup_code=("codigoproveedor", code),
        sup_name=("nombre_del_proveedor", name),
        modality_folded=("modalidad_de_contratacion", fold),
    )
    contract_columns = (
        "id_contrato proceso_de_compra nit_entidad orden modalidad_de_contratacion estado_contrato tipodocproveedor "
        "documento_proveedor codigo_proveedor proveedor_adjudicado valor_del_contrato fecha_de_firma "
        "ultima_actualizacion"
    ).split()
    contract_keys = {
        "entity_key": ("nit_entidad", doc),
        "sup_doc": ("documento_proveedor", doc),
        "sup_code": ("codigo_proveedor", code),
        "sup_name": ("proveedor_adjudicado", name),
        "modality_folded": ("modalidad_de_contratacion", fold),
    }
    contracts = _with_keys(_read(out_dir, SECOP_II_CONTRATOS, contract_columns), **contract_keys)
    cancelled = _with_keys(
        _read(
            out_dir,
            SECOP_II_CONTRATOS_CANCELADOS,
            "id_contrato documento_proveedor codigo_proveedor proveedor_adjudicado fechamodificacion".split(),
        ),
        sup_doc=("documento_proveedor", doc),
        sup_code=("codigo_proveedor", code),
        sup_name=("proveedor_adjudicado", name),
    )
    offers = _with_keys(
        _read(
            out_dir,
            SECOP_II_OFERTAS,
            "identificador_de_la_oferta id_del_proceso_de_compra valor_de_la_oferta moneda fecha_de_registro "
            "nit_del_proveedor c_digo_proveedor nombre_proveedor".split(),
        ),
        sup_doc=("nit_del_proveedor", doc),
        sup_code=("c_digo_proveedor", code),
        sup_name=("nombre_proveedor", name),
    )
    fines = _with_keys(
        _read(
            out_dir,
            SECOP_II_MULTAS,
            "id_proceso id_contrato numero_de_acto numero_de_version as_codigo_proveedor_objeto "
            "nombre_proveedor_objeto_de fecha_evento estado".split(),
        ),
        sup_code=("as_codigo_proveedor_objeto", code),
        sup_name=("nombre_proveedor_objeto_de", name),
        state_folded=("estado", fold),
    )
    lines = _with_keys(
        _read(
            out_dir,
            SECOP_II_EJECUCION,
            "identificadorcontrato tipoejecucion estado_del_contrato cantidadporrecibir cantidadrecibida "
            "porcentajedeavanceesperado porcentaje_de_avance_real fechadeentregareal fechadeentregaesperada".split(),
        ),
        type_folded=("tipoejecucion", fold),
        state_folded=("estado_del_contrato", fold),
    )
    rues = _with_keys(
        _read(
            out_dir,
            RUES_PERSONAS,
            "codigo_camara matricula nit numero_identificacion estado_matricula fecha_matricula fecha_cancelacion "
            "fecha_actualizacion".split(),
        ),
        nit_key=("nit", doc),
        id_key=("numero_identificacion", doc),
    )
    pep = _with_keys(
        _read(out_dir, SIGEP_PEP, "numero_documento fecha_vinculacion fecha_desvinculacion".split()),
        doc_key=("numero_documento", doc),
    )
    posts = _with_keys(
        _read(out_dir, SIGEP_PUESTOS_SENSIBLES, "identificacion_funcionario fecha_vinculacion".split()),
        doc_key=("identificacion_funcionario", doc),
    )
    siri = _with_keys(
        _read(
            out_dir,
            SIRI_SANCIONES,
            "numero_identificacion fecha_efectos_juridicos duracion_anos duracion_mes duracion_dias".split(),
        ),
        doc_key=("numero_identificacion", doc),
    )
    works = _with_keys(
        _read(out_dir, PACO_OBRAS_INCONCLUSAS, "rol_2006 identificacion_2006 nombre_2006 fecha_2011".split()),
        doc_key=("identificacion_2006", doc),
        name_key=("nombre_2006", name),
    )
    bulletin = _with_keys(
        _read(out_dir, PACO_RESPONSABILIDAD_FISCAL, "responsable_fiscal tipo_y_num_docuemento tr".split()),
        doc_key=("tipo_y_num_docuemento", combined_document),
        name_key=("responsable_fiscal", name),
    )
    return {
        "raw_processes": processes,
        "raw_contracts": contracts,
        "raw_cancelled": cancelled,
        "raw_offers": offers,
        "raw_fines": fines,
        "raw_lines": lines,
        "raw_rues": rues,
        "raw_pep": pep,
        "raw_posts": posts,
        "raw_siri": siri,
        "raw_works": works,
        "raw_bulletin": bulletin,
    }


# Dates as the trusted zone parses them (spark_jobs.cleaning.check_date): ISO forms always, then the column's
# own patterns (the portal's export forms when it names none), a fraction of a second of any length
# ignored; a year outside the column's bounds is null; the column's open-end text is 9999-12-31. One
# macro per catalogued date column, `<source>__<field>(x)`.
ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
EXPORT_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")
SPARK_FIELDS = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "hh": "%I", "mm": "%M", "ss": "%S", "a": "%p"}
WITHOUT_FRACTION = r"regexp_replace(trim(x), '(\d{2}:\d{2}:\d{2})[.,]\d{1,9}|Z$', '\1', 'g')"


def _strptime_format(pattern: str) -> str:
    """A Spark datetime pattern (`dd/MM/yyyy HH:mm:ss`) as a strptime format."""
    return re.sub("|".join(SPARK_FIELDS), lambda m: SPARK_FIELDS[m.group()], pattern)


def _date_macro(source: Source, column: Column, run_year: int) -> str:
    """`<source>__<field>(x)`: the column's date as the trusted zone reads it, or null."""
    formats = (*ISO_FORMATS, *(map(_strptime_format, column.date_formats) if column.date_formats else EXPORT_FORMATS))
    parsed = f"cast(try_strptime({WITHOUT_FRACTION}, [{_sql_list(formats)}]) as date)"
    bounded = f"case when year(d) between {column.min_year} and {run_year + column.max_years_ahead} then d end"
    value = f"(select {bounded} from (select {parsed} as d))"
    if column.open_end:
        value = f"case when trim(x) = '{column.open_end}' then date '9999-12-31' else {value} end"
    return f"create or replace macro {source.name}__{column.field_name}(x) as {value};"


def _macros(run_year: int) -> str:
    dates = (_date_macro(s, c, run_year) for s in SOURCES for c in s.columns if c.kind == "date")
    return "\n".join((*dates, HELPERS))


HELPERS = """
create or replace macro amount(x) as try_cast(regexp_replace(trim(x), '[\\s$,]', '', 'g') as decimal(30, 3));
create or replace macro whole(x) as case when try_cast(trim(x) as double) = floor(try_cast(trim(x) as double))
    then cast(try_cast(trim(x) as double) as bigint) end;
create or replace macro supplier_key(doc, code, name) as coalesce(doc, 'SECOP:' || code, 'NAME:' || name);
"""

STAGED = """
create or replace table processes as
select
    id_del_proceso as process_id, id_del_portafolio as portfolio_id, entity_key, ordenentidad as entity_order,
    modality_folded, lower(trim(adjudicado)) = 'si' as is_awarded,
    sup_doc, sup_code, sup_name, supplier_key(sup_doc, sup_code, sup_name) as supplier_key,
    whole(proveedores_unicos_con) as unique_bidders, whole(respuestas_al_procedimiento) as responses,
    whole(numero_de_lotes) as lots, amount(precio_base) as base_price,
    amount(valor_total_adjudicacion) as awarded_value,
    secop_ii_procesos__fecha_de_publicacion_del(fecha_de_publicacion_del) as published,
    secop_ii_procesos__fecha_de_recepcion_de(fecha_de_recepcion_de) as offers_due,
    secop_ii_procesos__fecha_adjudicacion(fecha_adjudicacion) as award_date,
    try_cast(fecha_de_ultima_publicaci as timestamp) as last_published
from raw_processes
qualify row_number() over (partition by id_del_proceso order by last_published desc nulls last) = 1;

create or replace table contracts as
select
    id_contrato as contract_id, proceso_de_compra as portfolio_id, entity_key, orden as entity_order,
    modality_folded, tipodocproveedor as doc_type,
    lower(trim(coalesce(estado_contrato, ''))) not in ('borrador', 'cancelado') as is_live,
    sup_doc, sup_code, sup_name, supplier_key(sup_doc, sup_code, sup_name) as supplier_key,
    amount(valor_del_contrato) as contract_value, secop_ii_contratos__fecha_de_firma(fecha_de_firma) as signed
from raw_contracts;

-- The listed cancelled contracts (cancelled on fechamodificacion), then the contracts in state Cancelado
-- they do not list (cancelled on their last update); no date, no cancellation date.
create or replace table cancelled as
select
    id_contrato as contract_id, supplier_key(sup_doc, sup_code, sup_name) as supplier_key,
    secop_ii_contratos_cancelados__fechamodificacion(fechamodificacion) as cancelled_date
from raw_cancelled
union all
select
    id_contrato, supplier_key(sup_doc, sup_code, sup_name),
    secop_ii_contratos__ultima_actualizacion(ultima_actualizacion)
from raw_contracts c
where lower(trim(estado_contrato)) = 'cancelado'
  and not exists (select 1 from raw_cancelled l where l.id_contrato = c.id_contrato);

create or replace table offers as
select
    identificador_de_la_oferta as offer_id, id_del_proceso_de_compra as portfolio_id,
    supplier_key(sup_doc, sup_code, sup_name) as supplier_key, amount(valor_de_la_oferta) as offer_value,
    upper(trim(moneda)) as currency, secop_ii_ofertas__fecha_de_registro(fecha_de_registro) as registered
from raw_offers
qualify row_number() over (partition by identificador_de_la_oferta) = 1;

create or replace table fines as
select
    id_contrato as contract_id, sup_code, sup_name, secop_ii_multas__fecha_evento(fecha_evento) as event_date,
    coalesce(state_folded, '') = 'revocada' as is_revoked
from raw_fines
qualify row_number() over (
    partition by id_proceso, id_contrato, numero_de_acto order by whole(numero_de_version) desc) = 1;

create or replace table lines as
select
    trim(identificadorcontrato) as contract_id, coalesce(type_folded, '') = 'porcentaje' as is_percentage,
    coalesce(state_folded, '') = 'suspendido' as is_suspended,
    amount(cantidadporrecibir) as quantity_due, amount(cantidadrecibida) as quantity_received,
    amount(porcentajedeavanceesperado) as expected_progress, amount(porcentaje_de_avance_real) as real_progress,
    secop_ii_ejecucion__fechadeentregaesperada(fechadeentregaesperada) as due_date,
    secop_ii_ejecucion__fechadeentregareal(fechadeentregareal) as delivered_date
from raw_lines;

create or replace table rues as
select nit_key, id_key, upper(trim(estado_matricula)) as state,
    rues_personas__fecha_matricula(fecha_matricula) as registered,
    rues_personas__fecha_cancelacion(fecha_cancelacion) as cancelled
from raw_rues
qualify row_number() over (partition by codigo_camara, matricula
    order by rues_personas__fecha_actualizacion(fecha_actualizacion) desc nulls last) = 1;

create or replace table registrations as
select nit_key as doc, state, registered, cancelled from rues where nit_key is not null
union
select id_key as doc, state, registered, cancelled from rues where id_key is not null;

create or replace table pep as
select doc_key, sigep_pep__fecha_vinculacion(fecha_vinculacion) as start_date,
    sigep_pep__fecha_desvinculacion(fecha_desvinculacion) as end_date
from raw_pep;

create or replace table posts as
select doc_key, sigep_puestos_sensibles__fecha_vinculacion(fecha_vinculacion) as start_date from raw_posts;

create or replace table siri as
select doc_key, siri_sanciones__fecha_efectos_juridicos(fecha_efectos_juridicos) as effective,
    coalesce(whole(duracion_anos), 0) as years, coalesce(whole(duracion_mes), 0) as months,
    coalesce(whole(duracion_dias), 0) as days
from raw_siri;

create or replace table works as
select doc_key, name_key, upper(trim(rol_2006)) as role, paco_obras_inconclusas__fecha_2011(fecha_2011) as act_date
from raw_works;

create or replace table bulletin as
select doc_key, name_key from raw_bulletin where trim(tr) in ('I', 'S');

create or replace table process_of_portfolio as
select * from processes where portfolio_id is not null
qualify row_number() over (
    partition by portfolio_id order by case when is_awarded then 0 else 1 end, last_published desc nulls last,
    process_id desc) = 1;

create or replace table awards as
select
    c.contract_id as award_key, c.contract_id, c.portfolio_id, coalesce(c.entity_key, p.entity_key) as entity_key,
    coalesce(c.entity_order, p.entity_order) as entity_order, c.supplier_key, c.sup_doc, c.doc_type,
    c.sup_code, c.sup_name, coalesce(c.modality_folded, p.modality_folded) as modality,
    coalesce(c.signed, p.award_date) as award_date, coalesce(c.contract_value, p.awarded_value) as award_value,
    c.contract_value, p.awarded_value as process_value, p.base_price, p.published, p.offers_due,
    p.unique_bidders, p.responses, p.lots
from contracts c left join process_of_portfolio p on c.portfolio_id = p.portfolio_id
where c.is_live
union all
select
    'PROC:' || p.process_id, null, p.portfolio_id, p.entity_key, p.entity_order, p.supplier_key, p.sup_doc, null,
    p.sup_code, p.sup_name, p.modality_folded, p.award_date, p.awarded_value, null, p.awarded_value,
    p.base_price, p.published, p.offers_due, p.unique_bidders, p.responses, p.lots
from processes p
where p.is_awarded and not exists (select 1 from contracts c where c.portfolio_id = p.portfolio_id);

create or replace table valid_offers as
select * from offers
where offer_value > 0 and (currency = 'COP' or currency is null) and supplier_key is not null;
"""

RULES = {
    "repeat_awards": """
        select a.award_key from awards a join (
            select entity_key, supplier_key, year(award_date) as award_year from awards
            where entity_key is not null and supplier_key is not null and award_date is not null
            group by all having count(distinct award_key) >= {repeat_awards_min}
        ) g on g.entity_key = a.entity_key and g.supplier_key = a.supplier_key and g.award_year = year(a.award_date)
    """,
    "costly_offers": """
        with evaluated as (
            select a.award_key, a.portfolio_id, a.supplier_key, a.award_value from awards a
            join valid_offers o on o.portfolio_id = a.portfolio_id
            where coalesce(a.lots, 1) <= 1
            group by all having count(*) >= {costly_offers_min_offers}
        ),
        cheapest as (
            select e.*, o.supplier_key as offer_supplier, o.offer_value from evaluated e
            join valid_offers o on o.portfolio_id = e.portfolio_id
            qualify row_number() over (partition by e.award_key order by o.offer_value, o.registered, o.offer_id) = 1
        )
        select award_key from cheapest
        where offer_supplier <> supplier_key and award_value - offer_value > 0
    """,
    "inactive_supplier": """
        select a.award_key from awards a
        where a.sup_doc is not null
          and exists (select 1 from registrations r where r.doc = a.sup_doc and r.state = 'CANCELADA'
                      and r.cancelled < a.award_date)
          and not exists (select 1 from registrations r where r.doc = a.sup_doc and r.registered <= a.award_date
                          and (r.cancelled is null or r.cancelled >= a.award_date))
    """,
    "pep_supplier": """
        select distinct a.award_key from awards a join pep on pep.doc_key = a.sup_doc
        where (a.doc_type is null or upper(trim(a.doc_type)) <> 'NIT')
          and pep.start_date <= a.award_date
          and (pep.end_date is null or a.award_date <= pep.end_date + to_years({pep_grace_years}))
    """,
    "sensitive_post_supplier": """
        select distinct a.award_key from awards a join posts on posts.doc_key = a.sup_doc
        where (a.doc_type is null or upper(trim(a.doc_type)) <> 'NIT') and posts.start_date <= a.award_date
    """,
    "supplier_cancelled_contracts": """
        select distinct a.award_key from awards a join cancelled c on c.supplier_key = a.supplier_key
        where c.contract_id is distinct from a.contract_id and c.cancelled_date < a.award_date
    """,
    "delivery_noncompliance": """
        select distinct a.award_key from awards a join lines l on l.contract_id = a.contract_id
        where not l.is_suspended
          and ((not l.is_percentage and l.quantity_due is not null and l.quantity_received is not null
                and ((l.due_date < date '{run_date}' and l.quantity_received < l.quantity_due)
                     or l.delivered_date > l.due_date + to_days({delivery_tolerance_days})))
               or (l.is_percentage and l.due_date < date '{run_date}' and l.real_progress < l.expected_progress))
    """,
    "barred_fines": """
        with standing as (
            select f.*, c.sup_doc as contract_doc, c.contract_id is not null as contract_found
            from fines f left join contracts c on c.contract_id = f.contract_id
            where not f.is_revoked
        ),
        matched as (
            select 'code' as route, sup_code as value, event_date from standing
            union all
            select 'document', contract_doc, event_date from standing
            union all
            select 'document', ltrim(sup_code, '0'), event_date from standing  -- the code read as a document
            union all
            select 'name', sup_name, event_date from standing where sup_code is null and not contract_found
        )
        select distinct a.award_key from awards a join matched m
          on (m.route = 'code' and m.value = a.sup_code) or (m.route = 'document' and m.value = a.sup_doc)
          or (m.route = 'name' and m.value = a.sup_name)
        where m.event_date < a.award_date and m.event_date >= a.award_date - to_years({fines_lookback_years})
    """,
    "barred_unfinished_works": """
        select distinct a.award_key from awards a join works w
          on (w.doc_key is not null and w.doc_key = a.sup_doc) or (w.doc_key is null and w.name_key = a.sup_name)
        where w.role in ({works_contractor_roles}) and w.act_date < a.award_date
    """,
    "barred_fiscal_liability": """
        select distinct a.award_key from awards a join bulletin b
          on (b.doc_key is not null and b.doc_key = a.sup_doc) or (b.doc_key is null and b.name_key = a.sup_name)
    """,
    "single_bidder": """
        select award_key from awards
        where modality not in ({non_competitive_modalities}) and coalesce(unique_bidders, responses) = 1
    """,
    "short_submission_period": """
        select award_key from awards
        where modality not in ({non_competitive_modalities})
          and date_diff('day', published, offers_due) < {min_days}
    """,
    "identical_bid_prices": """
        select distinct a.award_key from awards a
        join valid_offers o1 on o1.portfolio_id = a.portfolio_id
        join valid_offers o2 on o2.portfolio_id = a.portfolio_id
        where o1.offer_value = o2.offer_value and o1.supplier_key <> o2.supplier_key
    """,
    "award_close_to_base_price": """
        select award_key from awards
        where modality not in ({non_competitive_modalities}) and base_price > 0
          and process_value / base_price between {award_close_to_base_min_ratio} and {award_close_to_base_max_ratio}
    """,
    "direct_award_share": """
        with shares as (
            select entity_key, min(entity_order) as entity_order, count(*) as n,
                count(*) filter (where modality in ({non_competitive_modalities})) / count(*) as share
            from awards where modality is not null and entity_key is not null
            group by entity_key having count(*) >= {direct_award_share_min_awards}
        ),
        fences as (
            select entity_order,
                quantile_cont(share, 0.75) + 1.5 * (quantile_cont(share, 0.75) - quantile_cont(share, 0.25)) as fence
            from shares group by entity_order having count(*) >= {direct_award_share_min_peers}
        )
        select a.award_key from awards a
        join shares s on s.entity_key = a.entity_key join fences f on f.entity_order = s.entity_order
        where s.share > f.fence and a.modality in ({non_competitive_modalities})
    """,
    "contract_splitting": """
        with small as (
            select * from awards
            where award_value < {contract_splitting_threshold} and entity_key is not null
              and supplier_key is not null and award_date is not null
        )
        select s.award_key from small s join small t
          on t.entity_key = s.entity_key and t.supplier_key = s.supplier_key
         and abs(date_diff('day', s.award_date, t.award_date)) <= {contract_splitting_window_days}
        group by s.award_key
        having count(*) >= 2 and sum(t.award_value) > {contract_splitting_threshold}
    """,
    "value_additions": """
        select a.award_key from awards a
        where a.contract_id is not null and coalesce(a.lots, 1) <= 1
          and (select count(*) from contracts c where c.portfolio_id = a.portfolio_id and c.is_live) = 1
          and a.contract_value > (1 + {value_additions_max_pct}) * a.process_value
    """,
    "new_supplier_big_award": """
        select a.award_key from awards a
        join (select doc, min(registered) as first_registered from registrations group by doc) r
          on r.doc = a.sup_doc
        where a.award_value >= {new_supplier_min_value} and r.first_registered <= a.award_date
          and date_diff('day', r.first_registered, a.award_date) < {new_supplier_max_days}
    """,
    "sanctioned_supplier": """
        select distinct a.award_key from awards a join siri s on s.doc_key = a.sup_doc
        where s.years + s.months + s.days > 0 and s.effective <= a.award_date
          and a.award_date < s.effective + to_months(cast(12 * s.years + s.months as integer))
                             + to_days(cast(s.days as integer))
    """,
}


def _sql_list(values: Iterable[str]) -> str:
    """A SQL list of string literals ('' when empty: matches no modality or role)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "''"


def _connect(out_dir: Path, rules: Rules, processes_path: Path | None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the staged tables of the generated files (`awards`: int_awards)."""
    con = duckdb.connect()
    for name, table in _load(Path(out_dir), processes_path).items():
        con.register(name, table)
    con.execute(_macros(int(rules.run_date[:4])))
    con.execute(STAGED)
    return con


def award_universe(out_dir: Path, processes_path: Path | None = None) -> pa.Table:
    """The award universe (int_awards) of the generated files: award_key, contract_id, entity_key,
    supplier_key, award_date, award_value, modality (folded) and the process fields the rules read."""
    with _connect(out_dir, Rules(), processes_path) as con:
        return con.sql("select * from awards order by award_key").to_arrow_table()


def compute_flags(
    out_dir: Path, rules: Rules = Rules(), processes_path: Path | None = None
) -> dict[str, frozenset[str]]:
    """{indicator_id: award keys its rule flags} on the files generated under `out_dir` (the processes
    file: `processes_path`, default `out_dir/p6dx-8zbt.parquet`)."""
    params = {k: getattr(rules, k) for k in rules.__dataclass_fields__}
    params["works_contractor_roles"] = _sql_list(rules.works_contractor_roles)
    params["non_competitive_modalities"] = _sql_list(rules.non_competitive_modalities)
    cases = " ".join(f"when '{m}' then {days}" for m, days in rules.short_submission_min_days_by_modality)
    default = rules.short_submission_min_days
    params["min_days"] = f"case modality {cases} else {default} end" if cases else str(default)
    with _connect(out_dir, rules, processes_path) as con:
        return {
            indicator: frozenset(r[0] for r in con.execute(RULES[indicator].format(**params)).fetchall())
            for indicator in INDICATORS
        }
