{#-
    report_date(utc_timestamp, time_zone): the local calendar date, in the IANA
    zone `time_zone`, of a naive UTC timestamp. DST-correct: the UTC offset is the
    one in force at that instant in that zone. Every report_date of the warehouse
    is computed with this macro; an engine supplies its own `<adapter>__report_date`.
-#}
{% macro report_date(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('report_date', 'cx_warehouse')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{#- Postgres-style SQL: a timestamp without zone read as UTC, then shown in the zone. -#}
{% macro default__report_date(utc_timestamp, time_zone) -%}
    cast(({{ utc_timestamp }} at time zone 'UTC') at time zone {{ time_zone }} as date)
{%- endmacro %}

{#- DuckDB (ICU): timezone('UTC', ts) gives a TIMESTAMPTZ, timezone(zone, tstz) the local wall time. -#}
{% macro duckdb__report_date(utc_timestamp, time_zone) -%}
    cast(timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }})) as date)
{%- endmacro %}

{% macro spark__report_date(utc_timestamp, time_zone) -%}
    cast(from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }}) as date)
{%- endmacro %}
