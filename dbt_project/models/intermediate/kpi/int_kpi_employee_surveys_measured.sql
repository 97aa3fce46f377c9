{#-
    Metric atoms of the employee survey KPIs: esat_pct and enps, on the survey date,
    credited to team, site and client, never to an agent (anonymous pulse surveys). One
    row per metric, survey date and team; only where the metric has a valid score.
-#}
with

employee_measures as (
    select
        survey_date as report_date,
        client_id,
        site_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        sum(case when has_valid_esat then 1 else 0 end) as esat_responses,
        sum(
            case when has_valid_esat and is_esat_satisfied then 1 else 0 end
        ) as esat_satisfied_responses,
        sum(case when has_valid_enps then 1 else 0 end) as enps_responses,
        sum(
            case when has_valid_enps and is_enps_promoter then 1 else 0 end
        ) as enps_promoters,
        sum(
            case when has_valid_enps and is_enps_detractor then 1 else 0 end
        ) as enps_detractors
    from {{ ref('fct_employee_survey_responses') }}
    group by survey_date, client_id, site_id, team_id
)

{{ kpi_atom(
    'esat_pct',
    numerator='esat_satisfied_responses',
    denominator='esat_responses',
    sample_size='esat_responses',
) }}
from employee_measures
where esat_responses > 0
union all
{{ kpi_atom(
    'enps',
    numerator='enps_promoters - enps_detractors',
    denominator='enps_responses',
    sample_size='enps_responses',
    promoters='enps_promoters',
    detractors='enps_detractors',
) }}
from employee_measures
where enps_responses > 0
