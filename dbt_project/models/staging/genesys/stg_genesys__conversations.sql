{{
    config(
        materialized='incremental',
        unique_key='conversation_id',
        on_schema_change='fail'
    )
}}
-- Genesys Cloud conversation details mapped onto canonical calls: one row per delivered
-- conversation (a conversation is delivered again when it changes), with its outcome.
-- Only purposes, user ids, queue ids, segment times and types, wrap-up codes and metrics are
-- read: the caller's number (ani), names and addresses never leave raw.
with

raw_conversations {{ raw_versions_as() }} (
    select
        conversation_id,
        {{ json_struct('record', '{
                "originatingDirection": "VARCHAR",
                "conversationStart": "VARCHAR",
                "conversationEnd": "VARCHAR",
                "participants": [{
                    "purpose": "VARCHAR",
                    "userId": "VARCHAR",
                    "sessions": [{
                        "mediaType": "VARCHAR",
                        "segments": [{
                            "segmentStart": "VARCHAR",
                            "segmentEnd": "VARCHAR",
                            "segmentType": "VARCHAR",
                            "queueId": "VARCHAR",
                            "wrapUpCode": "VARCHAR"
                        }],
                        "metrics": [{"name": "VARCHAR", "value": "DOUBLE", "emitDate": "VARCHAR"}]
                    }]
                }]
            }') }} as conversation_record,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'genesys_conversations') }}
    {{ only_keys_loaded_since_watermark('conversation_id', source('raw', 'genesys_conversations')) }}
),

conversations as (
    select
        conversation_id,
        lower(trim(conversation_record['originatingDirection'])) as originating_direction,
        {{ iso_utc_timestamp("conversation_record['conversationStart']") }} as conversation_started_at,
        {{ iso_utc_timestamp("conversation_record['conversationEnd']") }} as conversation_ended_at,
        conversation_record['participants'] as participant_records,
        _file_path,
        _file_row,
        _loaded_at
    from raw_conversations
),

participants as (
    select
        conversation_id,
        _file_path,
        _file_row,
        {{ unnest_with_index('participant_records', 'participant_index', 'participant_record') }}
    from conversations
),

sessions as (
    select
        conversation_id,
        _file_path,
        _file_row,
        participant_index,
        lower(trim(participant_record['purpose'])) as purpose,
        nullif(trim(participant_record['userId']), '') as user_id,
        {{ unnest_with_index("participant_record['sessions']", 'session_index', 'session_record') }}
    from participants
),

-- one row per session: its first segment, its answer, its times and metrics (milliseconds)
session_facts as (
    select
        conversation_id,
        _file_path,
        _file_row,
        participant_index,
        session_index,
        purpose,
        user_id,
        lower(trim(session_record['mediaType'])) as media_type,
        {%- set first_segment = list_element("session_record['segments']", 1) %}
        {{ iso_utc_timestamp(first_segment ~ "['segmentStart']") }} as started_at,
        nullif(trim({{ first_segment }}['queueId']), '') as first_queue_id,
        nullif(trim({{ list_element(list_filter(
            "session_record['segments']", 's', "nullif(trim(s['queueId']), '') is not null"
        ), 1) }}['queueId']), '') as any_queue_id,
        {{ iso_utc_timestamp(list_element(list_filter(
            "session_record['segments']", 's', "lower(s['segmentType']) = 'interact'"
        ), 1) ~ "['segmentStart']") }} as interact_started_at,
        {{ list_contains(list_transform("session_record['metrics']", 'm', "m['name']"), "'tAnswered'") }}
            as has_answered,
        {%- for metric, column in [('tTalkComplete', 'talk_ms'), ('tHeldComplete', 'held_ms'), ('tAcw', 'acw_ms')] %}
        {{ list_sum(list_transform(
            list_filter("session_record['metrics']", 'm', "m['name'] = '" ~ metric ~ "'"), 'm', "m['value']"
        )) }} as {{ column }},
        {%- endfor %}
        nullif(trim({{ list_element(list_filter(
            "session_record['segments']", 's',
            "lower(s['segmentType']) = 'wrapup' and nullif(trim(s['wrapUpCode']), '') is not null"
        ), 1) }}['wrapUpCode']), '') as wrap_code,
        {{ list_max(list_transform(
            "session_record['segments']", 's', iso_utc_timestamp("s['segmentEnd']")
        )) }} as last_segment_end,
        {{ list_max(list_transform(
            "session_record['metrics']", 'm', iso_utc_timestamp("m['emitDate']")
        )) }} as last_emit_at
    from sessions
),

voice_sessions as (
    select
        conversation_id,
        _file_path,
        _file_row,
        participant_index,
        session_index,
        purpose,
        user_id,
        started_at,
        first_queue_id,
        any_queue_id,
        interact_started_at,
        has_answered,
        talk_ms,
        held_ms,
        acw_ms,
        wrap_code
    from session_facts
    where media_type = 'voice'
),

first_acd_sessions as (
    select
        conversation_id,
        _file_path,
        _file_row,
        first_queue_id as queue_id,
        started_at as offered_at
    from voice_sessions
    where purpose = 'acd'
    qualify row_number() over (
        partition by conversation_id, _file_path, _file_row
        order by started_at asc nulls last, participant_index asc, session_index asc
    ) = 1
),

-- the agent who took the call: the first agent session that answered; an alert the agent let
-- ring (tNotResponding, no tAnswered) is no answer. An outbound call with no answered session
-- (the agent dials) is the first agent's.
handling_sessions as (
    select
        conversation_id,
        _file_path,
        _file_row,
        user_id,
        has_answered,
        any_queue_id,
        interact_started_at
    from voice_sessions
    where purpose in ('agent', 'user')
    qualify row_number() over (
        partition by conversation_id, _file_path, _file_row
        order by has_answered desc, started_at asc nulls last, participant_index asc, session_index asc
    ) = 1
),

-- the handling agent's voice sessions of the conversation (an agent may join it twice)
handler_totals as (
    select
        handling_sessions.conversation_id,
        handling_sessions._file_path,
        handling_sessions._file_row,
        sum(voice_sessions.talk_ms) / 1000.0 as talk_seconds,
        sum(voice_sessions.held_ms) / 1000.0 as hold_seconds,
        sum(voice_sessions.acw_ms) / 1000.0 as acw_seconds,
        {{ first_ordered(
            'voice_sessions.wrap_code', ['voice_sessions.started_at', 'voice_sessions.participant_index']
        ) }} filter (where voice_sessions.wrap_code is not null) as wrap_code
    from handling_sessions
    inner join voice_sessions
        on
            handling_sessions.conversation_id = voice_sessions.conversation_id
            and handling_sessions._file_path = voice_sessions._file_path
            and handling_sessions._file_row = voice_sessions._file_row
            and handling_sessions.user_id = voice_sessions.user_id
            and voice_sessions.purpose in ('agent', 'user')
    group by handling_sessions.conversation_id, handling_sessions._file_path, handling_sessions._file_row
),

version_summaries as (
    select
        conversation_id,
        _file_path,
        _file_row,
        bool_or(media_type = 'voice') as has_voice,
        {{ first_ordered('media_type', ['participant_index', 'session_index']) }} as first_media_type,
        max(last_segment_end) as last_segment_end,
        greatest(max(last_segment_end), max(last_emit_at)) as last_activity_at
    from session_facts
    group by conversation_id, _file_path, _file_row
),

genesys_queues as (
    select
        queue_ref,
        client_id,
        site_id,
        queue_name
    from {{ ref('stg_operations__queues') }}
    where system = 'genesys'
),

genesys_agents as (
    select
        external_id,
        agent_id
    from {{ ref('stg_operations__agent_identities') }}
    where system = 'genesys'
),

resolved as (
    select
        conversations.conversation_id,
        coalesce(conversations.originating_direction, 'inbound') as direction,
        -- an outbound call placed on behalf of a queue carries it on the agent's segments
        coalesce(
            first_acd_sessions.queue_id,
            case when conversations.originating_direction = 'outbound' then handling_sessions.any_queue_id end
        ) as queue_id,
        coalesce(first_acd_sessions.offered_at, conversations.conversation_started_at) as offered_at,
        case
            when handling_sessions.has_answered or conversations.originating_direction = 'outbound'
                then handling_sessions.interact_started_at
        end as answered_at,
        coalesce(conversations.conversation_ended_at, version_summaries.last_segment_end) as ended_at,
        case
            when handling_sessions.has_answered or conversations.originating_direction = 'outbound'
                then handling_sessions.user_id
        end as user_id,
        handler_totals.talk_seconds,
        handler_totals.hold_seconds,
        handler_totals.acw_seconds,
        handler_totals.wrap_code,
        coalesce(version_summaries.has_voice, false) as has_voice,
        version_summaries.first_media_type,
        greatest(conversations.conversation_ended_at, version_summaries.last_activity_at) as last_activity_at,
        conversations._file_path,
        conversations._file_row,
        conversations._loaded_at
    from conversations
    left join version_summaries
        on
            conversations.conversation_id = version_summaries.conversation_id
            and conversations._file_path = version_summaries._file_path
            and conversations._file_row = version_summaries._file_row
    left join first_acd_sessions
        on
            conversations.conversation_id = first_acd_sessions.conversation_id
            and conversations._file_path = first_acd_sessions._file_path
            and conversations._file_row = first_acd_sessions._file_row
    left join handling_sessions
        on
            conversations.conversation_id = handling_sessions.conversation_id
            and conversations._file_path = handling_sessions._file_path
            and conversations._file_row = handling_sessions._file_row
    left join handler_totals
        on
            conversations.conversation_id = handler_totals.conversation_id
            and conversations._file_path = handler_totals._file_path
            and conversations._file_row = handler_totals._file_row
),

outcomes as (
    select
        resolved.*,
        genesys_queues.client_id,
        genesys_queues.site_id as queue_site_id,
        coalesce(genesys_queues.queue_name, resolved.queue_id) as queue,
        genesys_agents.agent_id as known_agent_id,
        case
            when not resolved.has_voice
                then coalesce(resolved.first_media_type, 'empty') || '_conversation'
            -- inbound: never reached a queue (IVR only); outbound: dialled on no queue's behalf
            when resolved.queue_id is null then 'not_queued'
        end as skip_reason,
        case
            when genesys_queues.client_id is null then 'unmapped_queue'
            when resolved.offered_at is null or resolved.ended_at is null then 'missing_timestamp'
        end as reject_reason
    from resolved
    left join genesys_queues
        on resolved.queue_id = genesys_queues.queue_ref
    left join genesys_agents
        on resolved.user_id = genesys_agents.external_id
),

-- A conversation is delivered again when it changes and carries no update stamp: the
-- current version is the one with the latest activity (conversationEnd, a segment's end, a
-- metric's emitDate); ties: the later file, then the later row.
current_conversations as (
    select
        conversation_id,
        _file_path,
        _file_row
    from outcomes
    where skip_reason is null and reject_reason is null
    qualify row_number() over (
        partition by conversation_id
        order by last_activity_at desc nulls last, _file_path desc, _file_row desc
    ) = 1
)

select
    outcomes.conversation_id,
    outcomes.conversation_id as call_id,
    outcomes.client_id,
    outcomes.direction,
    outcomes.queue,
    outcomes.queue_site_id,
    cast(null as string) as customer_id,
    coalesce(outcomes.known_agent_id, outcomes.user_id) as agent_id,
    outcomes.offered_at,
    outcomes.answered_at,
    outcomes.ended_at,
    -- the handling agent's times and wrap-up; none for a call nobody answered
    case when outcomes.user_id is not null then outcomes.talk_seconds end as talk_seconds,
    case when outcomes.user_id is not null then outcomes.hold_seconds end as hold_seconds,
    case when outcomes.user_id is not null then outcomes.acw_seconds end as acw_seconds,
    case when outcomes.user_id is not null then outcomes.wrap_code end as wrap_code,
    outcomes.queue_id,
    outcomes.last_activity_at,
    case
        when outcomes.skip_reason is not null then 'skipped'
        when outcomes.reject_reason is not null then 'rejected'
        else 'mapped'
    end as mapping_outcome,
    coalesce(outcomes.skip_reason, outcomes.reject_reason) as mapping_reason,
    -- counted on mapped calls only
    outcomes.skip_reason is null
    and outcomes.reject_reason is null
    and outcomes.known_agent_id is null
    and outcomes.user_id is not null as is_unknown_agent,
    current_conversations.conversation_id is not null as is_current_version,
    outcomes._file_path,
    outcomes._file_row,
    outcomes._loaded_at
from outcomes
left join current_conversations
    on
        outcomes.conversation_id = current_conversations.conversation_id
        and outcomes._file_path = current_conversations._file_path
        and outcomes._file_row = current_conversations._file_row
