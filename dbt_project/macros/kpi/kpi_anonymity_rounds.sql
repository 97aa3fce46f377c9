{#-
    The rounds of int_kpi_employee_anonymity: from round 0 (the groups below
    var('min_anonymity_n') hidden), each round hides the complements that would reveal a
    hidden group, until a round hides nothing (the fixed point).

    kpi_anonymity_fixed_point(inputs, min_n): a SELECT of the fixed point (metric,
    period_start, level, entity_id, sample_size, suppressed). `inputs` is the model's CTE
    list that defines group_sizes (one row per published group) and edges (which groups
    split into which).
-#}
{% macro kpi_anonymity_fixed_point(inputs, min_n) -%}
    {{ return(adapter.dispatch('kpi_anonymity_fixed_point', 'cx_warehouse')(inputs, min_n)) }}
{%- endmacro %}

{#- Round 0: the groups below the minimum. -#}
{% macro kpi_anonymity_first_round(group_sizes, min_n) -%}
    select
        0 as round,
        metric,
        period_start,
        level,
        entity_id,
        sample_size,
        sample_size < {{ min_n }} as suppressed
    from {{ group_sizes }}
{%- endmacro %}

{#- One round: every row of the round `previous`, with the rows it newly hides. -#}
{% macro kpi_anonymity_next_round(previous, edges, min_n) -%}
    with

    -- every split of a parent into children, with each child as the previous round left it
    splits as (
        select
            edges.metric,
            edges.period_start,
            edges.parent_level,
            edges.parent_id,
            edges.child_level,
            child.entity_id as child_id,
            child.sample_size as child_sample_size,
            child.suppressed as child_suppressed
        from {{ edges }} as edges
        inner join {{ previous }} as child
            on
                edges.metric = child.metric
                and edges.period_start = child.period_start
                and edges.child_level = child.level
                and edges.child_id = child.entity_id
    ),

    -- every published parent and split: what its published children leave unexplained
    split_totals as (
        select
            parent.metric,
            parent.period_start,
            parent.level,
            parent.entity_id,
            splits.child_level,
            parent.sample_size - coalesce(
                sum(case when not splits.child_suppressed then splits.child_sample_size end), 0
            ) as unpublished_responses,
            count(*) as children,
            count(case when splits.child_suppressed then 1 end) as hidden_children
        from {{ previous }} as parent
        inner join splits
            on
                parent.metric = splits.metric
                and parent.period_start = splits.period_start
                and parent.level = splits.parent_level
                and parent.entity_id = splits.parent_id
        where not parent.suppressed
        group by
            parent.metric,
            parent.period_start,
            parent.level,
            parent.entity_id,
            splits.child_level,
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
            splits.metric,
            splits.period_start,
            splits.child_level as level,
            splits.child_id as entity_id,
            row_number() over (
                partition by
                    revealing_splits.metric,
                    revealing_splits.period_start,
                    revealing_splits.level,
                    revealing_splits.entity_id,
                    revealing_splits.child_level
                order by splits.child_sample_size, splits.child_id
            ) as complement_rank
        from revealing_splits
        inner join splits
            on
                revealing_splits.metric = splits.metric
                and revealing_splits.period_start = splits.period_start
                and revealing_splits.level = splits.parent_level
                and revealing_splits.entity_id = splits.parent_id
                and revealing_splits.child_level = splits.child_level
        where not splits.child_suppressed
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
    from {{ previous }} as previous
    left join newly_hidden
        on
            previous.metric = newly_hidden.metric
            and previous.period_start = newly_hidden.period_start
            and previous.level = newly_hidden.level
            and previous.entity_id = newly_hidden.entity_id
{%- endmacro %}

{#-
    DuckDB: one recursive CTE. Its recursive step may read the previous round several times
    (as parent, as child, as the rows carried over), and it stops at the first round that
    hides nothing.
-#}
{% macro duckdb__kpi_anonymity_fixed_point(inputs, min_n) -%}
    with recursive rounds as (
        {{ kpi_anonymity_first_round('group_sizes', min_n) }}

        union all

        select * from (
            {{ kpi_anonymity_next_round('rounds', 'edges', min_n) }}
            where exists (select any_hidden.entity_id from newly_hidden as any_hidden)
        ) as next_round
    )

    select
        rounds.metric,
        rounds.period_start,
        rounds.level,
        rounds.entity_id,
        rounds.sample_size,
        rounds.suppressed
    from rounds
    where rounds.round = (select max(every_round.round) from rounds as every_round)
{%- endmacro %}

{#-
    Spark: a recursive CTE may not aggregate its previous round, and a chain of CTEs would
    recompute every earlier round at each reference. So each round is written once, as a
    Parquet table beside the model (<schema>.cxw_anonymity_round_<n>), from the one before
    it, while the model runs; the rounds stop when one hides nothing more (hidden rows only
    ever grow, so equal counts of hidden rows mean a fixed point). The model then reads the
    last round, and its post-hook drops the round tables (kpi_anonymity_drop_rounds). A
    cached view would not do: Spark recomputed the earlier rounds.
-#}
{% macro spark__kpi_anonymity_fixed_point(inputs, min_n) -%}
    {%- if not execute -%}
        {{ return(kpi_anonymity_first_round('group_sizes', min_n)) }}
    {%- endif -%}
    {%- set prefix = this.schema ~ '.cxw_anonymity_' -%}
    {%- do kpi_spark_round_table(prefix ~ 'edges', 'with ' ~ inputs ~ ' select * from edges') -%}
    {%- do kpi_spark_round_table(
        prefix ~ 'round_0', 'with ' ~ inputs ~ ' ' ~ kpi_anonymity_first_round('group_sizes', min_n)
    ) -%}
    {%- set state = namespace(last=0, hidden=kpi_spark_hidden_rows(prefix ~ 'round_0'), done=false) -%}
    {#- every round hides at least one more row: at most as many rounds as rows -#}
    {%- for round in range(1, 100000) if not state.done -%}
        {%- set this_round = prefix ~ 'round_' ~ round -%}
        {%- do kpi_spark_round_table(
            this_round, kpi_anonymity_next_round(prefix ~ 'round_' ~ (round - 1), prefix ~ 'edges', min_n)
        ) -%}
        {%- set hidden = kpi_spark_hidden_rows(this_round) -%}
        {%- set state.done = hidden == state.hidden -%}
        {%- set state.hidden = hidden -%}
        {%- set state.last = round -%}
    {%- endfor -%}
    {{ return(
        'select metric, period_start, level, entity_id, sample_size, suppressed from '
        ~ prefix ~ 'round_' ~ state.last
    ) }}
{%- endmacro %}

{% macro kpi_spark_round_table(name, sql) -%}
    {%- do run_query('drop table if exists ' ~ name) -%}
    {%- do run_query('create table ' ~ name ~ ' using parquet as ' ~ sql) -%}
{%- endmacro %}

{% macro kpi_spark_hidden_rows(name) -%}
    {{ return(run_query('select count_if(suppressed) from ' ~ name).rows[0][0]) }}
{%- endmacro %}

{#-
    kpi_anonymity_drop_rounds(): the post-hook of int_kpi_employee_anonymity. On Spark it
    drops the round tables the model was built from (nothing is left behind in the
    warehouse); elsewhere there are none, and the hook is empty.
-#}
{% macro kpi_anonymity_drop_rounds() -%}
    {{ return(adapter.dispatch('kpi_anonymity_drop_rounds', 'cx_warehouse')()) }}
{%- endmacro %}

{% macro default__kpi_anonymity_drop_rounds() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__kpi_anonymity_drop_rounds() -%}
    {%- if execute -%}
        {%- set rounds = run_query("show tables in " ~ this.schema ~ " like 'cxw_anonymity_*'") -%}
        {%- for row in rounds.rows -%}
            {%- do run_query('drop table if exists ' ~ this.schema ~ '.' ~ row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
