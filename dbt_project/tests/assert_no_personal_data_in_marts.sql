-- depends_on: {{ ref('dim_customer') }}
-- Personal data (customer full_name, email, phone; agent names and emails) never reaches
-- the marts: no column of the marts schema may carry one of these names.
select
    table_name,
    column_name
from information_schema.columns
where
    lower(table_schema) = 'marts'
    and lower(column_name) in ('full_name', 'email', 'phone', 'first_name', 'last_name', 'agent_name')
