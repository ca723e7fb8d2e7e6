{#- The body of int_flags__barred_fiscal_liability (the rule is documented there) over `awards`, a relation or
    CTE name with int_awards' columns: the batch model passes int_awards, the live path the new contracts. -#}
{% macro flags__barred_fiscal_liability(awards) -%}
with awards as (
    select * from {{ awards }}
),

-- The trusted zone keeps only the latest bulletin snapshot: every row is listed at that snapshot.
listed as (
    select * from {{ ref('stg_paco_responsabilidad_fiscal') }}
),

-- A bulletin row matches by one method only: by document when it has one, else by name.
all_matches as (
    {{ matches_by_document_else_name('awards', 'listed', 'liability_record_id', 'party_document_key', 'party_name_match') }}
),

listing_evidence as (
    select
        all_matches.award_key,
        all_matches.match_rank,
        listed.liability_record_id,
        listed.snapshot_date,
        {{ json_object([
            ('party_name', json_string('listed.party_name')),
            ('party_document', json_string('listed.party_document_raw')),
            ('liability_type', json_string('listed.liability_type')),
            ('affected_entity', json_string('listed.affected_entity')),
            ('reported_by', json_string('listed.reported_by')),
            ('match_method', json_string('all_matches.match_method')),
        ]) }} as listing_json
    from all_matches
    inner join listed on all_matches.liability_record_id = listed.liability_record_id
),

-- One row per award: the matched bulletin rows are aggregated before meeting the award (each award counts once).
per_award as (
    select
        award_key,
        count(*) as listings,
        max(snapshot_date) as snapshot_date,
        min(match_rank) as best_match_rank,
        '[' || {{ dbt.listagg('listing_json', "','", 'order by liability_record_id') }} || ']' as listings_json
    from listing_evidence
    group by award_key
),

flagged as (
    select
        awards.award_key,
        'barred_fiscal_liability' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        case per_award.best_match_rank when 1 then 'document' else 'name' end as match_method,
        coalesce(awards.supplier_name, awards.supplier_key)
            || ' is listed ' || cast(per_award.listings as {{ dbt.type_string() }})
            || ' time(s) in the Contraloría fiscal liability bulletin of '
            || cast(per_award.snapshot_date as {{ dbt.type_string() }})
            || ' (listed at snapshot: the bulletin has no dates, so the listing may postdate the award of '
            || coalesce(cast(awards.award_date as {{ dbt.type_string() }}), 'unknown date')
            || '; matched by '
            || case per_award.best_match_rank when 1 then 'document' else 'name only' end
            || ')' as reason,
        {{ json_object([
            ('supplier_key', json_string('awards.supplier_key')),
            ('snapshot_date', json_string('cast(per_award.snapshot_date as ' ~ dbt.type_string() ~ ')')),
            ('as_of', "'\"listed at snapshot\"'"),
            ('listings', json_number('per_award.listings')),
            ('records', 'per_award.listings_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from flagged
{%- endmacro %}
