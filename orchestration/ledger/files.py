"""Landing files and rejected rows (written by the loader), and the rows that left raw
other than by a newer version: corrections that drop keys, withdrawals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from orchestration.ledger.tables import (
    INGEST_MANIFEST,
    LOADED,
    PUBLISH_HISTORY,
    REJECTED,
    REJECTED_ROWS,
    RETRACTIONS,
    TRANSFORM_HISTORY,
    WITHDRAWN,
    now_utc,
    rows_of_files,
)

# ---- landing files and rejected rows (written by the loader) ----------------------------

MANIFEST_SCHEMA = {
    "source": pl.String,
    "file_path": pl.String,
    "checksum": pl.String,
    "size_bytes": pl.Int64,
    "modified_ns": pl.Int64,
    "file_format": pl.String,
    "status": pl.String,
    "error_reason": pl.String,
    "error": pl.String,
    "rows_read": pl.Int64,
    "rows_loaded": pl.Int64,
    "rows_rejected": pl.Int64,
    "extra_columns": pl.List(pl.String),
    "ingested_at": pl.Datetime("us"),
    "run_id": pl.String,
}


def known_files(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, tuple[str, int, int]]:
    """Every file of ``source`` in the manifest: path -> (checksum, size, mtime in ns)."""
    rows = con.execute(
        f"select file_path, checksum, size_bytes, modified_ns from {INGEST_MANIFEST} "
        "where source = ?",
        [source],
    ).fetchall()
    return {path: (digest, size, mtime) for path, digest, size, mtime in rows}


def loaded_checksums(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """checksum -> path of the loaded files of ``source`` (the first path in order)."""
    rows = con.execute(
        f"select file_path, checksum from {INGEST_MANIFEST} "
        "where source = ? and status = ? order by file_path desc",
        [source, LOADED],
    ).fetchall()
    return {digest: path for path, digest in rows}


def record_files(con: duckdb.DuckDBPyConnection, files: pl.DataFrame) -> None:
    """Insert or replace manifest rows (a frame of ``MANIFEST_SCHEMA``), in one statement."""
    manifest_rows = files.select(list(MANIFEST_SCHEMA))  # noqa: F841 (read by DuckDB)
    con.execute(f"insert or replace into {INGEST_MANIFEST} select * from manifest_rows").fetchall()


def record_file_unchanged(con: duckdb.DuckDBPyConnection, path: str, size: int, mtime: int) -> None:
    """A file touched without changing its content: remember its new size and mtime."""
    con.execute(
        f"update {INGEST_MANIFEST} set size_bytes = ?, modified_ns = ? where file_path = ?",
        [size, mtime, path],
    ).fetchall()


def replace_rejected_rows(
    con: duckdb.DuckDBPyConnection, paths: Sequence[str], rejects: object
) -> None:
    """Replace the rejected rows of the files ``paths`` by ``rejects`` (an Arrow table or
    polars frame of the table's columns). Runs inside the loader's transaction."""
    in_files, params = rows_of_files("file_path", paths)
    con.execute(f"delete from {REJECTED_ROWS} where {in_files}", params).fetchall()
    con.register("cxw_rejects", rejects)
    try:
        con.execute(f"insert into {REJECTED_ROWS} by name select * from cxw_rejects").fetchall()
    finally:
        con.unregister("cxw_rejects")


def reconcile(
    con: duckdb.DuckDBPyConnection, source: str, raw_table: str, file_path_column: str
) -> list[str]:
    """Files of ``source`` whose counts do not add up, or disagree with the tables.

    For every file in the manifest: rows read = loaded + rejected; for a loaded file, the
    rows really in ``raw_table`` and in the rejected rows equal the manifest's counts.
    One line per problem; empty when all is consistent.
    """
    rows = con.execute(
        f"""
        with in_raw as (
            select {file_path_column} as file_path, count(*) as n from {raw_table} group by 1
        ),
        in_rejects as (
            select file_path, count(*) as n from {REJECTED_ROWS} where source = ? group by 1
        )
        select m.file_path, m.status, m.rows_read, m.rows_loaded, m.rows_rejected,
               coalesce(r.n, 0), coalesce(j.n, 0)
        from {INGEST_MANIFEST} as m
        left join in_raw as r on r.file_path = m.file_path
        left join in_rejects as j on j.file_path = m.file_path
        where m.source = ?
        order by m.file_path
        """,
        [source, source],
    ).fetchall()
    problems = []
    for path, status, read, loaded, rejected, in_raw, in_rejects in rows:
        if read != loaded + rejected:
            problems.append(f"{path}: {read} read != {loaded} loaded + {rejected} rejected")
        if status == LOADED and (in_raw, in_rejects) != (loaded, rejected):
            problems.append(
                f"{path}: manifest says {loaded} loaded / {rejected} rejected, "
                f"tables hold {in_raw} / {in_rejects}"
            )
    return problems


def rejected_files(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple[str, str]]:
    """Files of ``source`` whose current version is rejected whole, with the error."""
    return con.execute(
        f"select file_path, error from {INGEST_MANIFEST} "
        "where source = ? and status = ? order by file_path",
        [source, REJECTED],
    ).fetchall()


def last_new_file_at(con: duckdb.DuckDBPyConnection, source: str) -> dt.datetime | None:
    """When a file of ``source`` last brought rows (UTC), or None if never."""
    return con.execute(
        f"select max(ingested_at) from {INGEST_MANIFEST} "
        "where source = ? and status = ? and rows_loaded > 0",
        [source, LOADED],
    ).fetchall()[0][0]


_LAST_PUBLISHED_AT = (
    f"(select coalesce(max(published_at), timestamp '0001-01-01') from {PUBLISH_HISTORY})"
)


def unpublished_files(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple[str, int]]:
    """(path, rows loaded) of the files of ``source`` loaded since the last publish, in
    path order: what the quality gate still has to pass. A night whose check failed
    publishes nothing, so its files stay here until a later night validates them."""
    return con.execute(
        f"select file_path, rows_loaded from {INGEST_MANIFEST} "
        f"where source = ? and status = ? and ingested_at > {_LAST_PUBLISHED_AT} "
        "order by file_path",
        [source, LOADED],
    ).fetchall()


def files_since_last_publish(con: duckdb.DuckDBPyConnection) -> int:
    """Files recorded (loaded, rejected or duplicate) or withdrawn since the last publish:
    when there is none, the build holds nothing the published warehouse lacks."""
    return con.execute(
        f"select (select count(*) from {INGEST_MANIFEST} where ingested_at > {_LAST_PUBLISHED_AT})"
        f" + (select count(*) from {RETRACTIONS} where retracted_at > {_LAST_PUBLISHED_AT})"
    ).fetchall()[0][0]


def sources_since_last_publish(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The sources of the files counted by :func:`files_since_last_publish`."""
    rows = con.execute(
        f"select source from {INGEST_MANIFEST} where ingested_at > {_LAST_PUBLISHED_AT} "
        f"union select source from {RETRACTIONS} where retracted_at > {_LAST_PUBLISHED_AT}"
    ).fetchall()
    return {source for (source,) in rows}


def builds_since_last_publish(con: duckdb.DuckDBPyConnection) -> int:
    """Successful dbt builds since the last publish (a build whose checks then failed)."""
    return con.execute(
        f"select count(*) from {TRANSFORM_HISTORY} where built_at > {_LAST_PUBLISHED_AT}"
    ).fetchall()[0][0]


def runs_built_since_last_publish(con: duckdb.DuckDBPyConnection) -> set[str | None]:
    """The runs whose dbt builds succeeded since the last publish."""
    rows = con.execute(
        f"select distinct run_id from {TRANSFORM_HISTORY} where built_at > {_LAST_PUBLISHED_AT}"
    ).fetchall()
    return {run_id for (run_id,) in rows}


# ---- rows that left raw: corrections that drop keys, withdrawals ------------------------


def record_retraction(
    con: duckdb.DuckDBPyConnection,
    source: str,
    file_path: str,
    reason: str,
    rows_removed: int,
    keys_dropped: int,
    run_id: str | None,
) -> None:
    """Record that rows of a file left raw (``reason``: ``corrected`` or ``withdrawn``)."""
    con.execute(
        f"insert into {RETRACTIONS} values (?, ?, ?, ?, ?, ?, ?)",
        [source, file_path, reason, rows_removed, keys_dropped, now_utc(), run_id],
    ).fetchall()


def files_dropping_keys_since_last_transform(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The files whose correction or withdrawal removed keys from raw since the last
    successful dbt build: the facts still hold those keys until a full refresh."""
    rows = con.execute(
        f"select distinct file_path from {RETRACTIONS} where keys_dropped > 0 and retracted_at > "
        f"(select coalesce(max(built_at), timestamp '0001-01-01') from {TRANSFORM_HISTORY}) "
        "order by file_path"
    ).fetchall()
    return [path for (path,) in rows]


def files_of_sources_since_last_transform(
    con: duckdb.DuckDBPyConnection, sources: Sequence[str]
) -> list[str]:
    """The files of ``sources`` loaded (or withdrawn) since the last successful dbt build."""
    placeholders = ", ".join("?" for _ in sources)
    rows = con.execute(
        f"select file_path from {INGEST_MANIFEST} where source in ({placeholders}) "
        f"and status in ('{LOADED}', '{WITHDRAWN}') and ingested_at > "
        f"(select coalesce(max(built_at), timestamp '0001-01-01') from {TRANSFORM_HISTORY}) "
        "order by file_path",
        list(sources),
    ).fetchall()
    return [path for (path,) in rows]


def manifest_entry(con: duckdb.DuckDBPyConnection, file_path: str) -> tuple[str, str] | None:
    """(source, status) of a landing file in the manifest, or None when never seen."""
    rows = con.execute(
        f"select source, status from {INGEST_MANIFEST} where file_path = ?", [file_path]
    ).fetchall()
    return rows[0] if rows else None


def mark_withdrawn(
    con: duckdb.DuckDBPyConnection, file_path: str, rows_removed: int, keys_dropped: int
) -> None:
    """Mark a file withdrawn: its manifest row keeps its checksum (so an unchanged file is
    never read again) and its counts (what it had contributed); its rejected rows go."""
    (source,) = con.execute(
        f"update {INGEST_MANIFEST} set status = ?, error_reason = ?, error = ? "
        "where file_path = ? returning source",
        [
            WITHDRAWN,
            WITHDRAWN,
            f"{file_path}: withdrawn with cxw withdraw ({rows_removed} rows removed)",
            file_path,
        ],
    ).fetchall()[0]
    con.execute(f"delete from {REJECTED_ROWS} where file_path = ?", [file_path]).fetchall()
    record_retraction(con, source, file_path, WITHDRAWN, rows_removed, keys_dropped, None)


def withdrawn_files(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The manifest rows of the withdrawn files (``MANIFEST_SCHEMA``)."""
    return con.sql(
        f"select * from {INGEST_MANIFEST} where status = ? order by file_path", params=[WITHDRAWN]
    ).pl()


def restore_withdrawals(con: duckdb.DuckDBPyConnection, withdrawn: pl.DataFrame) -> None:
    """Carry withdrawals into a rebuilt build database of the same landing zone: the
    unchanged withdrawn files stay out (a changed one is read again, as always)."""
    if withdrawn.height:
        record_files(con, withdrawn)
