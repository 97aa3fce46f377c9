-- depends_on: {{ ref('dim_customer') }}
-- Personal data (customer full_name, email, phone; agent names and emails) never reaches
-- the marts: no column of the marts schema may carry one of these names, nor a vendor
-- record or a personal field of one.
select
    table_name,
    column_name
from {{ catalog_columns() }}
where
    lower(table_schema) = 'marts'
    and lower(column_name) in (
        'full_name', 'email', 'phone', 'first_name', 'last_name', 'agent_name',
        -- fields of vendor records (caller numbers, requester and recipient details)
        'record', 'customer_endpoint', 'phone_number', 'ani', 'dnis', 'participant_name',
        'requester_name', 'requester_email', 'ip_address', 'recipient_email',
        'recipient_first_name', 'recipient_last_name', 'location_latitude', 'location_longitude'
    )
