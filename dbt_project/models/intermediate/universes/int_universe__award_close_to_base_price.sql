{#- Universe of `award_close_to_base_price`: the awards of competitive procedures
    (int_awards__competitive) whose process has a base price above zero and a known awarded value. -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why). -#}
{{ config(materialized='view') }}

select
    {{ award_columns() }},
    process_awarded_value,
    base_price
from {{ evaluated_awards('award_close_to_base_price', ref('int_awards__competitive')) }}
where base_price > 0
  and process_awarded_value is not null
