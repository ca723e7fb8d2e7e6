{#- contract_splitting ("fraccionamiento"): one entity gives one supplier several awards, each under the
    ceiling of its modality in its year, within a short time, that together exceed the ceiling. Evaluated
    on `int_universe__contract_splitting` (dated awards under their `threshold` = `threshold_smmlv` times
    the award year's minimum wage, with entity and supplier keys). The window of an award A = the
    universe's awards of the same (entity, supplier) and the same ceiling in SMMLV (one procedure class:
    pieces of one purchase go through one modality) dated within var `contract_splitting_window_days`
    days before or after A, A included; A fires when its window holds at least 2 awards whose values add
    up to more than A's threshold (so around 1 January one window can fire for the December award and not
    for the January one: the wage rose). The (entity, supplier) pair is the unit. -#}
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
        and award.threshold_smmlv = window_award.threshold_smmlv
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
                ('modality', json_string('universe.modality')),
                ('smmlv_year', json_number('universe.smmlv_year')),
                ('smmlv', json_number('universe.smmlv')),
                ('threshold_smmlv', json_number('universe.threshold_smmlv')),
                ('threshold', json_number('universe.threshold')),
                ('window_days', json_number(window_days)),
                ('award_keys', 'windows.window_award_keys'),
            ],
        ) }}
    from universe
    inner join windows on universe.award_key = windows.award_key
    where windows.window_awards >= 2
      and windows.window_value > universe.threshold
)

select * from flagged
