{#-
    The medians of frt_median_minutes per period grain, level and entity: the median is
    not additive, so it is taken over the per-ticket atoms of int_kpi_tickets_measured
    (with their credited site's sourcing and location type), one aggregation per (grain,
    level) of the catalogue. A table of its own: a median holds every value of its groups
    in memory, so it is computed before, not beside, the sums of kpi_metrics. Grain: one
    row per (period_grain, period_start, level, entity_id) with at least one ticket atom.
-#}
{{ config(materialized='table') }}
{%- set median_entry = kpi_catalogue() | selectattr('metric', 'equalto', 'frt_median_minutes') | first -%}
{%- set median_grains = median_entry['grains'] | select('in', kpi_period_grains()) | list -%}

with

first_response_atoms as (
    {{ kpi_staffed_atoms(
        '(select * from ' ~ ref('int_kpi_tickets_measured') ~ " where metric = 'frt_median_minutes')"
    ) }}
),

medians_per_scope as (
    {{ kpi_medians('first_response_atoms', 'median_measure', median_entry['levels'], median_grains) }}
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
