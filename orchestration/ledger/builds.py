"""dbt builds and publishes: their history and the ``kpi_metrics`` rows last published."""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.ledger.tables import (
    META_SCHEMA,
    PUBLISH_HISTORY,
    PUBLISHED_KPI_METRICS,
    TRANSFORM_HISTORY,
    now_utc,
)
from orchestration.published_tables import (
    BUILT_AT_COLUMN,
    replace_rows_by_key,
    rows_written_since,
)

# ---- dbt builds and publishes ----------------------------------------------------------


def record_transform(con: duckdb.DuckDBPyConnection, fingerprint: str, run_id: str | None) -> None:
    """Record a successful dbt build and the fingerprint of what it built with."""
    con.execute(
        f"insert into {TRANSFORM_HISTORY} values (?, ?, ?)", [now_utc(), run_id, fingerprint]
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


def publish_before_last(con: duckdb.DuckDBPyConnection) -> str | None:
    """The run id of the publish before the last one from this build database (None when
    there were fewer than two, or it had none)."""
    rows = con.execute(
        f"select run_id from {PUBLISH_HISTORY} order by published_at desc limit 1 offset 1"
    ).fetchall()
    return rows[0][0] if rows else None


def record_publish(
    con: duckdb.DuckDBPyConnection,
    published_at: dt.datetime,
    run_id: str | None,
    kpi_metrics: str | None,
) -> None:
    """Record a publish of the last dbt build; keep a copy of the ``kpi_metrics`` relation
    it published (when it published one), for the next night's checks."""
    if kpi_metrics is not None and not _copy_written_periods(con, kpi_metrics):
        con.execute(
            f"create or replace table {PUBLISHED_KPI_METRICS} as select * from {kpi_metrics}"
        ).fetchall()
    con.execute(
        f"insert into {PUBLISH_HISTORY} (published_at, run_id, transform_fingerprint) "
        "values (?, ?, ?)",
        [published_at, run_id, last_built_fingerprint(con)],
    ).fetchall()


# The columns of kpi_metrics whose rows a build writes together (macros/kpi/kpi_rebuild.sql:
# a build writes every row of a period again, with the time it wrote them, _built_at).
KPI_PERIOD = ("period_grain", "period_start")


def _copy_written_periods(con: duckdb.DuckDBPyConnection, kpi_metrics: str) -> bool:
    """Bring the copy of the published ``kpi_metrics`` to ``kpi_metrics`` by the periods
    written since it was taken (their rows replace the copy's). False, with the copy
    unchanged, when that cannot be done: no copy, other columns, or row counts that then
    differ (a period that lost all its rows); the caller copies the whole table."""
    schema, name = kpi_metrics.split(".")
    (columns,) = con.execute(
        "select list(column_name order by ordinal_position) from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()[0]
    if BUILT_AT_COLUMN not in (columns or []) or published_kpi_metrics_columns(con) != columns:
        return False
    (since,) = con.execute(
        f"select max({BUILT_AT_COLUMN}) from {PUBLISHED_KPI_METRICS}"
    ).fetchall()[0]
    with rows_written_since(con, kpi_metrics, since) as written:
        con.execute("begin transaction").fetchall()
        try:
            replace_rows_by_key(con, PUBLISHED_KPI_METRICS, written, KPI_PERIOD)
            (copied, built) = con.execute(
                f"select (select count(*) from {PUBLISHED_KPI_METRICS}), "
                f"(select count(*) from {kpi_metrics})"
            ).fetchall()[0]
        except BaseException:
            con.execute("rollback").fetchall()
            raise
        con.execute("commit" if copied == built else "rollback").fetchall()
    return copied == built


def published_kpi_metrics_columns(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The columns of the published ``kpi_metrics`` copy, or None when there is none."""
    (columns,) = con.execute(
        "select list(column_name order by ordinal_position) from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [META_SCHEMA, PUBLISHED_KPI_METRICS.split(".")[1]],
    ).fetchall()[0]
    return columns or None
