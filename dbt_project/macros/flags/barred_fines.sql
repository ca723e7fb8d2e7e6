{#- The body of int_flags__barred_fines (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_fines(awards) -%}
{%- set lookback_years = var('fines_lookback_years') -%}

with awards as (
    select * from {{ awards }}
    where award_date is not null
),

contracts as (
    select * from {{ ref('stg_secop_ii_contratos') }}
),

fines as (
    select * from {{ ref('stg_secop_ii_multas') }}
    where event_date is not null
      and coalesce({{ folded_text('sanction_state') }}, '') <> 'revocada'
),

-- Each fine with the supplier document of the contract it sanctions, and its supplier code read as a
-- document (the 7-8 digit code's meaning is unsettled: it is tried both ways).
fines_with_contract as (
    select
        fines.*,
        contracts.contract_id is not null as contract_found,
        contracts.supplier_document_key as contract_supplier_document_key,
        ltrim(fines.supplier_code, '0') as code_as_document
    from fines
    left join contracts on fines.contract_id = contracts.contract_id
),

matches_by_code as (
    select awards.award_key, fine.source_row_id, 'secop_code' as match_method, 1 as match_rank
    from awards
    inner join fines_with_contract as fine on awards.supplier_code = fine.supplier_code
),

matches_by_document as (
    select awards.award_key, fine.source_row_id, 'document' as match_method, 2 as match_rank
    from awards
    inner join fines_with_contract as fine on awards.supplier_document_key = fine.contract_supplier_document_key
),

matches_by_code_as_document as (
    select awards.award_key, fine.source_row_id, 'document' as match_method, 3 as match_rank
    from awards
    inner join fines_with_contract as fine on awards.supplier_document_key = fine.code_as_document
),

matches_by_name as (
    select awards.award_key, fine.source_row_id, 'name' as match_method, 4 as match_rank
    from awards
    inner join fines_with_contract as fine on awards.supplier_name_match = fine.supplier_name_match
    where fine.supplier_code is null
      and not fine.contract_found
),

all_matches as (
    select * from matches_by_code
    union all
    select * from matches_by_document
    union all
    select * from matches_by_code_as_document
    union all
    select * from matches_by_name
),

-- One row per (award, fine), keeping the first method of the rule's order (`match_rank`).
best_matches as (
    select award_key, source_row_id, match_method, match_rank
    from (
        select
            all_matches.*,
            row_number() over (partition by award_key, source_row_id order by match_rank) as pair_rank
        from all_matches
    ) ranked
    where pair_rank = 1
),

-- The fines dated before the award, within the lookback window.
dated_matches as (
    select
        best_matches.award_key,
        best_matches.match_method,
        best_matches.match_rank,
        fine.*
    from best_matches
    inner join awards on best_matches.award_key = awards.award_key
    inner join fines_with_contract as fine on best_matches.source_row_id = fine.source_row_id
    where fine.event_date < awards.award_date
    {%- if lookback_years is not none %}
      and fine.event_date >= {{ dbt.dateadd('year', -1 * lookback_years, 'awards.award_date') }}
    {%- endif %}
),

fine_evidence as (
    select
        award_key,
        sanction_id,
        source_row_id,
        match_rank,
        sanction_value,
        event_date,
        {{ json_object([
            ('sanction_id', json_string('sanction_id')),
            ('contract_id', json_string('contract_id')),
            ('act_number', json_string('act_number')),
            ('sanction_type', json_string('sanction_type')),
            ('sanction_kind', json_string('sanction_kind')),
            ('sanction_state', json_string('sanction_state')),
            ('value', json_number('sanction_value')),
            ('event_date', json_string('cast(event_date as ' ~ dbt.type_string() ~ ')')),
            ('entity_name', json_string('entity_name')),
            ('match_method', json_string('match_method')),
        ]) }} as fine_json
    from dated_matches
),

-- One row per award: the matched fines are aggregated before meeting the award (each award counts once).
per_award as (
    select
        award_key,
        count(*) as fines,
        sum(sanction_value) as fines_value,
        max(event_date) as latest_event_date,
        min(match_rank) as best_match_rank,
        '[' || {{ dbt.listagg('fine_json', "','", 'order by event_date, sanction_id, source_row_id') }} || ']' as fines_json
    from fine_evidence
    group by award_key
),

flagged as (
    select
        awards.award_key,
        'barred_fines' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        case per_award.best_match_rank
            when 1 then 'secop_code'
            when 4 then 'name'
            else 'document'
        end as match_method,
        coalesce(awards.supplier_name, awards.supplier_key)
            || ' had ' || cast(per_award.fines as {{ dbt.type_string() }})
            || ' fine(s) or sanction(s) registered in SECOP II before this award of '
            || cast(awards.award_date as {{ dbt.type_string() }})
            {%- if lookback_years is not none %}
            || ' (lookback: {{ lookback_years }} years)'
            {%- endif %}
            || ', the latest on ' || cast(per_award.latest_event_date as {{ dbt.type_string() }})
            || ' (matched by '
            || case per_award.best_match_rank
                when 1 then 'SECOP supplier code'
                when 2 then 'supplier document of the sanctioned contract'
                when 3 then 'the fine''s supplier code read as the supplier''s document'
                else 'supplier name only'
            end || ')' as reason,
        {{ json_object([
            ('supplier_key', json_string('awards.supplier_key')),
            ('lookback_years', json_number(lookback_years if lookback_years is not none else 'null')),
            ('fines', json_number('per_award.fines')),
            ('fines_value', json_number('per_award.fines_value')),
            ('records', 'per_award.fines_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from flagged
{%- endmacro %}
