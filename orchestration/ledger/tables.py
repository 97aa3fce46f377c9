"""The ledger's tables in the schema ``meta``: their names and DDL, creating them (and
moving them out of ``raw`` for a build database of an earlier release), and what the
other ledger modules share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

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


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def rows_of_files(column: str, paths: Sequence[str]) -> tuple[str, list]:
    """The condition (and its parameters) of the rows whose ``column`` is one of ``paths``.

    The range is pushed into the scan: raw rows are appended file by file, so row groups
    outside it are skipped by their min/max. A list alone is a semi-join that DuckDB does
    not push into the scan (it would read the path of every row); the list still excludes
    a file whose path sorts inside the range."""
    condition = f"{column} between ? and ? and {column} in (select unnest(?::varchar[]))"
    return condition, [min(paths), max(paths), list(paths)]
