"""The build database and the published warehouse of the publish tests
(test_publish_release.py, test_publish_delta.py): settings that put both in a test's
temporary folder, a build database with its raw, marts and quality schemas, and a query of
the published warehouse and its Parquet copy (helpers, not tests)."""

from pathlib import Path

import duckdb

from orchestration.settings import Settings, load_settings


def publish_settings(tmp_path: Path) -> Settings:
    """The build database, the published warehouse and its Parquet copy under ``tmp_path``."""
    return load_settings(
        {
            "CXW_BUILD_PATH": str(tmp_path / "build.duckdb"),
            "CXW_WAREHOUSE_PATH": str(tmp_path / "published" / "warehouse.duckdb"),
            "CXW_PARQUET_DIR": str(tmp_path / "parquet"),
        }
    )


def _build(settings, *statements):
    con = duckdb.connect(str(settings.build_path))
    for sql in (
        "create schema if not exists raw",
        "create schema if not exists marts",
        "create schema if not exists quality",
        "create table raw.customers (customer_id varchar, email varchar)",
        "insert into raw.customers values ('c1', 'ann@example.com')",
        *statements,
    ):
        con.execute(sql).fetchall()
    con.close()


def _published(settings, sql):
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def parquet_calls(settings) -> list[tuple]:
    """The rows of the Parquet copy's fct_calls folder (every month), by call, without
    ``_built_at``."""
    glob = settings.parquet_dir / "marts" / "fct_calls" / "*" / "*.parquet"
    return duckdb.sql(
        f"select * exclude (_built_at) from read_parquet('{glob}', hive_partitioning = false) "
        "order by call_id"
    ).fetchall()
