{#-
    source_timezone(source): the IANA zone, as a quoted SQL literal, in which a source writes
    naive timestamps: CXW_SOURCE_TIMEZONES (orchestration/settings.py) handed to dbt as the
    var source_timezones ({source: zone}); UTC when the source has none. The loader applies
    it to canonical sources; a vendor mapping that parses its own timestamps in dbt (Qualtrics
    responses) reads it here.
-#}
{% macro source_timezone(source) -%}
    '{{ var('source_timezones', {}).get(source, 'UTC') | replace("'", "''") }}'
{%- endmacro %}
