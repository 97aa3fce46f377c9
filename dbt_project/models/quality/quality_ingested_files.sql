-- One row per landing file ever ingested: its status and row counts (no content).
select
    source,
    file_path,
    file_format,
    status,
    error_reason,
    error,
    rows_read,
    rows_loaded,
    rows_rejected,
    ingested_at
from {{ source('meta', 'ingest_manifest') }}
