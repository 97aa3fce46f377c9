with

raw_teams {{ raw_versions_as() }} (
    select
        trim(team_id) as team_id,
        trim(team_name) as team_name,
        trim(site_id) as site_id,
        trim(client_id) as client_id,
        trim(supervisor_name) as supervisor_name,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'teams') }}
),

current_teams as (
    {{ current_versions('raw_teams', ['team_id']) }}
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
from current_teams
