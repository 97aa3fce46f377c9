"""Publishing: an atomic swap of audited marts, refusing personal data, never half-written."""

import os
import re
import shutil

import duckdb
import pytest

from orchestration.assets.publish import PublishRefused, publish_warehouse
from orchestration.published_tables import IncrementalTable, in_month, month_expression
from orchestration.releases import remove_publish_leftovers
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


def published_layout(settings) -> list[str]:
    """The published names, as links through the one ``current`` link to the only release
    left (named ``release-1`` here); raises when the layout is anything else."""
    releases = settings.warehouse_path.with_name(".warehouse.duckdb.releases")
    assert sorted(p.name for p in settings.warehouse_path.parent.iterdir()) == [
        ".warehouse.duckdb.releases",
        "warehouse.duckdb",
    ]
    assert os.readlink(settings.warehouse_path) == (
        ".warehouse.duckdb.releases/current/warehouse.duckdb"
    )
    assert (
        os.readlink(settings.parquet_dir) == "published/.warehouse.duckdb.releases/current/parquet"
    )
    (release,) = [p.name for p in releases.iterdir() if p.name != "current"]
    assert re.fullmatch(r"release-[0-9a-f]{12}", release)
    assert os.readlink(releases / "current") == release
    assert sorted(p.name for p in (releases / release).iterdir()) == ["parquet", "warehouse.duckdb"]
    return sorted(p.name.replace(release, "release-1") for p in releases.iterdir())


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
    assert published_layout(settings) == ["current", "release-1"]
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


def test_every_night_publishes_beside_the_published_names_not_inside_a_release(tmp_path):
    """Each run reads its settings anew, when the published names are already links into
    the current release: the next release goes beside it, never inside it."""
    env = {
        "CXW_BUILD_PATH": str(tmp_path / "build.duckdb"),
        "CXW_WAREHOUSE_PATH": str(tmp_path / "published" / "warehouse.duckdb"),
        "CXW_PARQUET_DIR": str(tmp_path / "published" / "parquet"),
    }
    _build(
        load_settings(env), "create table marts.kpi_metrics as select 'nps' as metric, 1.0 as value"
    )
    for night in range(3):
        settings = load_settings(env)
        assert settings.warehouse_path == tmp_path / "published" / "warehouse.duckdb"
        con = duckdb.connect(str(settings.build_path))
        con.execute(f"update marts.kpi_metrics set value = {night}").fetchall()
        con.close()
        publish_warehouse(settings)
    releases = tmp_path / "published" / ".warehouse.duckdb.releases"
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == [
        ".warehouse.duckdb.releases",
        "parquet",
        "warehouse.duckdb",
    ]
    assert not list(releases.glob("*/.warehouse.duckdb.releases"))
    assert _published(load_settings(env), "select value from marts.kpi_metrics") == [(2.0,)]


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


def test_refuses_a_build_without_marts_before_computing_the_saved_queries(settings, tmp_path):
    """The refusal names what is missing, not the first saved query that fails on it."""
    _build(settings)
    missing = tmp_path / "semantic_manifest.json"  # never read: the refusal comes first
    with pytest.raises(PublishRefused, match="the build database has no marts to publish"):
        publish_warehouse(settings, semantic_manifest=missing)
    assert not settings.warehouse_path.exists()


@pytest.mark.parametrize("column", ["record", "ani", "customer_endpoint", "ip_address"])
def test_refuses_a_vendor_record_or_its_personal_fields(settings, column):
    """A vendor record (kept whole in raw) or a personal field extracted from one never
    reaches the published warehouse, whichever model would carry it there."""
    _build(
        settings,
        "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value",
        f"create table quality.vendor_leak as select 'c-1' as contact_id, 'x' as {column}",
    )
    with pytest.raises(
        PublishRefused, match=f"quality.vendor_leak: column '{column}' carries personal data"
    ):
        publish_warehouse(settings)


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
    assert published_layout(settings) == ["current", "release-1"]


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


