with

raw_clients {{ raw_versions_as() }} (
    select
        trim(client_id) as client_id,
        trim(client_name) as client_name,
        trim(reporting_timezone) as reporting_timezone,
        trim(industry) as industry,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'clients') }}
),

current_clients as (
    {{ current_versions('raw_clients', ['client_id']) }}
)

select
    client_id,
    client_name,
    reporting_timezone,
    industry,
    _file_path,
    _file_row,
    _loaded_at
from current_clients
