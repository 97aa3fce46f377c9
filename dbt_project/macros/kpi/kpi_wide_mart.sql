{#-
    Wide, BI-friendly marts: kpi_metrics pivoted to one row per period and
    entity of one level and grain, one column per metric value of the
    catalogue that exists at that level and grain, plus the sample sizes the
    catalogue names (`wide_sample_column`) and, for the anonymized metrics, a
    `<metric>_is_suppressed` flag, the period's `is_complete`, and `_built_at`. No KPI
    is computed here: values are copied.
    Adding a metric to the catalogue adds its column (declare it in the
    mart's contract).
-#}

{#- The columns of a wide mart: list of dicts (name, metric, source, data_type). -#}
{% macro kpi_wide_columns(level, period_grain) %}
    {%- set columns = [] -%}
    {%- set entries = [] -%}
    {%- for entry in kpi_catalogue() if level in entry['levels'] and period_grain in entry['grains'] -%}
        {%- do entries.append(entry) -%}
    {%- endfor -%}
    {%- for entry in entries -%}
        {%- do columns.append({
            'name': entry['metric'],
            'metric': entry['metric'],
            'source': 'value',
            'data_type': 'bigint' if entry['value_kind'] == 'count' else kpi_type_double(),
        }) -%}
    {%- endfor -%}
    {%- for entry in entries if entry['wide_sample_column'] -%}
        {%- do columns.append({
            'name': entry['wide_sample_column'],
            'metric': entry['metric'],
            'source': 'sample_size',
            'data_type': 'bigint',
        }) -%}
    {%- endfor -%}
    {%- for entry in entries if entry['is_anonymized'] -%}
        {%- do columns.append({
            'name': entry['metric'] ~ '_is_suppressed',
            'metric': entry['metric'],
            'source': 'suppressed',
            'data_type': 'boolean',
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{#- The select of a wide mart. Grain: one row per (period_start, entity) of
    `level` with at least one metric at `period_grain`. A table, or rebuilt from a floor
    (macros/kpi/kpi_rebuild.sql; the model's config is kpi_rebuilt_from_floor): then the
    periods of the kpi_metrics rows written since its last build replace its own from the
    first of them on. -#}
{% macro kpi_wide_mart(level, period_grain) -%}
    {%- set rebuild = kpi_rebuild_plan() -%}
    {%- set entity_column = level ~ '_id' -%}
with

metrics as (
    select
        period_start,
        entity_id,
        metric,
        value,
        sample_size,
        suppressed,
        is_complete
    from {{ ref('kpi_metrics') }}
    where
        level = '{{ level }}'
        and period_grain = '{{ period_grain }}'
        {%- if not rebuild.whole %}
        and _built_at > {{ rebuild.watermark }}
        {%- endif %}
)

select
    period_start,
    entity_id as {{ entity_column }},
    {%- for column in kpi_wide_columns(level, period_grain) %}
    {%- if column['source'] == 'suppressed' %}
    coalesce(
        max(case when metric = '{{ column["metric"] }}' and suppressed then 1 else 0 end) = 1,
        false
    ) as {{ column['name'] }}
    {%- else %}
    cast(
        max(case when metric = '{{ column["metric"] }}' then {{ column['source'] }} end)
        as {{ column['data_type'] }}
    ) as {{ column['name'] }}
    {%- endif %}
    {{- "," }}
    {%- endfor %}
    -- every metric of an entity's period shares the period's completeness
    min(case when is_complete then 1 else 0 end) = 1 as is_complete,
    {{ built_at() }} as _built_at
from metrics
group by period_start, entity_id
{%- endmacro %}
