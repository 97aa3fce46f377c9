"""The run ledger: what the orchestration knows of its own runs, in the schema ``meta``.

Every landing file ever seen, every rejected row, every successful dbt build and every
publish, and a copy of the ``kpi_metrics`` rows last published. It lives in the build
database beside ``raw`` and the dbt layers, and this module is the only one that writes
it; dbt reads it through the sources of ``meta`` (``_staging__sources.yml``).

* ``meta.ingest_manifest``: one row per landing file (path, checksum, size, mtime, status
  ``loaded`` / ``rejected`` / ``duplicate`` / ``withdrawn``, rows read, loaded and
  rejected, error).
* ``meta.rejected_rows``: every row kept out of ``raw``, with its file, row, reason and
  the values as delivered.
* ``meta.transform_history``: each successful dbt build, with the fingerprint of the dbt
  code and settings it built with.
* ``meta.publish_history``: each publish, with the fingerprint of the build it published.
* ``meta.published_kpi_metrics``: ``marts.kpi_metrics`` as last published; the
  ``kpi_metrics`` checks validate the rows that differ from it.
* ``meta.retractions``: each time rows left ``raw`` other than by a newer version of the
  same key: a corrected file that no longer holds some keys, or a withdrawn file.
* ``meta.landing_zone``: the landing zone this build database belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

META_SCHEMA = "meta"
INGEST_MANIFEST = f"{META_SCHEMA}.ingest_manifest"
REJECTED_ROWS = f"{META_SCHEMA}.rejected_rows"
TRANSFORM_HISTORY = f"{META_SCHEMA}.transform_history"
PUBLISH_HISTORY = f"{META_SCHEMA}.publish_history"
PUBLISHED_KPI_METRICS = f"{META_SCHEMA}.published_kpi_metrics"

RETRACTIONS = f"{META_SCHEMA}.retractions"
LANDING_ZONE = f"{META_SCHEMA}.landing_zone"

# The status of a landing file in the manifest.
LOADED, REJECTED, DUPLICATE, WITHDRAWN = "loaded", "rejected", "duplicate", "withdrawn"
# Why rows of a file left raw.
CORRECTED = "corrected"

_TABLES_DDL = (
    f"""
    create table if not exists {INGEST_MANIFEST} (
        source varchar not null,
        file_path varchar not null primary key,
        checksum varchar not null,
        size_bytes bigint not null,
        modified_ns bigint not null,
        file_format varchar not null,
        status varchar not null,
        error_reason varchar,
        error varchar,
        rows_read bigint not null,
        rows_loaded bigint not null,
        rows_rejected bigint not null,
        extra_columns varchar[],
        ingested_at timestamp not null,
        run_id varchar
    )""",
    f"""
    create table if not exists {REJECTED_ROWS} (
        source varchar not null,
        file_path varchar not null,
        file_row bigint not null,
        reason varchar not null,
        column_name varchar,
        raw_value varchar,
        raw_record varchar,
        rejected_at timestamp not null
    )""",
    # the fingerprint the dbt step built with: a publish records that one, not the project
    # as it is when the publish runs (an edit between the two would pass for built)
    f"""
    create table if not exists {TRANSFORM_HISTORY} (
        built_at timestamp not null,
        run_id varchar,
        transform_fingerprint varchar not null
    )""",
    f"""
    create table if not exists {PUBLISH_HISTORY} (
        published_at timestamp not null,
        run_id varchar,
        transform_fingerprint varchar
    )""",
    # keys_dropped: keys the file's old rows held that no row of the load replaced; when
    # any, the next dbt build is a full refresh (incremental models only revisit the keys
    # that arrive, so a vanished key would stay in the facts)
    f"""
    create table if not exists {RETRACTIONS} (
        source varchar not null,
        file_path varchar not null,
        reason varchar not null,
        rows_removed bigint not null,
        keys_dropped bigint not null,
        retracted_at timestamp not null,
        run_id varchar
    )""",
    f"""
    create table if not exists {LANDING_ZONE} (
        landing_dir varchar not null,
        adopted_at timestamp not null
    )""",
)

# Build databases of earlier releases kept the ledger in ``raw``: moved on first use.
_MOVED_FROM_RAW = ("ingest_manifest", "rejected_rows", "transform_history", "publish_history")
_KEPT_IN_RAW = (*_MOVED_FROM_RAW, "published_kpi_metrics")
# The tables ensure_ledger creates (the published kpi_metrics copy is made by a publish).
_LEDGER_TABLES = (
    INGEST_MANIFEST,
    REJECTED_ROWS,
    TRANSFORM_HISTORY,
    PUBLISH_HISTORY,
    RETRACTIONS,
    LANDING_ZONE,
)


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger's schema and tables (moving those an older release kept in raw)."""
    con.execute(f"create schema if not exists {META_SCHEMA}").fetchall()
    old = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = 'raw' "
            "and table_name in (select unnest(?::varchar[]))",
            [list(_KEPT_IN_RAW)],
        ).fetchall()
    }
    for ddl in _TABLES_DDL:
        con.execute(ddl).fetchall()
    if not old:
        return
    con.execute("begin transaction").fetchall()  # all moved, or nothing
    try:
        for name in sorted(old):
            if name == "published_kpi_metrics":
                con.execute(
                    f"create or replace table {PUBLISHED_KPI_METRICS} as select * from raw.{name}"
                ).fetchall()
            else:
                con.execute(
                    f"insert into {META_SCHEMA}.{name} by name select * from raw.{name}"
                ).fetchall()
            con.execute(f"drop table raw.{name}").fetchall()
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise


