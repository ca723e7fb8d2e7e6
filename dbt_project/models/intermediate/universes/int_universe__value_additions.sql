{#- Universe of `value_additions`: the awards whose current value can be compared with the value they
    were awarded at (award_sources: SECOP II and SECOP I).
    - A SECOP II contract (`award_source = 'contract'`): the process awarded more than zero in a single
      lot (`coalesce(lots, 1) <= 1`) and the portfolio has exactly one live contract (several contracts of
      one process share its awarded value). A process award (no contract) has no later value.
    - A SECOP I award (`award_source = 'secop_i'`): its value at signing (`cuantia_contrato`, int_awards'
      `process_awarded_value`) is more than zero; each row is one contract, with its own additions. -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why). -#}
{{ config(materialized='view') }}

with awards as (
    select * from {{ evaluated_awards('value_additions') }}
),

portfolio_contracts as (
    select
        portfolio_id,
        count(*) as live_contracts
    from awards
    where award_source = 'contract'
      and portfolio_id is not null
    group by portfolio_id
),

final as (
    select
        {{ award_columns('awards') }},
        awards.award_source,
        awards.process_awarded_value,
        awards.lots
    from awards
    left join portfolio_contracts on awards.portfolio_id = portfolio_contracts.portfolio_id
    where awards.process_awarded_value > 0
      and (
          (
              awards.award_source = 'contract'
              and coalesce(awards.lots, 1) <= 1
              and portfolio_contracts.live_contracts = 1
          )
          or awards.award_source = 'secop_i'
      )
)

select * from final
