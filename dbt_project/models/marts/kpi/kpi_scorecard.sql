{{ kpi_rebuilt_from_floor('kpi_metrics') }}
-- Rebuilt from a floor (macros/kpi/kpi_rebuild.sql): the kpi_metrics rows written since
-- the scorecard's last build, whose periods replace the scorecard's from the first on.
{% set rebuild = kpi_rebuild_plan() -%}

{#-
    Every kpi_metrics row beside its most specific target (seed kpi_targets):
    the entity's own target wins over the level's '*' target. Status:
    'met' / 'missed' when there is a target and a value; 'no_target' when there
    is no target, or no value to judge (suppressed for anonymity, or a zero
    denominator) - the target is still shown.
-#}

with

metrics as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        metric,
        value,
        numerator,
        denominator,
        sample_size,
        ci_low,
        ci_high,
        suppressed,
        is_complete
    from {{ ref('kpi_metrics') }}
    {%- if not rebuild.whole %}
    where _built_at > {{ rebuild.watermark }}
    {%- endif %}
),

targets as (
    select
        metric,
        level,
        entity_id,
        period_grain,
        target,
        higher_is_better
    from {{ ref('kpi_targets') }}
),

targeted as (
    select
        metrics.period_grain,
        metrics.period_start,
        metrics.level,
        metrics.entity_id,
        metrics.metric,
        metrics.value,
        metrics.numerator,
        metrics.denominator,
        metrics.sample_size,
        metrics.ci_low,
        metrics.ci_high,
        metrics.suppressed,
        metrics.is_complete,
        case
            when entity_target.metric is not null then entity_target.target
            else level_target.target
        end as target,
        case
            when entity_target.metric is not null then entity_target.higher_is_better
            else level_target.higher_is_better
        end as higher_is_better,
        case
            when entity_target.metric is not null then entity_target.entity_id
            else level_target.entity_id
        end as target_entity_id
    from metrics
    left join targets as entity_target
        on
            metrics.metric = entity_target.metric
            and metrics.level = entity_target.level
            and metrics.period_grain = entity_target.period_grain
            and metrics.entity_id = entity_target.entity_id
    left join targets as level_target
        on
            metrics.metric = level_target.metric
            and metrics.level = level_target.level
            and metrics.period_grain = level_target.period_grain
            and level_target.entity_id = '*'
)

select
    period_grain,
    period_start,
    level,
    entity_id,
    metric,
    value,
    numerator,
    denominator,
    sample_size,
    ci_low,
    ci_high,
    suppressed,
    target,
    higher_is_better,
    target_entity_id,
    case
        when target is null or value is null then 'no_target'
        when higher_is_better and value >= target then 'met'
        when not higher_is_better and value <= target then 'met'
        else 'missed'
    end as status,
    is_complete,
    {{ built_at() }} as _built_at
from targeted
