{#- Universe of `new_supplier_big_award`: the dated awards whose supplier document has a chamber of
    commerce registration (RUES c82u-588k, by document in int_rues_documents: the document is the
    registration's `nit_key` or its `id_number_key`), with the supplier's first registration: the
    earliest `registered_date` over all its registrations (ties: the lowest `registration_id`).
    Incremental on the awards whose process or contract changed and on those of the suppliers whose
    registrations changed (macro recompute_award_units). -#}
with awards as (
    select * from {{ evaluated_awards('new_supplier_big_award', changed_awards()) }}
),

-- One row per (document, dated registration).
registration_documents as (
    select document_key, registration_id, chamber_name, registered_date
    from {{ ref('int_rues_documents') }}
    where registered_date is not null
    {%- if is_incremental_run() %}
      and document_key in (select supplier_document_key from awards)
    {%- endif %}
),

-- One row per document: its earliest registration (ties to the lowest registration id).
first_registrations as (
    select document_key, registration_id, chamber_name, registered_date
    from (
        select
            registration_documents.*,
            row_number() over (
                partition by document_key
                order by registered_date, registration_id
            ) as registration_rank
        from registration_documents
    ) ranked
    where registration_rank = 1
),

-- int_rues_documents never lists a registration twice under one document.
registration_counts as (
    select document_key, count(*) as registrations_count
    from registration_documents
    group by document_key
),

final as (
    select
        {{ award_columns('awards') }},
        awards.supplier_document_key,
        first_registrations.registration_id as first_registration_id,
        first_registrations.chamber_name as first_registration_chamber,
        first_registrations.registered_date as first_registered_date,
        registration_counts.registrations_count
    from awards
    inner join first_registrations on awards.supplier_document_key = first_registrations.document_key
    inner join registration_counts on awards.supplier_document_key = registration_counts.document_key
    where awards.award_date is not null
)

select * from final
