{#- Universe of `heterogeneous_supplier`: the coded awards of the compared suppliers, each with its
    supplier's number of distinct UNSPSC segments and the population's Tukey fence.
    Coded award: a supplier key and a category code whose segment (its first 2 digits, after the
    portal's 'V1.' prefix) is two digits. Compared supplier: at least var
    `heterogeneous_supplier_min_awards` coded awards; the population (all compared suppliers) must
    hold at least var `heterogeneous_supplier_min_population` of them. Quartiles are `percentile_cont`
    (linear interpolation between the closest ranks, the same estimator on DuckDB and Redshift);
    upper fence = Q3 + 1.5 × (Q3 − Q1). -#}
{%- set min_population = var('heterogeneous_supplier_min_population') -%}

with coded_awards as (
    {{ coded_awards(ref('int_awards')) }}
),

supplier_segments as (
    {{ supplier_segments('coded_awards') }}
),

fence as (
    select
        population_suppliers,
        cast(q1 as decimal(18, 6)) as q1,
        cast(q3 as decimal(18, 6)) as q3,
        cast(q3 + 1.5 * (q3 - q1) as decimal(18, 6)) as upper_fence
    from (
        select
            count(*) as population_suppliers,
            percentile_cont(0.25) within group (order by segments) as q1,
            percentile_cont(0.75) within group (order by segments) as q3
        from supplier_segments
    ) quartiles
    where population_suppliers >= {{ min_population }}
),

final as (
    {{ heterogeneous_awards('coded_awards', 'supplier_segments', 'fence') }}
)

select * from final
