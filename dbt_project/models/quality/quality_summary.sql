-- One row per (source, kind, reason): everything kept out of the metrics, counted.
with

rejected_files as (
    select
        source,
        'file_rejected' as kind,
        error_reason as reason,
        count(*) as files,
        cast(sum(rows_read) as bigint) as affected_rows
    from {{ ref('quality_ingested_files') }}
    where status = 'rejected'
    group by source, error_reason
),

rejected_rows as (
    select
        source,
        'row_rejected' as kind,
        reason,
        count(distinct file_path) as files,
        cast(sum(rejected_rows) as bigint) as affected_rows
    from {{ ref('quality_rejected_rows') }}
    group by source, reason
),

-- a ticket answered before it was created: still a created ticket, kept out of FRT
invalid_first_responses as (
    select
        'tickets' as source,
        'value_invalid' as kind,
        'first_response_before_creation' as reason,
        count(distinct current_tickets._file_path) as files,
        count(*) as affected_rows
    from {{ ref('int_tickets_attributed') }} as attributed_tickets
    inner join {{ ref('stg_helpdesk__tickets') }} as current_tickets
        on attributed_tickets.ticket_id = current_tickets.ticket_id
    where attributed_tickets.is_first_response_before_creation
    having count(*) > 0
),

-- vendor records the mapping leaves out on purpose (skipped) or cannot credit (rejected),
-- and agent logins no agent_identities row knows (kept under their external id)
vendor_records as (
    select
        source,
        case outcome when 'skipped' then 'row_skipped' else 'row_rejected' end as kind,
        reason,
        count(distinct file_path) as files,
        cast(sum(records) as bigint) as affected_rows
    from {{ ref('quality_vendor_records') }}
    where outcome in ('skipped', 'rejected')
    group by source, outcome, reason
    union all
    select
        source,
        'agent_unmapped' as kind,
        'unknown_agent' as reason,
        count(distinct file_path) as files,
        cast(sum(unknown_agent_records) as bigint) as affected_rows
    from {{ ref('quality_vendor_records') }}
    group by source
    having sum(unknown_agent_records) > 0
),

invalid_scores as (
    select
        source,
        'score_invalid' as kind,
        score_type || ':' || reason as reason,
        count(distinct file_path) as files,
        cast(sum(invalid_scores) as bigint) as affected_rows
    from {{ ref('quality_invalid_scores') }}
    group by source, score_type, reason
)

select
    source,
    kind,
    reason,
    files,
    affected_rows
from rejected_files
union all
select
    source,
    kind,
    reason,
    files,
    affected_rows
from rejected_rows
union all
select
    source,
    kind,
    reason,
    files,
    affected_rows
from invalid_scores
union all
select
    source,
    kind,
    reason,
    files,
    affected_rows
from invalid_first_responses
union all
select
    source,
    kind,
    reason,
    files,
    affected_rows
from vendor_records
