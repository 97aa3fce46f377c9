{#-
    try_parse_timestamp(text, format): the timestamp (no zone) `text` writes in the strftime
    `format` (only %Y %m %d %H %M %S; numbers with or without leading zeros); NULL when it
    does not match.
-#}
{% macro try_parse_timestamp(text, format) -%}
    {{ return(adapter.dispatch('try_parse_timestamp', 'cx_warehouse')(text, format)) }}
{%- endmacro %}

{% macro default__try_parse_timestamp(text, format) -%}
    try_strptime({{ text }}, '{{ format }}')
{%- endmacro %}

{% macro spark__try_parse_timestamp(text, format) -%}
    {%- set pattern = format
        | replace('%Y', 'yyyy') | replace('%m', 'M') | replace('%d', 'd')
        | replace('%H', 'H') | replace('%M', 'm') | replace('%S', 's') -%}
    {%- if '%' in pattern -%}
        {{ exceptions.raise_compiler_error("try_parse_timestamp: unsupported format " ~ format) }}
    {%- endif -%}
    try_to_timestamp({{ text }}, '{{ pattern }}')
{%- endmacro %}

{#-
    utc_from_local(local_timestamp, time_zone): the naive UTC timestamp of a wall-clock time
    (timestamp without zone) in the IANA zone `time_zone` (a SQL expression); the inverse of
    local_timestamp (report_date.sql).
-#}
{% macro utc_from_local(local_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('utc_from_local', 'cx_warehouse')(local_timestamp, time_zone)) }}
{%- endmacro %}

{#- DuckDB (ICU): timezone(zone, ts) the instant, timezone('UTC', tstz) its UTC wall time. -#}
{% macro default__utc_from_local(local_timestamp, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp }}))
{%- endmacro %}

{% macro spark__utc_from_local(local_timestamp, time_zone) -%}
    to_utc_timestamp({{ local_timestamp }}, {{ time_zone }})
{%- endmacro %}

{#- plus_microseconds(timestamp, microseconds): the timestamp plus a BIGINT number of microseconds. -#}
{% macro plus_microseconds(timestamp, microseconds) -%}
    {{ return(adapter.dispatch('plus_microseconds', 'cx_warehouse')(timestamp, microseconds)) }}
{%- endmacro %}

{% macro default__plus_microseconds(timestamp, microseconds) -%}
    {{ timestamp }} + to_microseconds({{ microseconds }})
{%- endmacro %}

{% macro spark__plus_microseconds(timestamp, microseconds) -%}
    timestampadd(microsecond, {{ microseconds }}, {{ timestamp }})
{%- endmacro %}
