{{
    config(
        materialized='incremental',
        unique_key='call_id',
        on_schema_change='fail'
    )
}}
-- A table, incremental: a night re-picks the latest version only of the keys it loaded
-- (every version of such a key is read again, so the result equals a full refresh);
-- the facts and tests then read a table instead of re-ranking every raw version.
-- Calls are the canonical raw rows and the current mapped calls of the vendor exports
-- (Amazon Connect contact records, Genesys Cloud conversations), mapped in staging/<vendor>/.
with

raw_calls {{ raw_versions_as() }} (
    select
        trim(call_id) as call_id,
        trim(client_id) as client_id,
        lower(trim(direction)) as direction,
        cast(offered_at as timestamp) as offered_at,
        cast(answered_at as timestamp) as answered_at,
        cast(ended_at as timestamp) as ended_at,
        trim(queue) as queue,
        -- a canonical call's queue is looked up in `queues` (system canonical) downstream
        true as is_canonical_queue,
        cast(null as string) as queue_site_id,
        trim(customer_id) as customer_id,
        trim(agent_id) as agent_id,
        cast(talk_seconds as double) as talk_seconds,
        cast(hold_seconds as double) as hold_seconds,
        cast(acw_seconds as double) as acw_seconds,
        trim(wrap_code) as wrap_code,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'calls') }}
    {{ only_keys_loaded_since_watermark('call_id', source('raw', 'calls')) }}

    {{ union_all_by_name() }}

    {{ vendor_calls(ref('stg_amazon_connect__contacts'), 'contact_id') }}

    {{ union_all_by_name() }}

    {{ vendor_calls(ref('stg_genesys__conversations'), 'conversation_id') }}
),

current_calls as (
    {{ current_versions('raw_calls', ['call_id']) }}
)

select
    call_id,
    client_id,
    direction,
    queue,
    is_canonical_queue,
    queue_site_id,
    customer_id,
    agent_id,
    offered_at,
    answered_at,
    ended_at,
    talk_seconds,
    hold_seconds,
    acw_seconds,
    wrap_code,
    _file_path,
    _file_row,
    _loaded_at,
    {{ built_at() }} as _built_at
from current_calls
