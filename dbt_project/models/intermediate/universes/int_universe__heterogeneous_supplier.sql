{#- Universe of `heterogeneous_supplier`: the coded awards of the compared suppliers, each with its
    supplier's number of distinct UNSPSC segments and the population's Tukey fence.
    Coded award: a supplier key and a category code whose segment (its first 2 digits, after the
    portal's 'V1.' prefix) is two digits. Compared supplier: at least var
    `heterogeneous_supplier_min_awards` coded awards; the population (all compared suppliers) must
    hold at least var `heterogeneous_supplier_min_population` of them. Upper fence = Q3 + 1.5 × (Q3 − Q1)
    (macro tukey_fences). -#}
{%- set min_population = var('heterogeneous_supplier_min_population') -%}

with coded_awards as (
    {{ coded_awards(ref('int_awards')) }}
),

supplier_segments as (
    {{ supplier_segments('coded_awards') }}
),

fence as (
    {{ tukey_fences(
        'supplier_segments', 'segments', ['upper'], min_population, population_column='population_suppliers'
    ) }}
),

final as (
    {{ heterogeneous_awards('coded_awards', 'supplier_segments', 'fence') }}
)

select * from final
