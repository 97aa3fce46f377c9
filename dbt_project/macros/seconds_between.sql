{#- Seconds (DOUBLE, millisecond precision) from one timestamp to another, via dbt's cross-database datediff. -#}
{% macro seconds_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'millisecond') }} / 1000.0)
{%- endmacro %}
