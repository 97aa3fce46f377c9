{#-
    dates_between(first_date, last_date, bounds_relation, datepart='day'): one row per
    `datepart` step (column date_day) from first_date up to last_date inclusive, both
    columns of the one-row relation/CTE `bounds_relation`. dim_date's calendar (days) and
    the retention months of int_kpi_customers_measured (first_date a month start,
    datepart 'month') come from it.
-#}
{% macro dates_between(first_date, last_date, bounds_relation, datepart='day') -%}
    {{ return(adapter.dispatch('dates_between', 'cx_warehouse')(first_date, last_date, bounds_relation, datepart)) }}
{%- endmacro %}

{#- An engine adds its own, from its series function (DuckDB's generate_series below). -#}
{% macro default__dates_between(first_date, last_date, bounds_relation, datepart) -%}
    {{ exceptions.raise_compiler_error(
        "dates_between has no implementation for " ~ target.type
        ~ ": add a macro " ~ target.type ~ "__dates_between built on its date series function"
    ) }}
{%- endmacro %}

{% macro duckdb__dates_between(first_date, last_date, bounds_relation, datepart) -%}
    select cast(unnest(generate_series({{ first_date }}, {{ last_date }}, interval 1 {{ datepart }})) as date) as date_day
    from {{ bounds_relation }}
{%- endmacro %}

{% macro spark__dates_between(first_date, last_date, bounds_relation, datepart) -%}
    select explode(sequence(cast({{ first_date }} as date), cast({{ last_date }} as date), interval 1 {{ datepart }})) as date_day
    from {{ bounds_relation }}
{%- endmacro %}
