{#- The value of `mapping` (a dict: modality -> SQL literal, keys compared accent- and case-folded) for the
    modality in column `modality`, else `default` (also for a null modality). -#}
{% macro by_modality(modality, mapping, default) -%}
    {%- if mapping -%}
    case {{ folded_text(modality) }}
        {%- for key, value in mapping.items() %}
        when {{ folded_text("'" ~ key | replace("'", "''") ~ "'") }} then {{ value }}
        {%- endfor %}
        else {{ default }}
    end
    {%- else -%}
    {{ default }}
    {%- endif -%}
{%- endmacro %}
