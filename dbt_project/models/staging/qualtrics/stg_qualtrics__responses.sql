{{
    config(
        materialized='incremental',
        unique_key='response_id',
        on_schema_change='fail'
    )
}}
-- Qualtrics responses, one row per raw response (spec "Qualtrics response exports ->
-- surveys"), with what every answer of the response shares: the client of its survey (via
-- queues, system 'qualtrics', on the folder's survey id), the agent and the interaction from
-- embedded data, and its times in UTC. RecordedDate and StartDate are wall times in the zone
-- the third header row names for the column, else the configured zone of the source
-- qualtrics_responses (CXW_SOURCE_TIMEZONES). Previews, tests and spam (Status 1, 2, 8, 9, 12,
-- 17) and unfinished responses are skipped; Status 0, 4, 16 are kept. A response of a survey
-- without a queue row is rejected (unmapped_queue), as one whose dates cannot be read
-- (bad_timestamp); a kept response that answers no mapped question is skipped
-- (no_mapped_answer): it makes no survey. A response delivered again (a later export) is current in the later
-- file, then the later row. Names, e-mails, IP addresses and locations are not read.
-- The answers themselves: stg_qualtrics__survey_answers.
with

response_versions {{ raw_versions_as() }} (
    select
        survey_ref,
        response_id,
        lower(trim({{ json_text('record', "'$.status'") }})) as response_status,
        lower(trim({{ json_text('record', "'$.finished'") }})) as finished,
        {{ try_parse_timestamp(json_text('record', "'$.startDate'"), '%Y-%m-%d %H:%M:%S') }}
            as start_wall_time,
        {{ try_parse_timestamp(json_text('record', "'$.recordedDate'"), '%Y-%m-%d %H:%M:%S') }}
            as recorded_wall_time,
        coalesce({{ json_text('time_zones', "'$.startDate'") }}, {{ source_timezone('qualtrics_responses') }})
            as start_zone,
        coalesce({{ json_text('time_zones', "'$.recordedDate'") }}, {{ source_timezone('qualtrics_responses') }})
            as recorded_zone,
        nullif(trim({{ json_text('record', "'$.agent_id'") }}), '') as embedded_agent_id,
        nullif(trim({{ json_text('record', "'$.call_id'") }}), '') as embedded_call_id,
        nullif(trim({{ json_text('record', "'$.ticket_id'") }}), '') as embedded_ticket_id,
        nullif(trim({{ json_text('record', "'$.externalDataReference'") }}), '')
            as external_reference,
        exists(
            select 1
            from {{ ref('stg_survey_tool__survey_questions') }} as questions
            where
                questions.system = 'qualtrics'
                and questions.survey_ref = raw_responses.survey_ref
                and nullif(trim({{ json_text('raw_responses.record', "'$.' || questions.question_ref") }}), '')
                is not null
        ) as answers_a_mapped_question,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'qualtrics_responses') }} as raw_responses
    {{ only_keys_loaded_since_watermark('response_id', source('raw', 'qualtrics_responses')) }}
),

queues as (
    select
        queue_ref,
        client_id
    from {{ ref('stg_operations__queues') }}
    where system = 'qualtrics'
),

agent_identities as (
    select
        external_id,
        agent_id
    from {{ ref('stg_operations__agent_identities') }}
    where system = 'qualtrics'
),

roster_agents as (
    select distinct agent_id
    from {{ ref('stg_hr__agent_roster') }}
),

mapped_versions as (
    select
        response_versions.survey_ref,
        response_versions.response_id,
        queues.client_id,
        coalesce(agent_identities.agent_id, response_versions.embedded_agent_id) as agent_id,
        -- embedded data usually carries the roster's own agent_id: unknown only when it is
        -- neither an identity of the system nor a roster agent
        response_versions.embedded_agent_id is not null
        and agent_identities.agent_id is null
        and roster_agents.agent_id is null as is_unknown_agent,
        case
            when response_versions.embedded_call_id is not null then 'call'
            when response_versions.embedded_ticket_id is not null then 'ticket'
        end as interaction_type,
        coalesce(
            response_versions.embedded_call_id,
            response_versions.embedded_ticket_id,
            response_versions.external_reference
        ) as interaction_id,
        {{ utc_from_local('response_versions.start_wall_time', 'response_versions.start_zone') }}
            as sent_at,
        {{ utc_from_local('response_versions.recorded_wall_time', 'response_versions.recorded_zone') }}
            as responded_at,
        case
            when response_versions.response_status in ('1', 'survey preview') then 'survey_preview'
            when response_versions.response_status in ('2', 'survey test') then 'test_response'
            when response_versions.response_status in ('8', '9', '12', '17') then 'spam_response'
            when response_versions.response_status like '%spam%' then 'spam_response'
            when coalesce(response_versions.response_status, '') not in (
                '0', '4', '16', 'ip address', 'imported', 'offline'
            ) then 'unknown_status'
            when coalesce(response_versions.finished, '') not in ('1', 'true')
                then 'unfinished_response'
            when queues.client_id is null then 'unmapped_queue'
            when response_versions.start_wall_time is null then 'bad_timestamp'
            when response_versions.recorded_wall_time is null then 'bad_timestamp'
            when not response_versions.answers_a_mapped_question then 'no_mapped_answer'
        end as mapping_reason,
        response_versions._file_path,
        response_versions._file_row,
        response_versions._loaded_at
    from response_versions
    left join queues
        on response_versions.survey_ref = queues.queue_ref
    left join agent_identities
        on response_versions.embedded_agent_id = agent_identities.external_id
    left join roster_agents
        on response_versions.embedded_agent_id = roster_agents.agent_id
),

outcome_versions as (
    select
        *,
        case
            when mapping_reason is null then 'mapped'
            when mapping_reason in ('unmapped_queue', 'bad_timestamp') then 'rejected'
            else 'skipped'
        end as mapping_outcome
    from mapped_versions
)

select
    survey_ref,
    response_id,
    case when mapping_outcome = 'mapped' then client_id end as client_id,
    cast(null as string) as customer_id,
    case when mapping_outcome = 'mapped' then interaction_type end as interaction_type,
    case when mapping_outcome = 'mapped' then interaction_id end as interaction_id,
    case when mapping_outcome = 'mapped' then agent_id end as agent_id,
    case when mapping_outcome = 'mapped' then sent_at end as sent_at,
    case when mapping_outcome = 'mapped' then responded_at end as responded_at,
    mapping_outcome,
    mapping_reason,
    mapping_outcome = 'mapped' and is_unknown_agent as is_unknown_agent,
    mapping_outcome = 'mapped'
    and row_number() over (
        partition by response_id, mapping_outcome = 'mapped'
        order by _file_path desc, _file_row desc
    ) = 1 as is_current_version,
    _file_path,
    _file_row,
    _loaded_at,
    max(_loaded_at) over (partition by response_id) as _key_loaded_at,
    {{ built_at() }} as _built_at
from outcome_versions
