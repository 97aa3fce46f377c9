"""Opening the DuckDB files: the build database (one writer) and the published warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
