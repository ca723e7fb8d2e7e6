{#- The parts of int_universe__heterogeneous_supplier (the rule is documented there) that the live path
    shares: the batch model passes int_awards, the live path the new awards and every current award of
    their suppliers, judged against the last batch build's fence. -#}

{#- The coded awards of `awards` (a relation or CTE name with int_awards' columns): a supplier key and a
    category code whose segment (its first 2 digits, after the portal's 'V1.' prefix) is two digits. -#}
{% macro coded_awards(awards) -%}
    select *
    from (
        select
            {{ award_columns() }},
            category_code,
            substring(replace(upper(trim(category_code)), 'V1.', ''), 1, 2) as segment
        from {{ awards }}
        where supplier_key is not null
    ) segmented_awards
    where length(segment) = 2
      and substring(segment, 1, 1) between '0' and '9'
      and substring(segment, 2, 1) between '0' and '9'
{%- endmacro %}

{#- The compared suppliers of `coded_awards` (macro coded_awards' rows): those with at least var
    `heterogeneous_supplier_min_awards` coded awards, with their number of distinct segments. -#}
{% macro supplier_segments(coded_awards) -%}
    select supplier_key, count(*) as supplier_awards, count(distinct segment) as segments
    from {{ coded_awards }}
    group by supplier_key
    having count(*) >= {{ var('heterogeneous_supplier_min_awards') }}
{%- endmacro %}

{#- The universe's rows: each coded award of `coded_awards` whose supplier is in `supplier_segments`, with
    its supplier's figures and the population's `fence` (one row: population_suppliers, q1, q3,
    upper_fence). -#}
{% macro heterogeneous_awards(coded_awards, supplier_segments, fence) -%}
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
    from {{ coded_awards }} as coded_awards
    inner join {{ supplier_segments }} as supplier_segments
        on coded_awards.supplier_key = supplier_segments.supplier_key
    cross join {{ fence }} as fence
{%- endmacro %}
