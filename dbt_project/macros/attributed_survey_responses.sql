{#-
    attributed_survey_responses(survey_ids=none): the query of int_survey_responses_attributed:
    one row per survey invitation (latest version) with its report dates, the agent credited
    (the survey row's agent, else the agent of the call or ticket it names) and that
    agent's team and site, point in time: on the response date (on the sent date when
    unanswered) for the scores, and on the sent date for the invitation (sent_team_id,
    sent_site_id: the response rate's team).

    With `survey_ids` (a query returning survey_id), only those surveys: they are picked
    before the joins. The incremental fct_survey_responses rebuilds a few surveys whose
    attribution changed; picking them from the view instead (`survey_id in (...)` above
    its left joins) would join every survey of the year to every call and ticket first.
-#}
{% macro attributed_survey_responses(survey_ids=none) -%}
with

surveys as (
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
        score,
        has_valid_score,
        invalid_score_reason,
        score_scale,
        counts_in_response_rate,
        _loaded_at
    from {{ ref('stg_survey_tool__surveys') }}
    {%- if survey_ids is not none %}
    where survey_id in ({{ survey_ids }})
    {%- endif %}
),

interactions as (
    select
        'call' as interaction_type,
        call_id as interaction_id,
        agent_id,
        _loaded_at
    from {{ ref('stg_telephony__calls') }}
    union all
    select
        'ticket' as interaction_type,
        ticket_id as interaction_id,
        agent_id,
        _loaded_at
    from {{ ref('stg_helpdesk__tickets') }}
),

clients as (
    select
        client_id,
        reporting_timezone
    from {{ ref('stg_operations__clients') }}
),

agent_team_ranges as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_to
    from {{ ref('int_agents_teams_historized') }}
),

teams as (
    select
        team_id,
        site_id
    from {{ ref('stg_operations__teams') }}
),

credited_surveys as (
    select
        surveys.survey_id,
        surveys.survey_type,
        surveys.client_id,
        surveys.customer_id,
        surveys.interaction_type,
        surveys.interaction_id,
        coalesce(surveys.agent_id, interactions.agent_id) as agent_id,
        case
            when surveys.agent_id is not null then 'survey'
            when interactions.agent_id is not null then 'interaction'
        end as agent_source,
        surveys.sent_at,
        surveys.responded_at,
        clients.reporting_timezone,
        {{ report_date('surveys.sent_at', 'clients.reporting_timezone') }} as sent_report_date,
        {{ report_date('surveys.responded_at', 'clients.reporting_timezone') }} as response_report_date,
        surveys.is_responded,
        surveys.score_raw,
        surveys.score,
        surveys.has_valid_score,
        surveys.invalid_score_reason,
        surveys.score_scale,
        surveys.counts_in_response_rate,
        surveys._loaded_at,
        interactions._loaded_at as _interaction_loaded_at
    from surveys
    left join interactions
        on
            surveys.interaction_type = interactions.interaction_type
            and surveys.interaction_id = interactions.interaction_id
    left join clients
        on surveys.client_id = clients.client_id
),

attributed_surveys as (
    select
        credited_surveys.survey_id,
        credited_surveys.survey_type,
        credited_surveys.client_id,
        credited_surveys.customer_id,
        credited_surveys.interaction_type,
        credited_surveys.interaction_id,
        credited_surveys.agent_id,
        credited_surveys.agent_source,
        agent_team_ranges.team_id,
        teams.site_id,
        sent_team_ranges.team_id as sent_team_id,
        sent_teams.site_id as sent_site_id,
        credited_surveys.sent_at,
        credited_surveys.responded_at,
        credited_surveys.reporting_timezone,
        credited_surveys.sent_report_date,
        credited_surveys.response_report_date,
        coalesce(credited_surveys.response_report_date, credited_surveys.sent_report_date)
            as attribution_date,
        credited_surveys.score_raw,
        credited_surveys.score,
        credited_surveys.is_responded,
        credited_surveys.has_valid_score,
        credited_surveys.invalid_score_reason,
        credited_surveys.score_scale,
        credited_surveys.counts_in_response_rate,
        credited_surveys._loaded_at,
        credited_surveys._interaction_loaded_at
    from credited_surveys
    left join agent_team_ranges
        on
            credited_surveys.agent_id = agent_team_ranges.agent_id
            and {{ is_within_validity(
                'coalesce(credited_surveys.response_report_date, credited_surveys.sent_report_date)',
                'agent_team_ranges'
            ) }}
    left join teams
        on agent_team_ranges.team_id = teams.team_id
    left join agent_team_ranges as sent_team_ranges
        on
            credited_surveys.agent_id = sent_team_ranges.agent_id
            and {{ is_within_validity('credited_surveys.sent_report_date', 'sent_team_ranges') }}
    left join teams as sent_teams
        on sent_team_ranges.team_id = sent_teams.team_id
)

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
    case when survey_type = 'nps' then {{ score_is_promoter('score') }} end as is_promoter,
    case when survey_type = 'nps' then {{ score_is_detractor('score') }} end as is_detractor,
    case when survey_type = 'csat' then {{ score_is_top_two_boxes('score', 'csat', 'score_scale') }} end
        as is_satisfied,
    case when survey_type = 'ces' then {{ score_is_bottom_two_boxes('score', 'ces') }} end
        as is_low_effort,
    _loaded_at,
    _interaction_loaded_at
from attributed_surveys
{%- endmacro %}
