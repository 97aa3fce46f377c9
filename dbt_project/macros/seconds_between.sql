{#- Seconds (DOUBLE, millisecond precision) from one timestamp to another. -#}
{% macro seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('seconds_between', 'cx_warehouse')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{#- dbt's cross-database datediff, in milliseconds. -#}
{% macro default__seconds_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'millisecond') }} / 1000.0)
{%- endmacro %}

{#- Spark: dbt's datediff in milliseconds is a decimal built from formatted strings; the
    difference of the two instants in whole milliseconds is the same number, as a DOUBLE. -#}
{% macro spark__seconds_between(start_timestamp, end_timestamp) -%}
    (cast(unix_millis(cast({{ end_timestamp }} as timestamp)) - unix_millis(cast({{ start_timestamp }} as timestamp)) as double) / 1000.0)
{%- endmacro %}
