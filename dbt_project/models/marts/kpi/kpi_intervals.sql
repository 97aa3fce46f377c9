{#-
    The inbound call metrics and asa_seconds per interval of the client's local day
    (docs/metrics.md, "Intraday, queues and sourcing"): var('interval_minutes') minutes of
    the local wall clock (15, 30 or 60; 30 by default). Grain: one row per (period_start,
    level, entity_id, metric) with at least one call; period_grain is 'interval' and
    period_start the local start of the interval (a TIMESTAMP without zone). Levels queue,
    client and all; all sums each client's calls by their local interval start, as the day
    grain sums local report dates. The measures, atoms and values are those of kpi_metrics
    (macros kpi_inbound_call_measures, kpi_inbound_call_atoms, kpi_value), so a day's
    intervals add up to its day row.
-#}
{{ kpi_rebuilt_from_floor('facts') }}
-- Rebuilt from a floor (macros/kpi/kpi_rebuild.sql): only the intervals of the local days
-- from the first day that may have changed are computed and written again.
{% set rebuild = kpi_rebuild_plan() -%}
{%- set floor = none -%}
{%- if not rebuild.whole -%}
    {%- set floor = kpi_rebuild_floor([
        'select cast(offered_at_local as date) as day from ' ~ kpi_upstream_relation('fct_calls')
            ~ ' where _built_at > ' ~ rebuild.watermark,
        kpi_flipped_rows(
            'cast(previous.period_start as date)',
            'cast(previous.period_start as date) < partial_days.partial_day',
        ),
    ]) -%}
{%- endif -%}
{%- set minutes = var('interval_minutes') -%}
{%- set interval_levels = ['queue', 'client', 'all'] -%}

with

-- a call without a client's zone (unknown client) has no local interval
calls as (
    select
        report_date,
        client_id,
        cast(null as {{ dbt.type_string() }}) as site_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        queue,
        cast(null as {{ dbt.type_string() }}) as queue_site_id,
        {{ kpi_interval_start('offered_at_local', minutes) }} as interval_start,
        is_inbound,
        is_abandoned,
        is_short_abandon,
        is_handled,
        is_answered_within_service_level,
        handle_seconds,
        wait_seconds
    from {{ ref('fct_calls') }}
    where offered_at_local is not null
    {%- if not rebuild.whole %}
        and {{ 'false' if floor is none else 'offered_at_local >= ' ~ kpi_date_literal(floor) }}
    {%- endif %}
),

interval_measures as (
    {{ kpi_inbound_call_measures('calls', carried=['interval_start']) }}
),

interval_atoms as (
    {{ kpi_inbound_call_atoms('interval_measures', carried=['interval_start']) }}
),

staffed_atoms as (
    {{ kpi_staffed_atoms('interval_atoms') }}
),

interval_levels as (
    {%- for level in interval_levels %}
        select '{{ level }}' as level
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

credited_atoms as (
    select
        interval_levels.level,
        {{ kpi_entity_id('interval_levels.level', 'staffed_atoms') }} as entity_id,
        staffed_atoms.metric,
        staffed_atoms.interval_start,
        staffed_atoms.numerator,
        staffed_atoms.denominator,
        staffed_atoms.sample_size,
        staffed_atoms.promoters,
        staffed_atoms.detractors
    from staffed_atoms
    cross join interval_levels
),

summed as (
    select
        interval_start as period_start,
        level,
        entity_id,
        metric,
        {{ kpi_atom_sums() }}
    from credited_atoms
    where entity_id is not null
    group by interval_start, level, entity_id, metric
),

measured as (
    select
        period_start,
        level,
        entity_id,
        metric,
        numerator,
        denominator,
        sample_size,
        {{ kpi_value() }} as value,
        {{ kpi_interval_bound('low') }} as ci_low,
        {{ kpi_interval_bound('high') }} as ci_high
    from summed
),

-- complete: the interval's local day is before the entity's partial day
completed as (
    select
        measured.*,
        coalesce(
            cast(measured.period_start as date) < partial_days.partial_day, false
        ) as is_complete
    from measured
    left join {{ ref('int_kpi_partial_days') }} as partial_days
        on measured.level = partial_days.level and measured.entity_id = partial_days.entity_id
),

rebuilt as (
    select
        cast('interval' as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as timestamp) as period_start,
        cast(level as {{ dbt.type_string() }}) as level,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(value as {{ kpi_type_double() }}) as value,
        cast(numerator as {{ kpi_type_double() }}) as numerator,
        cast(denominator as {{ kpi_type_double() }}) as denominator,
        cast(sample_size as bigint) as sample_size,
        cast(ci_low as {{ kpi_type_double() }}) as ci_low,
        cast(ci_high as {{ kpi_type_double() }}) as ci_high,
        false as suppressed,
        is_complete,
        {{ built_at() }} as _built_at
    from completed
)

-- a build with nothing new reads no call (calls: `false`) and writes no row
select * from rebuilt
