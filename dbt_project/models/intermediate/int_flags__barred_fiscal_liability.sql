{#- barred_fiscal_liability — "inhabilitados por responsabilidad fiscal" (spec/indicators.md §10,
    corrected rule): the supplier of an award is listed in the Contraloría's fiscal liability bulletin
    (PACO). The trusted zone keeps only the latest snapshot (its date is the ingestion cut, which can
    be after a pinned run date), so every row is read, whatever the run date. The bulletin carries no
    dates, so there is no test against the award date: the hit means "listed at snapshot <date>", and
    the evidence says so (C4). A bulletin row is the supplier's when its document is the award's
    supplier document ('document'); rows without a document fall back to the award supplier's name
    match key ('name', low confidence). The supplier is the irregularity unit. -#}
with awards as (
    select * from {{ ref('int_awards') }}
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

-- One row per award: the matched bulletin rows are aggregated before meeting the award (C3).
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
