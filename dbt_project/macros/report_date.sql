{#-
    local_timestamp(utc_timestamp, time_zone): the local wall-clock time (a timestamp
    without zone), in the IANA zone `time_zone`, of a naive UTC timestamp. DST-correct: the
    UTC offset is the one in force at that instant in that zone. An engine supplies its own
    `<adapter>__local_timestamp`.

    report_date(utc_timestamp, time_zone): its calendar date. Every report_date of the
    warehouse is computed with this macro, every interval start of kpi_intervals from the
    local timestamp.
-#}
{% macro report_date(utc_timestamp, time_zone) -%}
    cast({{ local_timestamp(utc_timestamp, time_zone) }} as date)
{%- endmacro %}

{% macro local_timestamp(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('local_timestamp', 'cx_warehouse')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{#- Postgres-style SQL: a timestamp without zone read as UTC, then shown in the zone. -#}
{% macro default__local_timestamp(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone {{ time_zone }})
{%- endmacro %}

{#- DuckDB (ICU): timezone('UTC', ts) gives a TIMESTAMPTZ, timezone(zone, tstz) the local wall time. -#}
{% macro duckdb__local_timestamp(utc_timestamp, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__local_timestamp(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }})
{%- endmacro %}
