{#- Periods of the KPI layer; the ISO week start is dispatched per engine. -#}

{#- First day of the period of `date_expression`; `grain_expression` is a SQL
    expression evaluating to 'day', 'week' (ISO week, starting Monday) or 'month'. -#}
{% macro kpi_period_start(date_expression, grain_expression) -%}
    case {{ grain_expression }}
        when 'day' then {{ date_expression }}
        when 'week' then {{ kpi_iso_week_start(date_expression) }}
        when 'month' then cast({{ dbt.date_trunc('month', date_expression) }} as date)
    end
{%- endmacro %}


{#- Monday of the ISO week of a date. -#}
{% macro kpi_iso_week_start(date_expression) -%}
    {{ return(adapter.dispatch('kpi_iso_week_start')(date_expression)) }}
{%- endmacro %}

{#- Engines whose week starts on Sunday (Snowflake's default, Postgres is ISO)
    must override this. -#}
{% macro default__kpi_iso_week_start(date_expression) -%}
    cast({{ dbt.date_trunc('week', date_expression) }} as date)
{%- endmacro %}

{#- DuckDB's date_trunc('week', ...) is the ISO week: it returns the Monday. -#}
{% macro duckdb__kpi_iso_week_start(date_expression) -%}
    cast(date_trunc('week', {{ date_expression }}) as date)
{%- endmacro %}
