{#- Chamber-of-commerce registrations (RUES c82u-588k) by document: one row per (document_key,
    registration). A registration is found under its company NIT (`nit_key`) and under its person's id
    number (`id_number_key`) when that differs from the NIT, so a supplier document is matched with an
    equality (a hash join) rather than an OR over the two columns (a nested loop), and never finds the
    same registration twice. Registrations with neither key have no row. -#}
{#- A table, incremental on the registrations that changed (macro recompute_changed_keys): its readers
    (two indicators, the live path) take DuckDB rows instead of merging the trusted zone's generations of
    every registration again. -#}

with registrations as (
    select * from {{ ref('stg_rues_personas') }} as staged
    {%- if is_incremental_run() %}
    where exists (
        select 1 from {{ changed_units_table() }} as changed
        where changed.chamber_code = staged.chamber_code and changed.registration_number = staged.registration_number
    )
    {%- endif %}
),

documents as (
    select nit_key as document_key, 'nit' as document_role, registrations.*
    from registrations
    where nit_key is not null
    union all
    select id_number_key as document_key, 'id_number' as document_role, registrations.*
    from registrations
    where id_number_key is not null
      and (nit_key is null or id_number_key <> nit_key)
),

final as (
    select
        document_key,
        document_role,
        registration_id,
        chamber_code,
        chamber_name,
        registration_number,
        registered_name,
        registration_state,
        registered_date,
        renewed_date,
        cancelled_date
    from documents
)

select * from final
