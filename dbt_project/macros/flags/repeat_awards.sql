{#- The body of int_flags__repeat_awards (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__repeat_awards(awards) -%}
{%- set min_awards = var('repeat_awards_min') -%}
{%- set modalities = var('repeat_awards_modalities') -%}

with awards as (
    select * from {{ awards }}
    where entity_key is not null
      and supplier_key is not null
      and award_date is not null
    {%- if modalities %}
      and modality in ({% for m in modalities %}'{{ m | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif %}
),

dated as (
    select *, extract(year from award_date) as award_year
    from awards
),

-- The firing groups first, then the award keys listed only for them (not for every group).
counted_groups as (
    select
        entity_key,
        supplier_key,
        award_year,
        count(distinct award_key) as group_awards,
        sum(award_value) as group_value
    from dated
    group by entity_key, supplier_key, award_year
    having count(distinct award_key) >= {{ min_awards }}
),

groups as (
    select
        counted_groups.entity_key,
        counted_groups.supplier_key,
        counted_groups.award_year,
        counted_groups.group_awards,
        counted_groups.group_value,
        group_keys.group_award_keys
    from counted_groups
    inner join (
        select
            dated.entity_key,
            dated.supplier_key,
            dated.award_year,
            {{ json_string_array_agg('dated.award_key') }} as group_award_keys
        from dated
        inner join counted_groups
            on dated.entity_key = counted_groups.entity_key
            and dated.supplier_key = counted_groups.supplier_key
            and dated.award_year = counted_groups.award_year
        group by dated.entity_key, dated.supplier_key, dated.award_year
    ) group_keys
        on counted_groups.entity_key = group_keys.entity_key
        and counted_groups.supplier_key = group_keys.supplier_key
        and counted_groups.award_year = group_keys.award_year
),

flagged as (
    select
        dated.award_key,
        'repeat_awards' as indicator_id,
        dated.entity_key
            || '|' || dated.supplier_key
            || '|' || cast(dated.award_year as {{ dbt.type_string() }}) as unit_key,
        dated.entity_key,
        dated.supplier_key,
        dated.award_date,
        dated.award_value,
        dated.match_method,
        {{ json_object([
            ('entity_key', json_string('dated.entity_key')),
            ('supplier_key', json_string('dated.supplier_key')),
            ('award_year', json_number('dated.award_year')),
            ('group_awards', json_number('groups.group_awards')),
            ('group_value', json_number('groups.group_value')),
            ('threshold', json_number(min_awards)),
            ('award_keys', 'groups.group_award_keys'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from dated
    inner join groups
        on dated.entity_key = groups.entity_key
        and dated.supplier_key = groups.supplier_key
        and dated.award_year = groups.award_year
)

select * from flagged
{%- endmacro %}
