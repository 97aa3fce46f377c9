with

sites as (
    select
        site_id,
        site_name,
        country_code,
        timezone,
        sourcing,
        location_type
    from {{ ref('stg_operations__sites') }}
)

select
    site_id,
    site_name,
    country_code,
    timezone,
    sourcing,
    location_type
from sites
