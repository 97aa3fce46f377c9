{#-
    iso_utc_timestamp(text): an ISO 8601 timestamp as a vendor writes it
    ('2026-03-01T10:00:00Z', with or without milliseconds, or with an offset such as
    '+02:00') as the naive UTC timestamp canonical staging holds; NULL when empty or not
    a timestamp (the mapping then decides what a missing time means). Text without an
    offset is read as UTC.
-#}
{% macro iso_utc_timestamp(text) -%}
    {{ return(adapter.dispatch('iso_utc_timestamp', 'cx_warehouse')(text)) }}
{%- endmacro %}

{#- DuckDB (ICU): the instant, then its UTC wall time (the session zone is UTC). -#}
{% macro default__iso_utc_timestamp(text) -%}
    timezone('UTC', try_cast({{ text }} as timestamptz))
{%- endmacro %}

{#-
    Spark: a string cast to TIMESTAMP honours a Z or an offset, else reads the session
    zone (UTC); the TIMESTAMP that `cast(<timestamp_ntz> as timestamp)` gives canonical rows.
-#}
{% macro spark__iso_utc_timestamp(text) -%}
    try_cast({{ text }} as timestamp)
{%- endmacro %}
