-- Customers (latest version) with is_referred: the referrer is a customer of the SAME
-- client. A referral by another client's customer (or an unknown id) does not count.
with

customers as (
    select
        client_id,
        customer_id,
        signup_date,
        churn_date,
        referred_by_customer_id,
        acquisition_channel,
        _loaded_at
    from {{ ref('stg_crm__customers') }}
),

referrers as (
    select
        client_id,
        customer_id
    from {{ ref('stg_crm__customers') }}
)

select
    customers.client_id,
    customers.customer_id,
    customers.signup_date,
    customers.churn_date,
    customers.referred_by_customer_id,
    customers.acquisition_channel,
    referrers.customer_id is not null as is_referred,
    customers._loaded_at
from customers
left join referrers
    on
        customers.client_id = referrers.client_id
        and customers.referred_by_customer_id = referrers.customer_id
