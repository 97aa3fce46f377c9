{#-
    The KPI contract table of metrics.md. Grain: one row per (period_grain,
    period_start, level, entity_id, metric) with at least one underlying fact.

    How: each fact family is summed to "metric atoms" (additive measures per
    report date and credited agent / team / site / client), the atoms are
    credited to every (level, grain) the catalogue allows for their metric and
    summed once; value and intervals are formed from the sums in one place
    (`measured`). The median, not additive, is taken from the ticket rows.
-#}
{%- set period_grains = kpi_period_grains() -%}
{%- set count_metrics = kpi_metrics_where('value_kind', 'count') -%}
{%- set percentage_metrics = kpi_metrics_where('value_kind', 'percentage') -%}
{%- set mean_metrics = kpi_metrics_where('value_kind', 'mean') -%}
{%- set median_metrics = kpi_metrics_where('value_kind', 'median') -%}
{%- set wilson_metrics = kpi_metrics_where('interval', 'wilson') -%}
{%- set net_score_metrics = kpi_metrics_where('interval', 'net_score') -%}
{%- set anonymized_metrics = kpi_metrics_where('is_anonymized', true) -%}
{%- set median_entry = kpi_catalogue() | selectattr('metric', 'equalto', 'frt_median_minutes') | first -%}
{%- set median_levels = median_entry['levels'] -%}
{%- set median_grains = median_entry['grains'] | select('in', period_grains) | list -%}

with

-- calls: inbound only; an outbound call is no offered, handled or abandoned call
inbound_calls as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        is_abandoned,
        is_short_abandon,
        is_handled,
        is_answered_within_service_level,
        handle_seconds
    from {{ ref('fct_calls') }}
    where is_inbound
),

call_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as offered_calls,
        sum(case when is_abandoned then 1 else 0 end) as abandoned_calls,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned_calls,
        sum(case when is_handled then 1 else 0 end) as handled_calls,
        sum(
            case when is_answered_within_service_level then 1 else 0 end
        ) as calls_within_service_level,
        sum(
            case when is_handled then cast(handle_seconds as {{ kpi_type_exact() }}) else 0 end
        ) as handle_seconds
    from inbound_calls
    group by report_date, client_id, site_id, team_id, agent_id
),

call_atoms as (
    {{ kpi_atom('calls_offered', sample_size='offered_calls') }}
    from call_measures
    union all
    {{ kpi_atom('calls_handled', sample_size='handled_calls') }}
    from call_measures
    union all
    {{ kpi_atom('calls_abandoned', sample_size='abandoned_calls') }}
    from call_measures
    union all
    {{ kpi_atom(
        'abandon_rate_pct',
        numerator='abandoned_calls',
        denominator='offered_calls',
        sample_size='offered_calls',
    ) }}
    from call_measures
    union all
    {{ kpi_atom(
        'service_level_pct',
        numerator='calls_within_service_level',
        denominator='offered_calls - short_abandoned_calls',
        sample_size='offered_calls - short_abandoned_calls',
    ) }}
    from call_measures
    union all
    {{ kpi_atom(
        'aht_seconds',
        numerator='handle_seconds',
        denominator='handled_calls',
        sample_size='handled_calls',
    ) }}
    from call_measures
),

-- tickets: every created ticket; FRT only over valid first responses
tickets as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        case
            when has_first_response then first_response_minutes
        end as first_response_minutes,
        coalesce(
            has_first_response and is_first_response_within_target, false
        ) as is_first_response_within_target
    from {{ ref('fct_tickets') }}
),

ticket_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as created_tickets,
        count(first_response_minutes) as first_responded_tickets,
        coalesce(
            sum(cast(first_response_minutes as {{ kpi_type_exact() }})), 0
        ) as first_response_minutes,
        sum(
            case when is_first_response_within_target then 1 else 0 end
        ) as tickets_within_target
    from tickets
    group by report_date, client_id, site_id, team_id, agent_id
),

ticket_atoms as (
    {{ kpi_atom('tickets_created', sample_size='created_tickets') }}
    from ticket_measures
    union all
    {{ kpi_atom(
        'frt_avg_minutes',
        numerator='first_response_minutes',
        denominator='first_responded_tickets',
        sample_size='first_responded_tickets',
    ) }}
    from ticket_measures
    union all
    {{ kpi_atom(
        'frt_within_target_pct',
        numerator='tickets_within_target',
        denominator='first_responded_tickets',
        sample_size='first_responded_tickets',
    ) }}
    from ticket_measures
),

-- customer surveys, scores: valid scores only, on the response's report date
scored_responses as (
    select
        response_report_date as report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        survey_type,
        score,
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
        sum(score) as score_sum,
        sum(case when is_promoter then 1 else 0 end) as promoters,
        sum(case when is_detractor then 1 else 0 end) as detractors,
        sum(case when is_satisfied then 1 else 0 end) as satisfied_responses,
        sum(case when is_low_effort then 1 else 0 end) as low_effort_responses
    from scored_responses
    group by report_date, client_id, site_id, team_id, agent_id, survey_type
),

