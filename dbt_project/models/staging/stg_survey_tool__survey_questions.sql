-- The survey_questions mapping source: which question (ImportId) of which vendor survey
-- measures which KPI. Questions without a row are ignored. One row per
-- (system, survey_ref, question_ref).
with

raw_survey_questions {{ raw_versions_as() }} (
    select
        lower(trim(system)) as system,
        trim(survey_ref) as survey_ref,
        trim(question_ref) as question_ref,
        lower(trim(survey_type)) as survey_type,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'survey_questions') }}
),

current_survey_questions as (
    {{ current_versions('raw_survey_questions', ['system', 'survey_ref', 'question_ref']) }}
)

select
    system,
    survey_ref,
    question_ref,
    survey_type,
    _file_path,
    _file_row,
    _loaded_at
from current_survey_questions
