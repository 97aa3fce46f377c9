-- The queues mapping source: which client a vendor queue (a Zendesk group or brand, a
-- Qualtrics survey) works for, and the site that staffs it. One row per (system, queue_ref).
with

raw_queues {{ raw_versions_as() }} (
    select
        lower(trim(system)) as system,
        trim(queue_ref) as queue_ref,
        trim(client_id) as client_id,
        trim(site_id) as site_id,
        trim(queue_name) as queue_name,
        _file_path,
        _file_row,
        _loaded_at
    from {{ source('raw', 'queues') }}
),

current_queues as (
    {{ current_versions('raw_queues', ['system', 'queue_ref']) }}
)

select
    system,
    queue_ref,
    client_id,
    site_id,
    queue_name,
    _file_path,
    _file_row,
    _loaded_at
from current_queues
