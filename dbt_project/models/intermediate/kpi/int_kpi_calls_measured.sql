{#-
    Metric atoms of the call KPIs: calls_offered, calls_handled, calls_abandoned,
    abandon_rate_pct, service_level_pct, aht_seconds. One row per metric, report date and
    credited client / site / team / agent. Inbound calls only: an outbound call is no
    offered, handled or abandoned call.
-#}
with

inbound_calls as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        is_abandoned,
        is_short_abandon,
        is_handled,
        is_answered_within_service_level,
        handle_seconds
    from {{ ref('fct_calls') }}
    where is_inbound
),

call_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as offered_calls,
        sum(case when is_abandoned then 1 else 0 end) as abandoned_calls,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned_calls,
        sum(case when is_handled then 1 else 0 end) as handled_calls,
        sum(
            case when is_answered_within_service_level then 1 else 0 end
        ) as calls_within_service_level,
        sum(
            case when is_handled then cast(handle_seconds as {{ kpi_type_exact() }}) else 0 end
        ) as handle_seconds
    from inbound_calls
    group by report_date, client_id, site_id, team_id, agent_id
)

{{ kpi_atom('calls_offered', sample_size='offered_calls') }}
from call_measures
union all
{{ kpi_atom('calls_handled', sample_size='handled_calls') }}
from call_measures
union all
{{ kpi_atom('calls_abandoned', sample_size='abandoned_calls') }}
from call_measures
union all
{{ kpi_atom(
    'abandon_rate_pct',
    numerator='abandoned_calls',
    denominator='offered_calls',
    sample_size='offered_calls',
) }}
from call_measures
union all
-- a short abandon stays offered and abandoned but leaves the service level's base
{{ kpi_atom(
    'service_level_pct',
    numerator='calls_within_service_level',
    denominator='offered_calls - short_abandoned_calls',
    sample_size='offered_calls - short_abandoned_calls',
) }}
from call_measures
union all
{{ kpi_atom(
    'aht_seconds',
    numerator='handle_seconds',
    denominator='handled_calls',
    sample_size='handled_calls',
) }}
from call_measures
