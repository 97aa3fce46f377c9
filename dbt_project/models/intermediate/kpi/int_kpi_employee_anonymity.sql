{#-
    Which rows of the anonymized metrics (esat_pct, enps) kpi_metrics hides: per metric,
    month, level and entity, the group's sample_size and `suppressed`. Grain: one row per
    (metric, period_start, level, entity_id) that kpi_metrics has at month grain.

    Round 0 hides the groups below var('min_anonymity_n'). Each further round looks at
    every published parent and every split of it into children (kpi_anonymity_splits):
    when the parent minus its published children holds between 1 and min_anonymity_n - 1
    responses, or its only responding child is hidden, the smallest published child is
    hidden (by sample_size, then entity_id), or the parent itself when no child is left
    to hide. The rounds stop at the first one that hides nothing (a fixed point: every
    round hides at least one more row, so there are at most as many rounds as rows).
    DuckDB lets the recursive step read the previous round more than once.
-#}
{{ config(materialized='table', post_hook="{{ kpi_anonymity_drop_rounds() }}") }}
{%- set anonymized_metrics = kpi_metrics_where('is_anonymized', true) -%}
{%- for entry in kpi_catalogue() if entry['is_anonymized'] and entry['grains'] != ['month'] -%}
    {{ exceptions.raise_compiler_error(
        entry['metric'] ~ ' is anonymized: month grain only (a month minus its weeks would '
        ~ 'reveal a hidden week)') }}
{%- endfor -%}
{%- set min_n = var('min_anonymity_n') -%}

{% set anonymity_inputs %}
employee_atoms as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        queue,
        metric,
        sample_size
    from {{ ref('int_kpi_employee_surveys_measured') }}
    where
        metric in {{ kpi_sql_list(anonymized_metrics) }}
        and report_date is not null
),

metric_levels as (
    {{ kpi_metric_scopes('levels') }}
),

staffed_employee_atoms as (
    {{ kpi_staffed_atoms('employee_atoms') }}
),

credited_atoms as (
    select
        staffed_employee_atoms.metric,
        {{ kpi_period_start('staffed_employee_atoms.report_date', "'month'") }} as period_start,
        metric_levels.level,
        {{ kpi_entity_id('metric_levels.level', 'staffed_employee_atoms') }} as entity_id,
        staffed_employee_atoms.sample_size
    from staffed_employee_atoms
    inner join metric_levels
        on staffed_employee_atoms.metric = metric_levels.metric
),

group_sizes as (
    select
        metric,
        period_start,
        level,
        entity_id,
        sum(sample_size) as sample_size
    from credited_atoms
    where entity_id is not null
    group by metric, period_start, level, entity_id
),

edges as (
    {{ kpi_anonymity_edges('employee_atoms') }}
)
{% endset %}

with

{{ anonymity_inputs }},

fixed_point as (
    {{ kpi_anonymity_fixed_point(anonymity_inputs, min_n) }}
)

select
    cast('month' as {{ dbt.type_string() }}) as period_grain,
    period_start,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(entity_id as {{ dbt.type_string() }}) as entity_id,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(sample_size as bigint) as sample_size,
    suppressed,
    cast(
        case
            when sample_size < {{ min_n }} then 'below_minimum'
            when suppressed then 'complementary'
        end as {{ dbt.type_string() }}
    ) as suppression_reason
from fixed_point
