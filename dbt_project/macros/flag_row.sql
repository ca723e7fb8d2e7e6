{#- The flag row (models/intermediate/flags/_flags.yml): the columns of one flag, in contract order and
    types, for a select over an award's columns (those of int_awards or a universe).
      indicator_id   the indicator's id
      evidence       (key, JSON SQL) pairs of the evidence object (macro json_object): every figure the flag's
                     reason quotes (the sentence is rendered from it outside SQL, texts/reasons.py)
      unit_key       SQL: the irregularity unit (none: the award itself)
      match_method   SQL: how the supplier was matched (none: null, nothing was matched)
      excess_amount  SQL: the amount over what was due (none: null)
      award          the relation or CTE name that qualifies the award's columns (none: unqualified) -#}
{% macro flag_row(
    indicator_id, evidence, unit_key=none, match_method=none, excess_amount=none, award=none
) -%}
{%- set prefix = award ~ '.' if award else '' -%}
        {{ prefix }}award_key,
        '{{ indicator_id }}' as indicator_id,
        {{ unit_key or prefix ~ 'award_key' }} as unit_key,
        {{ prefix }}entity_key,
        {{ prefix }}supplier_key,
        {{ prefix }}award_date,
        {{ prefix }}award_value,
        {{ match_method or 'cast(null as ' ~ dbt.type_string() ~ ')' }} as match_method,
        {{ json_object(evidence) }} as evidence,
        cast({{ excess_amount or 'null' }} as decimal(30, 3)) as excess_amount
{%- endmacro %}
