{#- Universe of `short_submission_period`: the awards of competitive procedures
    (int_awards__competitive) whose process has both a publication date and an offer deadline, with the
    calendar days between the two. -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why). -#}
{{ config(materialized='view') }}

select
    {{ award_columns() }},
    published_date,
    offers_due_date,
    {{ dbt.datediff('published_date', 'offers_due_date', 'day') }} as submission_days
from {{ evaluated_awards('short_submission_period', ref('int_awards__competitive')) }}
where published_date is not null
  and offers_due_date is not null
