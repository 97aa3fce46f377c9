"""What the publish step copies by rows, and the Parquet copy of the published tables.

The incremental facts and the KPI marts rebuilt from a floor (``IncrementalTable``,
declared by their dbt config) change by rows: a publish replaces only the rows written
since the last one, and their Parquet copy is one folder per month, of which a publish
rewrites only the months where rows were replaced, and adds a file of the new rows to a
month that only gained some. Every other table is one Parquet file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.releases import link_or_copy
from orchestration.warehouse import sql_text

# zstd at its fastest level: the publish is CPU-bound, and level 1 writes faster than the
# default level for files slightly larger (still smaller than snappy's).
PARQUET_OPTIONS = "format parquet, compression zstd, compression_level 1"


@dataclass(frozen=True)
class IncrementalTable:
    """A published table that changes by rows: an incremental dbt fact, or a KPI mart
    rebuilt from a floor (macros/kpi/kpi_rebuild.sql).

    Its rows carry ``_built_at`` (the start of the dbt run that last wrote them) and a
    ``key``: a night copies to the published file only the rows written since the last
    publish, replacing the published rows of the same key (a fact's unique key; a KPI
    mart's period, whose rows are all written again). Its Parquet copy is one folder per
    month of ``month_column`` (``<table>/month=YYYY-MM/*.parquet``), so a night rewrites
    only the months it touched.
    """

    relation: str  # schema.table
    key: str | tuple[str, ...]
    month_column: str

    @property
    def key_columns(self) -> tuple[str, ...]:
        return (self.key,) if isinstance(self.key, str) else tuple(self.key)

    @property
    def is_fact(self) -> bool:
        """A fact (one unique key column), rather than a KPI mart written by periods."""
        return isinstance(self.key, str)


# The dbt model config that names the month a fact's Parquet copy is cut by.
PUBLISHED_MONTH_META = "published_month_column"
# The key of a model rebuilt from a floor: the columns whose rows it writes together.
PUBLISHED_DELTA_KEY_META = "published_delta_key"
BUILT_AT_COLUMN = "_built_at"
NO_MONTH = "none"  # the Parquet folder of rows whose month column is null
WRITTEN_ROWS = "cxw_written"
# A month's Parquet folder grows by one file per publish that only added rows to it (a run
# during the day adds its half hour); at this many files the publish writes it as one.
MONTH_FILES_LIMIT = 16
_MONTH_FILE = re.compile(r"data_(\d+)\.parquet")


@dataclass(frozen=True)
class MonthChanges:
    """How a delta publish changed an incremental table's months, against the Parquet copy
    of the last publish: in the months ``rewritten`` rows were replaced or removed (the
    folder is written again); the months ``appended`` only gained rows, those whose
    ``_built_at`` is after ``since`` (a file of them joins the folder's files)."""

    rewritten: frozenset[str]
    appended: frozenset[str] = frozenset()
    since: dt.datetime | None = None


def incremental_tables_from_manifest(manifest_path: Path) -> tuple[IncrementalTable, ...]:
    """The dbt models that declare a ``published_month_column`` in their meta, with their
    ``published_delta_key`` (the KPI marts rebuilt from a floor: their periods) or else
    the unique key of an incremental model (the facts)."""
    manifest = json.loads(manifest_path.read_text())
    tables = []
    for node in manifest.get("nodes", {}).values():
        config = node.get("config") or {}
        meta = config.get("meta") or {}
        month_column = meta.get(PUBLISHED_MONTH_META)
        if node.get("resource_type") != "model" or not month_column:
            continue
        key = meta.get(PUBLISHED_DELTA_KEY_META)
        if key is None and config.get("materialized") == "incremental":
            key = config.get("unique_key")
        if isinstance(key, list) and key and all(isinstance(k, str) for k in key):
            key = tuple(key)
        if isinstance(key, (str, tuple)):
            relation = f"{node['schema']}.{node.get('alias') or node['name']}"
            tables.append(IncrementalTable(relation, key, month_column))
    return tuple(sorted(tables, key=lambda t: t.relation))


def month_expression(table: IncrementalTable) -> str:
    return f"coalesce(strftime(\"{table.month_column}\", '%Y-%m'), '{NO_MONTH}')"


def in_month(table: IncrementalTable, month: str) -> str:
    """The condition of the rows in the Parquet folder ``month=<month>`` of the fact."""
    column = f'"{table.month_column}"'
    if month == NO_MONTH:
        return f"{column} is null"
    start = dt.date.fromisoformat(f"{month}-01")
    end = (start + dt.timedelta(days=31)).replace(day=1)
    return f"{column} >= date '{start}' and {column} < date '{end}'"


def all_months(con: duckdb.DuckDBPyConnection, table: IncrementalTable, source: str) -> set[str]:
    return {
        month
        for (month,) in con.execute(
            f"select distinct {month_expression(table)} from {source}"
        ).fetchall()
    }


@contextmanager
def rows_written_since(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    since: dt.datetime | None,
    until: dt.datetime | None = None,
) -> Iterator[str]:
    """The rows of ``relation`` written after ``since`` (their ``_built_at``; none when
    ``since`` is None) and, given ``until``, not after it, as a temporary table whose name
    this yields; dropped after."""
    con.execute(
        f"create or replace temp table {WRITTEN_ROWS} as select * from {relation} "
        f"where {BUILT_AT_COLUMN} > ? and (?::timestamp is null or {BUILT_AT_COLUMN} <= ?)",
        [since, until, until],
    ).fetchall()
    try:
        yield WRITTEN_ROWS
    finally:
        con.execute(f"drop table if exists {WRITTEN_ROWS}").fetchall()


def _parquet_rows(parquet_dir: Path, table: IncrementalTable) -> str | None:
    """The table's Parquet copy in ``parquet_dir`` as a ``read_parquet`` (None: no file)."""
    schema, name = table.relation.split(".")
    folder = parquet_dir / schema / name
    if not any(folder.glob("*/*.parquet")):
        return None
    return f"read_parquet({sql_text(folder / '*' / '*.parquet')}, hive_partitioning = false)"


def _timestamp(value: dt.datetime) -> str:
    return f"timestamp '{value.isoformat()}'"


def last_built_at_in_parquet(
    con: duckdb.DuckDBPyConnection, parquet_dir: Path, table: IncrementalTable
) -> dt.datetime | None:
    """The newest ``_built_at`` of the table's Parquet copy in ``parquet_dir`` (None when
    it has no file)."""
    rows = _parquet_rows(parquet_dir, table)
    if rows is None:
        return None
    return con.execute(f"select max({BUILT_AT_COLUMN}) from {rows}").fetchall()[0][0]


def months_of_parquet_rows(
    con: duckdb.DuckDBPyConnection,
    parquet_dir: Path,
    table: IncrementalTable,
    after: dt.datetime,
    until: dt.datetime,
    keys_of: str,
) -> set[str]:
    """The months of the rows of the table's Parquet copy in ``parquet_dir`` written after
    ``after`` and not after ``until`` whose key a row of the relation ``keys_of`` has (the
    row groups of older rows are skipped by their ``_built_at`` statistics)."""
    rows = _parquet_rows(parquet_dir, table)
    if rows is None:
        return set()
    keys = ", ".join(f'"{column}"' for column in table.key_columns)
    found = con.execute(
        f"select distinct {month_expression(table)} from {rows} "
        f"where {BUILT_AT_COLUMN} > {_timestamp(after)} "
        f"and {BUILT_AT_COLUMN} <= {_timestamp(until)} "
        f"and ({keys}) in (select {keys} from {keys_of})"
    ).fetchall()
    return {month for (month,) in found}


def replace_rows_by_key(
    con: duckdb.DuckDBPyConnection,
    target: str,
    written: str,
    key_columns: Sequence[str],
    removed: str | None = None,
) -> set:
    """Every row of ``target`` whose key a row of ``written`` has is replaced by the rows
    of ``written`` (a key whose rows were all written again loses the ones not written).
    Returns the distinct values of the expression ``removed`` over the rows it removed
    (an empty set without one)."""
    keys = ", ".join(f'"{column}"' for column in key_columns)
    target_keys = ", ".join(f'{target}."{column}"' for column in key_columns)
    returning = f" returning {removed}" if removed else ""
    gone = con.execute(
        f"delete from {target} where ({target_keys}) in (select distinct {keys} from {written})"
        + returning
    ).fetchall()
    con.execute(f"insert into {target} select * from {written}").fetchall()
    return {value for (value,) in gone} if removed else set()


def export_parquet(
    con: duckdb.DuckDBPyConnection,
    relations: list[tuple[str, str]],
    out_dir: Path,
    incremental: dict[str, IncrementalTable],
    changed_months: dict[str, MonthChanges] | None = None,
    previous_dir: Path | None = None,
    kept: frozenset[str] = frozenset(),
) -> None:
    """``out_dir/<schema>/<table>.parquet`` for every published relation; for an
    incremental fact ``out_dir/<schema>/<table>/month=YYYY-MM/*.parquet``.

    With ``changed_months`` (a delta publish), a fact's months that did not change are
    hard links to the files of ``previous_dir`` (the Parquet copy of the last publish), a
    month that only gained rows gets those rows as one more file beside its linked ones
    (written whole once it has ``MONTH_FILES_LIMIT`` files), and only the months where rows
    were replaced are written again; the files of the relations ``kept`` as the last
    publish has them are links too.
    """
    for schema, name in relations:
        (out_dir / schema).mkdir(parents=True, exist_ok=True)
        table = incremental.get(f"{schema}.{name}")
        source = f'published.{schema}."{name}"'
        if table is None:
            out = out_dir / schema / f"{name}.parquet"
            last = previous_dir / schema / out.name if previous_dir is not None else None
            if f"{schema}.{name}" in kept and last is not None and last.is_file():
                link_or_copy(last, out)
            else:
                con.execute(f"copy {source} to {sql_text(out)} ({PARQUET_OPTIONS})").fetchall()
            continue
        folder = out_dir / schema / name
        folder.mkdir()
        previous = previous_dir / schema / name if previous_dir is not None else None
        changes = (changed_months or {}).get(table.relation)
        if changes is None or previous is None or not previous.is_dir():
            _write_months(con, table, source, folder, all_months(con, table, source), False)
            continue
        rewritten = set(changes.rewritten)
        for month_dir in previous.iterdir():
            month = month_dir.name.removeprefix("month=")
            if not month_dir.is_dir() or month in rewritten:
                continue
            indexes = {
                int(match[1])
                for match in (_MONTH_FILE.fullmatch(file.name) for file in month_dir.iterdir())
                if match
            }
            appended = month in changes.appended and changes.since is not None
            if appended and not 0 < len(indexes) < MONTH_FILES_LIMIT:
                rewritten.add(month)  # written as one file again
                continue
            (folder / month_dir.name).mkdir()
            for index in sorted(indexes):
                file = f"data_{index}.parquet"
                link_or_copy(month_dir / file, folder / month_dir.name / file)
            if appended:
                since = changes.since
                _append_rows(con, table, source, folder / month_dir.name, max(indexes) + 1, since)
        new_months = {m for m in changes.appended if not (previous / f"month={m}").is_dir()}
        # a month rewritten may have lost all its rows
        _write_months(con, table, source, folder, rewritten | new_months, True)


def _append_rows(
    con: duckdb.DuckDBPyConnection,
    table: IncrementalTable,
    source: str,
    month_folder: Path,
    index: int,
    since: dt.datetime,
) -> None:
    """The month's rows written after ``since``, as the file ``data_<index>.parquet``."""
    month = month_folder.name.removeprefix("month=")
    rows = f"{in_month(table, month)} and {BUILT_AT_COLUMN} > {_timestamp(since)}"
    path = sql_text(month_folder / f"data_{index}.parquet")
    con.execute(
        f"copy (select * from {source} where {rows}) to {path} ({PARQUET_OPTIONS})"
    ).fetchall()


def _write_months(
    con: duckdb.DuckDBPyConnection,
    table: IncrementalTable,
    source: str,
    folder: Path,
    months: set[str],
    may_be_empty: bool,
) -> None:
    """Write each of ``months`` of the table as one file (none for a month without rows,
    when ``may_be_empty``)."""
    for month in sorted(months):
        # One COPY per month, its rows picked by a range on the month column (pruned
        # by row-group min/max): quicker than one COPY partitioned by a month expression.
        rows_of_month = in_month(table, month)
        if may_be_empty:
            (rows,) = con.execute(
                f"select count(*) from {source} where {rows_of_month}"
            ).fetchall()[0]
            if not rows:
                continue
        (folder / f"month={month}").mkdir()
        path = sql_text(folder / f"month={month}" / "data_0.parquet")
        con.execute(
            f"copy (select * from {source} where {rows_of_month}) to {path} ({PARQUET_OPTIONS})"
        ).fetchall()
