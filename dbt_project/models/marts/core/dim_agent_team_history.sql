-- The agent's team over time: consecutive roster snapshots with the same team merged into
-- one assignment. Same point-in-time rule as int_agents_teams_historized.
with

agent_team_ranges as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_to,
        as_of_date
    from {{ ref('int_agents_teams_historized') }}
),

team_changes as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_to,
        as_of_date,
        case
            when
                lag(team_id) over (partition by agent_id order by valid_from) = team_id
                then 0
            else 1
        end as is_new_assignment
    from agent_team_ranges
),

numbered_changes as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_to,
        as_of_date,
        sum(is_new_assignment) over (
            partition by agent_id
            order by valid_from
            rows between unbounded preceding and current row
        ) as assignment_number
    from team_changes
),

assignments as (
    select
        agent_id,
        assignment_number,
        min(team_id) as team_id,
        min(valid_from) as valid_from,
        max(coalesce(valid_to, cast('9999-12-31' as date))) as valid_to,
        min(as_of_date) as first_as_of_date,
        max(as_of_date) as last_as_of_date
    from numbered_changes
    group by agent_id, assignment_number
),

teams as (
    select
        team_id,
        site_id,
        client_id
    from {{ ref('stg_operations__teams') }}
)

select
    {{ dbt.concat(['assignments.agent_id', "'|'", dbt.cast('assignments.valid_from', dbt.type_string())]) }}
        as agent_team_history_id,
    assignments.agent_id,
    assignments.team_id,
    teams.site_id,
    teams.client_id,
    assignments.valid_from,
    case
        when assignments.valid_to <> cast('9999-12-31' as date) then assignments.valid_to
    end as valid_to,
    assignments.first_as_of_date,
    assignments.last_as_of_date,
    assignments.valid_to = cast('9999-12-31' as date) as is_current
from assignments
left join teams
    on assignments.team_id = teams.team_id
