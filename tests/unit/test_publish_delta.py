"""The delta publish: a night copies into the published warehouse only the fact rows
written since the last publish, and into the Parquet copy only their months' folders (the
other months' files are linked from the last release); a KPI mart rebuilt from a floor is
published by its periods, one rebuilt whole is replaced whole; a publish that cannot trust a
delta (no published warehouse yet, the published files of another build database, a full
refresh of the facts, a delta that does not match the build) copies the whole build; a
night scoped to some sources keeps the tables it did not rebuild from the last publish. Also
that a month's Parquet folder and its date range hold the same rows
(orchestration/assets/publish.py, orchestration/published_tables.py). The release switch
and the refusals are tested in test_publish_release.py."""

import duckdb
import pytest

from orchestration import ledger, published_tables
from orchestration.assets.publish import publish_warehouse
from orchestration.published_tables import IncrementalTable, in_month, month_expression
from tests.unit.publish_helpers import _build, _published, parquet_calls, publish_settings


@pytest.fixture
def settings(tmp_path):
    return publish_settings(tmp_path)


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
    assert parquet_calls(settings) == _built_calls(settings)


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
    assert parquet_calls(settings) == _built_calls(settings)


SCOPED_TO_CALLS = frozenset({"marts.fct_calls", "marts.kpi_metrics"})


def _scoped_night(settings, *builds: str) -> None:
    """Night 2: the dbt builds of ``builds`` (run ids) recorded in the ledger, the last of
    which wrote a new call and kpi_metrics again; marts.dim_site is as night 1 left it."""
    con = duckdb.connect(str(settings.build_path))
    for run_id in builds:
        ledger.record_transform(con, "fingerprint", run_id)
    con.execute(f"insert into marts.fct_calls values ('K08', date '2026-03-02', 80, '{NIGHT_2}')")
    con.execute("update marts.kpi_metrics set value = 9").fetchall()
    con.close()


def _inodes(settings) -> dict[str, int]:
    marts = settings.parquet_dir / "marts"
    return {name: (marts / f"{name}.parquet").stat().st_ino for name in ("dim_site", "kpi_metrics")}


def test_a_scoped_night_keeps_the_tables_it_did_not_rebuild_from_the_last_publish(settings):
    """A run scoped to the calls (orchestration/run_scope.py) rebuilt fct_calls and
    kpi_metrics only: dim_site is published as the last publish has it, its Parquet file a
    link to the last release's; kpi_metrics is copied and written again."""
    _facts_build(settings)
    _night_2(settings, "create table marts.dim_site as select 'CLT' as site_id")
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    night_1 = _inodes(settings)
    _scoped_night(settings, "run-2")
    report = publish_warehouse(
        settings, run_id="run-2", incremental_tables=[CALLS], rebuilt=SCOPED_TO_CALLS
    )
    assert report.method == "delta"
    night_2 = _inodes(settings)
    assert night_2["dim_site"] == night_1["dim_site"]
    assert night_2["kpi_metrics"] != night_1["kpi_metrics"]
    assert _published(settings, "select site_id from marts.dim_site") == [("CLT",)]
    assert _published(settings, "select value from marts.kpi_metrics") == [(9,)]
    assert _published(settings, "select count(*) from marts.fct_calls") == [(9,)]


def test_a_scoped_night_after_an_unpublished_build_copies_every_table(settings):
    """A dbt build since the last publish that was not published (its checks failed) may
    have changed any table: the scoped night's publish keeps none."""
    _facts_build(settings)
    _night_2(settings, "create table marts.dim_site as select 'CLT' as site_id")
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    night_1 = _inodes(settings)
    _scoped_night(settings, "run-2", "run-3")
    report = publish_warehouse(
        settings, run_id="run-3", incremental_tables=[CALLS], rebuilt=SCOPED_TO_CALLS
    )
    assert report.method == "delta"
    assert _inodes(settings)["dim_site"] != night_1["dim_site"]
    assert _published(settings, "select site_id from marts.dim_site") == [("CLT",)]


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
    assert parquet_calls(settings) == _built_calls(settings)


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


def _month_files(settings, month: str) -> dict[str, int]:
    folder = settings.parquet_dir / "marts" / "fct_calls" / f"month={month}"
    return {p.name: p.stat().st_ino for p in sorted(folder.iterdir())}


def test_a_month_that_only_gained_rows_gets_a_file_of_them_beside_its_linked_ones(settings):
    """A run during the day adds calls to the current month: the month's files are linked
    and one file of the new rows joins them; a month where a row is restated is written
    again as one file."""
    _facts_build(settings)
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    february = _month_files(settings, "2026-02")
    _night_2(
        settings, f"insert into marts.fct_calls values ('K08', date '2026-02-27', 80, '{NIGHT_2}')"
    )
    publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    files = _month_files(settings, "2026-02")
    assert list(files) == ["data_0.parquet", "data_1.parquet"]
    assert files["data_0.parquet"] == february["data_0.parquet"]  # linked, not written
    folder = settings.parquet_dir / "marts" / "fct_calls" / "month=2026-02"
    assert duckdb.sql(f"select call_id from '{folder / 'data_1.parquet'}'").fetchall() == [("K08",)]
    assert parquet_calls(settings) == _built_calls(settings)
    # night 3 restates a February call: the month is written again, as one file
    _night_2(
        settings,
        "update marts.fct_calls set talk_seconds = 1, _built_at = '2026-03-03 02:00:00' "
        "where call_id = 'K05'",
    )
    publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert list(_month_files(settings, "2026-02")) == ["data_0.parquet"]
    assert parquet_calls(settings) == _built_calls(settings)


def test_a_month_of_many_files_is_written_again_as_one(settings, monkeypatch):
    monkeypatch.setattr(published_tables, "MONTH_FILES_LIMIT", 2)
    _facts_build(settings)
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    for night, call in ((2, "K08"), (3, "K09")):
        _night_2(
            settings,
            f"insert into marts.fct_calls values "
            f"('{call}', date '2026-02-27', 80, '2026-03-0{night} 02:00:00')",
        )
        publish_warehouse(settings, run_id=f"run-{night}", incremental_tables=[CALLS])
        expected = ["data_0.parquet", "data_1.parquet"] if night == 2 else ["data_0.parquet"]
        assert list(_month_files(settings, "2026-02")) == expected
        assert parquet_calls(settings) == _built_calls(settings)
