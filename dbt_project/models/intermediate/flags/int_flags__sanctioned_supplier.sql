{#- sanctioned_supplier (spec/indicators.md appendix A): the supplier of an award was under a
    disciplinary sanction or disqualification certified by the Procuraduría (SIRI iaeu-rcn6) in force
    at the award date: effective_date <= award_date < effective_date + duration (years, then months,
    then days). Sanctions of zero total duration bar nobody and are left out. Matched by canonical
    document only. The supplier is the irregularity unit. -#}
with awards as (
    select * from {{ ref('int_awards') }}
    where award_date is not null
      and supplier_document_key is not null
),

sanctions as (
    select * from {{ ref('stg_siri_sanciones') }}
    where document_key is not null
      and effective_date is not null
      and duration_years + duration_months + duration_days > 0
),

sanction_periods as (
    select
        *,
        cast(
            {{ dbt.dateadd('day', 'duration_days',
                dbt.dateadd('month', 'duration_months',
                    dbt.dateadd('year', 'duration_years', 'effective_date'))) }}
            as date
        ) as end_date
    from sanctions
),

matches as (
    select
        awards.award_key,
        sanction_periods.*
    from awards
    inner join sanction_periods on awards.supplier_document_key = sanction_periods.document_key
    where sanction_periods.effective_date <= awards.award_date
      and awards.award_date < sanction_periods.end_date
),

sanction_evidence as (
    select
        award_key,
        sanction_record_id,
        effective_date,
        end_date,
        {{ json_object([
            ('siri_number', json_string('siri_number')),
            ('sanction', json_string('sanction')),
            ('disqualification_type', json_string('disqualification_type')),
            ('authority', json_string('authority')),
            ('entity_name', json_string('entity_name')),
            ('effective_date', json_string('cast(effective_date as ' ~ dbt.type_string() ~ ')')),
            ('duration_years', json_number('duration_years')),
            ('duration_months', json_number('duration_months')),
            ('duration_days', json_number('duration_days')),
            ('end_date', json_string('cast(end_date as ' ~ dbt.type_string() ~ ')')),
        ]) }} as sanction_json
    from matches
),

-- One row per award: the sanctions in force are aggregated before meeting the award (C3).
per_award as (
    select
        award_key,
        count(*) as sanctions,
        max(end_date) as latest_end_date,
        '[' || {{ dbt.listagg('sanction_json', "','", 'order by effective_date, sanction_record_id') }} || ']' as sanctions_json
    from sanction_evidence
    group by award_key
),

flagged as (
    select
        awards.award_key,
        'sanctioned_supplier' as indicator_id,
        awards.supplier_key as unit_key,
        awards.entity_key,
        awards.supplier_key,
        awards.award_date,
        awards.award_value,
        'document' as match_method,
        coalesce(awards.supplier_name, awards.supplier_key)
            || ' was under ' || cast(per_award.sanctions as {{ dbt.type_string() }})
            || ' disciplinary sanction(s) recorded in SIRI in force on the award date '
            || cast(awards.award_date as {{ dbt.type_string() }})
            || ' (in force until ' || cast(per_award.latest_end_date as {{ dbt.type_string() }}) || ')' as reason,
        {{ json_object([
            ('supplier_document_key', json_string('awards.supplier_document_key')),
            ('sanctions', json_number('per_award.sanctions')),
            ('records', 'per_award.sanctions_json'),
        ]) }} as evidence,
        cast(null as decimal(30, 3)) as excess_amount
    from awards
    inner join per_award on awards.award_key = per_award.award_key
)

select * from flagged
