{{
    config(
        materialized='incremental',
        unique_key='survey_id',
        on_schema_change='fail'
    )
}}
-- A table, incremental: a night re-picks the latest version only of the keys it loaded
-- (every version of such a key is read again, so the result equals a full refresh);
-- the facts and tests then read a table instead of re-ranking every raw version.
-- Canonical surveys and the vendors' mapped surveys are one set of versions. score_scale:
-- 'configured' (the survey type's scale of var survey_scales) or 'two_point' (Zendesk good /
-- bad: 1 = bad, 2 = good); counts_in_response_rate: false for Qualtrics answers.
-- The free-text comment is not carried (may hold personal data; no metric uses it).
with

raw_surveys {{ raw_versions_as() }} (
    select
        trim(survey_id) as survey_id,
        lower(trim(survey_type)) as survey_type,
        trim(client_id) as client_id,
        trim(customer_id) as customer_id,
        lower(trim(interaction_type)) as interaction_type,
        trim(interaction_id) as interaction_id,
        trim(agent_id) as agent_id,
        cast(sent_at as timestamp) as sent_at,
        cast(responded_at as timestamp) as responded_at,
        score as score_raw,
        'configured' as score_scale,
        true as counts_in_response_rate,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'surveys') }}
    {{ only_keys_loaded_since_watermark('survey_id', source('raw', 'surveys')) }}
    {{ union_all_by_name() }}
    -- the current mapped version of each vendor survey: Zendesk CSAT ratings (two-point
    -- scale) and the answers of Qualtrics responses (left out of the response rate)
    select
        survey_id,
        survey_type,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        sent_at,
        responded_at,
        score_raw,
        score_scale,
        counts_in_response_rate,
        _file_path,
        _file_row,
        _key_loaded_at as _loaded_at
    from {{ ref('stg_zendesk__satisfaction_ratings') }}
    where
        mapping_outcome = 'mapped'
        and is_current_version
        and {{ loaded_since_watermark('_key_loaded_at') }}
    {{ union_all_by_name() }}
    select
        survey_id,
        survey_type,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        sent_at,
        responded_at,
        score_raw,
        score_scale,
        counts_in_response_rate,
        _file_path,
        _file_row,
        _key_loaded_at as _loaded_at
    from {{ ref('stg_qualtrics__survey_answers') }}
    where
        is_current_version
        and {{ loaded_since_watermark('_key_loaded_at') }}
),

current_surveys as (
    {{ current_versions('raw_surveys', ['survey_id']) }}
),

scored_surveys as (
    select
        survey_id,
        survey_type,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        sent_at,
        responded_at,
        responded_at is not null as is_responded,
        score_raw,
        score_scale,
        counts_in_response_rate,
        {{ survey_score_as_integer('score_raw', 'survey_type') }} as score_integer,
        _file_path,
        _file_row,
        _loaded_at
    from current_surveys
),

validated_surveys as (
    select
        survey_id,
        survey_type,
        client_id,
        customer_id,
        interaction_type,
        interaction_id,
        agent_id,
        sent_at,
        responded_at,
        is_responded,
        score_raw,
        score_integer,
        score_scale,
        counts_in_response_rate,
        {{ survey_score_invalid_reason(
            'score_raw', 'score_integer', 'survey_type', 'is_responded', 'score_scale'
        ) }} as invalid_score_reason,
        _file_path,
        _file_row,
        _loaded_at
    from scored_surveys
)

select
    survey_id,
    survey_type,
    client_id,
    customer_id,
    interaction_type,
    interaction_id,
    agent_id,
    sent_at,
    responded_at,
    is_responded,
    score_raw,
    {{ survey_score_value('score_integer', 'invalid_score_reason', 'is_responded') }} as score,
    is_responded and invalid_score_reason is null as has_valid_score,
    invalid_score_reason,
    score_scale,
    counts_in_response_rate,
    _file_path,
    _file_row,
    _loaded_at,
    {{ built_at() }} as _built_at
from validated_surveys
