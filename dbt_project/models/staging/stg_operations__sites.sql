with

raw_sites as (
    select
        trim(site_id) as site_id,
        trim(site_name) as site_name,
        upper(trim(country_code)) as country_code,
        trim(timezone) as timezone,
        lower(trim(sourcing)) as sourcing,
        lower(trim(location_type)) as location_type,
        _file_path,
        _file_row,
        {{ latest_version_columns(['site_id']) }}
    from {{ source('raw', 'sites') }}
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
from raw_sites
where version_rank = 1
