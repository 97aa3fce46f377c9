{{
    config(
        materialized='incremental',
        unique_key='survey_id',
        on_schema_change='fail',
        meta={'published_month_column': 'sent_report_date'}
    )
}}
-- Incremental like fct_calls: surveys (re)loaded after the watermark, surveys whose call or
-- ticket was (re)loaded after it (its agent may have changed), plus the surveys whose
-- attribution changed (macro fact_rows_to_rebuild), each recomputed from all raw versions.
-- depends_on: {{ ref('dim_client') }}
-- depends_on: {{ ref('dim_team') }}
-- depends_on: {{ ref('int_agents_teams_historized') }}

{%- set watermark = incremental_watermark() %}

with

{% if is_incremental() %}
    {{ fact_rows_to_rebuild('survey_id', 'attribution_date', watermark) }},
{% endif %}

rows_to_build as (
    {{ fact_rows_to_build(
        ref('int_survey_responses_attributed'),
        'survey_id',
        ['_loaded_at', '_interaction_loaded_at'],
        watermark,
        rebuilt_rows=attributed_survey_responses(
            survey_ids='select rows_to_rebuild.survey_id from rows_to_rebuild'
        ),
    ) }}
),

attributed_surveys as (
    select
        survey_id,
        survey_type,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        agent_source,
        team_id,
        site_id,
        sent_team_id,
        sent_site_id,
        sent_at,
        responded_at,
        reporting_timezone,
        sent_report_date,
        response_report_date,
        attribution_date,
        score_raw,
        score,
        is_responded,
        has_valid_score,
        invalid_score_reason,
        score_scale,
        counts_in_response_rate,
        is_promoter,
        is_detractor,
        is_satisfied,
        is_low_effort,
        _loaded_at,
        _interaction_loaded_at
    from rows_to_build
)

select
    attributed_surveys.survey_id,
    attributed_surveys.survey_type,
    attributed_surveys.client_id,
    attributed_surveys.customer_id,
    attributed_surveys.interaction_type,
    attributed_surveys.interaction_id,
    attributed_surveys.agent_id,
    attributed_surveys.agent_source,
    attributed_surveys.team_id,
    attributed_surveys.site_id,
    attributed_surveys.sent_team_id,
    attributed_surveys.sent_site_id,
    attributed_surveys.sent_at,
    attributed_surveys.responded_at,
    attributed_surveys.reporting_timezone,
    attributed_surveys.sent_report_date,
    attributed_surveys.response_report_date,
    attributed_surveys.attribution_date,
    attributed_surveys.score_raw,
    attributed_surveys.score,
    attributed_surveys.is_responded,
    attributed_surveys.has_valid_score,
    attributed_surveys.invalid_score_reason,
    attributed_surveys.score_scale,
    attributed_surveys.counts_in_response_rate,
    attributed_surveys.is_promoter,
    attributed_surveys.is_detractor,
    attributed_surveys.is_satisfied,
    attributed_surveys.is_low_effort,
    attributed_surveys._loaded_at,
    {{ built_at() }} as _built_at
from attributed_surveys
