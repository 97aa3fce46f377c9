{#-
    The KPI contract table of the KPI catalogue (docs/metrics.md). Grain: one row per
    (period_grain, period_start, level, entity_id, metric) with at least one underlying
    fact.

    How each KPI's numerator, denominator and sample arise is in the model of its family
    (models/intermediate/kpi): int_kpi_calls_measured, int_kpi_tickets_measured,
    int_kpi_surveys_measured (customer surveys), int_kpi_employee_surveys_measured and
    int_kpi_customers_measured. Each gives "metric atoms": additive measures per report
    date and credited agent / team / site / client. Here the atoms are credited to every
    (level, grain) the catalogue allows for their metric and summed once; value and
    intervals are formed from the sums in one place (`measured`). The median, not
    additive, is taken over the per-ticket atoms of frt_median_minutes in
    int_kpi_frt_medians_daily, _weekly and _monthly.
-#}
{{ kpi_rebuilt_from_floor('facts') }}
-- Rebuilt from a floor (macros/kpi/kpi_rebuild.sql): only the periods from the first day
-- that may have changed are computed and written again.
{% set rebuild = kpi_rebuild_plan() -%}
{%- set floor = none -%}
{%- if not rebuild.whole -%}
    {%- set written = '_built_at > ' ~ rebuild.watermark -%}
    {%- set floor = kpi_rebuild_floor([
        'select report_date as day from ' ~ kpi_upstream_relation('fct_calls') ~ ' where ' ~ written,
        'select report_date from ' ~ kpi_upstream_relation('fct_tickets') ~ ' where ' ~ written,
        'select sent_report_date from ' ~ kpi_upstream_relation('fct_survey_responses') ~ ' where ' ~ written,
        'select response_report_date from ' ~ kpi_upstream_relation('fct_survey_responses') ~ ' where ' ~ written,
        kpi_flipped_rows(
            'previous.period_start',
            kpi_period_start('partial_days.partial_day', 'previous.period_grain')
                ~ ' > previous.period_start',
        ),
    ]) -%}
{%- endif -%}
{%- set period_grains = kpi_period_grains() -%}
{%- set median_metrics = kpi_metrics_where('value_kind', 'median') -%}
{%- set anonymized_metrics = kpi_metrics_where('is_anonymized', true) -%}
{%- set atom_columns = [
    'report_date', 'client_id', 'site_id', 'team_id', 'agent_id', 'queue',
    'metric', 'numerator', 'denominator', 'sample_size', 'promoters', 'detractors',
] | join(',\n        ') -%}

with

-- the additive atoms of every family; a median atom is one fact, taken by `medians`
family_atoms as (
    select
        {{ atom_columns }}
    from {{ ref('int_kpi_calls_measured') }}
    union all
    select
        {{ atom_columns }}
    from {{ ref('int_kpi_tickets_measured') }}
    where metric not in {{ kpi_sql_list(median_metrics) }}
    union all
    select
        {{ atom_columns }}
    from {{ ref('int_kpi_surveys_measured') }}
    union all
    select
        {{ atom_columns }}
    from {{ ref('int_kpi_employee_surveys_measured') }}
    union all
    select
        {{ atom_columns }}
    from {{ ref('int_kpi_customers_measured') }}
),

-- the atoms of the periods rebuilt (from the floor's ISO week or month, the earlier)
rebuilt_atoms as (
    select * from family_atoms
    {%- if not rebuild.whole %}
    where {{ 'false' if floor is none else 'report_date >= ' ~ kpi_rebuild_atoms_from(floor) }}
    {%- endif %}
),

-- each atom with its credited site's sourcing and location type
metric_atoms as (
    {{ kpi_staffed_atoms('rebuilt_atoms') }}
),

metric_levels as (
    {{ kpi_metric_scopes('levels') }}
),

metric_grains as (
    {{ kpi_metric_scopes('grains', period_grains) }}
),

-- sum the atoms once per level and day, then per period: the day sums are few
credited_atoms as (
    select
        metric_levels.level,
        {{ kpi_entity_id('metric_levels.level', 'metric_atoms') }} as entity_id,
        metric_atoms.metric,
        metric_atoms.report_date,
        metric_atoms.numerator,
        metric_atoms.denominator,
        metric_atoms.sample_size,
        metric_atoms.promoters,
        metric_atoms.detractors
    from metric_atoms
    inner join metric_levels
        on metric_atoms.metric = metric_levels.metric
),

daily_sums as (
    select
        level,
        entity_id,
        metric,
        report_date,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(sample_size) as sample_size,
        sum(promoters) as promoters,
        sum(detractors) as detractors
    from credited_atoms
    -- a fact without a report date (its client is unknown: no time zone) is in no period;
    -- the facts' report_date tests warn about it
    where entity_id is not null and report_date is not null
    group by level, entity_id, metric, report_date
),

periodized_sums as (
    select
        metric_grains.period_grain,
        {{ kpi_period_start('daily_sums.report_date', 'metric_grains.period_grain') }}
            as period_start,
        daily_sums.level,
        daily_sums.entity_id,
        daily_sums.metric,
        daily_sums.numerator,
        daily_sums.denominator,
        daily_sums.sample_size,
        daily_sums.promoters,
        daily_sums.detractors
    from daily_sums
    inner join metric_grains
        on daily_sums.metric = metric_grains.metric
),

summed as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        metric,
        {{ kpi_atom_sums() }}
    from periodized_sums
    group by period_grain, period_start, level, entity_id, metric
),

-- the median is not additive: taken over the ticket atoms of each period and entity
-- (int_kpi_frt_medians_<grain>)
medians as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        'frt_median_minutes' as metric,
        cast(null as {{ kpi_type_double() }}) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        sample_size,
        cast(null as bigint) as promoters,
        cast(null as bigint) as detractors,
        median_value
    from (
        {%- for grain in ['daily', 'weekly', 'monthly'] %}
            select * from {{ ref('int_kpi_frt_medians_' ~ grain) }}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    ) as frt_medians
    where period_grain in {{ kpi_sql_list(period_grains) }}
    {%- if not rebuild.whole %}
        and {{ 'false' if floor is none else 'period_start >= ' ~ kpi_rebuild_atoms_from(floor) }}
    {%- endif %}
),

