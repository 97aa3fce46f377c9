-- One row per landing file ever ingested: its status and row counts (no content).
-- A vendor file's records are mapped in staging: of the records its manifest counts as
-- loaded into raw, those skipped on purpose or rejected by the mapping (an unmapped
-- queue) count as skipped and rejected here, so for every file
-- rows_read = rows_loaded + rows_rejected + rows_skipped. Counts are BIGINT (a sum would be
-- HUGEINT, which BI drivers reflect as a 32-bit INTEGER).
with

mapping_outcomes as (
    select
        file_path,
        cast(sum(records) filter (where outcome = 'rejected') as bigint) as mapping_rejected,
        cast(sum(records) filter (where outcome = 'skipped') as bigint) as mapping_skipped
    from {{ ref('quality_vendor_records') }}
    group by file_path
)

select
    manifest.source,
    manifest.file_path,
    manifest.file_format,
    manifest.status,
    manifest.error_reason,
    manifest.error,
    manifest.rows_read,
    manifest.rows_loaded
    - coalesce(mapping_outcomes.mapping_rejected, 0)
    - coalesce(mapping_outcomes.mapping_skipped, 0) as rows_loaded,
    manifest.rows_rejected + coalesce(mapping_outcomes.mapping_rejected, 0) as rows_rejected,
    coalesce(mapping_outcomes.mapping_skipped, 0) as rows_skipped,
    manifest.ingested_at
from {{ source('meta', 'ingest_manifest') }} as manifest
left join mapping_outcomes
    on manifest.file_path = mapping_outcomes.file_path
