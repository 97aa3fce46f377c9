-- Calls with their report_date (local date of offered_at in the client's reporting
-- timezone), the agent's team and site on that date (point in time), the site staffing the
-- call's queue and the call flags. A canonical call's queue finds its site in `queues`
-- (system canonical) when that row is of the call's own client; a vendor call's queue
-- site is the one of the queue row its mapping found.
with

calls as (
    select
        call_id,
        client_id,
        direction,
        queue,
        is_canonical_queue,
        queue_site_id,
        customer_id,
        agent_id,
        offered_at,
        answered_at,
        ended_at,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        wrap_code,
        _loaded_at
    from {{ ref('stg_telephony__calls') }}
),

canonical_queues as (
    select
        queue_ref,
        client_id,
        site_id
    from {{ ref('stg_operations__queues') }}
    where system = 'canonical'
),

clients as (
    select
        client_id,
        reporting_timezone
    from {{ ref('stg_operations__clients') }}
),

agent_team_ranges as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_to
    from {{ ref('int_agents_teams_historized') }}
),

teams as (
    select
        team_id,
        site_id
    from {{ ref('stg_operations__teams') }}
),

dated_calls as (
    select
        calls.call_id,
        calls.client_id,
        calls.direction,
        calls.queue,
        case
            when not calls.is_canonical_queue then calls.queue_site_id
            when canonical_queues.client_id = calls.client_id then canonical_queues.site_id
        end as queue_site_id,
        coalesce(
            calls.is_canonical_queue and canonical_queues.client_id <> calls.client_id, false
        ) as is_queue_of_other_client,
        calls.customer_id,
        calls.agent_id,
        calls.offered_at,
        calls.answered_at,
        calls.ended_at,
        calls.talk_seconds,
        calls.hold_seconds,
        calls.acw_seconds,
        calls.wrap_code,
        clients.reporting_timezone,
        {{ local_timestamp('calls.offered_at', 'clients.reporting_timezone') }}
            as offered_at_local,
        {{ report_date('calls.offered_at', 'clients.reporting_timezone') }} as report_date,
        calls.direction = 'inbound' as is_inbound,
        calls.direction = 'inbound' and calls.answered_at is null as is_abandoned,
        calls.direction = 'inbound'
        and calls.answered_at is not null
        and calls.agent_id is not null as is_handled,
        case
            when calls.answered_at is not null
                then {{ seconds_between('calls.offered_at', 'calls.answered_at') }}
        end as wait_seconds,
        calls._loaded_at
    from calls
    left join clients
        on calls.client_id = clients.client_id
    left join canonical_queues
        on calls.is_canonical_queue and calls.queue = canonical_queues.queue_ref
),

attributed_calls as (
    select
        dated_calls.call_id,
        dated_calls.client_id,
        dated_calls.direction,
        dated_calls.queue,
        dated_calls.queue_site_id,
        dated_calls.is_queue_of_other_client,
        dated_calls.customer_id,
        dated_calls.agent_id,
        agent_team_ranges.team_id,
        teams.site_id,
        dated_calls.offered_at,
        dated_calls.answered_at,
        dated_calls.ended_at,
        dated_calls.reporting_timezone,
        dated_calls.offered_at_local,
        dated_calls.report_date,
        dated_calls.talk_seconds,
        dated_calls.hold_seconds,
        dated_calls.acw_seconds,
        case
            when dated_calls.is_handled
                then
                    coalesce(dated_calls.talk_seconds, 0)
                    + coalesce(dated_calls.hold_seconds, 0)
                    + coalesce(dated_calls.acw_seconds, 0)
        end as handle_seconds,
        dated_calls.wait_seconds,
        dated_calls.is_inbound,
        dated_calls.is_abandoned,
        dated_calls.is_handled,
        dated_calls.is_abandoned
        and {{ seconds_between('dated_calls.offered_at', 'dated_calls.ended_at') }}
        <= {{ var('short_abandon_seconds') }} as is_short_abandon,
        dated_calls.is_handled
        and dated_calls.wait_seconds <= {{ var('service_level_answer_seconds') }}
            as is_answered_within_service_level,
        dated_calls.wrap_code,
        dated_calls._loaded_at
    from dated_calls
    left join agent_team_ranges
        on
            dated_calls.agent_id = agent_team_ranges.agent_id
            and {{ is_within_validity('dated_calls.report_date', 'agent_team_ranges') }}
    left join teams
        on agent_team_ranges.team_id = teams.team_id
)

select
    call_id,
    client_id,
    direction,
    queue,
    queue_site_id,
    is_queue_of_other_client,
    customer_id,
    agent_id,
    team_id,
    site_id,
    offered_at,
    answered_at,
    ended_at,
    reporting_timezone,
    offered_at_local,
    report_date,
    talk_seconds,
    hold_seconds,
    acw_seconds,
    handle_seconds,
    wait_seconds,
    is_inbound,
    is_abandoned,
    is_handled,
    coalesce(is_short_abandon, false) as is_short_abandon,
    coalesce(is_answered_within_service_level, false) as is_answered_within_service_level,
    wrap_code,
    _loaded_at
from attributed_calls
