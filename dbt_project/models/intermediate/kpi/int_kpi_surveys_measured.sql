{#-
    Metric atoms of the customer survey KPIs: nps, csat_pct, csat_avg, ces_avg,
    ces_low_effort_pct (valid scores, on the response's report date, credited to the team
    the fact carries for that date) and survey_response_rate_pct (every invitation, on its
    sent date, credited to the agent's team on that date). A two-point answer (score_scale
    'two_point', Zendesk good / bad) counts in csat_pct, never in csat_avg; a survey with
    counts_in_response_rate false (a Qualtrics response) is left out of the response rate. One row per metric, report date
    and credited client / site / team / agent.
-#}
with

scored_responses as (
    select
        response_report_date as report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        survey_type,
        score,
        score_scale,
        is_promoter,
        is_detractor,
        is_satisfied,
        is_low_effort
    from {{ ref('fct_survey_responses') }}
    where has_valid_score
),

score_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        survey_type,
        count(*) as responses,
        -- averages are defined on the configured scale only
        count(case when score_scale = 'configured' then score end) as averaged_responses,
        sum(case when score_scale = 'configured' then score end) as score_sum,
        sum(case when is_promoter then 1 else 0 end) as promoters,
        sum(case when is_detractor then 1 else 0 end) as detractors,
        sum(case when is_satisfied then 1 else 0 end) as satisfied_responses,
        sum(case when is_low_effort then 1 else 0 end) as low_effort_responses
    from scored_responses
    group by report_date, client_id, site_id, team_id, agent_id, survey_type
),

-- an invitation counts for the agent's team of its sent date (the fact's sent_team_id)
invitations as (
    select
        sent_report_date as report_date,
        client_id,
        sent_site_id as site_id,
        sent_team_id as team_id,
        agent_id,
        has_valid_score
    from {{ ref('fct_survey_responses') }}
    where counts_in_response_rate
),

invitation_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as invitations,
        sum(case when has_valid_score then 1 else 0 end) as validly_answered_invitations
    from invitations
    group by report_date, client_id, site_id, team_id, agent_id
)

{{ kpi_atom(
    'nps',
    numerator='promoters - detractors',
    denominator='responses',
    sample_size='responses',
    promoters='promoters',
    detractors='detractors',
) }}
from score_measures
where survey_type = 'nps'
union all
{{ kpi_atom(
    'csat_pct',
    numerator='satisfied_responses',
    denominator='responses',
    sample_size='responses',
) }}
from score_measures
where survey_type = 'csat'
union all
{{ kpi_atom(
    'csat_avg',
    numerator='score_sum',
    denominator='averaged_responses',
    sample_size='averaged_responses',
) }}
from score_measures
where survey_type = 'csat' and averaged_responses > 0
union all
{{ kpi_atom(
    'ces_avg',
    numerator='score_sum',
    denominator='averaged_responses',
    sample_size='averaged_responses',
) }}
from score_measures
where survey_type = 'ces' and averaged_responses > 0
union all
{{ kpi_atom(
    'ces_low_effort_pct',
    numerator='low_effort_responses',
    denominator='responses',
    sample_size='responses',
) }}
from score_measures
where survey_type = 'ces'
union all
{{ kpi_atom(
    'survey_response_rate_pct',
    numerator='validly_answered_invitations',
    denominator='invitations',
    sample_size='invitations',
) }}
from invitation_measures
