-- Confidential: agent_id and the free-text comment stop here (results are never shown per agent).
-- A pulse response may leave a question empty: an empty esat/enps score is no answer (in
-- no metric, not invalid); only a score given can be invalid.
with

raw_employee_surveys {{ raw_versions_as() }} (
    select
        trim(response_id) as response_id,
        trim(team_id) as team_id,
        cast(survey_date as date) as survey_date,
        esat_score as esat_score_raw,
        enps_score as enps_score_raw,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'employee_surveys') }}
),

current_employee_surveys as (
    {{ current_versions('raw_employee_surveys', ['response_id']) }}
),

scored_responses as (
    select
        response_id,
        team_id,
        survey_date,
        esat_score_raw,
        {{ survey_score_as_integer('esat_score_raw', "'esat'") }} as esat_score_integer,
        enps_score_raw,
        {{ survey_score_as_integer('enps_score_raw', "'enps'") }} as enps_score_integer,
        _file_path,
        _file_row,
        _loaded_at
    from current_employee_surveys
),

validated_responses as (
    select
        response_id,
        team_id,
        survey_date,
        esat_score_raw,
        esat_score_integer,
        -- a pulse response may leave a question empty: only an answer can be invalid
        {{ survey_score_invalid_reason(
            'esat_score_raw', 'esat_score_integer', "'esat'", 'esat_score_raw is not null'
        ) }}
            as esat_invalid_reason,
        enps_score_raw,
        enps_score_integer,
        -- a pulse response may leave a question empty: only an answer can be invalid
        {{ survey_score_invalid_reason(
            'enps_score_raw', 'enps_score_integer', "'enps'", 'enps_score_raw is not null'
        ) }}
            as enps_invalid_reason,
        _file_path,
        _file_row,
        _loaded_at
    from scored_responses
)

select
    response_id,
    team_id,
    survey_date,
    esat_score_raw,
    {{ survey_score_value('esat_score_integer', 'esat_invalid_reason', 'true') }} as esat_score,
    esat_score_raw is not null and esat_invalid_reason is null as has_valid_esat,
    esat_invalid_reason,
    enps_score_raw,
    {{ survey_score_value('enps_score_integer', 'enps_invalid_reason', 'true') }} as enps_score,
    enps_score_raw is not null and enps_invalid_reason is null as has_valid_enps,
    enps_invalid_reason,
    _file_path,
    _file_row,
    _loaded_at
from validated_responses
