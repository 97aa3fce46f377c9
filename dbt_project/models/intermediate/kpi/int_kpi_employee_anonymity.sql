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
{{ config(materialized='table') }}
{%- set anonymized_metrics = kpi_metrics_where('is_anonymized', true) -%}
{%- for entry in kpi_catalogue() if entry['is_anonymized'] and entry['grains'] != ['month'] -%}
    {{ exceptions.raise_compiler_error(
        entry['metric'] ~ ' is anonymized: month grain only (a month minus its weeks would '
        ~ 'reveal a hidden week)') }}
{%- endfor -%}
{%- set min_n = var('min_anonymity_n') -%}

with recursive

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
),

rounds as (
    select
        0 as round,
        metric,
        period_start,
        level,
        entity_id,
        sample_size,
        sample_size < {{ min_n }} as suppressed
    from group_sizes

    union all

    select * from (
        with

        -- every published parent and split: what its published children leave unexplained
        split_totals as (
            select
                parent.metric,
                parent.period_start,
                parent.level,
                parent.entity_id,
                edges.child_level,
                parent.sample_size - coalesce(
                    sum(case when not child.suppressed then child.sample_size end), 0
                ) as unpublished_responses,
                count(*) as children,
                count(case when child.suppressed then 1 end) as hidden_children
            from rounds as parent
            inner join edges
                on
                    parent.metric = edges.metric
                    and parent.period_start = edges.period_start
                    and parent.level = edges.parent_level
                    and parent.entity_id = edges.parent_id
            inner join rounds as child
                on
                    edges.metric = child.metric
                    and edges.period_start = child.period_start
                    and edges.child_level = child.level
                    and edges.child_id = child.entity_id
            where not parent.suppressed
            group by
                parent.metric,
                parent.period_start,
                parent.level,
                parent.entity_id,
                edges.child_level,
                parent.sample_size
        ),

        revealing_splits as (
            select
                metric,
                period_start,
                level,
                entity_id,
                child_level,
                children - hidden_children as published_children
            from split_totals
            where
                (unpublished_responses > 0 and unpublished_responses < {{ min_n }})
                or (children = 1 and hidden_children = 1)
        ),

        ranked_complements as (
            select
                child.metric,
                child.period_start,
                child.level,
                child.entity_id,
                row_number() over (
                    partition by
                        revealing_splits.metric,
                        revealing_splits.period_start,
                        revealing_splits.level,
                        revealing_splits.entity_id,
                        revealing_splits.child_level
                    order by child.sample_size, child.entity_id
                ) as complement_rank
            from revealing_splits
            inner join edges
                on
                    revealing_splits.metric = edges.metric
                    and revealing_splits.period_start = edges.period_start
                    and revealing_splits.level = edges.parent_level
                    and revealing_splits.entity_id = edges.parent_id
                    and revealing_splits.child_level = edges.child_level
            inner join rounds as child
                on
                    edges.metric = child.metric
                    and edges.period_start = child.period_start
                    and edges.child_level = child.level
                    and edges.child_id = child.entity_id
            where not child.suppressed
        ),

        newly_hidden as (
            select
                metric,
                period_start,
                level,
                entity_id
            from ranked_complements
            where complement_rank = 1
            union
            select
                metric,
                period_start,
                level,
                entity_id
            from revealing_splits
            where published_children = 0
        )

        select
            previous.round + 1 as round,
            previous.metric,
            previous.period_start,
            previous.level,
            previous.entity_id,
            previous.sample_size,
            previous.suppressed or newly_hidden.entity_id is not null as suppressed
        from rounds as previous
        left join newly_hidden
            on
                previous.metric = newly_hidden.metric
                and previous.period_start = newly_hidden.period_start
                and previous.level = newly_hidden.level
                and previous.entity_id = newly_hidden.entity_id
        where exists (select any_hidden.entity_id from newly_hidden as any_hidden)
    ) as next_round
),

fixed_point as (
    select
        rounds.metric,
        rounds.period_start,
        rounds.level,
        rounds.entity_id,
        rounds.sample_size,
        rounds.suppressed
    from rounds
    where rounds.round = (select max(every_round.round) from rounds as every_round)
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
