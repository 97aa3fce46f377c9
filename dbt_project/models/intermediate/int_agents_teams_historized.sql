{{ config(materialized='table') }}

-- One validity range per roster snapshot of an agent: the snapshot's team holds from its
-- as_of_date (the agent's first snapshot: from 1900-01-01) until the agent's next snapshot
-- (exclusive; NULL = open). Ranges are deliberately NOT merged across snapshots of the same
-- team: each keeps the load time of its own snapshot, so an incremental fact can rebuild
-- exactly the days a new or corrected snapshot affects (dim_agent_team_history merges them).
with

roster_snapshots as (
    select
        agent_id,
        as_of_date,
        team_id,
        _loaded_at
    from {{ ref('stg_hr__agent_roster') }}
),

sequenced_snapshots as (
    select
        agent_id,
        as_of_date,
        team_id,
        _loaded_at,
        row_number() over (partition by agent_id order by as_of_date) as snapshot_number,
        lead(as_of_date) over (partition by agent_id order by as_of_date) as next_as_of_date
    from roster_snapshots
)

select
    agent_id,
    team_id,
    case
        when snapshot_number = 1 then cast('1900-01-01' as date)
        else as_of_date
    end as valid_from,
    next_as_of_date as valid_to,
    as_of_date,
    snapshot_number = 1 as is_first_snapshot,
    next_as_of_date is null as is_current,
    _loaded_at
from sequenced_snapshots
