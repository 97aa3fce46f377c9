"""Publishing: an atomic swap of audited marts, refusing personal data, never half-written."""

import duckdb
import pytest

from orchestration.publish import PublishRefused, publish_warehouse
from orchestration.settings import load_settings


@pytest.fixture
def settings(tmp_path):
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


def test_publishes_marts_and_quality_only(settings):
    _build(
        settings,
        "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value",
        "create view marts.kpi_client_monthly as select metric, value from marts.kpi_metrics",
        "create table quality.rejected_rows_summary as select 'calls' as source, 3 as rows",
    )
    report = publish_warehouse(settings, run_id="run-1")
    assert report.rows_by_table == {
        "marts.kpi_client_monthly": 1,
        "marts.kpi_metrics": 1,
        "quality.rejected_rows_summary": 1,
    }
    assert _published(settings, "select metric, value from marts.kpi_client_monthly") == [
        ("nps", 42.0)
    ]
    schemas = _published(
        settings,
        "select distinct table_schema from information_schema.tables order by 1",
    )
    assert schemas == [("marts",), ("quality",)]  # no raw layer
    assert _published(settings, "select run_id, tables_published from quality.publish_log") == [
        ("run-1", 3)
    ]
    assert list(settings.warehouse_path.parent.iterdir()) == [settings.warehouse_path]
    parquet = sorted(
        p.relative_to(settings.parquet_dir).as_posix()
        for p in settings.parquet_dir.rglob("*.parquet")
    )
    assert parquet == [
        "marts/kpi_client_monthly.parquet",
        "marts/kpi_metrics.parquet",
        "quality/publish_log.parquet",
        "quality/rejected_rows_summary.parquet",
    ]
    assert duckdb.sql(
        f"select metric, value from '{settings.parquet_dir}/marts/kpi_metrics.parquet'"
    ).fetchall() == [("nps", 42.0)]
    assert sorted(p.name for p in settings.parquet_dir.parent.iterdir()) == [
        "build.duckdb",
        "parquet",
        "published",
    ]


def test_refuses_a_mart_with_a_personal_data_column_and_keeps_the_old_file(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    publish_warehouse(settings)
    con = duckdb.connect(str(settings.build_path))
    con.execute(
        "create table marts.dim_customer as select 'c1' as customer_id, 'a@b.c' as email"
    ).fetchall()
    con.close()
    with pytest.raises(
        PublishRefused, match="marts.dim_customer: column 'email' carries personal data"
    ):
        publish_warehouse(settings)
    assert _published(
        settings, "select table_schema, table_name from information_schema.tables order by all"
    ) == [("marts", "kpi_metrics"), ("quality", "publish_log")]


def test_a_failure_while_copying_leaves_the_published_file_as_it_was(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    publish_warehouse(settings)
    before = settings.warehouse_path.read_bytes()
    con = duckdb.connect(str(settings.build_path))
    con.execute("create table marts.helper as select 1 as x").fetchall()
    con.execute("create view marts.broken as select x from marts.helper").fetchall()
    con.execute("drop table marts.helper").fetchall()  # the view can no longer be read
    con.close()
    with pytest.raises(duckdb.Error):
        publish_warehouse(settings)
    assert settings.warehouse_path.read_bytes() == before
    assert list(settings.warehouse_path.parent.iterdir()) == [settings.warehouse_path]


def test_a_reader_holding_the_published_file_neither_blocks_nor_sees_a_half_state(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 1.0 as value")
    publish_warehouse(settings)
    reader = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        con = duckdb.connect(str(settings.build_path))
        con.execute("update marts.kpi_metrics set value = 2.0").fetchall()
        con.close()
        publish_warehouse(settings)  # does not wait for, or fail because of, the reader
        assert reader.execute("select value from marts.kpi_metrics").fetchall() == [(1.0,)]
    finally:
        reader.close()
    assert _published(settings, "select value from marts.kpi_metrics") == [(2.0,)]
