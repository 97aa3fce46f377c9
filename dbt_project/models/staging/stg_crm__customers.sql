-- full_name, email and phone (personal data) stop here: they never leave the raw layer.
with

raw_customers {{ raw_versions_as() }} (
    select
        trim(client_id) as client_id,
        trim(customer_id) as customer_id,
        cast(signup_date as date) as signup_date,
        cast(churn_date as date) as churn_date,
        trim(referred_by_customer_id) as referred_by_customer_id,
        trim(acquisition_channel) as acquisition_channel,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'customers') }}
),

current_customers as (
    {{ current_versions('raw_customers', ['client_id', 'customer_id']) }}
)

select
    client_id,
    customer_id,
    signup_date,
    churn_date,
    referred_by_customer_id,
    acquisition_channel,
    _file_path,
    _file_row,
    _loaded_at
from current_customers