def test_records_the_fingerprint_the_dbt_step_built_with(settings, tmp_path):
    """An edit of the dbt project between the dbt step and the publish is not taken as
    built: the publish records the fingerprint of the last dbt build, not of the files."""
    from orchestration.assets.transform import record_transform
    from orchestration.landing.raw_tables import ensure_raw_tables

    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    record_transform(settings, "fingerprint-of-an-older-build", run_id="run-0")
    record_transform(settings, "fingerprint-the-dbt-step-built", run_id="run-1")
    publish_warehouse(settings, run_id="run-1")
    con = duckdb.connect(str(settings.build_path))
    try:
        ensure_raw_tables(con, [])
        rows = con.execute(
            "select run_id, transform_fingerprint from meta.publish_history"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("run-1", "fingerprint-the-dbt-step-built")]


# --- delta publish: a night copies the facts' rows written since the last publish -------

CALLS = IncrementalTable("marts.fct_calls", key="call_id", month_column="report_date")
NIGHT_1, NIGHT_2 = "2026-03-01 02:00:00", "2026-03-02 02:00:00"


def _facts_build(settings, calls: int = 8):
    """A build with a fact of ``calls`` calls over January and February, written in night 1."""
    _build(
        settings,
        "create table marts.fct_calls as "
        "select 'K' || lpad(i::varchar, 2, '0') as call_id, "
        "date '2026-01-10' + cast(i * 7 as integer) as report_date, i * 10 as talk_seconds, "
        f"timestamp '{NIGHT_1}' as _built_at from range({calls}) as t(i)",
        "create table marts.kpi_metrics as select 'handled_calls' as metric, 8 as value",
    )


def _night_2(settings, *statements):
    con = duckdb.connect(str(settings.build_path))
    for sql in statements:
        con.execute(sql).fetchall()
    con.close()


def _parquet_files(settings) -> dict[str, int]:
    folder = settings.parquet_dir / "marts" / "fct_calls"
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.parquet")}


def _parquet_calls(settings) -> list[tuple]:
    glob = settings.parquet_dir / "marts" / "fct_calls" / "*" / "*.parquet"
    return duckdb.sql(
        f"select * exclude (_built_at) from read_parquet('{glob}', hive_partitioning = false) "
        "order by call_id"
    ).fetchall()


def _built_calls(settings) -> list[tuple]:
    con = duckdb.connect(str(settings.build_path), read_only=True)
    try:
        return con.execute(
            "select * exclude (_built_at) from marts.fct_calls order by call_id"
        ).fetchall()
    finally:
        con.close()


def test_a_night_publishes_only_the_fact_rows_written_since_and_their_months(settings):
    _facts_build(settings)
    first = publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    assert (first.method, first.reason) == ("full", "no published warehouse yet")
    assert sorted(_parquet_files(settings)) == [
        "month=2026-01/data_0.parquet",
        "month=2026-02/data_0.parquet",
    ]
    january = _parquet_files(settings)["month=2026-01/data_0.parquet"]
    # night 2: K07 (February) is restated, K08 is new in March, kpi_metrics changes
    _night_2(
        settings,
        f"update marts.fct_calls set talk_seconds = 999, _built_at = '{NIGHT_2}' "
        "where call_id = 'K07'",
        f"insert into marts.fct_calls values ('K08', date '2026-03-02', 80, '{NIGHT_2}')",
        "update marts.kpi_metrics set value = 9",
    )
    second = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert second.method == "delta"
    assert second.rows_by_table["marts.fct_calls"] == 9
    assert _published(
        settings, "select * exclude (_built_at) from marts.fct_calls order by call_id"
    ) == _built_calls(settings)
    assert _published(
        settings,
        "select call_id, talk_seconds from marts.fct_calls "
        "where call_id in ('K07', 'K08') order by 1",
    ) == [("K07", 999), ("K08", 80)]
    assert _published(settings, "select value from marts.kpi_metrics") == [(9,)]
    assert _published(settings, "select run_id, method from quality.publish_log") == [
        ("run-2", "delta")
    ]
    assert _published(
        settings, "select tags from duckdb_databases() where database_name = current_database()"
    ) == [({"storage_version": "v1.0.0+"},)]  # still readable by every DuckDB since 1.0
    # Parquet: January untouched (the same file, linked), February and March written
    files = _parquet_files(settings)
    assert sorted(files) == [
        "month=2026-01/data_0.parquet",
        "month=2026-02/data_0.parquet",
        "month=2026-03/data_0.parquet",
    ]
    assert files["month=2026-01/data_0.parquet"] == january
    assert _parquet_calls(settings) == _built_calls(settings)


