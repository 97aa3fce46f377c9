{#-
    The call KPIs' measures and metric atoms, defined once for kpi_metrics (per report
    date: int_kpi_calls_measured) and kpi_intervals (per local interval).

    kpi_inbound_call_measures(calls, carried): the additive measures of the inbound calls of
    `calls` (a relation with the columns of fct_calls) per report date, client, agent's
    site / team / agent, queue and the queue's site, and the `carried` columns.
-#}
{% macro kpi_inbound_call_measures(calls, carried=[]) -%}
    {%- set group_columns = [
        'report_date', 'client_id', 'site_id', 'team_id', 'agent_id', 'queue', 'queue_site_id',
    ] + carried -%}
    select
        {{ group_columns | join(',\n        ') }},
        count(*) as offered_calls,
        sum(case when is_abandoned then 1 else 0 end) as abandoned_calls,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned_calls,
        sum(case when is_handled then 1 else 0 end) as handled_calls,
        sum(
            case when is_answered_within_service_level then 1 else 0 end
        ) as calls_within_service_level,
        sum(
            case when is_handled then cast(handle_seconds as {{ kpi_type_exact() }}) else 0 end
        ) as handle_seconds,
        sum(
            case when is_handled then cast(wait_seconds as {{ kpi_type_exact() }}) else 0 end
        ) as answer_wait_seconds
    from {{ calls }}
    where is_inbound
    group by {{ group_columns | join(', ') }}
{%- endmacro %}


{#- The atoms of the inbound call metrics from a relation of kpi_inbound_call_measures:
    calls_offered, calls_handled, calls_abandoned, abandon_rate_pct, service_level_pct,
    aht_seconds, asa_seconds. Offered, abandoned, abandon rate, service level and ASA are
    credited to the site staffing the call's queue; handled and AHT to the agent's site. -#}
{% macro kpi_inbound_call_atoms(measures, carried=[]) -%}
    {%- set queue_staffed = {'site_id': 'queue_site_id', 'queue': 'queue', 'carried': carried} -%}
    {%- set agent_staffed = {'queue': 'queue', 'carried': carried} -%}
{{ kpi_atom('calls_offered', sample_size='offered_calls', **queue_staffed) }}
from {{ measures }}
union all
{{ kpi_atom('calls_handled', sample_size='handled_calls', **agent_staffed) }}
from {{ measures }}
union all
{{ kpi_atom('calls_abandoned', sample_size='abandoned_calls', **queue_staffed) }}
from {{ measures }}
union all
{{ kpi_atom(
    'abandon_rate_pct',
    numerator='abandoned_calls',
    denominator='offered_calls',
    sample_size='offered_calls',
    **queue_staffed
) }}
from {{ measures }}
union all
-- a short abandon stays offered and abandoned but leaves the service level's base
{{ kpi_atom(
    'service_level_pct',
    numerator='calls_within_service_level',
    denominator='offered_calls - short_abandoned_calls',
    sample_size='offered_calls - short_abandoned_calls',
    **queue_staffed
) }}
from {{ measures }}
union all
{{ kpi_atom(
    'aht_seconds',
    numerator='handle_seconds',
    denominator='handled_calls',
    sample_size='handled_calls',
    **agent_staffed
) }}
from {{ measures }}
union all
-- average speed of answer: the wait of the handled calls over the handled calls
{{ kpi_atom(
    'asa_seconds',
    numerator='answer_wait_seconds',
    denominator='handled_calls',
    sample_size='handled_calls',
    **queue_staffed
) }}
from {{ measures }}
{%- endmacro %}
