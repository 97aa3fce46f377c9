{{
    config(
        materialized='incremental',
        unique_key='contact_id',
        on_schema_change='fail'
    )
}}
-- Amazon Connect contact records mapped onto canonical calls: one row per delivered record
-- version, with its outcome (mapped, skipped or rejected and why). Only what the mapping
-- needs is read out of the record: the customer's number (CustomerEndpoint) never leaves raw.
with

raw_contacts {{ raw_versions_as() }} (
    select
        contact_id,
        {{ json_struct('record', '{
                "Channel": "VARCHAR",
                "InitiationMethod": "VARCHAR",
                "InitiationTimestamp": "VARCHAR",
                "DisconnectTimestamp": "VARCHAR",
                "LastUpdateTimestamp": "VARCHAR",
                "Queue": {"ARN": "VARCHAR", "Name": "VARCHAR", "EnqueueTimestamp": "VARCHAR"},
                "Agent": {
                    "ARN": "VARCHAR",
                    "Username": "VARCHAR",
                    "ConnectedToAgentTimestamp": "VARCHAR",
                    "AgentInteractionDuration": "DOUBLE",
                    "CustomerHoldDuration": "DOUBLE",
                    "AfterContactWorkDuration": "DOUBLE"
                },
                "Attributes": {"customer_id": "VARCHAR", "wrap_code": "VARCHAR"}
            }') }} as contact,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'amazon_connect_contacts') }}
    {{ only_keys_loaded_since_watermark('contact_id', source('raw', 'amazon_connect_contacts')) }}
),

contacts as (
    select
        contact_id,
        upper(trim(contact['Channel'])) as channel,
        upper(trim(contact['InitiationMethod'])) as initiation_method,
        case
            when upper(trim(contact['InitiationMethod'])) in ('OUTBOUND', 'API') then 'outbound'
            else 'inbound'
        end as direction,
        nullif(trim(contact['Queue']['Name']), '') as queue_name,
        nullif(trim(contact['Queue']['ARN']), '') as queue_arn,
        nullif(trim(contact['Agent']['Username']), '') as agent_username,
        nullif(trim(contact['Agent']['ARN']), '') as agent_arn,
        {{ iso_utc_timestamp("contact['Queue']['EnqueueTimestamp']") }} as enqueued_at,
        {{ iso_utc_timestamp("contact['InitiationTimestamp']") }} as initiated_at,
        {{ iso_utc_timestamp("contact['Agent']['ConnectedToAgentTimestamp']") }} as answered_at,
        {{ iso_utc_timestamp("contact['DisconnectTimestamp']") }} as ended_at,
        {{ iso_utc_timestamp("contact['LastUpdateTimestamp']") }} as last_updated_at,
        contact['Agent']['AgentInteractionDuration'] as talk_seconds,
        contact['Agent']['CustomerHoldDuration'] as hold_seconds,
        contact['Agent']['AfterContactWorkDuration'] as acw_seconds,
        nullif(trim(contact['Attributes']['customer_id']), '') as customer_id,
        nullif(trim(contact['Attributes']['wrap_code']), '') as wrap_code,
        _file_path,
        _file_row,
        _loaded_at
    from raw_contacts
),

connect_queues as (
    select
        queue_ref,
        client_id,
        site_id
    from {{ ref('stg_operations__queues') }}
    where system = 'amazon_connect'
),

connect_agents as (
    select
        external_id,
        agent_id
    from {{ ref('stg_operations__agent_identities') }}
    where system = 'amazon_connect'
),

resolved as (
    select
        contacts.*,
        coalesce(queue_by_name.client_id, queue_by_arn.client_id) as client_id,
        -- the site staffing the queue row that gave the client
        case
            when queue_by_name.client_id is not null then queue_by_name.site_id
            else queue_by_arn.site_id
        end as queue_site_id,
        coalesce(agent_by_username.agent_id, agent_by_arn.agent_id) as known_agent_id,
        -- an outbound contact is offered when it is queued, else when it is dialled
        case
            when contacts.direction = 'outbound'
                then coalesce(contacts.enqueued_at, contacts.initiated_at)
            else contacts.enqueued_at
        end as offered_at
    from contacts
    left join connect_queues as queue_by_name
        on contacts.queue_name = queue_by_name.queue_ref
    left join connect_queues as queue_by_arn
        on contacts.queue_arn = queue_by_arn.queue_ref
    left join connect_agents as agent_by_username
        on contacts.agent_username = agent_by_username.external_id
    left join connect_agents as agent_by_arn
        on contacts.agent_arn = agent_by_arn.external_id
),

outcomes as (
    select
        *,
        case
            when coalesce(channel, '') <> 'VOICE'
                then lower(coalesce(channel, 'unknown')) || '_contact'
            when initiation_method = 'MONITOR' then 'monitor_leg'
            -- an inbound contact that never entered an agent queue (IVR only, a flow
            -- disconnect): Connect's queue metrics do not count it either
            when direction = 'inbound' and enqueued_at is null then 'not_queued'
        end as skip_reason,
        case
            -- no queue, or a queue the BPO has not mapped: no client to credit
            when client_id is null then 'unmapped_queue'
            when offered_at is null or ended_at is null then 'missing_timestamp'
        end as reject_reason
    from resolved
),

mapped_versions as (
    select
        contact_id,
        last_updated_at,
        _file_path,
        _file_row
    from outcomes
    where skip_reason is null and reject_reason is null
),

repeated_contacts as (
    select contact_id
    from mapped_versions
    group by contact_id
    having count(*) > 1
),

-- Connect delivers a record again on every update: the latest LastUpdateTimestamp is the
-- current version (ties: the later file, then the later row). Only repeated keys are ranked.
current_of_repeated as (
    select
        contact_id,
        _file_path,
        _file_row
    from mapped_versions
    where contact_id in (select repeated_contacts.contact_id from repeated_contacts)
    qualify row_number() over (
        partition by contact_id
        order by last_updated_at desc nulls last, _file_path desc, _file_row desc
    ) = 1
)

select
    outcomes.contact_id,
    outcomes.contact_id as call_id,
    outcomes.client_id,
    outcomes.direction,
    outcomes.queue_name as queue,
    outcomes.queue_site_id,
    outcomes.customer_id,
    coalesce(outcomes.known_agent_id, outcomes.agent_username, outcomes.agent_arn) as agent_id,
    outcomes.offered_at,
    outcomes.answered_at,
    outcomes.ended_at,
    outcomes.talk_seconds,
    outcomes.hold_seconds,
    outcomes.acw_seconds,
    outcomes.wrap_code,
    outcomes.channel,
    outcomes.initiation_method,
    outcomes.last_updated_at,
    case
        when outcomes.skip_reason is not null then 'skipped'
        when outcomes.reject_reason is not null then 'rejected'
        else 'mapped'
    end as mapping_outcome,
    coalesce(outcomes.skip_reason, outcomes.reject_reason) as mapping_reason,
    -- counted on mapped calls only (a supervisor's skipped monitor leg is no call)
    outcomes.skip_reason is null
    and outcomes.reject_reason is null
    and outcomes.known_agent_id is null
    and coalesce(outcomes.agent_username, outcomes.agent_arn) is not null as is_unknown_agent,
    outcomes.skip_reason is null
    and outcomes.reject_reason is null
    and (repeated_contacts.contact_id is null or current_of_repeated.contact_id is not null)
        as is_current_version,
    outcomes._file_path,
    outcomes._file_row,
    outcomes._loaded_at
from outcomes
left join repeated_contacts
    on outcomes.contact_id = repeated_contacts.contact_id
left join current_of_repeated
    on
        outcomes.contact_id = current_of_repeated.contact_id
        and outcomes._file_path = current_of_repeated._file_path
        and outcomes._file_row = current_of_repeated._file_row
