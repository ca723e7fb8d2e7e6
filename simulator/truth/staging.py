"""The staged tables of the oracle: the raw tables typed and deduplicated as the trusted zone and the dbt
staging models do, up to `all_awards` (int_awards: a live contract keyed by its `id_contrato`, else an
awarded process without any contract keyed `PROC:<id_del_proceso>`; a SECOP I award in an awarded state
keyed `SECOP_I:<uid>`; a virtual-store order that is not cancelled keyed `TVEC:<order id>`; `award_source`
says which). simulator.truth.oracle reads it through the view `awards`, one indicator's award sources at a
time."""

from __future__ import annotations

import re

from catalogue import SOURCES, Column, Source
from simulator.dbt_vars import dbt_vars
from simulator.truth.sql import sql_list

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
    parsed = f"cast(try_strptime({WITHOUT_FRACTION}, [{sql_list(formats)}]) as date)"
    bounded = f"case when year(d) between {column.min_year} and {run_year + column.max_years_ahead} then d end"
    value = f"(select {bounded} from (select {parsed} as d))"
    if column.open_end:
        value = f"case when trim(x) = '{column.open_end}' then date '9999-12-31' else {value} end"
    return f"create or replace macro {source.name}__{column.field_name}(x) as {value};"


def macros(run_year: int) -> str:
    """The date macro of every catalogued date column, then the HELPERS macros."""
    dates = (_date_macro(s, c, run_year) for s in SOURCES for c in s.columns if c.kind == "date")
    return "\n".join((*dates, HELPERS))


HELPERS = """
create or replace macro amount(x) as try_cast(regexp_replace(trim(x), '[\\s$,]', '', 'g') as decimal(30, 3));
create or replace macro whole(x) as case when try_cast(trim(x) as double) = floor(try_cast(trim(x) as double))
    then cast(try_cast(trim(x) as double) as bigint) end;
create or replace macro supplier_key(doc, code, name) as coalesce(doc, 'SECOP:' || code, 'NAME:' || name);
create or replace macro match_method(doc, code, name) as case
    when doc is not null then 'document' when code is not null then 'secop_code' when name is not null then 'name' end;
"""

