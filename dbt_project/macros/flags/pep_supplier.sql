{#- The body of int_flags__pep_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__pep_supplier(awards) -%}
{%- set grace_years = var('pep_grace_years') or 0 -%}
{%- set text = dbt.type_string() -%}

with awards as (
    select * from {{ awards }}
    where supplier_document_key is not null
      and award_date is not null
      and {{ is_person_or_unknown_document('supplier_document_type') }}
),

peps as (
    select * from {{ ref('stg_sigep_pep') }}
),

-- Every PEP record of the supplier's document that covers the award date.
matches as (
    select
        awards.award_key,
        peps.pep_record_id,
        peps.post,
        peps.entity_name,
        peps.start_date,
        peps.end_date,
        row_number() over (
            partition by awards.award_key
            order by peps.start_date desc, peps.pep_record_id
        ) as recency_rank
    from awards
    inner join peps
        on peps.document_key = awards.supplier_document_key
    where peps.start_date <= awards.award_date
      and (
          peps.end_date is null
          or awards.award_date <= {{ dbt.dateadd('year', grace_years, 'peps.end_date') }}
      )
),

-- One row per award (C3: aggregate the matches before joining them back to the award); the reason
-- names the most recent post.
per_award as (
    select
        award_key,
        count(*) as pep_records,
        max(case when recency_rank = 1 then post end) as latest_post,
        max(case when recency_rank = 1 then entity_name end) as latest_post_entity,
        max(case when recency_rank = 1 then start_date end) as latest_post_start,
        '[' || {{ dbt.listagg(
            json_object([
                ('pep_record_id', json_string('pep_record_id')),
                ('post', json_string('post')),
                ('entity', json_string('entity_name')),
                ('start_date', json_string('cast(start_date as ' ~ text ~ ')')),
                ('end_date', json_string('cast(end_date as ' ~ text ~ ')')),
            ]),
            "','",
            "order by start_date desc, pep_record_id"
        ) }} || ']' as pep_records_json
    from matches
    group by award_key
),

final as (
    select
        awards.award_key,
        'pep_supplier' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        'document' as match_method,
        {{ award_sentence('awards') }}
            || ', a politically exposed person then: ' || coalesce(per_award.latest_post, 'post not named')
            || ' at ' || coalesce(per_award.latest_post_entity, 'an unnamed entity')
            || ' since ' || cast(per_award.latest_post_start as {{ text }})
            || case
                when per_award.pep_records > 1
                    then ' (' || cast(per_award.pep_records as {{ text }}) || ' PEP records)'
                else ''
            end as reason,
        {{ json_object([
            ('supplier_document_key', json_string('awards.supplier_document_key')),
            ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
            ('grace_years', json_number(grace_years)),
            ('pep_records', 'per_award.pep_records_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from final
{%- endmacro %}
