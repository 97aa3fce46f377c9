"""Write-audit-publish: copy the audited marts to the published warehouse, atomically.

The build database is where everything is written and checked. Only when every blocking
check has passed does this step copy the ``marts`` and ``quality`` schemas into a new
DuckDB file beside the published one, and rename it over the published file. A rename
is atomic: a BI tool that has the old file open keeps reading the old, complete file
(and never blocks this step); the next one it opens is the new, complete file. A
failure anywhere before the rename leaves the published warehouse exactly as it was.
"""

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.ingestion import BUILD_DB_POOL
from orchestration.landing.contract import PERSONAL_DATA_COLUMNS
from orchestration.landing.loader import (
    PUBLISH_HISTORY_TABLE,
    PUBLISHED_KPI_METRICS_TABLE,
    ensure_raw_tables,
)
from orchestration.run_lock import exclusive_build
from orchestration.settings import Settings, load_settings
from orchestration.transform import transform_fingerprint
from orchestration.warehouse import connect

PUBLISHED_WAREHOUSE_KEY = dg.AssetKey(["published_warehouse"])
PUBLISHED_SCHEMAS = ("marts", "quality")
KPI_METRICS_TABLE = "kpi_metrics"
PUBLISH_LOG_TABLE = "quality.publish_log"
PERSONAL_COLUMN_NAMES = frozenset(c for cols in PERSONAL_DATA_COLUMNS.values() for c in cols)
# BI tools read the published file with the DuckDB they bundle, often a 1.x release (the
# Metabase driver's 1.4, for one). DuckDB 2.0 writes its newest storage format unless told
# otherwise, and no 1.x release opens that; every DuckDB since 1.0 reads this one.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


class PublishRefused(RuntimeError):
    """The build holds something that must never reach the published warehouse."""


@dataclass(frozen=True)
class PublishReport:
    path: Path
    published_at: dt.datetime
    rows_by_table: dict[str, int] = field(default_factory=dict)

    @property
    def tables(self) -> int:
        return len(self.rows_by_table)


def _published_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in {PUBLISHED_SCHEMAS} "
        "order by table_schema, table_name"
    ).fetchall()
    return [(schema, name) for schema, name in rows]


def _refuse_personal_data(con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]) -> None:
    for schema, name in relations:
        columns = con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = current_database() and table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
        personal = sorted({c for (c,) in columns} & PERSONAL_COLUMN_NAMES)
        if personal:
            raise PublishRefused(
                f"refusing to publish {schema}.{name}: column {personal[0]!r} carries personal data"
            )


def _copy_relations(
    con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]
) -> dict[str, int]:
    """Every relation as a table of the attached ``published`` database; rows per table."""
    rows_by_table = {}
    for schema in PUBLISHED_SCHEMAS:
        con.execute(f"create schema if not exists published.{schema}").fetchall()
    for schema, name in relations:
        con.execute(
            f'create table published.{schema}."{name}" as select * from {schema}."{name}"'
        ).fetchall()
        (count,) = con.execute(f'select count(*) from published.{schema}."{name}"').fetchall()[0]
        rows_by_table[f"{schema}.{name}"] = count
    return rows_by_table


def _export_parquet(
    con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]], out_dir: Path
) -> None:
    """``out_dir/<schema>/<table>.parquet`` for every published relation."""
    for schema, name in relations:
        (out_dir / schema).mkdir(parents=True, exist_ok=True)
        path = str(out_dir / schema / f"{name}.parquet").replace("'", "''")
        con.execute(
            f"copy published.{schema}.\"{name}\" to '{path}' (format parquet, compression zstd)"
        ).fetchall()


def _swap_directory(new: Path, current: Path) -> None:
    """Put ``new`` in place of ``current`` with renames (the old copy is removed after)."""
    retired = current.with_name(f".{current.name}.retired")
    shutil.rmtree(retired, ignore_errors=True)
    if current.exists():
        os.replace(current, retired)
    os.replace(new, current)
    shutil.rmtree(retired, ignore_errors=True)


def _sync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def publish_warehouse(settings: Settings, *, run_id: str | None = None) -> PublishReport:
    """Copy ``marts`` and ``quality`` from the build database and swap the published file.

    A Parquet copy of every published table is written beside it (for BI tools without a
    DuckDB driver) and swapped in right after the DuckDB file.
    """
    target = settings.warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    staging_file = target.with_name(f".{target.name}.{token}.publishing")
    parquet_dir = settings.parquet_dir
    staging_parquet = parquet_dir.with_name(f".{parquet_dir.name}.{token}.publishing")
    published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows_by_table: dict[str, int] = {}
    try:
        with connect(settings.build_path, settings, read_only=False) as con:
            relations = _published_relations(con)
            if not any(schema == "marts" for schema, _ in relations):
                raise PublishRefused("the build database has no marts to publish")
            _refuse_personal_data(con, relations)
            con.execute(
                f"attach '{staging_file}' as published "
                f"(storage_version '{PUBLISHED_STORAGE_VERSION}')"
            ).fetchall()
            try:
                rows_by_table = _copy_relations(con, relations)
                con.execute(
                    f"create table published.{PUBLISH_LOG_TABLE} as "
                    "select ?::timestamp as published_at, ?::varchar as run_id, "
                    "?::bigint as tables_published",
                    [published_at, run_id, len(relations)],
                ).fetchall()
                _export_parquet(
                    con, [*relations, tuple(PUBLISH_LOG_TABLE.split("."))], staging_parquet
                )
            finally:
                con.execute("detach published").fetchall()
        _sync(staging_file)
        os.replace(staging_file, target)
        _swap_directory(staging_parquet, parquet_dir)
        with connect(settings.build_path, settings) as con:
            ensure_raw_tables(con, [])
            if ("marts", KPI_METRICS_TABLE) in relations:
                con.execute(
                    f"create or replace table {PUBLISHED_KPI_METRICS_TABLE} as "
                    f"select * from marts.{KPI_METRICS_TABLE}"
                ).fetchall()
            con.execute(
                f"insert into {PUBLISH_HISTORY_TABLE} "
                "(published_at, run_id, transform_fingerprint) values (?, ?, ?)",
                [published_at, run_id, transform_fingerprint(settings)],
            ).fetchall()
    finally:
        staging_file.unlink(missing_ok=True)
        staging_file.with_name(staging_file.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(staging_parquet, ignore_errors=True)
    return PublishReport(target, published_at, rows_by_table)


def build_publish_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """The publish step, downstream of every mart: it runs only when their checks allow."""

    @dg.asset(
        key=PUBLISHED_WAREHOUSE_KEY,
        deps=list(upstream),
        group_name="publish",
        pool=BUILD_DB_POOL,
        kinds={"duckdb"},
        description="The published warehouse BI tools read (CXW_WAREHOUSE_PATH): the marts "
        "and quality schemas of the audited build, swapped in atomically.",
    )
    def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = load_settings()
        with exclusive_build(settings, "publish"):
            report = publish_warehouse(settings, run_id=context.run.run_id)
        context.log.info(f"published {report.tables} tables to {report.path}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(report.path)),
                "tables": report.tables,
                "rows_by_table": dg.MetadataValue.json(report.rows_by_table),
                "published_at": report.published_at.isoformat(),
            }
        )

    return published_warehouse
