{#- The published check of employee anonymity (docs/metrics.md, "Employees"), on the rows
    of kpi_metrics (`model`) that show a value. Fails on every published row of an
    anonymized metric that is not at month grain or has sample_size below min_n; on every
    published parent, split (kpi_anonymity_splits) and month whose denominator minus its
    published children's denominators is neither 0 nor at least min_n; and on every
    published parent whose only responding child in a split is hidden. Parent and child
    are related by the atoms of `atoms` (their team, site and client). -#}
{% test kpi_anonymity_not_recoverable(model, atoms, min_n=none) %}
    {%- set min_n = var('min_anonymity_n') if min_n is none else min_n -%}
    {%- set anonymized_metrics = kpi_metrics_where('is_anonymized', true) -%}

    with

    employee_rows as (
        select
            period_grain,
            period_start,
            level,
            entity_id,
            metric,
            denominator,
            sample_size,
            suppressed
        from {{ model }}
        where metric in {{ kpi_sql_list(anonymized_metrics) }}
    ),

    edges as (
        {{ kpi_anonymity_edges(atoms) }}
    ),

    splits as (
        {%- for parent_level, child_level in kpi_anonymity_splits() %}
        select
            '{{ parent_level }}' as parent_level,
            '{{ child_level }}' as child_level
            {%- if not loop.last %}
        union all
            {%- endif %}
        {%- endfor %}
    ),

    split_remainders as (
        select
            parent.metric,
            parent.period_start,
            parent.level,
            parent.entity_id,
            splits.child_level,
            parent.denominator - coalesce(
                sum(case when not child.suppressed then child.denominator end), 0
            ) as unpublished_responses,
            count(child.entity_id) as children,
            count(case when child.suppressed then 1 end) as hidden_children
        from employee_rows as parent
        inner join splits
            on parent.level = splits.parent_level
        left join edges
            on
                parent.metric = edges.metric
                and parent.period_start = edges.period_start
                and parent.level = edges.parent_level
                and parent.entity_id = edges.parent_id
                and splits.child_level = edges.child_level
        left join employee_rows as child
            on
                edges.metric = child.metric
                and child.period_grain = 'month'
                and edges.period_start = child.period_start
                and edges.child_level = child.level
                and edges.child_id = child.entity_id
        where parent.period_grain = 'month' and not parent.suppressed
        group by
            parent.metric,
            parent.period_start,
            parent.level,
            parent.entity_id,
            splits.child_level,
            parent.denominator
    )

    select
        'not_month_grain' as violation,
        metric,
        period_grain,
        period_start,
        level,
        entity_id,
        cast(null as {{ dbt.type_string() }}) as child_level,
        sample_size as responses
    from employee_rows
    where period_grain <> 'month' and not suppressed

    union all

    select
        'published_below_minimum' as violation,
        metric,
        period_grain,
        period_start,
        level,
        entity_id,
        cast(null as {{ dbt.type_string() }}) as child_level,
        sample_size as responses
    from employee_rows
    where not suppressed and sample_size < {{ min_n }}

    union all

    select
        case
            when unpublished_responses > 0 and unpublished_responses < {{ min_n }}
                then 'recoverable_by_subtraction'
            else 'only_responding_child_hidden'
        end as violation,
        metric,
        'month' as period_grain,
        period_start,
        level,
        entity_id,
        child_level,
        unpublished_responses as responses
    from split_remainders
    where
        (unpublished_responses > 0 and unpublished_responses < {{ min_n }})
        or (children = 1 and hidden_children = 1)

{% endtest %}
