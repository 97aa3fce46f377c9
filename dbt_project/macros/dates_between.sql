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

{#- Portable: up to 100,000 steps from digits cross-joined, for an engine without a series
    function. -#}
{% macro default__dates_between(first_date, last_date, bounds_relation, datepart) -%}
    with digits as (
        select 0 as digit union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ),

    step_offsets as (
        select d1.digit + 10 * d2.digit + 100 * d3.digit + 1000 * d4.digit + 10000 * d5.digit as step_offset
        from digits as d1
        cross join digits as d2
        cross join digits as d3
        cross join digits as d4
        cross join digits as d5
    )

    select cast({{ dbt.dateadd(datepart, 'step_offsets.step_offset', bounds_relation ~ '.' ~ first_date) }} as date) as date_day
    from step_offsets
    cross join {{ bounds_relation }}
    where {{ dbt.dateadd(datepart, 'step_offsets.step_offset', bounds_relation ~ '.' ~ first_date) }} <= {{ bounds_relation }}.{{ last_date }}
{%- endmacro %}

{% macro duckdb__dates_between(first_date, last_date, bounds_relation, datepart) -%}
    select cast(unnest(generate_series({{ first_date }}, {{ last_date }}, interval 1 {{ datepart }})) as date) as date_day
    from {{ bounds_relation }}
{%- endmacro %}
