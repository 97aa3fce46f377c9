-- One row per (source, file, reason, column) of rows rejected at parsing: counts only,
-- never the raw values (they may carry personal data).
select
    source,
    file_path,
    reason,
    column_name,
    count(*) as rejected_rows
from {{ source('meta', 'rejected_rows') }}
group by source, file_path, reason, column_name
