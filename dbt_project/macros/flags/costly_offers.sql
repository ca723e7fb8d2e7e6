{#- The body of int_flags__costly_offers (the rule is documented there) over `universe`, a relation or
    CTE name with int_universe__costly_offers' columns: the batch model passes that model, the live
    path the universe of the new contracts (macro universe__costly_offers). -#}
{% macro flags__costly_offers(universe) -%}
{%- set min_gap_pct = var('costly_offers_min_gap_pct') -%}
{%- set text = dbt.type_string() -%}

with universe as (
    select * from {{ universe }}
),

compared as (
    select
        universe.*,
        case
            when supplier_document_key is not null and cheapest_supplier_document_key is not null then 'document'
            when supplier_code is not null and cheapest_supplier_code is not null then 'secop_code'
            when supplier_name_match is not null and cheapest_supplier_name_match is not null then 'name'
        end as compared_by,
        award_value - cheapest_offer_value as gap
    from universe
),

flagged as (
    select *
    from compared
    where (
            (compared_by = 'document' and supplier_document_key <> cheapest_supplier_document_key)
            or (compared_by = 'secop_code' and supplier_code <> cheapest_supplier_code)
            or (compared_by = 'name' and supplier_name_match <> cheapest_supplier_name_match)
        )
      and gap > {{ min_gap_pct }} * cheapest_offer_value
),

final as (
    select
        award_key,
        'costly_offers' as indicator_id,
        coalesce(process_id, portfolio_id) as unit_key,
        entity_key,
        supplier_key,
        award_date,
        award_value,
        compared_by as match_method,
        {{ json_object([
            ('process_id', json_string('process_id')),
            ('portfolio_id', json_string('portfolio_id')),
            ('cheapest_offer_id', json_string('cheapest_offer_id')),
            ('cheapest_supplier_key', json_string('cheapest_supplier_key')),
            ('cheapest_supplier_name', json_string('cheapest_supplier_name')),
            ('cheapest_offer_value', json_number('cheapest_offer_value')),
            ('cheapest_offer_date', json_string('cast(cheapest_offer_date as ' ~ text ~ ')')),
            ('valid_offers', json_number('valid_offers')),
            ('offers_without_currency', json_number('offers_without_currency')),
            ('award_value', json_number('award_value')),
            ('gap', json_number('gap')),
            ('compared_by', json_string('compared_by')),
            ('min_gap_pct', json_number(min_gap_pct)),
            ('min_offers', json_number(var('costly_offers_min_offers'))),
        ]) }} as evidence,
        cast(gap as decimal(30, 3)) as excess_amount
    from flagged
)

select * from final
{%- endmacro %}
