{#- Engine-specific pieces of the KPI layer, dispatched so another engine can
    supply its own (the KPI SQL itself stays portable). -#}

{#- The 8-byte floating point type of the kpi_metrics contract. -#}
{% macro kpi_type_double() -%}
    {{ return(adapter.dispatch('kpi_type_double')()) }}
{%- endmacro %}

{% macro default__kpi_type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{% macro duckdb__kpi_type_double() -%}
    {{ return('double') }}
{%- endmacro %}


{#- Median (the mean of the two middle values for an even count); NULLs ignored. -#}
{% macro kpi_median(expression) -%}
    {{ return(adapter.dispatch('kpi_median')(expression)) }}
{%- endmacro %}

{% macro default__kpi_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__kpi_median(expression) -%}
    median({{ expression }})
{%- endmacro %}


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
