{#- Universe of `contract_splitting`: the awards of its award sources (macro evaluated_awards) small enough to be a piece of a split purchase, i.e.
    with a known entity, supplier and award date and an award value below the ceiling of its modality in
    its award year: `threshold_smmlv` (var `contract_splitting_threshold_smmlv_by_modality` for the
    folded modality, else var `contract_splitting_threshold_smmlv`) times the legal minimum wage of the
    award year (seed legal_minimum_wages; a year after the seed's last uses the last wage, a year before
    its first is not evaluated). -#}
{#- A view, as a cheap filter (int_awards__competitive.sql says why); the seed has one row a year. -#}
{{ config(materialized='view') }}

with wages as (
    select
        year as smmlv_year,
        smmlv,
        lead(year) over (order by year) as next_year
    from {{ ref('legal_minimum_wages') }}
),

awards as (
    select
        {{ award_columns() }},
        cast(extract(year from award_date) as integer) as award_year,
        {{ by_modality(
            'modality',
            var('contract_splitting_threshold_smmlv_by_modality'),
            var('contract_splitting_threshold_smmlv'),
        ) }} as threshold_smmlv
    from {{ evaluated_awards('contract_splitting') }}
    where entity_key is not null
      and supplier_key is not null
      and award_date is not null
),

priced as (
    select
        awards.*,
        wages.smmlv_year,
        wages.smmlv,
        cast(awards.threshold_smmlv * wages.smmlv as bigint) as threshold
    from awards
    inner join wages
        on awards.award_year >= wages.smmlv_year
        and (wages.next_year is null or awards.award_year < wages.next_year)
)

select
    {{ award_columns() }},
    threshold_smmlv,
    smmlv_year,
    smmlv,
    threshold
from priced
where award_value < threshold
