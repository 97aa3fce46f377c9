-- The agent_identities mapping source: a vendor login, user id or ARN -> the roster's
-- agent_id. One row per (system, external_id).
with

raw_agent_identities {{ raw_versions_as() }} (
    select
        lower(trim(system)) as system,
        trim(external_id) as external_id,
        trim(agent_id) as agent_id,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'agent_identities') }}
),

current_agent_identities as (
    {{ current_versions('raw_agent_identities', ['system', 'external_id']) }}
)

select
    system,
    external_id,
    agent_id,
    _file_path,
    _file_row,
    _loaded_at
from current_agent_identities
