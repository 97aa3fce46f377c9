-- No full_name, email or phone: they stop in staging.
with

customers as (
    select
        client_id,
        customer_id,
        signup_date,
        churn_date,
        acquisition_channel,
        referred_by_customer_id,
        is_referred
    from {{ ref('int_customers_referrals_resolved') }}
)

select
    {{ dbt.concat(['client_id', "'|'", 'customer_id']) }} as customer_key,
    client_id,
    customer_id,
    signup_date,
    churn_date,
    acquisition_channel,
    referred_by_customer_id,
    is_referred
from customers
