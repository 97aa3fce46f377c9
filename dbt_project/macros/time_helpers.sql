{#- Seconds (DOUBLE, millisecond precision) from one timestamp to another, via dbt's cross-database datediff. -#}
{% macro seconds_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'millisecond') }} / 1000.0)
{%- endmacro %}

{#- True when `date_expr` falls in the validity range [valid_from, valid_to) of `range_alias`
    (valid_to NULL = open). The point-in-time rule of the agent team history. -#}
{% macro is_within_validity(date_expr, range_alias) -%}
    ({{ date_expr }} >= {{ range_alias }}.valid_from
        and ({{ range_alias }}.valid_to is null or {{ date_expr }} < {{ range_alias }}.valid_to))
{%- endmacro %}

{#-
    dates_between(first_date, last_date, bounds_relation): one row per day
    (column date_day) from first_date to last_date inclusive, both columns of the
    one-row relation/CTE `bounds_relation`.
-#}
{% macro dates_between(first_date, last_date, bounds_relation) -%}
    {{ return(adapter.dispatch('dates_between', 'cx_warehouse')(first_date, last_date, bounds_relation)) }}
{%- endmacro %}

{#- Portable: up to 100,000 days from digits cross-joined. -#}
{% macro default__dates_between(first_date, last_date, bounds_relation) -%}
    with digits as (
        select 0 as digit union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ),

    day_offsets as (
        select d1.digit + 10 * d2.digit + 100 * d3.digit + 1000 * d4.digit + 10000 * d5.digit as day_offset
        from digits as d1
        cross join digits as d2
        cross join digits as d3
        cross join digits as d4
        cross join digits as d5
    )

    select cast({{ dbt.dateadd('day', 'day_offsets.day_offset', bounds_relation ~ '.' ~ first_date) }} as date) as date_day
    from day_offsets
    cross join {{ bounds_relation }}
    where {{ dbt.dateadd('day', 'day_offsets.day_offset', bounds_relation ~ '.' ~ first_date) }} <= {{ bounds_relation }}.{{ last_date }}
{%- endmacro %}

{% macro duckdb__dates_between(first_date, last_date, bounds_relation) -%}
    select cast(unnest(generate_series({{ first_date }}, {{ last_date }}, interval 1 day)) as date) as date_day
    from {{ bounds_relation }}
{%- endmacro %}

{#- The first-response target (minutes, DOUBLE) of a ticket channel, from var('frt_target_minutes'); NULL for a channel without target. -#}
{% macro frt_target_minutes(channel) -%}
    case {{ channel }}
        {%- for channel_name, minutes in var('frt_target_minutes').items() %}
        when '{{ channel_name }}' then cast({{ minutes }} as double precision)
        {%- endfor %}
    end
{%- endmacro %}
