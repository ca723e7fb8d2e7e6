{#- Universe of `value_additions`: the SECOP II contracts whose current value can be compared with the
    value their process awarded: the award is a contract (`award_source = 'contract'`), the process
    awarded more than zero in a single lot (`coalesce(lots, 1) <= 1`), and the portfolio has exactly
    one live contract (several contracts of one process share its awarded value). -#}
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
        awards.process_awarded_value,
        awards.lots
    from awards
    inner join portfolio_contracts on awards.portfolio_id = portfolio_contracts.portfolio_id
    where awards.award_source = 'contract'
      and awards.process_awarded_value > 0
      and coalesce(awards.lots, 1) <= 1
      and portfolio_contracts.live_contracts = 1
)

select * from final
