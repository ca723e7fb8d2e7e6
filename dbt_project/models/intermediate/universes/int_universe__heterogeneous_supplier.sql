{#- Universe of `heterogeneous_supplier`: the coded awards of the compared suppliers, each with its
    supplier's number of distinct UNSPSC segments and the population's Tukey fence.
    Coded award: a supplier key and a category code whose segment (its first 2 digits, after the
    portal's 'V1.' prefix) is two digits. Compared supplier: at least var
    `heterogeneous_supplier_min_awards` coded awards; the population (all compared suppliers) must
    hold at least var `heterogeneous_supplier_min_population` of them. Upper fence = Q3 + 1.5 × (Q3 − Q1)
    (macro tukey_fences). -#}
{%- set min_awards = var('heterogeneous_supplier_min_awards') -%}
{%- set min_population = var('heterogeneous_supplier_min_population') -%}

with segmented_awards as (
    select
        {{ award_columns() }},
        category_code,
        substring(replace(upper(trim(category_code)), 'V1.', ''), 1, 2) as segment
    from {{ ref('int_awards') }}
    where supplier_key is not null
),

coded_awards as (
    select *
    from segmented_awards
    where length(segment) = 2
      and substring(segment, 1, 1) between '0' and '9'
      and substring(segment, 2, 1) between '0' and '9'
),

supplier_segments as (
    select supplier_key, count(*) as supplier_awards, count(distinct segment) as segments
    from coded_awards
    group by supplier_key
    having count(*) >= {{ min_awards }}
),

fence as (
    {{ tukey_fences(
        'supplier_segments', 'segments', ['upper'], min_population, population_column='population_suppliers'
    ) }}
),

final as (
    select
        {{ award_columns('coded_awards') }},
        coded_awards.category_code,
        coded_awards.segment,
        supplier_segments.supplier_awards,
        supplier_segments.segments,
        fence.population_suppliers,
        fence.q1,
        fence.q3,
        fence.upper_fence
    from coded_awards
    inner join supplier_segments on coded_awards.supplier_key = supplier_segments.supplier_key
    cross join fence
)

select * from final
