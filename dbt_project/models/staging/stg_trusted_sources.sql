-- Generated from catalogue/ by `python -m orchestration.dbt_sources`. Do not edit.
select 'secop_ii_procesos' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_procesos')) }}) as has_rows
union all
select 'secop_ii_contratos' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_contratos')) }}) as has_rows
union all
select 'secop_ii_ofertas' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_ofertas')) }}) as has_rows
union all
select 'secop_ii_contratos_cancelados' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_contratos_cancelados')) }}) as has_rows
union all
select 'rues_personas' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'rues_personas')) }}) as has_rows
union all
select 'secop_ii_multas' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_multas')) }}) as has_rows
union all
select 'secop_ii_ejecucion' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_ii_ejecucion')) }}) as has_rows
union all
select 'sigep_pep' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'sigep_pep')) }}) as has_rows
union all
select 'sigep_puestos_sensibles' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'sigep_puestos_sensibles')) }}) as has_rows
union all
select 'paco_obras_inconclusas' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'paco_obras_inconclusas')) }}) as has_rows
union all
select 'paco_responsabilidad_fiscal' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'paco_responsabilidad_fiscal')) }}) as has_rows
union all
select 'secop_i_procesos' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'secop_i_procesos')) }}) as has_rows
union all
select 'siri_sanciones' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'siri_sanciones')) }}) as has_rows
union all
select 'tvec_ordenes' as source_name, exists (select 1 from {{ any_trusted_version(source('trusted', 'tvec_ordenes')) }}) as has_rows
