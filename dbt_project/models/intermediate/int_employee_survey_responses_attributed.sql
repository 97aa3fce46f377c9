-- Employee pulse responses with their team's site and client. No agent column: results are
-- never shown per agent.
with

responses as (
    select
        response_id,
        team_id,
        survey_date,
        esat_score_raw,
        esat_score,
        has_valid_esat,
        esat_invalid_reason,
        enps_score_raw,
        enps_score,
        has_valid_enps,
        enps_invalid_reason,
        _loaded_at
    from {{ ref('stg_hr__employee_surveys') }}
),

teams as (
    select
        team_id,
        site_id,
        client_id
    from {{ ref('stg_operations__teams') }}
)

select
    responses.response_id,
    responses.team_id,
    teams.site_id,
    teams.client_id,
    responses.survey_date,
    responses.esat_score_raw,
    responses.esat_score,
    responses.has_valid_esat,
    responses.esat_invalid_reason,
    responses.enps_score_raw,
    responses.enps_score,
    responses.has_valid_enps,
    responses.enps_invalid_reason,
    {{ score_is_top_two_boxes('responses.esat_score', 'esat') }} as is_esat_satisfied,
    {{ score_is_promoter('responses.enps_score') }} as is_enps_promoter,
    {{ score_is_detractor('responses.enps_score') }} as is_enps_detractor,
    responses._loaded_at
from responses
left join teams
    on responses.team_id = teams.team_id
