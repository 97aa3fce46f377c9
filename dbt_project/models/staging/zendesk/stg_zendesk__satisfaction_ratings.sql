{{
    config(
        materialized='incremental',
        unique_key='rating_id',
        on_schema_change='fail'
    )
}}
-- Zendesk satisfaction ratings mapped onto canonical CSAT surveys, one row per raw version
-- (spec "Zendesk -> tickets and CSAT"). good / bad are CSAT on a two-point scale
-- (score_scale 'two_point': bad = 1, good = 2, satisfied = good); 'offered' is an
-- invitation without an answer; 'unoffered' is nothing (skipped). The client is the one of
-- the group the rating carries (the ticket's group when it was rated), else the rated
-- ticket's client. The current version
-- of a rating is its latest updated_at among the mapped versions (ties: the later file,
-- then the later row). The comment and the requester are not read (personal data).
with

rating_versions {{ raw_versions_as() }} (
    select
        rating_id,
        {{ json_text('record', "'$.ticket_id'") }} as ticket_id,
        {{ json_text('record', "'$.group_id'") }} as group_id,
        {{ json_text('record', "'$.assignee_id'") }} as assignee_id,
        lower(trim({{ json_text('record', "'$.score'") }})) as zendesk_score,
        {{ iso_utc_timestamp(json_text('record', "'$.created_at'")) }} as created_at,
        {{ iso_utc_timestamp(json_text('record', "'$.updated_at'")) }} as updated_at,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'zendesk_satisfaction_ratings') }}
    {{ only_keys_loaded_since_watermark('rating_id', source('raw', 'zendesk_satisfaction_ratings')) }}
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

-- the client of the rated ticket, for a rating whose group has no queues row (a program
-- mapped by brand, or a ticket without a group when it was rated)
ticket_clients as (
    select
        ticket_id,
        client_id
    from {{ ref('stg_zendesk__tickets') }}
    where mapping_outcome = 'mapped' and is_current_version
),

mapped_versions as (
    select
        rating_versions.rating_id,
        'zendesk:' || rating_versions.rating_id as survey_id,
        coalesce(queues.client_id, ticket_clients.client_id) as client_id,
        coalesce(agent_identities.agent_id, rating_versions.assignee_id) as agent_id,
        rating_versions.assignee_id is not null and agent_identities.agent_id is null
            as is_unknown_agent,
        rating_versions.ticket_id,
        rating_versions.created_at as sent_at,
        case
            when rating_versions.zendesk_score <> 'offered' then rating_versions.updated_at
        end as responded_at,
        -- an answer Zendesk may spell with its comment flag is the same answer; any other
        -- text is kept as it came, so staging flags it as an invalid score
        case
            when rating_versions.zendesk_score in ('good', 'good_with_comment') then '2'
            when rating_versions.zendesk_score in ('bad', 'bad_with_comment') then '1'
            when rating_versions.zendesk_score <> 'offered' then rating_versions.zendesk_score
        end as score_raw,
        case
            when rating_versions.zendesk_score = 'unoffered' then 'unoffered_rating'
            when coalesce(queues.client_id, ticket_clients.client_id) is null then 'unmapped_queue'
            when rating_versions.created_at is null then 'missing_timestamp'
        end as mapping_reason,
        rating_versions.updated_at,
        rating_versions._file_path,
        rating_versions._file_row,
        rating_versions._loaded_at
    from rating_versions
    left join queues
        on rating_versions.group_id = queues.queue_ref
    left join agent_identities
        on rating_versions.assignee_id = agent_identities.external_id
    left join ticket_clients
        on rating_versions.ticket_id = ticket_clients.ticket_id
),

outcome_versions as (
    select
        *,
        case
            when mapping_reason is null then 'mapped'
            when mapping_reason in ('unmapped_queue', 'missing_timestamp') then 'rejected'
            else 'skipped'
        end as mapping_outcome
    from mapped_versions
)

select
    rating_id,
    case when mapping_outcome = 'mapped' then survey_id end as survey_id,
    case when mapping_outcome = 'mapped' then 'csat' end as survey_type,
    case when mapping_outcome = 'mapped' then client_id end as client_id,
    cast(null as string) as customer_id,
    case when mapping_outcome = 'mapped' then 'ticket' end as interaction_type,
    case when mapping_outcome = 'mapped' then ticket_id end as interaction_id,
    case when mapping_outcome = 'mapped' then agent_id end as agent_id,
    case when mapping_outcome = 'mapped' then sent_at end as sent_at,
    case when mapping_outcome = 'mapped' then responded_at end as responded_at,
    case when mapping_outcome = 'mapped' then score_raw end as score_raw,
    'two_point' as score_scale,
    true as counts_in_response_rate,
    mapping_outcome,
    mapping_reason,
    mapping_outcome = 'mapped' and is_unknown_agent as is_unknown_agent,
    mapping_outcome = 'mapped'
    and row_number() over (
        partition by rating_id, mapping_outcome = 'mapped'
        order by updated_at desc nulls last, _file_path desc, _file_row desc
    ) = 1 as is_current_version,
    _file_path,
    _file_row,
    _loaded_at,
    max(_loaded_at) over (partition by rating_id) as _key_loaded_at,
    {{ built_at() }} as _built_at
from outcome_versions
