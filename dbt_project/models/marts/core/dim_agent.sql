-- Current state of every agent ever on the roster, from the agent's latest snapshot.
-- No name or email (they stop in staging).
with

roster_snapshots as (
    select
        agent_id,
        as_of_date,
        team_id,
        hire_date,
        role,
        termination_date
    from {{ ref('stg_hr__agent_roster') }}
),

latest_roster_date as (
    select max(as_of_date) as as_of_date
    from roster_snapshots
),

agent_snapshot_ranks as (
    select
        agent_id,
        as_of_date,
        team_id,
        hire_date,
        role,
        termination_date,
        min(as_of_date) over (partition by agent_id) as first_as_of_date,
        row_number() over (partition by agent_id order by as_of_date desc) as recency_rank
    from roster_snapshots
)

select
    agent_snapshot_ranks.agent_id,
    agent_snapshot_ranks.team_id,
    agent_snapshot_ranks.hire_date,
    agent_snapshot_ranks.termination_date,
    agent_snapshot_ranks.role,
    agent_snapshot_ranks.first_as_of_date,
    agent_snapshot_ranks.as_of_date as last_as_of_date,
    agent_snapshot_ranks.as_of_date = latest_roster_date.as_of_date
    and (
        agent_snapshot_ranks.termination_date is null
        or agent_snapshot_ranks.termination_date > latest_roster_date.as_of_date
    ) as is_current
from agent_snapshot_ranks
cross join latest_roster_date
where agent_snapshot_ranks.recency_rank = 1
