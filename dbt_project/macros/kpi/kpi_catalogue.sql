{#-
    The KPI catalogue (docs/metrics.md) as data, read at compile time by
    kpi_metrics (levels, grains, how the value and the interval are formed) and
    by the wide marts (one column per metric). Adding a metric: one entry here,
    its atoms in the family model int_kpi_<family>_measured, and its column (with a
    doc block in _kpi__docs.md) in the wide marts' YAML, and its MetricFlow metric in
    models/marts/semantic/ (or, like a median, a reason in docs/bi.md to stay out of it;
    tests/integration/test_semantic_layer.py lists both).

    value_kind   count      value = sample_size; numerator/denominator NULL
                 percentage value = 100 * numerator / denominator (nps/enps too)
                 mean       value = numerator / denominator (sum / count)
                 median     value = the median of the facts' measure
    interval     wilson | net_score | none
    is_anonymized  suppressed below var('min_anonymity_n') and against subtraction
                   (int_kpi_employee_anonymity); never per agent; month grain only
    wide_sample_column  name of the sample-size column in the wide marts (or none)
-#}
{% macro kpi_catalogue() %}
    {#- staffing levels: the agent's site on the report date decides its sourcing and
        location type; queue-staffed metrics reach a site through the call's queue -#}
    {%- set every_level = ['agent', 'team', 'site', 'sourcing', 'location_type', 'client', 'all'] -%}
    {%- set every_level_and_queue = every_level + ['queue'] -%}
    {%- set queue_levels = ['queue', 'site', 'sourcing', 'location_type', 'client', 'all'] -%}
    {%- set employee_levels = ['team', 'site', 'sourcing', 'location_type', 'client', 'all'] -%}
    {%- set every_grain = ['day', 'week', 'month'] -%}
    {%- set catalogue = [
        {'metric': 'calls_offered', 'levels': queue_levels, 'grains': every_grain,
         'value_kind': 'count', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'calls_handled', 'levels': every_level_and_queue, 'grains': every_grain,
         'value_kind': 'count', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'calls_abandoned', 'levels': queue_levels, 'grains': every_grain,
         'value_kind': 'count', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'abandon_rate_pct', 'levels': queue_levels, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'service_level_pct', 'levels': queue_levels, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'aht_seconds', 'levels': every_level_and_queue, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'asa_seconds', 'levels': queue_levels, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'calls_outbound', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'count', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'outbound_talk_seconds', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'tickets_created', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'count', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'frt_avg_minutes', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false,
         'wide_sample_column': 'tickets_first_responded'},
        {'metric': 'frt_median_minutes', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'median', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'frt_within_target_pct', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'nps', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': 'net_score', 'is_anonymized': false,
         'wide_sample_column': 'nps_responses'},
        {'metric': 'csat_pct', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': 'wilson', 'is_anonymized': false,
         'wide_sample_column': 'csat_responses'},
        {'metric': 'csat_avg', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'ces_avg', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'mean', 'interval': none, 'is_anonymized': false,
         'wide_sample_column': 'ces_responses'},
        {'metric': 'ces_low_effort_pct', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': 'wilson', 'is_anonymized': false, 'wide_sample_column': none},
        {'metric': 'survey_response_rate_pct', 'levels': every_level, 'grains': every_grain,
         'value_kind': 'percentage', 'interval': 'wilson', 'is_anonymized': false,
         'wide_sample_column': 'survey_invitations'},
        {'metric': 'customer_retention_pct', 'levels': ['client', 'all'], 'grains': ['month'],
         'value_kind': 'percentage', 'interval': none, 'is_anonymized': false,
         'wide_sample_column': 'customers_at_start'},
        {'metric': 'referral_rate_pct', 'levels': ['client', 'all'], 'grains': ['month'],
         'value_kind': 'percentage', 'interval': none, 'is_anonymized': false,
         'wide_sample_column': 'new_customers'},
        {'metric': 'esat_pct', 'levels': employee_levels, 'grains': ['month'],
         'value_kind': 'percentage', 'interval': 'wilson', 'is_anonymized': true,
         'wide_sample_column': 'esat_responses'},
        {'metric': 'enps', 'levels': employee_levels, 'grains': ['month'],
         'value_kind': 'percentage', 'interval': 'net_score', 'is_anonymized': true,
         'wide_sample_column': 'enps_responses'},
    ] -%}
    {{ return(catalogue) }}
{% endmacro %}


{#- The period grains kpi_metrics computes (docs/metrics.md: day, ISO week, month).
    Unit tests override this macro to keep their expected rows short. -#}
{% macro kpi_period_grains() %}
    {{ return(['day', 'week', 'month']) }}
{% endmacro %}


{#- Names of the catalogue's metrics whose attribute `key` equals `wanted`. -#}
{% macro kpi_metrics_where(key, wanted) %}
    {%- set names = [] -%}
    {%- for entry in kpi_catalogue() if entry[key] == wanted -%}
        {%- do names.append(entry['metric']) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}


{#- A quoted, comma separated SQL list: ('a', 'b'). -#}
{% macro kpi_sql_list(values) -%}
    ({%- for value in values -%}'{{ value }}'{{ ", " if not loop.last }}{%- endfor -%})
{%- endmacro %}


{#- The catalogue's (metric, level) pairs (`dimension` = 'levels') or
    (metric, period_grain) pairs (`dimension` = 'grains', restricted to
    `period_grains`), as a union of selects. -#}
{% macro kpi_metric_scopes(dimension, period_grains=none) -%}
    {%- set column = 'level' if dimension == 'levels' else 'period_grain' -%}
    {%- set pairs = [] -%}
    {%- for entry in kpi_catalogue() -%}
        {%- for item in entry[dimension] if period_grains is none or item in period_grains -%}
            {%- do pairs.append((entry['metric'], item)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for metric, item in pairs %}
    select
        '{{ metric }}' as metric,
        '{{ item }}' as {{ column }}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor %}
{%- endmacro %}
