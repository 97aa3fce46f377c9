{{
    config(
        materialized='incremental',
        unique_key='call_id',
        on_schema_change='fail',
        meta={'published_month_column': 'report_date'}
    )
}}
-- Incremental: rebuilds only the calls whose raw rows were (re)loaded after the fact's
-- watermark (max _loaded_at) plus the calls whose attribution changed (macro
-- fact_rows_to_rebuild: roster, team site, client timezone). Each rebuilt call is recomputed
-- from all of its raw versions, so the result equals a full refresh.
-- depends_on: {{ ref('dim_client') }}
-- depends_on: {{ ref('dim_team') }}
-- depends_on: {{ ref('int_agents_teams_historized') }}

{%- set watermark = incremental_watermark() %}

with

{% if is_incremental() %}
    {{ fact_rows_to_rebuild('call_id', 'report_date', watermark) }},
{% endif %}

rows_to_build as (
    {{ fact_rows_to_build(ref('int_calls_attributed'), 'call_id', ['_loaded_at'], watermark) }}
),

attributed_calls as (
    select
        call_id,
        client_id,
        direction,
        queue,
        queue_site_id,
        is_queue_of_other_client,
        customer_id,
        agent_id,
        team_id,
        site_id,
        offered_at,
        answered_at,
        ended_at,
        reporting_timezone,
        offered_at_local,
        report_date,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds,
        wait_seconds,
        is_inbound,
        is_abandoned,
        is_handled,
        is_short_abandon,
        is_answered_within_service_level,
        wrap_code,
        _loaded_at
    from rows_to_build
)

select
    attributed_calls.call_id,
    attributed_calls.client_id,
    attributed_calls.direction,
    attributed_calls.queue,
    attributed_calls.queue_site_id,
    attributed_calls.is_queue_of_other_client,
    attributed_calls.customer_id,
    attributed_calls.agent_id,
    attributed_calls.team_id,
    attributed_calls.site_id,
    attributed_calls.offered_at,
    attributed_calls.answered_at,
    attributed_calls.ended_at,
    attributed_calls.reporting_timezone,
    attributed_calls.offered_at_local,
    attributed_calls.report_date,
    attributed_calls.talk_seconds,
    attributed_calls.hold_seconds,
    attributed_calls.acw_seconds,
    attributed_calls.handle_seconds,
    attributed_calls.wait_seconds,
    attributed_calls.is_inbound,
    attributed_calls.is_abandoned,
    attributed_calls.is_handled,
    attributed_calls.is_short_abandon,
    attributed_calls.is_answered_within_service_level,
    attributed_calls.wrap_code,
    attributed_calls._loaded_at,
    {{ built_at() }} as _built_at
from attributed_calls
