{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        on_schema_change='fail',
        meta={'published_month_column': 'report_date'}
    )
}}
-- Incremental like fct_calls: tickets (re)loaded after the watermark plus the tickets whose
-- attribution changed (macro fact_rows_to_rebuild), each recomputed from all its raw versions.
-- depends_on: {{ ref('dim_client') }}
-- depends_on: {{ ref('dim_team') }}
-- depends_on: {{ ref('int_agents_teams_historized') }}

{%- set watermark = incremental_watermark() %}

with

{% if is_incremental() %}
    {{ fact_rows_to_rebuild('ticket_id', 'report_date', watermark) }},
{% endif %}

rows_to_build as (
    {{ fact_rows_to_build(ref('int_tickets_attributed'), 'ticket_id', ['_loaded_at'], watermark) }}
),

attributed_tickets as (
    select
        ticket_id,
        client_id,
        channel,
        priority,
        status,
        customer_id,
        agent_id,
        team_id,
        site_id,
        created_at,
        first_response_at,
        solved_at,
        reporting_timezone,
        report_date,
        has_first_response,
        is_first_response_before_creation,
        first_response_minutes,
        frt_target_minutes,
        is_first_response_within_target,
        _loaded_at
    from rows_to_build
)

select
    attributed_tickets.ticket_id,
    attributed_tickets.client_id,
    attributed_tickets.channel,
    attributed_tickets.priority,
    attributed_tickets.status,
    attributed_tickets.customer_id,
    attributed_tickets.agent_id,
    attributed_tickets.team_id,
    attributed_tickets.site_id,
    attributed_tickets.created_at,
    attributed_tickets.first_response_at,
    attributed_tickets.solved_at,
    attributed_tickets.reporting_timezone,
    attributed_tickets.report_date,
    attributed_tickets.has_first_response,
    attributed_tickets.is_first_response_before_creation,
    attributed_tickets.first_response_minutes,
    attributed_tickets.frt_target_minutes,
    attributed_tickets.is_first_response_within_target,
    attributed_tickets._loaded_at,
    {{ built_at() }} as _built_at
from attributed_tickets
