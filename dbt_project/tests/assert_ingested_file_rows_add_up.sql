-- For every loaded landing file, canonical or vendor: rows read = loaded + rejected +
-- skipped (a vendor record the mapping leaves out on purpose). Nothing is lost silently.
select
    file_path,
    rows_read,
    rows_loaded,
    rows_rejected,
    rows_skipped
from {{ ref('quality_ingested_files') }}
where
    status = 'loaded'
    and rows_read <> rows_loaded + rows_rejected + rows_skipped
