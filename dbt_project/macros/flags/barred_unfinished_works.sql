{#- The body of int_flags__barred_unfinished_works (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_unfinished_works(awards) -%}
{%- set roles = var('works_contractor_roles') -%}

with awards as (
    select * from {{ awards }}
    where award_date is not null
),

works as (
    select * from {{ ref('stg_paco_obras_inconclusas') }}
    where act_date is not null
    {%- if roles %}
      and {{ folded_text('party_role') }} in (
        {%- for role in roles %}{{ folded_text("'" ~ (role | replace("'", "''")) ~ "'") }}{% if not loop.last %}, {% endif %}{% endfor -%}
      )
    {%- endif %}
),

-- A register line matches by one method only: by document when it has one, else by name.
all_matches as (
    {{ matches_by_document_else_name('awards', 'works', 'works_record_id', 'party_document_key', 'party_name_match') }}
),

-- The register lines whose act is dated before the award.
dated_matches as (
    select
        all_matches.award_key,
        all_matches.match_method,
        all_matches.match_rank,
        works.*
    from all_matches
    inner join awards on all_matches.award_key = awards.award_key
    inner join works on all_matches.works_record_id = works.works_record_id
    where works.act_date < awards.award_date
),

-- One evidence entry per distinct register entry (two lines of the file may say the same thing).
work_evidence as (
    select distinct
        award_key,
        work_id,
        match_rank,
        act_date,
        {{ json_object([
            ('work_id', json_string('work_id')),
            ('entity_name', json_string('entity_name')),
            ('role', json_string('party_role')),
            ('party_name', json_string('party_name')),
            ('work_state', json_string('work_state')),
            ('contract_number', json_string('contract_number')),
            ('act_date', json_string('cast(act_date as ' ~ dbt.type_string() ~ ')')),
            ('match_method', json_string('match_method')),
        ]) }} as work_json
    from dated_matches
),

-- One row per award: the matched register lines are aggregated before meeting the award (each award counts once).
per_award as (
    select
        award_key,
        count(distinct work_id) as works,
        max(act_date) as latest_act_date,
        min(match_rank) as best_match_rank,
        '[' || {{ dbt.listagg('work_json', "','", 'order by act_date, work_id, work_json') }} || ']' as works_json
    from work_evidence
    group by award_key
),

flagged as (
    select
        awards.award_key,
        'barred_unfinished_works' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        case per_award.best_match_rank when 1 then 'document' else 'name' end as match_method,
        coalesce(awards.supplier_name, awards.supplier_key)
            || ' is the contractor of ' || cast(per_award.works as {{ dbt.type_string() }})
            || ' unfinished public work(s) in the PACO register, recorded before this award of '
            || cast(awards.award_date as {{ dbt.type_string() }})
            || ' (latest act ' || cast(per_award.latest_act_date as {{ dbt.type_string() }})
            || '; matched by '
            || case per_award.best_match_rank when 1 then 'document' else 'name only' end
            || ')' as reason,
        {{ json_object([
            ('supplier_key', json_string('awards.supplier_key')),
            ('works', json_number('per_award.works')),
            ('records', 'per_award.works_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from flagged
{%- endmacro %}
