{#- The reference architecture's result table (docs/indicators/README.md), as a view over the summary: the ten seed
    indicators only, with their Spanish labels byte-exact and one row per run date (history kept, a rerun replaces its
    date). The counts have our grains (docs/indicators/README.md), not the seed's mixed ones. -#}
{{ config(materialized='view') }}

select
    cast(indicators.nombre_grupo_indicador as varchar(100)) as nombre_grupo_indicador,
    cast(indicators.nombre_indicador as varchar(100)) as nombre_indicador,
    cast(summary.flagged_units as integer) as cantidad_irregularidades,
    cast(summary.flagged_awards as integer) as cantidad_contratos_irregularidades,
    cast(summary.flagged_amount as decimal(30, 3)) as monto_total_irregularidades,
    cast(summary.total_awards as integer) as cantidad_contratos_totales,
    summary.run_date as fecha_ejecucion
from {{ ref('fct_indicator_summary') }} as summary
inner join {{ ref('indicators') }} as indicators on summary.indicator_id = indicators.indicator_id
where indicators.nombre_indicador is not null
