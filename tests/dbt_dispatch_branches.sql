{#- Rendered by tests/test_dbt_dispatch.py with `dbt compile --inline` on each target: what each dispatched
    macro compiles to there and each of its branches called by name, over the same input columns (`value`
    a text, `instant` a UTC timestamp), and the Spectrum view of every trusted source for several sets of
    registered columns. JSON, read by the test. -#}
{%- set views = {} -%}
{%- for node in graph.sources.values() if node.source_name == 'trusted' -%}
  {%- set columns = node.columns.keys() | list -%}
  {%- do views.update({node.name: {
      'all': spectrum_view(node, columns),
      'every_other': spectrum_view(node, columns[::2]),
      'none': spectrum_view(node, []),
  }}) -%}
{%- endfor -%}
{{ tojson({
    'adapter': adapter.type(),
    'non_competitive_modalities': var('non_competitive_modalities'),
    'trusted_schema': var('trusted_schema'),
    'trusted_external_schema': var('trusted_external_schema'),
    'macros': {
        'folded_text': {
            'dispatched': folded_text('value'),
            'default': default__folded_text('value'),
            'duckdb': duckdb__folded_text('value'),
        },
        'is_competitive': {
            'dispatched': is_competitive('value'),
            'default': default__is_competitive('value'),
            'duckdb': duckdb__is_competitive('value'),
        },
        'current_utc_timestamp': {
            'dispatched': current_utc_timestamp(),
            'default': default__current_utc_timestamp(),
            'duckdb': duckdb__current_utc_timestamp(),
        },
        'iso_bogota': {
            'dispatched': iso_bogota('instant'),
            'default': default__iso_bogota('instant'),
            'duckdb': duckdb__iso_bogota('instant'),
        },
    },
    'long_text_type': {
        'dispatched': long_text_type(),
        'redshift': redshift__long_text_type(),
        'default': default__long_text_type(),
    },
    'spectrum_views': views,
}) }}
