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


{#- The exact numeric type in which kpi_metrics sums numerators and denominators
    (fractional handle seconds and first-response minutes included) before one cast
    to kpi_type_double(). Floating-point addition depends on the order of the rows, which
    differs between an incremental build and a full refresh (or between two runs on
    several threads); an exact sum does not, so the same facts always publish the same
    bits. Scale 9: a fact's measure is rounded to 1e-9 once, 29 integer digits remain. -#}
{% macro kpi_type_exact() -%}
    {{ return(adapter.dispatch('kpi_type_exact')()) }}
{%- endmacro %}

{% macro default__kpi_type_exact() -%}
    {{ return('decimal(38, 9)') }}
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
