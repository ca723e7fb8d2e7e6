{#- Universe of `contract_splitting`: the awards small enough to be a piece of a split purchase, i.e.
    with a known entity, supplier and award date and an award value below var
    `contract_splitting_threshold`. -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why). -#}
{{ config(materialized='view') }}

{%- set threshold = var('contract_splitting_threshold') -%}

select
    {{ award_columns() }}
from {{ ref('int_awards') }}
where entity_key is not null
  and supplier_key is not null
  and award_date is not null
  and award_value < {{ threshold }}
