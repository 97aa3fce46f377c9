{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        on_schema_change='fail'
    )
}}
-- Zendesk tickets mapped onto canonical tickets, one row per raw version (spec "Zendesk ->
-- tickets and CSAT"). The current version of a ticket is its latest updated_at (ties: the
-- later file, then the later row) among its mapped versions: a skipped version (deleted,
-- voice) or a rejected one never supersedes, so a night gives what a full refresh gives (a
-- ticket deleted after a mapped version keeps that version). Its first reply and solve
-- times come from its current ticket metrics, so a night re-reads the tickets whose ticket
-- or metrics were loaded since the watermark; _key_loaded_at is the last load of any version
-- of either (what the union in stg_helpdesk__tickets carries as _loaded_at).
-- Requester, subject and description (personal data) are not read.
with

ticket_versions {{ raw_versions_as() }} (
    select
        ticket_id,
        {{ json_text('record', "'$.group_id'") }} as group_id,
        {{ json_text('record', "'$.brand_id'") }} as brand_id,
        {{ json_text('record', "'$.assignee_id'") }} as assignee_id,
        lower({{ json_text('record', "'$.via.channel'") }}) as via_channel,
        lower({{ json_text('record', "'$.priority'") }}) as priority,
        lower({{ json_text('record', "'$.status'") }}) as zendesk_status,
        {{ iso_utc_timestamp(json_text('record', "'$.created_at'")) }} as created_at,
        {{ iso_utc_timestamp(json_text('record', "'$.updated_at'")) }} as updated_at,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'zendesk_tickets') }}
    {%- if is_incremental() %}
        {%- set watermark = incremental_watermark() %}
    where ticket_id in (
        select changed_tickets.ticket_id
        from {{ source('raw', 'zendesk_tickets') }} as changed_tickets
        where changed_tickets._loaded_at > {{ watermark }}
        union
        select changed_metrics.ticket_id
        from {{ source('raw', 'zendesk_ticket_metrics') }} as changed_metrics
        where changed_metrics._loaded_at > {{ watermark }}
    )
    {%- endif %}
),

queues as (
    select
        queue_ref,
        client_id
    from {{ ref('stg_operations__queues') }}
    where system = 'zendesk'
),

agent_identities as (
    select
        external_id,
        agent_id
    from {{ ref('stg_operations__agent_identities') }}
    where system = 'zendesk'
),

current_metrics as (
    select
        ticket_id,
        reply_time_calendar_minutes,
        solved_at,
        _loaded_at
    from {{ ref('stg_zendesk__ticket_metrics') }}
    where is_current_version
),

mapped_versions as (
    select
        ticket_versions.ticket_id,
        coalesce(group_queue.client_id, brand_queue.client_id) as client_id,
        case
            when ticket_versions.via_channel = 'email' then 'email'
            when ticket_versions.via_channel in ('web', 'api') then 'web'
            when ticket_versions.via_channel = 'chat' then 'chat'
            when ticket_versions.via_channel in (
                'native_messaging', 'whatsapp', 'line', 'wechat', 'sunshine_conversations',
                'any_channel', 'mobile_sdk', 'sms', 'messagebird_sms', 'telegram', 'viber',
                'kakaotalk', 'apple_business_chat', 'apple_messages_for_business',
                'google_business_messages', 'google_rcs', 'instagram_messaging'
            ) then 'messaging'
            when ticket_versions.via_channel in ('twitter', 'facebook', 'instagram_dm') then 'social'
        end as channel,
        ticket_versions.via_channel,
        ticket_versions.priority,
        case ticket_versions.zendesk_status
            when 'hold' then 'pending'
            else ticket_versions.zendesk_status
        end as status,
        cast(null as string) as customer_id,
        coalesce(agent_identities.agent_id, ticket_versions.assignee_id) as agent_id,
        ticket_versions.assignee_id is not null and agent_identities.agent_id is null
            as is_unknown_agent,
        ticket_versions.created_at,
        {{ plus_microseconds(
            'ticket_versions.created_at',
            'cast(round(current_metrics.reply_time_calendar_minutes * 60000000) as bigint)'
        ) }} as first_response_at,
        current_metrics.solved_at,
        ticket_versions.updated_at,
        ticket_versions.zendesk_status = 'deleted' as is_deleted,
        group_queue.client_id is null and brand_queue.client_id is null as is_unmapped_queue,
        ticket_versions._file_path,
        ticket_versions._file_row,
        ticket_versions._loaded_at,
        greatest(
            max(ticket_versions._loaded_at) over (partition by ticket_versions.ticket_id),
            current_metrics._loaded_at
        ) as _key_loaded_at
    from ticket_versions
    left join queues as group_queue
        on ticket_versions.group_id = group_queue.queue_ref
    left join queues as brand_queue
        on ticket_versions.brand_id = brand_queue.queue_ref
    left join agent_identities
        on ticket_versions.assignee_id = agent_identities.external_id
    left join current_metrics
        on ticket_versions.ticket_id = current_metrics.ticket_id
),

classified_versions as (
    select
        *,
        case
            when is_deleted then 'deleted_ticket'
            when via_channel = 'voice' then 'voice_ticket'
            when channel is null then 'unsupported_channel'
            when is_unmapped_queue then 'unmapped_queue'
            -- no creation time, or one that is not ISO 8601: no day to count the ticket on
            when created_at is null then 'missing_timestamp'
        end as mapping_reason
    from mapped_versions
),

outcome_versions as (
    select
        *,
        case
            when mapping_reason is null then 'mapped'
            when mapping_reason in ('unmapped_queue', 'missing_timestamp') then 'rejected'
            else 'skipped'
        end as mapping_outcome
    from classified_versions
)

select
    ticket_id,
    case when mapping_outcome = 'mapped' then client_id end as client_id,
    case when mapping_outcome = 'mapped' then channel end as channel,
    case when mapping_outcome = 'mapped' then priority end as priority,
    case when mapping_outcome = 'mapped' then status end as status,
    customer_id,
    case when mapping_outcome = 'mapped' then agent_id end as agent_id,
    case when mapping_outcome = 'mapped' then created_at end as created_at,
    case when mapping_outcome = 'mapped' then first_response_at end as first_response_at,
    case when mapping_outcome = 'mapped' then solved_at end as solved_at,
    mapping_outcome,
    mapping_reason,
    mapping_outcome = 'mapped' and is_unknown_agent as is_unknown_agent,
    -- a skipped or rejected version never supersedes (as a rejected canonical row)
    mapping_outcome = 'mapped'
    and row_number() over (
        partition by ticket_id, mapping_outcome = 'mapped'
        order by updated_at desc nulls last, _file_path desc, _file_row desc
    ) = 1 as is_current_version,
    _file_path,
    _file_row,
    _loaded_at,
    _key_loaded_at,
    {{ built_at() }} as _built_at
from outcome_versions