score_atoms as (
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
        denominator='responses',
        sample_size='responses',
    ) }}
    from score_measures
    where survey_type = 'csat'
    union all
    {{ kpi_atom(
        'ces_avg',
        numerator='score_sum',
        denominator='responses',
        sample_size='responses',
    ) }}
    from score_measures
    where survey_type = 'ces'
    union all
    {{ kpi_atom(
        'ces_low_effort_pct',
        numerator='low_effort_responses',
        denominator='responses',
        sample_size='responses',
    ) }}
    from score_measures
    where survey_type = 'ces'
),

-- customer surveys, response rate: every invitation on its sent date, credited
-- to the agent's team on that date (the fact carries the team of the response date)
invitations as (
    select
        invitation.sent_report_date as report_date,
        invitation.client_id,
        agent_team.site_id,
        agent_team.team_id,
        invitation.agent_id,
        invitation.has_valid_score
    from {{ ref('fct_survey_responses') }} as invitation
    left join {{ ref('dim_agent_team_history') }} as agent_team
        on
            invitation.agent_id = agent_team.agent_id
            and invitation.sent_report_date >= agent_team.valid_from
            and (
                agent_team.valid_to is null
                or invitation.sent_report_date < agent_team.valid_to
            )
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
),

invitation_atoms as (
    {{ kpi_atom(
        'survey_response_rate_pct',
        numerator='validly_answered_invitations',
        denominator='invitations',
        sample_size='invitations',
    ) }}
    from invitation_measures
),

-- employee surveys: team, site, client; never an agent
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
),

employee_atoms as (
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
),

-- customers: referral rate on the signup date (month grain only, see catalogue)
customers as (
    select
        client_id,
        signup_date,
        churn_date,
        is_referred
    from {{ ref('dim_customer') }}
),

new_customer_measures as (
    select
        signup_date as report_date,
        client_id,
        cast(null as {{ dbt.type_string() }}) as site_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        count(*) as new_customers,
        sum(case when is_referred then 1 else 0 end) as referred_new_customers
    from customers
    group by signup_date, client_id
),

referral_atoms as (
    {{ kpi_atom(
        'referral_rate_pct',
        numerator='referred_new_customers',
        denominator='new_customers',
        sample_size='new_customers',
    ) }}
    from new_customer_measures
),

-- customers: retention per client and month, from the first signup month to the
-- month of the latest signup or churn date in the CRM export
customer_horizon as (
    select
        cast({{ dbt.date_trunc('month', 'min(signup_date)') }} as date) as first_month_start,
        max(
            case
                when churn_date > signup_date then churn_date else signup_date
            end
        ) as last_known_date
    from customers
),

digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

month_offsets as (
    -- 0 .. 9999 months: enough for any signup date, even a mistyped 1900-01-01
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit as month_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
),

month_starts as (
    select
        cast(
            {{ dbt.dateadd('month', 'month_offsets.month_offset', 'customer_horizon.first_month_start') }}
            as date
        ) as month_start,
        customer_horizon.last_known_date
    from month_offsets
    cross join customer_horizon
),

months as (
    select
        month_start,
        cast({{ dbt.dateadd('day', '-1', 'month_start') }} as date) as day_before_month,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end
    from month_starts
    where month_start <= last_known_date
),

customer_months as (
    -- a customer is active on day d when signup_date <= d and
    -- (churn_date is null or churn_date > d)
    select
        customers.client_id,
        months.month_start,
        case
            when
                customers.signup_date <= months.day_before_month
                and (
                    customers.churn_date is null
                    or customers.churn_date > months.day_before_month
                )
                then 1
            else 0
        end as is_active_before_month,
        case
            when
                customers.signup_date <= months.month_end
                and (
                    customers.churn_date is null
                    or customers.churn_date > months.month_end
                )
                then 1
            else 0
        end as is_active_at_month_end,
        case
            when customers.signup_date >= months.month_start then 1 else 0
        end as is_new_in_month
    from customers
    inner join months
        on
            customers.signup_date <= months.month_end
            and (
                customers.churn_date is null
                or customers.churn_date > months.day_before_month
                or customers.signup_date >= months.month_start
            )
),

retention_measures as (
    select
        month_start as report_date,
        client_id,
        cast(null as {{ dbt.type_string() }}) as site_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        sum(is_active_before_month) as customers_at_start,
        sum(is_active_at_month_end) as customers_at_end,
        sum(is_new_in_month) as new_customers
    from customer_months
    group by month_start, client_id
    having sum(is_active_before_month) + sum(is_new_in_month) > 0
),

retention_atoms as (
    {{ kpi_atom(
        'customer_retention_pct',
        numerator='customers_at_end - new_customers',
        denominator='customers_at_start',
        sample_size='customers_at_start',
    ) }}
    from retention_measures
),

metric_atoms as (
    select * from call_atoms
    union all
    select * from ticket_atoms
    union all
    select * from score_atoms
    union all
    select * from invitation_atoms
    union all
    select * from employee_atoms
    union all
    select * from referral_atoms
    union all
    select * from retention_atoms
),

