-- Point in time needs exactly one team per agent and day: each agent's validity ranges start
-- at 1900-01-01, follow each other without gap or overlap, and only the last one is open.
with

ranges as (
    select
        agent_id,
        valid_from,
        valid_to,
        lag(valid_to) over (partition by agent_id order by valid_from) as previous_valid_to,
        row_number() over (partition by agent_id order by valid_from) as range_number,
        count(*) over (partition by agent_id) as range_count
    from {{ ref('int_agents_teams_historized') }}
)

select
    agent_id,
    valid_from,
    valid_to,
    previous_valid_to
from ranges
where
    (range_number = 1 and valid_from <> cast('1900-01-01' as date))
    or (range_number > 1 and (previous_valid_to is null or previous_valid_to <> valid_from))
    or (range_number < range_count and valid_to is null)
    or (range_number = range_count and valid_to is not null)
    or valid_to <= valid_from
