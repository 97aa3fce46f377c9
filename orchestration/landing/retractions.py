"""Rows that leave raw other than by a newer version of their key.

* A corrected file (same path, new content) that no longer holds some keys: before the
  loader replaces its rows, :func:`record_dropped_keys` records the rows it loses and the
  keys no new row brings back (``meta.retractions``); any dropped key makes the next dbt
  build a full refresh.
* ``cxw withdraw``: :func:`withdraw_files` takes every row of files out of raw, marks them
  ``withdrawn`` in the manifest and records the retraction.
"""

from __future__ import annotations

import duckdb

from orchestration import ledger
from orchestration.landing.contract import FILE_PATH_COLUMN, RAW_SCHEMA, SOURCES, SourceSpec


def record_dropped_keys(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    paths: list[str],
    new_rows: object,
    run_id: str | None,
) -> None:
    """Before the rows of ``paths`` are replaced by ``new_rows`` (the batch's rows, an Arrow
    table): record, per file, the rows it loses and the keys no new row brings back."""
    keys = ", ".join(f'"{k}"' for k in spec.key)
    in_files, params = ledger.rows_of_files(FILE_PATH_COLUMN, paths)
    con.register("cxw_new_rows", new_rows)
    try:
        counts = con.execute(
            f"""
            with old_rows as (
                select {FILE_PATH_COLUMN} as file_path, {keys}
                from {RAW_SCHEMA}.{spec.name} where {in_files}
            ),
            dropped_keys as (
                select distinct file_path, {keys}
                from old_rows anti join cxw_new_rows using ({keys})
            )
            select
                file_path,
                count(*),
                (select count(*) from dropped_keys where dropped_keys.file_path = old.file_path)
            from old_rows as old
            group by file_path
            """,
            params,
        ).fetchall()
    finally:
        con.unregister("cxw_new_rows")
    for path, rows_removed, keys_dropped in counts:
        ledger.record_retraction(
            con, spec.name, path, ledger.CORRECTED, rows_removed, keys_dropped, run_id
        )


def withdraw_files(
    con: duckdb.DuckDBPyConnection, landing_dir, relative_paths: list[str]
) -> list[tuple[str, int]]:
    """``cxw withdraw``: remove every row the files contributed to raw, in one transaction,
    and mark them ``withdrawn`` in the manifest (their checksum kept: an unchanged file is
    never read again; a new version of it is). Returns (path, rows removed) per file.

    Raises ``ValueError`` naming a path that is not a file this build ingested."""
    ledger.ensure_ledger(con)
    entries = []
    for path in relative_paths:
        entry = ledger.manifest_entry(con, path)
        if entry is None:
            raise ValueError(
                f"{path}: not a file this build has ingested from {landing_dir} "
                "(give paths relative to the landing zone, e.g. surveys/2026-03-07.csv)"
            )
        source, status = entry
        if status == ledger.WITHDRAWN:
            raise ValueError(f"{path}: already withdrawn")
        entries.append((path, SOURCES[source]))
    removed = []
    con.execute("begin transaction").fetchall()
    try:
        for path, spec in entries:
            keys = ", ".join(f'"{k}"' for k in spec.key)
            in_file, params = ledger.rows_of_files(FILE_PATH_COLUMN, [path])
            (rows, distinct_keys) = con.execute(
                f"select count(*), (select count(*) from (select distinct {keys} "
                f"from {RAW_SCHEMA}.{spec.name} where {in_file})) "
                f"from {RAW_SCHEMA}.{spec.name} where {in_file}",
                params + params,
            ).fetchall()[0]
            con.execute(f"delete from {RAW_SCHEMA}.{spec.name} where {in_file}", params).fetchall()
            ledger.mark_withdrawn(con, path, rows, distinct_keys)
            removed.append((path, rows))
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    return removed
