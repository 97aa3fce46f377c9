{#- The start of the `minutes`-long slice (15, 30 or 60) of the local wall clock that a
    local timestamp falls in, aligned to the hour (09:30, whatever the zone's offset). On a
    fall-back day the repeated hour's timestamps share its slots; the skipped hour of a
    spring-forward day has none. -#}
{% macro kpi_interval_start(local_timestamp, minutes) -%}
    {%- if minutes | int not in [15, 30, 60] -%}
        {{ exceptions.raise_compiler_error(
            'var interval_minutes must be 15, 30 or 60, got ' ~ minutes) }}
    {%- endif -%}
    {{ dbt.dateadd(
        'minute',
        'cast(floor(extract(minute from ' ~ local_timestamp ~ ') / ' ~ minutes ~ ') * '
            ~ minutes ~ ' as integer)',
        dbt.date_trunc('hour', local_timestamp),
    ) }}
{%- endmacro %}
