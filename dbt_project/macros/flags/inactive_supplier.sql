{#- The body of int_flags__inactive_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__inactive_supplier(awards) -%}
{%- set text = dbt.type_string() -%}

with awards as (
    select * from {{ awards }}
    where supplier_document_key is not null
      and award_date is not null
),

-- One row per (document, registration): the document is the registration's NIT or its id number.
registrations as (
    select * from {{ ref('int_rues_documents') }}
),

-- Every registration of the supplier's document, judged at the award date.
matches as (
    select
        awards.award_key,
        registrations.registration_id,
        registrations.chamber_name,
        registrations.registration_number,
        registrations.cancelled_date,
        case
            when registrations.registration_state = 'CANCELADA'
                and registrations.cancelled_date < awards.award_date then 1
            else 0
        end as cancelled_before_award,
        case
            when (registrations.registered_date is null or registrations.registered_date <= awards.award_date)
                and (registrations.cancelled_date is null or registrations.cancelled_date >= awards.award_date) then 1
            else 0
        end as in_force_at_award
    from awards
    inner join registrations
        on registrations.document_key = awards.supplier_document_key
),

-- One row per award (C3: aggregate the matches before joining them back to the award).
per_award as (
    select
        award_key,
        count(*) as matched_registrations,
        sum(cancelled_before_award) as cancelled_registrations,
        max(case when cancelled_before_award = 1 then cancelled_date end) as last_cancelled_date
    from matches
    group by award_key
    having sum(cancelled_before_award) > 0
       and sum(in_force_at_award) = 0
),

cancelled_lists as (
    select
        award_key,
        '[' || {{ dbt.listagg(
            json_object([
                ('registration_id', json_string('registration_id')),
                ('chamber', json_string('chamber_name')),
                ('registration_number', json_string('registration_number')),
                ('cancelled_date', json_string('cast(cancelled_date as ' ~ text ~ ')')),
            ]),
            "','",
            "order by cancelled_date, registration_id"
        ) }} || ']' as cancelled_registrations_json
    from matches
    where cancelled_before_award = 1
    group by award_key
),

final as (
    select
        awards.award_key,
        'inactive_supplier' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        'document' as match_method,
        {{ award_sentence('awards') }}
            || ', when its chamber-of-commerce registration had been cancelled (on '
            || cast(per_award.last_cancelled_date as {{ text }})
            || ') and no registration was in force' as reason,
        {{ json_object([
            ('supplier_document_key', json_string('awards.supplier_document_key')),
            ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
            ('matched_registrations', json_number('per_award.matched_registrations')),
            ('registrations_in_force', json_number('0')),
            ('cancelled_registrations', 'cancelled_lists.cancelled_registrations_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
    inner join cancelled_lists on awards.award_key = cancelled_lists.award_key
)

select * from final
{%- endmacro %}
