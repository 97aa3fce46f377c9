with

raw_clients as (
    select
        trim(client_id) as client_id,
        trim(client_name) as client_name,
        trim(reporting_timezone) as reporting_timezone,
        trim(industry) as industry,
        _file_path,
        _file_row,
        {{ latest_version_columns(['client_id']) }}
    from {{ source('raw', 'clients') }}
)

select
    client_id,
    client_name,
    reporting_timezone,
    industry,
    _file_path,
    _file_row,
    _loaded_at
from raw_clients
where version_rank = 1
