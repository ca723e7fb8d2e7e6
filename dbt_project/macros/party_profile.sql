{#- A party's profile as the read API shows it, precomputed so that a profile is one lookup by the party's
    key (`party` 'entity' or 'supplier'; the counterpart is the other one). One row per line, `section`:
    - 'indicator': its flags of one indicator (`indicator_id`, `flags`, `flagged_awards`, `flagged_value`),
      every indicator that fired for it, most flags first;
    - 'award': one of its riskiest flagged awards (risk score, then flag count, then key), the top
      var('profile_top'), with both parties' keys and names as the award gives them;
    - 'counterpart': the other side of its awards (an entity's suppliers, a supplier's buyers) with the
      totals of the awards between them, most flags first (then awards, then key), the top var('profile_top').
    `position` orders the lines of a section from 1. Columns a section does not use are null.
    Incremental on the parties whose awards fct_contract_risk recomputed (macro recompute_changed_parties):
    a party's lines keep the `run_date` of the run that last wrote them. -#}
{% macro party_profile(party) -%}
{%- set key = party ~ '_key' -%}
{%- set other = 'supplier' if party == 'entity' else 'entity' -%}
{%- set top = var('profile_top') -%}
{%- set text = dbt.type_string() -%}
{#- Every line's columns after its key, section and position: a section leaves null those it does not give. -#}
{%- set columns = [
    ('indicator_id', text), ('award_key', text), (party ~ '_name', text), (other ~ '_key', text),
    (other ~ '_name', text), ('award_date', 'date'), ('award_value', 'decimal(30, 3)'), ('flag_count', 'integer'),
    ('risk_score', 'decimal(9, 6)'), ('secop_url', text), ('awards', 'bigint'), ('awarded_value', 'decimal(38, 3)'),
    ('flagged_awards', 'bigint'), ('flagged_value', 'decimal(38, 3)'), ('flags', 'bigint'),
] -%}

with risk as (
    select * from {{ ref('fct_contract_risk') }}
    where {{ key }} is not null and {{ in_changed_parties(key) }}
),

flags as (
    select * from {{ ref('fct_contract_flags') }}
    where {{ key }} is not null and {{ in_changed_parties(key) }}
),

by_indicator as (
    select
        {{ key }},
        indicator_id,
        count(*) as flags,
        count(distinct award_key) as flagged_awards,
        coalesce(sum(award_value), 0) as flagged_value
    from flags
    group by {{ key }}, indicator_id
),

indicator_lines as (
    select
        *,
        row_number() over (partition by {{ key }} order by flags desc, indicator_id) as position
    from by_indicator
),

award_lines as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }} order by risk_score desc, flag_count desc, award_key
            ) as position
        from risk
        where flag_count > 0
    ) as ranked
    where position <= {{ top }}
),

counterparts as (
    select
        {{ key }},
        {{ other }}_key,
        max({{ other }}_name) as {{ other }}_name,
        count(*) as awards,
        coalesce(sum(award_value), 0) as awarded_value,
        sum(case when flag_count > 0 then 1 else 0 end) as flagged_awards,
        coalesce(sum(case when flag_count > 0 then award_value else 0 end), 0) as flagged_value,
        sum(flag_count) as flags
    from risk
    where {{ other }}_key is not null
    group by {{ key }}, {{ other }}_key
),

counterpart_lines as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }} order by flags desc, awards desc, {{ other }}_key
            ) as position
        from counterparts
    ) as ranked
    where position <= {{ top }}
),

lines as (
    {%- for section, source, given in [
        ('indicator', 'indicator_lines', ['indicator_id', 'flagged_awards', 'flagged_value', 'flags']),
        ('award', 'award_lines', [other ~ '_key', other ~ '_name', party ~ '_name', 'award_key', 'award_date',
                                  'award_value', 'flag_count', 'risk_score', 'secop_url']),
        ('counterpart', 'counterpart_lines', [other ~ '_key', other ~ '_name', 'awards', 'awarded_value',
                                              'flagged_awards', 'flagged_value', 'flags']),
    ] %}
    select
        {{ key }},
        '{{ section }}' as section,
        position,
        {%- for column, column_type in columns %}
        {{ column if column in given else 'cast(null as ' ~ column_type ~ ')' }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    cast({{ key }} as {{ text }}) as {{ key }},
    cast(section as {{ text }}) as section,
    cast(position as integer) as position,
    {%- for column, column_type in columns %}
    cast({{ column }} as {{ column_type }}) as {{ column }},
    {%- endfor %}
    {{ run_date() }} as run_date
from lines
{%- endmacro %}
