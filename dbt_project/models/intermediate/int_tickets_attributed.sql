-- Tickets with their report_date (local date of created_at in the client's reporting
-- timezone), the assignee's team and site on that date (point in time) and first-response
-- measures. A first response before creation is invalid for FRT: it has no first response
-- time, but the ticket still counts as created.
with

tickets as (
    select
        ticket_id,
        client_id,
        channel,
        priority,
        status,
        customer_id,
        agent_id,
        created_at,
        first_response_at,
        solved_at,
        _loaded_at
    from {{ ref('stg_helpdesk__tickets') }}
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

dated_tickets as (
    select
        tickets.ticket_id,
        tickets.client_id,
        tickets.channel,
        tickets.priority,
        tickets.status,
        tickets.customer_id,
        tickets.agent_id,
        tickets.created_at,
        tickets.first_response_at,
        tickets.solved_at,
        clients.reporting_timezone,
        {{ report_date('tickets.created_at', 'clients.reporting_timezone') }} as report_date,
        coalesce(tickets.first_response_at >= tickets.created_at, false) as has_first_response,
        coalesce(tickets.first_response_at < tickets.created_at, false)
            as is_first_response_before_creation,
        {{ frt_target_minutes('tickets.channel') }} as frt_target_minutes,
        tickets._loaded_at
    from tickets
    left join clients
        on tickets.client_id = clients.client_id
),

measured_tickets as (
    select
        ticket_id,
        client_id,
        channel,
        priority,
        status,
        customer_id,
        agent_id,
        created_at,
        first_response_at,
        solved_at,
        reporting_timezone,
        report_date,
        has_first_response,
        is_first_response_before_creation,
        case
            when has_first_response
                then {{ seconds_between('created_at', 'first_response_at') }} / 60.0
        end as first_response_minutes,
        frt_target_minutes,
        _loaded_at
    from dated_tickets
)

select
    measured_tickets.ticket_id,
    measured_tickets.client_id,
    measured_tickets.channel,
    measured_tickets.priority,
    measured_tickets.status,
    measured_tickets.customer_id,
    measured_tickets.agent_id,
    agent_team_ranges.team_id,
    teams.site_id,
    measured_tickets.created_at,
    measured_tickets.first_response_at,
    measured_tickets.solved_at,
    measured_tickets.reporting_timezone,
    measured_tickets.report_date,
    measured_tickets.has_first_response,
    measured_tickets.is_first_response_before_creation,
    measured_tickets.first_response_minutes,
    measured_tickets.frt_target_minutes,
    case
        when measured_tickets.has_first_response
            then measured_tickets.first_response_minutes <= measured_tickets.frt_target_minutes
    end as is_first_response_within_target,
    measured_tickets._loaded_at
from measured_tickets
left join agent_team_ranges
    on
        measured_tickets.agent_id = agent_team_ranges.agent_id
        and {{ is_within_validity('measured_tickets.report_date', 'agent_team_ranges') }}
left join teams
    on agent_team_ranges.team_id = teams.team_id
