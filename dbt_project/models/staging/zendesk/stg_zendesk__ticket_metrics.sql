{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        on_schema_change='fail'
    )
}}
-- Zendesk ticket metric objects, one row per raw version. The ticket's current metrics are
-- the version with the latest updated_at (ties: the later file, then the later row);
-- stg_zendesk__tickets reads the first reply time and the solve time from it.
with

metric_versions {{ raw_versions_as() }} (
    select
        ticket_id,
        try_cast({{ json_text('record', "'$.reply_time_in_minutes.calendar'") }} as double)
            as reply_time_calendar_minutes,
        {{ iso_utc_timestamp(json_text('record', "'$.solved_at'")) }} as solved_at,
        {{ iso_utc_timestamp(json_text('record', "'$.updated_at'")) }} as updated_at,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'zendesk_ticket_metrics') }}
    {{ only_keys_loaded_since_watermark('ticket_id', source('raw', 'zendesk_ticket_metrics')) }}
)

select
    ticket_id,
    reply_time_calendar_minutes,
    solved_at,
    updated_at,
    'mapped' as mapping_outcome,
    cast(null as string) as mapping_reason,
    false as is_unknown_agent,
    row_number() over (
        partition by ticket_id
        order by updated_at desc nulls last, _file_path desc, _file_row desc
    ) = 1 as is_current_version,
    _file_path,
    _file_row,
    _loaded_at,
    {{ built_at() }} as _built_at
from metric_versions
