{#-
    Metric atoms of the customer KPIs, per client (month grain only, see the catalogue):
    referral_rate_pct on the signup date, and customer_retention_pct per month from the
    first signup month to the month of the latest signup or churn date in the CRM export
    (report_date = the month's first day). One row per metric, date and client.
-#}
with

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

month_starts as (
    {{ dates_between('first_month_start', 'last_known_date', 'customer_horizon', datepart='month') }}
),

months as (
    select
        date_day as month_start,
        cast({{ dbt.dateadd('day', '-1', 'date_day') }} as date) as day_before_month,
        cast({{ dbt.last_day('date_day', 'month') }} as date) as month_end
    from month_starts
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
)

{{ kpi_atom(
    'referral_rate_pct',
    numerator='referred_new_customers',
    denominator='new_customers',
    sample_size='new_customers',
) }}
from new_customer_measures
union all
-- S customers active the day before the month, E at its last day, N new in it:
-- retention = (E - N) / S
{{ kpi_atom(
    'customer_retention_pct',
    numerator='customers_at_end - new_customers',
    denominator='customers_at_start',
    sample_size='customers_at_start',
) }}
from retention_measures
