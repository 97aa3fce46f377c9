-- Every day of every calendar year touched by the marts' dates (report dates, survey dates,
-- customer signups and churns, roster snapshots); the current year when there is no data.
-- Reads the marts (a min/max over stored columns), not the intermediate views, so a nightly
-- incremental run does not recompute history to size the calendar.
with

dates_in_use as (
    select report_date as date_day from {{ ref('fct_calls') }}
    union all
    select report_date as date_day from {{ ref('fct_tickets') }}
    union all
    select sent_report_date as date_day from {{ ref('fct_survey_responses') }}
    union all
    select response_report_date as date_day from {{ ref('fct_survey_responses') }}
    union all
    select survey_date as date_day from {{ ref('fct_employee_survey_responses') }}
    union all
    select signup_date as date_day from {{ ref('dim_customer') }}
    union all
    select churn_date as date_day from {{ ref('dim_customer') }}
    union all
    select first_as_of_date as date_day from {{ ref('dim_agent_team_history') }}
    union all
    select last_as_of_date as date_day from {{ ref('dim_agent_team_history') }}
),

calendar_bounds as (
    select
        cast({{ dbt.date_trunc('year', 'coalesce(min(date_day), ' ~ dbt.current_timestamp() ~ ')') }} as date)
            as first_date,
        cast(
            {{ dbt.dateadd(
                'day', -1,
                dbt.dateadd('year', 1, dbt.date_trunc('year', 'coalesce(max(date_day), ' ~ dbt.current_timestamp() ~ ')'))
            ) }} as date
        ) as last_date
    from dates_in_use
),

calendar_days as (
    {{ dates_between('first_date', 'last_date', 'calendar_bounds') }}
)

select
    date_day,
    cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
    cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
    cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
    cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
    cast({{ iso_day_of_week('date_day') }} as {{ dbt.type_int() }}) as iso_day_of_week,
    cast({{ iso_year('date_day') }} as {{ dbt.type_int() }}) as iso_year,
    cast(extract(week from date_day) as {{ dbt.type_int() }}) as iso_week_number,
    cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
    cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
    cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date,
    cast({{ dbt.last_day('date_day', 'month') }} as date) as month_end_date,
    {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend
from calendar_days
