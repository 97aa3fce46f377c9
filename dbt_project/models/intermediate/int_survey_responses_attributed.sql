-- Survey invitations (latest version) with their report dates, the agent credited (the
-- survey row's agent, else the agent of the call or ticket it names) and that agent's team
-- and site on the response date (on the sent date when unanswered), point in time.
{{ attributed_survey_responses() }}
