with

raw_teams as (
    select
        trim(team_id) as team_id,
        trim(team_name) as team_name,
        trim(site_id) as site_id,
        trim(client_id) as client_id,
        trim(supervisor_name) as supervisor_name,
        _file_path,
        _file_row,
        {{ latest_version_columns(['team_id']) }}
    from {{ source('raw', 'teams') }}
)

select
    team_id,
    team_name,
    site_id,
    client_id,
    supervisor_name,
    _file_path,
    _file_row,
    _loaded_at
from raw_teams
where version_rank = 1