KPIS = IncrementalTable(
    "marts.kpi_metrics", key=("period_grain", "period_start"), month_column="period_start"
)


def test_a_kpi_mart_rebuilt_from_a_floor_is_published_by_its_periods(settings):
    """kpi_metrics keeps its periods before a floor and writes every later one again
    (macros/kpi/kpi_rebuild.sql): the delta replaces the published rows of the periods
    written since, whatever their level or entity, and keeps the others."""
    _build(
        settings,
        "create table marts.kpi_metrics as select * from (values "
        f"('day', date '2026-02-27', 'all', 'all', 10.0, timestamp '{NIGHT_1}'), "
        f"('day', date '2026-02-28', 'all', 'all', 11.0, timestamp '{NIGHT_1}'), "
        f"('day', date '2026-02-28', 'client', 'C001', 11.0, timestamp '{NIGHT_1}'), "
        f"('month', date '2026-02-01', 'all', 'all', 21.0, timestamp '{NIGHT_1}')"
        ") as t(period_grain, period_start, level, entity_id, value, _built_at)",
        # January's days, never written again
        "insert into marts.kpi_metrics select 'day', date '2026-01-01' + cast(i as integer), "
        f"'all', 'all', 1.0, timestamp '{NIGHT_1}' from range(31) as t(i)",
    )
    publish_warehouse(settings, run_id="run-1", incremental_tables=[KPIS])
    # night 2: the floor is 2026-02-28: that day and February are written again (the
    # client's row of the day is gone), 2026-03-01 is new; 2026-02-27 is kept
    _night_2(
        settings,
        "delete from marts.kpi_metrics where period_start >= date '2026-02-28' "
        "or period_grain = 'month'",
        "insert into marts.kpi_metrics values "
        f"('day', date '2026-02-28', 'all', 'all', 12.0, timestamp '{NIGHT_2}'), "
        f"('month', date '2026-02-01', 'all', 'all', 22.0, timestamp '{NIGHT_2}'), "
        f"('day', date '2026-03-01', 'all', 'all', 1.0, timestamp '{NIGHT_2}')",
    )
    second = publish_warehouse(settings, run_id="run-2", incremental_tables=[KPIS])
    assert second.method == "delta"
    assert _published(
        settings,
        "select period_grain, cast(period_start as varchar), level, value "
        "from marts.kpi_metrics where period_start >= date '2026-02-01' order by all",
    ) == [
        ("day", "2026-02-27", "all", 10.0),
        ("day", "2026-02-28", "all", 12.0),
        ("day", "2026-03-01", "all", 1.0),
        ("month", "2026-02-01", "all", 22.0),
    ]
    folder = settings.parquet_dir / "marts" / "kpi_metrics"
    assert _published(settings, "select count(*) from marts.kpi_metrics") == [(35,)]
    assert sorted(p.parent.name for p in folder.rglob("*.parquet")) == [
        "month=2026-01",
        "month=2026-02",
        "month=2026-03",
    ]


def test_a_kpi_mart_rebuilt_whole_is_replaced_whole_in_a_delta_publish(settings):
    """A roster snapshot rebuilds kpi_metrics whole (macros/kpi/kpi_rebuild.sql): the facts
    still publish by delta, the KPI mart is copied whole, and a month it no longer has
    leaves the Parquet copy."""
    _facts_build(settings)
    _night_2(
        settings,
        "create or replace table marts.kpi_metrics as select 'day' as period_grain, "
        "date '2026-01-01' + cast(i as integer) as period_start, 1.0 as value, "
        f"timestamp '{NIGHT_1}' as _built_at from range(40) as t(i)",
    )
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS, KPIS])
    # night 2: every KPI row written again, February's gone; one call restated
    _night_2(
        settings,
        "delete from marts.kpi_metrics where period_start >= date '2026-02-01'",
        f"update marts.kpi_metrics set value = 2.0, _built_at = '{NIGHT_2}'",
        f"update marts.fct_calls set talk_seconds = 999, _built_at = '{NIGHT_2}' "
        "where call_id = 'K07'",
    )
    second = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS, KPIS])
    assert (second.method, second.reason) == ("delta", "rows written since the last publish")
    assert _published(
        settings, "select count(*), min(value), max(value) from marts.kpi_metrics"
    ) == [(31, 2.0, 2.0)]
    folder = settings.parquet_dir / "marts" / "kpi_metrics"
    assert sorted(p.parent.name for p in folder.rglob("*.parquet")) == ["month=2026-01"]
    assert _parquet_calls(settings) == _built_calls(settings)


