{{
    config(
        materialized='incremental',
        unique_key='response_id',
        on_schema_change='fail'
    )
}}
-- The canonical surveys of the mapped Qualtrics responses: one row per mapped response
-- version x question of stg_survey_tool__survey_questions (system 'qualtrics', survey_ref =
-- the folder's survey id, question_ref = the ImportId) that the response answered (an empty
-- answer is no survey for that KPI). survey_id = ResponseId || ':' || survey_type; the score
-- is the question's value as written (staging validates it on the survey type's scale). A
-- response export holds no unanswered invitations, so these rows are left out of
-- survey_response_rate_pct (counts_in_response_rate false). _NPS_GROUP columns are never read.
with

responses as (
    select
        survey_ref,
        response_id,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        sent_at,
        responded_at,
        is_unknown_agent,
        is_current_version,
        _file_path,
        _file_row,
        _loaded_at,
        _key_loaded_at
    from {{ ref('stg_qualtrics__responses') }}
    -- a night: every version of the responses loaded since the watermark
    where
        mapping_outcome = 'mapped'
        and {{ loaded_since_watermark('_key_loaded_at') }}
),

questions as (
    select
        survey_ref,
        question_ref,
        survey_type
    from {{ ref('stg_survey_tool__survey_questions') }}
    where system = 'qualtrics'
),

answers as (
    select
        responses.response_id,
        questions.question_ref,
        questions.survey_type,
        nullif(trim({{ json_text('raw_responses.record', "'$.' || questions.question_ref") }}), '')
            as score_raw,
        responses.survey_ref,
        responses.client_id,
        responses.customer_id,
        responses.interaction_type,
        responses.interaction_id,
        responses.agent_id,
        responses.sent_at,
        responses.responded_at,
        responses.is_unknown_agent,
        responses.is_current_version,
        responses._file_path,
        responses._file_row,
        responses._loaded_at,
        responses._key_loaded_at
    from responses
    inner join {{ source('raw', 'qualtrics_responses') }} as raw_responses
        on
            responses.response_id = raw_responses.response_id
            and responses._file_path = raw_responses._file_path
            and responses._file_row = raw_responses._file_row
    inner join questions
        on responses.survey_ref = questions.survey_ref
)

select
    response_id || ':' || survey_type as survey_id,
    response_id,
    survey_ref,
    question_ref,
    survey_type,
    client_id,
    customer_id,
    interaction_type,
    interaction_id,
    agent_id,
    sent_at,
    responded_at,
    score_raw,
    'configured' as score_scale,
    false as counts_in_response_rate,
    is_unknown_agent,
    is_current_version,
    _file_path,
    _file_row,
    _loaded_at,
    _key_loaded_at,
    {{ built_at() }} as _built_at
from answers
where score_raw is not null