def ledger_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every table of the ledger is in ``meta`` and none is left in ``raw`` by an
    earlier release: :func:`ensure_ledger` would change nothing."""
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema in (?, 'raw')",
            [META_SCHEMA],
        ).fetchall()
    }
    left_in_raw = {f"raw.{name}" for name in _KEPT_IN_RAW}
    return present >= set(_LEDGER_TABLES) and not present & left_in_raw


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def rows_of_files(column: str, paths: Sequence[str]) -> tuple[str, list]:
    """The condition (and its parameters) of the rows whose ``column`` is one of ``paths``.

    The range is pushed into the scan: raw rows are appended file by file, so row groups
    outside it are skipped by their min/max. A list alone is a semi-join that DuckDB does
    not push into the scan (it would read the path of every row); the list still excludes
    a file whose path sorts inside the range."""
    condition = f"{column} between ? and ? and {column} in (select unnest(?::varchar[]))"
    return condition, [min(paths), max(paths), list(paths)]


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


def builds_since_last_publish(con: duckdb.DuckDBPyConnection) -> int:
    """Successful dbt builds since the last publish (a build whose checks then failed)."""
    return con.execute(
        f"select count(*) from {TRANSFORM_HISTORY} where built_at > {_LAST_PUBLISHED_AT}"
    ).fetchall()[0][0]


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
        [source, file_path, reason, rows_removed, keys_dropped, _now(), run_id],
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


# ---- the landing zone of a build database ----------------------------------------------


class LandingZoneMismatch(Exception):
    """A run against another landing zone than the one the build database belongs to."""

    def __init__(self, recorded: str, given: str) -> None:
        self.recorded, self.given = recorded, given
        super().__init__(
            f"this build database belongs to the landing zone {recorded}, not {given}: "
            f"set CXW_LANDING_DIR back to it, or run `cxw run --full-refresh` to rebuild "
            f"from {given}"
        )


def landing_zone(con: duckdb.DuckDBPyConnection) -> str | None:
    """The absolute path of the landing zone this build database belongs to, if bound."""
    rows = con.execute(
        f"select landing_dir from {LANDING_ZONE} order by adopted_at desc limit 1"
    ).fetchall()
    return rows[0][0] if rows else None


def check_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> str | None:
    """The landing zone the build database belongs to (None: not bound yet); raise
    :class:`LandingZoneMismatch` when it is another one than ``landing_dir`` (absolute)."""
    recorded = landing_zone(con)
    if recorded is not None and recorded != landing_dir:
        raise LandingZoneMismatch(recorded, landing_dir)
    return recorded


def bind_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> None:
    """Bind the build database to ``landing_dir`` (absolute) on first use; raise
    :class:`LandingZoneMismatch` when it already belongs to another zone."""
    if check_landing_zone(con, landing_dir) is None:
        adopt_landing_zone(con, landing_dir)


def adopt_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> None:
    """Make ``landing_dir`` the build database's landing zone (a moved deployment)."""
    con.execute(f"delete from {LANDING_ZONE}").fetchall()
    con.execute(f"insert into {LANDING_ZONE} values (?, ?)", [landing_dir, _now()]).fetchall()


# ---- dbt builds and publishes ----------------------------------------------------------


def record_transform(con: duckdb.DuckDBPyConnection, fingerprint: str, run_id: str | None) -> None:
    """Record a successful dbt build and the fingerprint of what it built with."""
    con.execute(
        f"insert into {TRANSFORM_HISTORY} values (?, ?, ?)", [_now(), run_id, fingerprint]
    ).fetchall()


def last_built_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the last successful dbt build in this build database."""
    rows = con.execute(
        f"select transform_fingerprint from {TRANSFORM_HISTORY} "
        "order by built_at desc, rowid desc limit 1"
    ).fetchall()
    return rows[0][0] if rows else None


def last_publish(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None] | None:
    """(run id, transform fingerprint) of the last publish from this build database, or
    None when nothing was published from it yet."""
    rows = con.execute(
        f"select run_id, transform_fingerprint from {PUBLISH_HISTORY} "
        "order by published_at desc limit 1"
    ).fetchall()
    return rows[0] if rows else None


def record_publish(
    con: duckdb.DuckDBPyConnection,
    published_at: dt.datetime,
    run_id: str | None,
    kpi_metrics: str | None,
) -> None:
    """Record a publish of the last dbt build; keep a copy of the ``kpi_metrics`` relation
    it published (when it published one), for the next night's checks."""
    if kpi_metrics is not None:
        con.execute(
            f"create or replace table {PUBLISHED_KPI_METRICS} as select * from {kpi_metrics}"
        ).fetchall()
    con.execute(
        f"insert into {PUBLISH_HISTORY} (published_at, run_id, transform_fingerprint) "
        "values (?, ?, ?)",
        [published_at, run_id, last_built_fingerprint(con)],
    ).fetchall()


def published_kpi_metrics_columns(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The columns of the published ``kpi_metrics`` copy, or None when there is none."""
    (columns,) = con.execute(
        "select list(column_name order by ordinal_position) from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [META_SCHEMA, PUBLISHED_KPI_METRICS.split(".")[1]],
    ).fetchall()[0]
    return columns or None
