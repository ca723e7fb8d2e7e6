{#- The reference architecture's streaming result table (docs/indicators/README.md) as a view over the
    evaluation log: one row per (contract version, streaming indicator) evaluated, 'Si' when it fired and
    'No' when not, kept for every micro-batch (the seed wiped the table every minute). The labels are the
    seed's, byte-exact; an indicator without a seed label (none of today's streaming ones) shows its
    English name and group, so that no evaluation is hidden. `monto_contrato` is the contract value once;
    `window` the micro-batch's poll window and `fecha_ejecucion` the detection time, both as ISO-8601 in
    America/Bogota (25 characters, e.g. 2024-05-01T10:03:00-05:00). -#}
{{ config(materialized='view') }}

select
    cast(evaluations.award_key as varchar(100)) as id_no_contrato,
    cast(coalesce(indicators.nombre_grupo_indicador, indicators.indicator_group) as varchar(100))
        as nombre_grupo_indicador,
    cast(coalesce(indicators.nombre_indicador, indicators.indicator_name) as varchar(100)) as nombre_indicador,
    cast(case when evaluations.is_flagged then 'Si' else 'No' end as char(2)) as tipo_alerta_irregularidad,
    cast(evaluations.award_value as decimal(30, 3)) as monto_contrato,
    cast(
        '{"start": "' || {{ iso_bogota('evaluations.window_start') }}
        || '", "end": "' || {{ iso_bogota('evaluations.window_end') }} || '"}'
        as varchar(100)
    ) as "window",
    cast({{ iso_bogota('evaluations.detected_at') }} as char(25)) as fecha_ejecucion
from {{ ref('fct_contract_evaluations') }} as evaluations
inner join {{ ref('indicators') }} as indicators on evaluations.indicator_id = indicators.indicator_id
