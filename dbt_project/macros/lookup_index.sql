{#- Point lookups on a mart (the read API's profiles: one party's rows among millions). Redshift answers
    them through the model's sort key (`sort` config); DuckDB, which has no sort keys, through an ART
    index on the column the model names in `meta.lookup_index` (about 1 ms instead of a scan of every row
    group). DuckDB cannot rename a table that has an index, and a rebuild renames the old table away, so
    the indexes of the models this run builds are dropped when it starts (`drop_lookup_indexes`,
    on-run-start) and created again when it ends (`create_lookup_indexes`, on-run-end), from one thread:
    index DDL in the models' own hooks collides with the other threads' renames. An incremental model's full
    rebuild renames too (dbt-duckdb's own drop of its indexes then failed in another thread: "Table with name
    fct_supplier_profile__dbt_backup does not exist"), so its index is dropped and created the same way. -#}
{% macro lookup_indexes() -%}
    {#- (relation, column) of every selected table or incremental model with a lookup index, in a run that
        builds models. -#}
    {%- set found = [] -%}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.unique_id in selected_resources
            and node.config.materialized in ('table', 'incremental') and node.config.meta.get('lookup_index') -%}
            {%- set relation = api.Relation.create(node.database, node.schema, node.alias) -%}
            {%- do found.append((relation, node.config.meta['lookup_index'])) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{% macro drop_lookup_indexes() -%}
    {{ return(adapter.dispatch('drop_lookup_indexes')()) }}
{%- endmacro %}

{% macro create_lookup_indexes() -%}
    {{ return(adapter.dispatch('create_lookup_indexes')()) }}
{%- endmacro %}

{% macro default__drop_lookup_indexes() %}{% endmacro %}

{% macro default__create_lookup_indexes() %}{% endmacro %}

{% macro duckdb__drop_lookup_indexes() -%}
    {%- for relation, column in lookup_indexes() %}
    drop index if exists {{ relation.schema }}.{{ relation.identifier }}__by_{{ column }};
    {%- endfor %}
{%- endmacro %}

{% macro duckdb__create_lookup_indexes() -%}
    {%- for relation, column in lookup_indexes() if adapter.get_relation(relation.database, relation.schema, relation.identifier) %}
    create index if not exists {{ relation.identifier }}__by_{{ column }} on {{ relation }} ({{ column }});
    {%- endfor %}
{%- endmacro %}