aggregated as (
    select * from summed
    union all
    select * from medians
),

-- employee groups also hidden so that no subtraction reveals a small one
-- (complementary suppression, int_kpi_employee_anonymity)
anonymity_flagged as (
    select
        aggregated.*,
        coalesce(employee_anonymity.suppressed, false) as is_hidden_against_subtraction
    from aggregated
    left join {{ ref('int_kpi_employee_anonymity') }} as employee_anonymity
        on
            aggregated.period_grain = employee_anonymity.period_grain
            and aggregated.period_start = employee_anonymity.period_start
            and aggregated.level = employee_anonymity.level
            and aggregated.entity_id = employee_anonymity.entity_id
            and aggregated.metric = employee_anonymity.metric
),

measured as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        metric,
        numerator,
        denominator,
        sample_size,
        {{ kpi_value() }} as unsuppressed_value,
        {{ kpi_interval_bound('low') }} as unsuppressed_ci_low,
        {{ kpi_interval_bound('high') }} as unsuppressed_ci_high,
        coalesce(
            metric in {{ kpi_sql_list(anonymized_metrics) }}
            and (sample_size < {{ var('min_anonymity_n') }} or is_hidden_against_subtraction),
            false
        ) as suppressed
    from anonymity_flagged
),

-- complete: the period ends before the entity's partial day (int_kpi_partial_days), i.e.
-- that day falls in a later period of the grain
completed as (
    select
        measured.*,
        coalesce(
            {{ kpi_period_start('partial_days.partial_day', 'measured.period_grain') }}
            > measured.period_start,
            false
        ) as is_complete
    from measured
    left join {{ ref('int_kpi_partial_days') }} as partial_days
        on measured.level = partial_days.level and measured.entity_id = partial_days.entity_id
),

rebuilt as (
    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(level as {{ dbt.type_string() }}) as level,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(case when not suppressed then unsuppressed_value end as {{ kpi_type_double() }}) as value,
        cast(case when not suppressed then numerator end as {{ kpi_type_double() }}) as numerator,
        cast(case when not suppressed then denominator end as {{ kpi_type_double() }}) as denominator,
        cast(sample_size as bigint) as sample_size,
        cast(case when not suppressed then unsuppressed_ci_low end as {{ kpi_type_double() }}) as ci_low,
        cast(case when not suppressed then unsuppressed_ci_high end as {{ kpi_type_double() }}) as ci_high,
        suppressed,
        is_complete,
        {{ built_at() }} as _built_at
    from completed
)

-- the periods from the floor's on (the atoms read start with the floor's week or month);
-- a build with nothing new reads no atom (`false`) and writes no row
select * from rebuilt
{%- if floor is not none %}
where period_start >= {{ kpi_period_start(kpi_date_literal(floor), 'period_grain') }}
{%- endif %}
