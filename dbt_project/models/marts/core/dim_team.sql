with

teams as (
    select
        team_id,
        team_name,
        site_id,
        client_id,
        supervisor_name
    from {{ ref('stg_operations__teams') }}
)

select
    team_id,
    team_name,
    site_id,
    client_id,
    supervisor_name
from teams
