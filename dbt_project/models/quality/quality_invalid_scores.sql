-- One row per (source, file, score type, reason) of answered scores that are invalid on
-- their scale (current version of each survey): excluded from every metric, kept here.
with

customer_survey_scores as (
    select
        'surveys' as source,
        _file_path as file_path,
        survey_type as score_type,
        invalid_score_reason as reason
    from {{ ref('stg_survey_tool__surveys') }}
    where invalid_score_reason is not null
),

employee_esat_scores as (
    select
        'employee_surveys' as source,
        _file_path as file_path,
        'esat' as score_type,
        esat_invalid_reason as reason
    from {{ ref('stg_hr__employee_surveys') }}
    where esat_invalid_reason is not null
),

employee_enps_scores as (
    select
        'employee_surveys' as source,
        _file_path as file_path,
        'enps' as score_type,
        enps_invalid_reason as reason
    from {{ ref('stg_hr__employee_surveys') }}
    where enps_invalid_reason is not null
),

invalid_scores as (
    select
        source,
        file_path,
        score_type,
        reason
    from customer_survey_scores
    union all
    select
        source,
        file_path,
        score_type,
        reason
    from employee_esat_scores
    union all
    select
        source,
        file_path,
        score_type,
        reason
    from employee_enps_scores
)

select
    source,
    file_path,
    score_type,
    reason,
    count(*) as invalid_scores
from invalid_scores
group by source, file_path, score_type, reason
