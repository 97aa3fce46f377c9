with

raw_sites {{ raw_versions_as() }} (
    select
        trim(site_id) as site_id,
        trim(site_name) as site_name,
        upper(trim(country_code)) as country_code,
        trim(timezone) as timezone,
        lower(trim(sourcing)) as sourcing,
        lower(trim(location_type)) as location_type,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'sites') }}
),

current_sites as (
    {{ current_versions('raw_sites', ['site_id']) }}
)

select
    site_id,
    site_name,
    country_code,
    timezone,
    sourcing,
    location_type,
    _file_path,
    _file_row,
    _loaded_at
from current_sites
