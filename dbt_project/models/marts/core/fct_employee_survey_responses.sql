-- Small and confidential: rebuilt in full on every run (table). No agent column.
with

responses as (
    select
        response_id,
        team_id,
        site_id,
        client_id,
        survey_date,
        esat_score,
        enps_score,
        has_valid_esat,
        has_valid_enps,
        esat_invalid_reason,
        enps_invalid_reason,
        is_esat_satisfied,
        is_enps_promoter,
        is_enps_detractor
    from {{ ref('int_employee_survey_responses_attributed') }}
)

select
    response_id,
    team_id,
    site_id,
    client_id,
    survey_date,
    esat_score,
    enps_score,
    has_valid_esat,
    has_valid_enps,
    esat_invalid_reason,
    enps_invalid_reason,
    is_esat_satisfied,
    is_enps_promoter,
    is_enps_detractor
from responses
