{#-
    Metric atoms of the call KPIs (measures and atoms: macros/kpi/kpi_call_atoms.sql), one
    row per metric, report date and credited client / site / team / agent / queue.
    Inbound calls give calls_offered, calls_handled, calls_abandoned, abandon_rate_pct,
    service_level_pct, aht_seconds and asa_seconds; outbound calls give calls_outbound and
    outbound_talk_seconds, per agent and up (no queue level: an outbound call is made, not
    queued). An outbound call is no offered, handled or abandoned call.
-#}
with

calls as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        queue,
        queue_site_id,
        is_inbound,
        is_abandoned,
        is_short_abandon,
        is_handled,
        is_answered_within_service_level,
        handle_seconds,
        wait_seconds,
        talk_seconds
    from {{ ref('fct_calls') }}
),

inbound_measures as (
    {{ kpi_inbound_call_measures('calls') }}
),

-- an outbound attempt nobody answered is still an attempt: its empty talk time counts 0
outbound_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as outbound_calls,
        sum(cast(coalesce(talk_seconds, 0) as {{ kpi_type_exact() }})) as outbound_talk_seconds
    from calls
    where not is_inbound
    group by report_date, client_id, site_id, team_id, agent_id
)

{{ kpi_inbound_call_atoms('inbound_measures') }}
union all
{{ kpi_atom('calls_outbound', sample_size='outbound_calls') }}
from outbound_measures
union all
{{ kpi_atom(
    'outbound_talk_seconds',
    numerator='outbound_talk_seconds',
    denominator='outbound_calls',
    sample_size='outbound_calls',
) }}
from outbound_measures
