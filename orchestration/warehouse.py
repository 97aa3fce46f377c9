"""Opening the DuckDB files: the build database (one writer) and the published warehouse;
which publish the published files are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from orchestration.settings import Settings


@contextmanager
def connect(
    path: Path, settings: Settings, *, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection with the configured memory limit and threads, UTC session time zone.

    Writers of the build database must run one at a time (Dagster pool ``duckdb_build``).
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config=settings.duckdb_config())
    try:
        con.execute("set TimeZone = 'UTC'").fetchall()  # ICU is loaded only after connect
        yield con
    finally:
        con.close()


# The table of the published file (and of its Parquet copy) naming the run that published it.
PUBLISH_LOG_TABLE = "quality.publish_log"


def sql_text(value: str | Path) -> str:
    """A SQL string literal (for the statements that take no parameters: attach, copy)."""
    return "'" + str(value).replace("'", "''") + "'"


def column_names_by_table(
    con: duckdb.DuckDBPyConnection, schema: str | None = None
) -> dict[tuple[str, str], set[str]]:
    """The column names of every table of the connected database (of one ``schema``), by
    (schema, table): one catalog query instead of one per table."""
    rows = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_catalog = current_database() and (? is null or table_schema = ?)",
        [schema, schema],
    ).fetchall()
    columns: dict[tuple[str, str], set[str]] = {}
    for table_schema, table, column in rows:
        columns.setdefault((table_schema, table), set()).add(column)
    return columns


def single_value(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The one value a query returns; None when it fails or returns another number of rows."""
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if len(rows) == 1 else None


def published_runs(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> tuple[Any, Any]:
    """The runs that published the file attached to ``con`` as ``published`` and the
    Parquet copy in ``parquet_dir``, by their publish logs (None where there is none)."""
    published_run = single_value(con, f"select max(run_id) from published.{PUBLISH_LOG_TABLE}")
    parquet_log = sql_text(parquet_dir / "quality" / "publish_log.parquet")
    parquet_run = single_value(con, f"select max(run_id) from read_parquet({parquet_log})")
    return published_run, parquet_run


def is_last_publish(con: duckdb.DuckDBPyConnection, parquet_dir: Path, run_id: str | None) -> bool:
    """Whether the published file attached to ``con`` as ``published`` and the Parquet copy
    in ``parquet_dir`` are both the publish of ``run_id``, by their publish logs."""
    return run_id is not None and published_runs(con, parquet_dir) == (run_id, run_id)
