"""The raw tables and the landing files a run would read: what ingestion and the
nothing-new check before the stack (``orchestration.nothing_new``) both need, with plain
DuckDB and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb

from orchestration import ledger
from orchestration.landing.contract import (
    FILE_PATH_COLUMN,
    RAW_SCHEMA,
    SOURCES,
    Column,
    SourceSpec,
    raw_table_ddl,
)
from orchestration.landing.files import LandingFile
from orchestration.warehouse import column_names_by_table


def ensure_raw_tables(
    con: duckdb.DuckDBPyConnection, specs: Iterable[SourceSpec] = SOURCES.values()
) -> None:
    """Create the raw schema and the sources' tables, and the run ledger.

    A column added to the contract later is added to an existing raw table (null in old rows).
    """
    con.execute(f"create schema if not exists {RAW_SCHEMA}").fetchall()
    ledger.ensure_ledger(con)
    for spec in specs:
        con.execute(raw_table_ddl(spec)).fetchall()
    existing = column_names_by_table(con, RAW_SCHEMA)
    for spec in specs:
        for column in _missing_columns(existing, spec):
            con.execute(
                f'alter table {RAW_SCHEMA}.{spec.name} add column "{column.name}" '
                f"{column.duckdb_type}"
            ).fetchall()


def _missing_columns(
    existing: Mapping[tuple[str, str], set[str]], spec: SourceSpec
) -> list[Column]:
    """The contract columns ``raw.<source>`` lacks (all of them when there is no table);
    ``existing``: column_names_by_table."""
    columns = existing.get((RAW_SCHEMA, spec.name), set())
    return [column for column in spec.columns if column.name not in columns]


def raw_tables_complete(
    con: duckdb.DuckDBPyConnection, specs: Iterable[SourceSpec] = SOURCES.values()
) -> bool:
    """Whether every raw table has every contract column (:func:`ensure_raw_tables` would
    change nothing)."""
    existing = column_names_by_table(con, RAW_SCHEMA)
    return not any(_missing_columns(existing, spec) for spec in specs)


def new_or_changed_files(
    files: Iterable[LandingFile], known: Mapping[str, tuple[str, int, int]]
) -> list[LandingFile]:
    """The files a run reads: those not in the manifest (``known``: path -> checksum, size,
    mtime) with their size and mtime. A run checksums them; one whose content did not
    change after all (touched) is then recorded with its new size and mtime, not loaded."""
    changed = []
    for file in files:
        previous = known.get(file.relative_path)
        if not previous or previous[1:] != (file.size_bytes, file.modified_ns):
            changed.append(file)
    return changed


def reconcile(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    """Files of ``source`` whose counts do not add up, or disagree with the tables (see
    :func:`orchestration.ledger.reconcile`); empty when all is consistent."""
    return ledger.reconcile(con, source, f"{RAW_SCHEMA}.{source}", FILE_PATH_COLUMN)
