-- full_name and email (personal data) stop here: they never leave the raw layer.
with

raw_agent_roster {{ raw_versions_as() }} (
    select
        cast(as_of_date as date) as as_of_date,
        trim(agent_id) as agent_id,
        trim(team_id) as team_id,
        cast(hire_date as date) as hire_date,
        lower(trim(role)) as role,
        cast(termination_date as date) as termination_date,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'agent_roster') }}
),

current_agent_roster as (
    {{ current_versions('raw_agent_roster', ['agent_id', 'as_of_date']) }}
)

select
    agent_id,
    as_of_date,
    team_id,
    hire_date,
    role,
    termination_date,
    _file_path,
    _file_row,
    _loaded_at
from current_agent_roster
