-- One row per survey invitation (latest version), with its report dates, credited agent
-- and that agent's point-in-time team and site. The query is the macro
-- attributed_survey_responses, which fct_survey_responses also calls for the few surveys
-- a night re-attributes.
{{ attributed_survey_responses() }}
