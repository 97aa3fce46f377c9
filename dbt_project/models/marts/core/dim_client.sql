with

clients as (
    select
        client_id,
        client_name,
        reporting_timezone,
        industry
    from {{ ref('stg_operations__clients') }}
)

select
    client_id,
    client_name,
    reporting_timezone,
    industry
from clients