def test_a_published_file_of_another_build_is_replaced_whole(settings):
    _facts_build(settings)
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    _night_2(settings, "delete from meta.publish_history")  # e.g. another build database
    again = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert again.method == "full"
    assert again.reason == "the published files are not the last publish of this build database"


def test_a_full_refresh_of_the_facts_is_published_as_a_new_file(settings):
    _facts_build(settings)
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    _night_2(settings, f"update marts.fct_calls set _built_at = '{NIGHT_2}' where call_id < 'K03'")
    again = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert (again.method, again.reason) == ("full", "3 of 8 fact rows were rewritten")


def test_a_delta_that_does_not_match_the_build_falls_back_to_a_full_copy(settings):
    """A fact row removed without a rewrite (which dbt's delete+insert never does) would
    survive a delta: the row counts differ, and the publish copies the whole build."""
    _facts_build(settings)
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    _night_2(settings, "delete from marts.fct_calls where call_id = 'K00'")
    again = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert again.method == "full"
    assert again.reason == (
        "delta publish did not match: marts.fct_calls: 8 rows published, 7 built"
    )
    assert _published(settings, "select count(*) from marts.fct_calls") == [(7,)]
    assert _parquet_calls(settings) == _built_calls(settings)


def test_a_month_folder_and_its_date_range_hold_the_same_rows():
    """``month_expression`` names a row's Parquet folder and ``in_month`` selects a
    folder's rows when a night rewrites it: each must select exactly the rows of the other."""
    con = duckdb.connect()
    con.execute(
        "create table fct as select * from (values (date '2025-01-01'), (date '2025-01-31'), "
        "(date '2025-02-01'), (date '2025-02-28'), (date '2025-12-31'), (date '2026-01-01'), "
        "(null::date)) as t(report_date)"
    ).fetchall()
    table = IncrementalTable("main.fct", key="report_date", month_column="report_date")
    folders = con.execute(
        f"select {month_expression(table)} as month, list(report_date order by report_date) "
        "from fct group by all order by month"
    ).fetchall()
    assert [month for month, _ in folders] == ["2025-01", "2025-02", "2025-12", "2026-01", "none"]
    for month, dates in folders:
        in_range = con.execute(
            f"select list(report_date order by report_date) from fct where {in_month(table, month)}"
        ).fetchall()[0][0]
        assert in_range == dates, month


def _kpi_build(settings, value: float) -> None:
    if settings.build_path.exists():
        con = duckdb.connect(str(settings.build_path))
        con.execute(f"update marts.kpi_metrics set value = {value}").fetchall()
        con.close()
    else:
        _build(
            settings, f"create table marts.kpi_metrics as select 'nps' as metric, {value} as value"
        )


def _parquet_value(settings) -> list[tuple]:
    return duckdb.sql(
        f"select metric, value from '{settings.parquet_dir}/marts/kpi_metrics.parquet'"
    ).fetchall()


