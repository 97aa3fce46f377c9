{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        on_schema_change='fail'
    )
}}
-- A table, incremental: a night re-picks the latest version only of the keys it loaded
-- (every version of such a key is read again, so the result equals a full refresh);
-- the facts and tests then read a table instead of re-ranking every raw version.
-- Canonical tickets and the vendors' mapped tickets (Zendesk) are one set of versions.
with

raw_tickets {{ raw_versions_as() }} (
    select
        trim(ticket_id) as ticket_id,
        trim(client_id) as client_id,
        lower(trim(channel)) as channel,
        lower(trim(priority)) as priority,
        lower(trim(status)) as status,
        trim(customer_id) as customer_id,
        trim(agent_id) as agent_id,
        cast(created_at as timestamp) as created_at,
        cast(first_response_at as timestamp) as first_response_at,
        cast(solved_at as timestamp) as solved_at,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'tickets') }}
    {{ only_keys_loaded_since_watermark('ticket_id', source('raw', 'tickets')) }}
    {{ union_all_by_name() }}
    -- the current mapped version of each vendor ticket (its _loaded_at: the last load of any
    -- version of the ticket or of its metrics)
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
        _file_path,
        _file_row,
        _key_loaded_at as _loaded_at
    from {{ ref('stg_zendesk__tickets') }}
    where
        mapping_outcome = 'mapped'
        and is_current_version
        and {{ loaded_since_watermark('_key_loaded_at') }}
),

current_tickets as (
    {{ current_versions('raw_tickets', ['ticket_id']) }}
)

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
    _file_path,
    _file_row,
    _loaded_at,
    {{ built_at() }} as _built_at
from current_tickets