metric_levels as (
    {{ kpi_metric_scopes('levels') }}
),

metric_grains as (
    {{ kpi_metric_scopes('grains', period_grains) }}
),

-- sum the atoms once per level and day, then per period: the day sums are few
credited_atoms as (
    select
        metric_levels.level,
        {{ kpi_entity_id('metric_levels.level', 'metric_atoms') }} as entity_id,
        metric_atoms.metric,
        metric_atoms.report_date,
        metric_atoms.numerator,
        metric_atoms.denominator,
        metric_atoms.sample_size,
        metric_atoms.promoters,
        metric_atoms.detractors
    from metric_atoms
    inner join metric_levels
        on metric_atoms.metric = metric_levels.metric
),

daily_sums as (
    select
        level,
        entity_id,
        metric,
        report_date,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(sample_size) as sample_size,
        sum(promoters) as promoters,
        sum(detractors) as detractors
    from credited_atoms
    -- a fact without a report date (its client is unknown: no time zone) is in no period;
    -- the facts' report_date tests warn about it
    where entity_id is not null and report_date is not null
    group by level, entity_id, metric, report_date
),

periodized_sums as (
    select
        metric_grains.period_grain,
        {{ kpi_period_start('daily_sums.report_date', 'metric_grains.period_grain') }}
            as period_start,
        daily_sums.level,
        daily_sums.entity_id,
        daily_sums.metric,
        daily_sums.numerator,
        daily_sums.denominator,
        daily_sums.sample_size,
        daily_sums.promoters,
        daily_sums.detractors
    from daily_sums
    inner join metric_grains
        on daily_sums.metric = metric_grains.metric
),

summed as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        metric,
        -- exact sums, then one cast: the same atoms in any order give the same bits
        cast(sum(numerator) as {{ kpi_type_double() }}) as numerator,
        cast(sum(denominator) as {{ kpi_type_double() }}) as denominator,
        sum(sample_size) as sample_size,
        sum(promoters) as promoters,
        sum(detractors) as detractors,
        cast(null as {{ kpi_type_double() }}) as median_value
    from periodized_sums
    group by period_grain, period_start, level, entity_id, metric
),

-- the median is not additive: taken over the ticket rows of each period and entity, one
-- aggregation per (grain, level) of the catalogue
medians as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        'frt_median_minutes' as metric,
        cast(null as {{ kpi_type_double() }}) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        sample_size,
        cast(null as bigint) as promoters,
        cast(null as bigint) as detractors,
        median_value
    from (
        {{ kpi_medians('tickets', 'first_response_minutes', median_levels, median_grains) }}
    ) as medians_per_scope
    where entity_id is not null
),

aggregated as (
    select * from summed
    union all
    select * from medians
),

measured as (
    select
        period_grain,
        period_start,
        level,
        entity_id,
        metric,
        numerator,
        denominator,
        sample_size,
        case
            when metric in {{ kpi_sql_list(count_metrics) }}
                then cast(sample_size as {{ kpi_type_double() }})
            when metric in {{ kpi_sql_list(percentage_metrics) }}
                then 100.0 * numerator / nullif(denominator, 0)
            when metric in {{ kpi_sql_list(mean_metrics) }}
                then numerator / nullif(denominator, 0)
            when metric in {{ kpi_sql_list(median_metrics) }}
                then median_value
        end as unsuppressed_value,
        case
            when metric in {{ kpi_sql_list(wilson_metrics) }}
                then {{ kpi_wilson_interval('numerator', 'denominator', 'low') }}
            when metric in {{ kpi_sql_list(net_score_metrics) }}
                then {{ kpi_net_score_interval('promoters', 'detractors', 'denominator', 'low') }}
        end as unsuppressed_ci_low,
        case
            when metric in {{ kpi_sql_list(wilson_metrics) }}
                then {{ kpi_wilson_interval('numerator', 'denominator', 'high') }}
            when metric in {{ kpi_sql_list(net_score_metrics) }}
                then {{ kpi_net_score_interval('promoters', 'detractors', 'denominator', 'high') }}
        end as unsuppressed_ci_high,
        coalesce(
            metric in {{ kpi_sql_list(anonymized_metrics) }}
            and sample_size < {{ var('min_anonymity_n') }},
            false
        ) as suppressed
    from aggregated
)

select
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(entity_id as {{ dbt.type_string() }}) as entity_id,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(case when not suppressed then unsuppressed_value end as {{ kpi_type_double() }}) as value,
    cast(case when not suppressed then numerator end as {{ kpi_type_double() }}) as numerator,
    cast(case when not suppressed then denominator end as {{ kpi_type_double() }}) as denominator,
    cast(sample_size as bigint) as sample_size,
    cast(case when not suppressed then unsuppressed_ci_low end as {{ kpi_type_double() }}) as ci_low,
    cast(case when not suppressed then unsuppressed_ci_high end as {{ kpi_type_double() }}) as ci_high,
    suppressed
from measured