def test_the_next_publish_removes_what_a_killed_one_left_and_nothing_else(settings, tmp_path):
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    published, releases = (
        settings.warehouse_path.parent,
        settings.warehouse_path.parent / (".warehouse.duckdb.releases"),
    )
    # A publish killed while writing its release, and the names of an earlier release of
    # this code (which wrote beside the published file and swapped two names).
    unfinished = releases / "release-0123456789ab"
    (unfinished / "parquet" / "marts").mkdir(parents=True)
    (unfinished / "warehouse.duckdb").write_bytes(b"half")
    (unfinished / "warehouse.duckdb.wal").write_bytes(b"wal")
    (unfinished / "parquet" / "marts" / "kpi_metrics.parquet").write_bytes(b"half")
    os.symlink("release-0123456789ab", releases / ".current.0123456789ab.link")
    os.symlink("x", published / ".warehouse.duckdb.0123456789ab.link")
    (published / ".warehouse.duckdb.a1b2c3d4e5f6.publishing").write_bytes(b"half")
    (published / ".warehouse.duckdb.a1b2c3d4e5f6.publishing.wal").write_bytes(b"wal")
    (tmp_path / ".parquet.a1b2c3d4e5f6.publishing" / "marts").mkdir(parents=True)
    (tmp_path / ".parquet.retired" / "marts").mkdir(parents=True)
    # Files of the user's, with names alike: never touched.
    mine = [
        published / ".warehouse.duckdb.backup",
        published / ".warehouse.duckdb.1234.publishing",
        published / "warehouse.duckdb.a1b2c3d4e5f6.publishing",
        tmp_path / ".parquet.old",
        tmp_path / "parquet.retired",
    ]
    for path in mine:
        path.write_text("mine")

    removed = remove_publish_leftovers(settings)
    assert [p.relative_to(tmp_path).as_posix() for p in removed] == [
        ".parquet.a1b2c3d4e5f6.publishing",
        ".parquet.retired",
        "published/.warehouse.duckdb.0123456789ab.link",
        "published/.warehouse.duckdb.a1b2c3d4e5f6.publishing",
        "published/.warehouse.duckdb.a1b2c3d4e5f6.publishing.wal",
        "published/.warehouse.duckdb.releases/.current.0123456789ab.link",
        "published/.warehouse.duckdb.releases/release-0123456789ab",
    ]
    assert all(path.read_text() == "mine" for path in mine)
    assert _published(settings, "select run_id from quality.publish_log") == [("run-1",)]
    assert remove_publish_leftovers(settings) == []

    # The next publish also removes what a killed one left (here, before it runs).
    (unfinished / "parquet").mkdir(parents=True)
    (unfinished / "warehouse.duckdb").write_bytes(b"half")
    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    for path in mine:
        path.unlink()
    assert published_layout(settings) == ["current", "release-1"]
    assert _published(settings, "select value from marts.kpi_metrics") == [(2.0,)]
    assert _parquet_value(settings) == [("nps", 2.0)]


def test_a_published_file_and_folder_of_the_earlier_layout_become_links_to_one_release(
    settings,
):
    # The layout of an earlier release of this code, or of a deployment copied without its
    # links: the published DuckDB file and the Parquet folder are a file and a folder.
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    for link in (settings.warehouse_path, settings.parquet_dir):
        real = link.resolve()
        link.unlink()
        if real.is_dir():
            shutil.copytree(real, link)
        else:
            shutil.copy2(real, link)
    assert not settings.warehouse_path.is_symlink() and not settings.parquet_dir.is_symlink()

    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    assert published_layout(settings) == ["current", "release-1"]
    assert not (settings.parquet_dir.parent / ".parquet.retired").exists()
    assert _published(
        settings, "select run_id, value from quality.publish_log, marts.kpi_metrics"
    ) == [("run-2", 2.0)]
    assert _parquet_value(settings) == [("nps", 2.0)]


def test_one_rename_switches_the_duckdb_file_and_its_parquet_copy_together(settings):
    """Both published names resolve through the ``current`` link: its target decides what
    a reader of either opens. Until the switch, both give the last release; after it, both
    the new one."""
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    releases = settings.warehouse_path.with_name(".warehouse.duckdb.releases")
    old = os.readlink(releases / "current")
    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    new = os.readlink(releases / "current")
    assert new != old
    assert settings.warehouse_path.resolve() == releases / new / "warehouse.duckdb"
    assert settings.parquet_dir.resolve() == releases / new / "parquet"
    # Put the old release back under the switch (a reader before the rename): both names
    # follow it at once.
    shutil.copytree(releases / new, releases / old)
    con = duckdb.connect(str(releases / old / "warehouse.duckdb"))
    con.execute("update marts.kpi_metrics set value = 1.0").fetchall()
    con.close()
    duckdb.sql(
        f"copy (select 'nps' as metric, 1.0 as value) to "
        f"'{releases / old / 'parquet' / 'marts' / 'kpi_metrics.parquet'}' (format parquet)"
    ).fetchall()
    os.symlink(old, releases / ".current.0123456789ab.link")
    os.replace(releases / ".current.0123456789ab.link", releases / "current")
    assert _published(settings, "select value from marts.kpi_metrics") == [(1.0,)]
    assert _parquet_value(settings) == [("nps", 1.0)]
