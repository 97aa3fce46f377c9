{#- The median of `value_column` over the rows of `relation` (with report_date, agent_id,
    team_id, site_id, client_id) per period and entity, for every pair of `levels` and
    `grains`: one aggregation per pair, united (columns period_grain, period_start, level,
    entity_id, sample_size, median_value). A join of the rows to the pairs would copy every
    row once per pair before the aggregation. -#}
{% macro kpi_medians(relation, value_column, levels, grains) -%}
    {%- set level_columns = kpi_level_columns() -%}
    {%- if not levels or not grains %}
        {{- exceptions.raise_compiler_error(
            'kpi_medians of ' ~ value_column ~ ': no level or no grain to compute') }}
    {%- endif %}
    {%- for level in levels if level not in level_columns %}
        {{- exceptions.raise_compiler_error('kpi_medians: unknown level ' ~ level) }}
    {%- endfor %}
    {%- for grain in grains %}
        {%- set grain_loop = loop %}
        {%- for level in levels %}
            {%- set period_start = kpi_period_start('report_date', "'" ~ grain ~ "'") %}
            {%- set column = level_columns[level] %}
    select
        '{{ grain }}' as period_grain,
        {{ period_start }} as period_start,
        '{{ level }}' as level,
        {{ column if column else "'all'" }} as entity_id,
        count({{ value_column }}) as sample_size,
        {{ kpi_median(value_column) }} as median_value
    from {{ relation }}
    where report_date is not null
    group by {{ period_start }}{{ ', ' ~ column if column }}
            {%- if not (loop.last and grain_loop.last) %}
    union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
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


{#- The model of frt_median_minutes at one period grain (int_kpi_frt_medians_<grain>):
    the median of the per-ticket atoms of int_kpi_tickets_measured (with their credited
    site's sourcing and location type), per period, level and entity of the catalogue.
    One grain per model: a median keeps every value of its groups in memory and DuckDB
    frees them only when the statement ends, so the three grains are three statements. -#}
{% macro kpi_frt_medians(grain) -%}
    {%- set entry = kpi_catalogue() | selectattr('metric', 'equalto', 'frt_median_minutes') | first -%}
with

first_response_atoms as (
    {{ kpi_staffed_atoms(
        '(select * from ' ~ ref('int_kpi_tickets_measured') ~ " where metric = 'frt_median_minutes')"
    ) }}
),

medians_per_scope as (
    {{ kpi_medians('first_response_atoms', 'median_measure', entry['levels'], [grain]) }}
)

select
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    period_start,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(entity_id as {{ dbt.type_string() }}) as entity_id,
    sample_size,
    median_value
from medians_per_scope
where entity_id is not null
{%- endmacro %}
