{#- The window totals of winner_share_of_buyer for every valued award of its award sources (entity and
    award date known, award value > 0; with or without a supplier, however few the entity's awards):
    int_universe__winner_share_of_buyer is these rows filtered. The body is macro winner_share_windows,
    shared with the live path.
    Incremental on the awards that the trusted zone's changes touch (macro recompute_trailing_windows): a
    changed award (entity e, award date d, before and after the change) changes the windows of e's awards
    dated d .. d + var `winner_share_window_days` - 1; those are deleted and inserted again from e's awards
    of their windows. -#}
{%- set window_days = var('winner_share_window_days') -%}

{%- if is_incremental_run() %}
{%- set awards -%}
(select awards.*
 from {{ evaluated_awards('winner_share_of_buyer') }}
 inner join (
     select entity_key, min(award_date) as first_end, max(award_date) as last_end
     from {{ changed_windows_table() }}
     group by entity_key
 ) as changed_entities
     on awards.entity_key = changed_entities.entity_key
     and awards.award_date >= {{ dbt.dateadd('day', -(window_days - 1), 'changed_entities.first_end') }}
     and awards.award_date <= {{ dbt.dateadd('day', window_days - 1, 'changed_entities.last_end') }}
) as window_awards
{%- endset -%}
{%- set evaluated -%}
(select * from {{ awards }} where {{ in_changed_windows('window_awards', ['entity_key'], window_days) }}) as changed_window_awards
{%- endset -%}
{{ winner_share_windows(awards, evaluated, every_valued_award=true) }}
{%- else %}
{{ winner_share_windows(evaluated_awards('winner_share_of_buyer'), every_valued_award=true) }}
{%- endif %}