_STAGED_SQL = """
create or replace table processes as
select
    id_del_proceso as process_id, id_del_portafolio as portfolio_id, entity_key, order_folded as entity_order,
    modality_folded, lower(trim(adjudicado)) = 'si' as is_awarded,
    sup_doc, sup_code, sup_name, supplier_key(sup_doc, sup_code, sup_name) as supplier_key,
    whole(proveedores_unicos_con) as unique_bidders, whole(respuestas_al_procedimiento) as responses,
    whole(numero_de_lotes) as lots, amount(precio_base) as base_price,
    amount(valor_total_adjudicacion) as awarded_value,
    secop_ii_procesos__fecha_de_publicacion_del(fecha_de_publicacion_del) as published,
    secop_ii_procesos__fecha_de_recepcion_de(fecha_de_recepcion_de) as offers_due,
    secop_ii_procesos__fecha_adjudicacion(fecha_adjudicacion) as award_date,
    try_cast(fecha_de_ultima_publicaci as timestamp) as last_published,
    nullif(trim(codigo_principal_de_categoria), '') as category_code
from raw_processes
qualify row_number() over (partition by id_del_proceso order by last_published desc nulls last) = 1;

create or replace table contracts as
select
    id_contrato as contract_id, proceso_de_compra as portfolio_id, entity_key, order_folded as entity_order,
    modality_folded, doc_type_folded as doc_type,
    lower(trim(coalesce(estado_contrato, ''))) not in ('borrador', 'cancelado') as is_live,
    sup_doc, sup_code, sup_name, supplier_key(sup_doc, sup_code, sup_name) as supplier_key,
    amount(valor_del_contrato) as contract_value, secop_ii_contratos__fecha_de_firma(fecha_de_firma) as signed,
    nullif(trim(codigo_de_categoria_principal), '') as category_code, sector_folded as entity_sector
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
    identificador_de_la_oferta as offer_id, id_del_proceso_de_compra as portfolio_id, sup_doc, sup_code, sup_name,
    supplier_key(sup_doc, sup_code, sup_name) as supplier_key, amount(valor_de_la_oferta) as offer_value,
    upper(trim(moneda)) as currency, secop_ii_ofertas__fecha_de_registro(fecha_de_registro) as registered
from raw_offers
qualify row_number() over (partition by identificador_de_la_oferta) = 1;

create or replace table fines as
select
    id_contrato as contract_id, sup_code, sup_name, secop_ii_multas__fecha_evento(fecha_evento) as event_date,
    coalesce(state_folded, '') = 'revocada' as is_revoked, row_number() over () as fine_id
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
select nit_key, id_key, codigo_camara || '-' || matricula as registration_id, upper(trim(estado_matricula)) as state,
    rues_personas__fecha_matricula(fecha_matricula) as registered,
    rues_personas__fecha_cancelacion(fecha_cancelacion) as cancelled
from raw_rues
qualify row_number() over (partition by codigo_camara, matricula
    order by rues_personas__fecha_actualizacion(fecha_actualizacion) desc nulls last) = 1;

create or replace table registrations as
select nit_key as doc, registration_id, state, registered, cancelled from rues where nit_key is not null
union
select id_key as doc, registration_id, state, registered, cancelled from rues where id_key is not null;

create or replace table pep as
select doc_key, sigep_pep__fecha_vinculacion(fecha_vinculacion) as start_date,
    sigep_pep__fecha_desvinculacion(fecha_desvinculacion) as end_date
from raw_pep;

create or replace table posts as
select doc_key, sigep_puestos_sensibles__fecha_vinculacion(fecha_vinculacion) as start_date from raw_posts;

-- A sanction is in force from its effective date until that date plus its duration: years, then months, then days.
create or replace table siri as
select *, cast(effective + to_years(cast(years as integer)) + to_months(cast(months as integer))
    + to_days(cast(days as integer)) as date) as end_date
from (
    select doc_key, siri_sanciones__fecha_efectos_juridicos(fecha_efectos_juridicos) as effective,
        coalesce(whole(duracion_anos), 0) as years, coalesce(whole(duracion_mes), 0) as months,
        coalesce(whole(duracion_dias), 0) as days
    from raw_siri
);

create or replace table works as
select doc_key, name_key, upper(trim(rol_2006)) as role, paco_obras_inconclusas__fecha_2011(fecha_2011) as act_date,
    cod_obra as work_id
from raw_works;

create or replace table bulletin as
select doc_key, name_key from raw_bulletin where trim(tr) in ('I', 'S');

-- The latest version of each SECOP I award (uid) and of each order; its state decides whether it is an award.
create or replace table secop_i as
select
    uid, numero_de_constancia, entity_key, order_folded, sup_doc, sup_name, doc_type_folded, modality_folded,
    coalesce(state_folded in (SECOP_I_AWARD_STATES), false) as is_awarded,
    secop_i_procesos__fecha_de_firma_del_contrato(fecha_de_firma_del_contrato) as signed,
    amount(cuantia_contrato) as signed_value, amount(valor_total_de_adiciones) as additions
from raw_secop_i
qualify row_number() over (
    partition by uid order by secop_i_procesos__ultima_actualizacion(ultima_actualizacion) desc nulls last) = 1;

create or replace table tvec as
select
    identificador_de_la_orden, entity_key, order_folded, sup_doc, sup_name,
    coalesce(state_folded, '') <> 'cancelada' as is_live, tvec_ordenes__fecha(fecha) as ordered,
    amount(total) as order_value
from raw_tvec
qualify row_number() over (partition by identificador_de_la_orden) = 1;

create or replace table process_of_portfolio as
select * from processes where portfolio_id is not null
qualify row_number() over (
    partition by portfolio_id order by case when is_awarded then 0 else 1 end, last_published desc nulls last,
    process_id desc) = 1;

create or replace table all_awards as
select
    c.contract_id as award_key, c.contract_id, c.portfolio_id, coalesce(c.entity_key, p.entity_key) as entity_key,
    coalesce(c.entity_order, p.entity_order) as entity_order, c.supplier_key, c.sup_doc, c.doc_type,
    c.sup_code, c.sup_name, coalesce(c.modality_folded, p.modality_folded) as modality,
    coalesce(c.signed, p.award_date) as award_date, coalesce(c.contract_value, p.awarded_value) as award_value,
    c.contract_value, p.awarded_value as process_value, p.base_price, p.published, p.offers_due,
    p.unique_bidders, p.responses, p.lots, p.process_id,
    match_method(c.sup_doc, c.sup_code, c.sup_name) as match_method, coalesce(c.category_code, p.category_code)
    as category_code, 'contract' as award_source
from contracts c left join process_of_portfolio p on c.portfolio_id = p.portfolio_id
where c.is_live
union all
select
    'PROC:' || p.process_id, null, p.portfolio_id, p.entity_key, p.entity_order, p.supplier_key, p.sup_doc, null,
    p.sup_code, p.sup_name, p.modality_folded, p.award_date, p.awarded_value, null, p.awarded_value,
    p.base_price, p.published, p.offers_due, p.unique_bidders, p.responses, p.lots, p.process_id,
    match_method(p.sup_doc, p.sup_code, p.sup_name), p.category_code, 'process'
from processes p
where p.is_awarded and not exists (select 1 from contracts c where c.portfolio_id = p.portfolio_id)
union all
-- SECOP I: the value with its declared additions against the value at signing (value_additions).
select
    'SECOP_I:' || uid, null, null, entity_key, order_folded, supplier_key(sup_doc, null, sup_name), sup_doc,
    doc_type_folded, null, sup_name, modality_folded, signed, signed_value + coalesce(additions, 0),
    signed_value + coalesce(additions, 0), signed_value, null, null, null, null, null, null, numero_de_constancia,
    match_method(sup_doc, null, sup_name), null, 'secop_i'
from secop_i
where is_awarded
union all
select
    'TVEC:' || identificador_de_la_orden, null, null, entity_key, order_folded, supplier_key(sup_doc, null, sup_name),
    sup_doc, null, null, sup_name, null, ordered, order_value, order_value, order_value, null, null, null, null, null,
    null, null, match_method(sup_doc, null, sup_name), null, 'tvec'
from tvec
where is_live;

create or replace table valid_offers as
select * from offers
where offer_value > 0 and (currency = 'COP' or currency is null) and supplier_key is not null;
"""

STAGED = _STAGED_SQL.replace("SECOP_I_AWARD_STATES", sql_list(dbt_vars()["secop_i_award_states"]))
