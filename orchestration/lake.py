"""The lake of the Spark engine (``CXW_ENGINE=spark``): the raw layer as Parquet for Spark
to read, and Spark's tables read back into the build database.

With Spark the ingestion still lands every file in the build database (its ledger decides
what is new, corrected or withdrawn, exactly as with DuckDB). Then:

* :func:`write_lake_sources` writes every table of the schemas dbt reads as sources
  (``raw``, ``meta``) as a Parquet folder ``<lake>/<schema>/<table>/``: the layout a
  cluster reads from object storage. ``dbt_project/macros/lake_sources.sql`` points each
  dbt source at its folder.
* dbt builds staging, intermediate and marts on Spark, as Parquet tables under
  ``<lake>/warehouse/<schema>.db/<table>/`` (``spark.sql.warehouse.dir``).
* :func:`read_spark_tables` replaces the build database's ``marts`` and ``quality`` tables
  with Spark's, so the checks, the semantic-layer exports and the publish step read the
  same tables, with the same names and types, whichever engine built them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from orchestration.warehouse import sql_text

# The build database's schemas that dbt reads as sources.
SOURCE_SCHEMAS = ("raw", "meta")
# Spark's schemas that the checks and the publish step read.
SPARK_RESULT_SCHEMAS = ("marts", "quality")
SPARK_WAREHOUSE = "warehouse"


def write_lake_sources(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> list[str]:
    """Write every raw and meta table of the build database to ``lake_dir`` as Parquet;
    returns ``schema.table`` of each. A folder is written beside its old one and swapped in,
    so a failed write leaves the previous files whole."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_type = 'BASE TABLE' "
        f"and table_schema in {SOURCE_SCHEMAS} order by 1, 2"
    ).fetchall()
    written = []
    for schema, table in tables:
        folder = lake_dir / schema / table
        staging = folder.with_name(f".{table}.writing")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        con.execute(
            f'copy {schema}."{table}" to {sql_text(staging / "part-0.parquet")} (format parquet)'
        )
        old = folder.with_name(f".{table}.old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        written.append(f"{schema}.{table}")
    return written


def spark_table_folder(lake_dir: Path, schema: str, table: str) -> Path:
    return lake_dir / SPARK_WAREHOUSE / f"{schema}.db" / table


def read_spark_tables(
    con: duckdb.DuckDBPyConnection, lake_dir: Path, relations: list[tuple[str, str]]
) -> None:
    """Replace each ``(schema, table)`` of the build database by Spark's table of that name,
    in one transaction. Spark writes its timestamps as UTC instants; the build database
    holds them as naive UTC timestamps, as DuckDB's own build does."""
    con.execute("begin transaction")
    try:
        for schema, table in relations:
            folder = spark_table_folder(lake_dir, schema, table)
            if not any(folder.glob("*.parquet")):
                raise FileNotFoundError(f"Spark wrote no table {schema}.{table} under {folder}")
            source = f"read_parquet({sql_text(folder / '*.parquet')})"
            columns = con.execute(f"describe select * from {source}").fetchall()
            select = ", ".join(
                f'cast("{name}" as timestamp) as "{name}"'
                if kind.startswith("TIMESTAMP WITH TIME ZONE")
                else f'"{name}"'
                for name, kind, *_ in columns
            )
            con.execute(f"create schema if not exists {schema}")
            con.execute(
                f'create or replace table {schema}."{table}" as select {select} from {source}'
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
