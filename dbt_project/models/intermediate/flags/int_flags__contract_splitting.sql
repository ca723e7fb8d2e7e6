{#- contract_splitting ("fraccionamiento"): one entity gives one supplier several awards, each under
    var `contract_splitting_threshold`, within a short time, that together exceed it. Evaluated on
    `int_universe__contract_splitting` (dated awards under the threshold with entity and supplier
    keys). The window of an award A = the universe's awards of the same (entity, supplier) dated
    within var `contract_splitting_window_days` days before or after A, A included; A fires when its
    window holds at least 2 awards whose values add up to more than the threshold. The
    (entity, supplier) pair is the unit. -#}
{%- set threshold = var('contract_splitting_threshold') -%}
{%- set window_days = var('contract_splitting_window_days') -%}

with universe as (
    select * from {{ ref('int_universe__contract_splitting') }}
),

-- One row per award A: its window. The self-join pairs A with each distinct award of its window
-- once (award_key is unique), so the count and the sum are over distinct awards.
windows as (
    select
        award.award_key,
        count(*) as window_awards,
        sum(window_award.award_value) as window_value,
        min(window_award.award_date) as window_first_date,
        max(window_award.award_date) as window_last_date,
        {{ json_string_array_agg('window_award.award_key') }} as window_award_keys
    from universe as award
    inner join universe as window_award
        on award.entity_key = window_award.entity_key
        and award.supplier_key = window_award.supplier_key
        and window_award.award_date >= {{ dbt.dateadd('day', -window_days, 'award.award_date') }}
        and window_award.award_date <= {{ dbt.dateadd('day', window_days, 'award.award_date') }}
    group by award.award_key
),

flagged as (
    select
        {{ flag_row(
            'contract_splitting',
            award='universe',
            unit_key="universe.entity_key || '|' || universe.supplier_key",
            match_method='universe.match_method',
            evidence=[
                ('entity_key', json_string('universe.entity_key')),
                ('supplier_key', json_string('universe.supplier_key')),
                ('window_awards', json_number('windows.window_awards')),
                ('window_value', json_number('windows.window_value')),
                ('window_first_date', json_string('cast(windows.window_first_date as ' ~ dbt.type_string() ~ ')')),
                ('window_last_date', json_string('cast(windows.window_last_date as ' ~ dbt.type_string() ~ ')')),
                ('threshold', json_number(threshold)),
                ('window_days', json_number(window_days)),
                ('award_keys', 'windows.window_award_keys'),
            ],
        ) }}
    from universe
    inner join windows on universe.award_key = windows.award_key
    where windows.window_awards >= 2
      and windows.window_value > {{ threshold }}
)

select * from flagged
