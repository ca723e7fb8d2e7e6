{#- The body of int_flags__sensitive_post_supplier (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__sensitive_post_supplier(awards) -%}
{%- set text = dbt.type_string() -%}

with awards as (
    select * from {{ awards }}
    where supplier_document_key is not null
      and award_date is not null
      and {{ is_person_or_unknown_document('supplier_document_type') }}
),

posts as (
    select * from {{ ref('stg_sigep_puestos_sensibles') }}
),

-- Every sensitive post of the supplier's document held since the award date or earlier.
matches as (
    select
        awards.award_key,
        posts.post_record_id,
        posts.post,
        posts.institution,
        posts.appointment_type,
        posts.start_date,
        posts.snapshot_date,
        row_number() over (
            partition by awards.award_key
            order by posts.start_date desc, posts.post_record_id
        ) as recency_rank
    from awards
    inner join posts
        on posts.document_key = awards.supplier_document_key
    where posts.start_date <= awards.award_date
),

-- One row per award (C3: aggregate the matches before joining them back to the award); the reason
-- names the most recent post.
per_award as (
    select
        award_key,
        count(*) as sensitive_posts,
        max(snapshot_date) as snapshot_date,
        max(case when recency_rank = 1 then post end) as latest_post,
        max(case when recency_rank = 1 then institution end) as latest_post_institution,
        max(case when recency_rank = 1 then start_date end) as latest_post_start,
        '[' || {{ dbt.listagg(
            json_object([
                ('post_record_id', json_string('post_record_id')),
                ('post', json_string('post')),
                ('institution', json_string('institution')),
                ('appointment_type', json_string('appointment_type')),
                ('start_date', json_string('cast(start_date as ' ~ text ~ ')')),
            ]),
            "','",
            "order by start_date desc, post_record_id"
        ) }} || ']' as posts_json
    from matches
    group by award_key
),

final as (
    select
        awards.award_key,
        'sensitive_post_supplier' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        'document' as match_method,
        {{ award_sentence('awards') }}
            || ', a public servant in a corruption-sensitive post since '
            || cast(per_award.latest_post_start as {{ text }})
            || ': ' || coalesce(per_award.latest_post, 'post not named')
            || ' at ' || coalesce(per_award.latest_post_institution, 'an unnamed institution')
            || case
                when per_award.sensitive_posts > 1
                    then ' (' || cast(per_award.sensitive_posts as {{ text }}) || ' sensitive posts)'
                else ''
            end
            || ', active at snapshot ' || coalesce(cast(per_award.snapshot_date as {{ text }}), 'date unknown') as reason,
        {{ json_object([
            ('supplier_document_key', json_string('awards.supplier_document_key')),
            ('award_date', json_string('cast(awards.award_date as ' ~ text ~ ')')),
            ('list_status', json_string("'active at snapshot ' || coalesce(cast(per_award.snapshot_date as " ~ text ~ "), 'date unknown')")),
            ('posts', 'per_award.posts_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from final
{%- endmacro %}
