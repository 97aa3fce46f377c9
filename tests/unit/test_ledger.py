"""The run ledger (schema meta): what it answers, and the move from an older build database."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration import ledger

PUBLISHED_AT = dt.datetime(2026, 3, 2, 3, 0)


@pytest.fixture
def con():
    con = duckdb.connect()
    ledger.ensure_ledger(con)
    yield con
    con.close()


def _file(con, path: str, status: str, ingested_at: dt.datetime, loaded: int = 1) -> None:
    con.execute(
        f"insert into {ledger.INGEST_MANIFEST} (source, file_path, checksum, size_bytes, "
        "modified_ns, file_format, status, rows_read, rows_loaded, rows_rejected, "
        "ingested_at) values ('calls', ?, ?, 1, 1, 'csv', ?, ?, ?, 0, ?)",
        [path, f"sum-{path}", status, loaded, loaded, ingested_at],
    ).fetchall()


def test_files_since_the_last_publish_are_unpublished(con):
    _file(con, "calls/a.csv", ledger.LOADED, PUBLISHED_AT - dt.timedelta(hours=1), loaded=3)
    _file(con, "calls/b.csv", ledger.LOADED, PUBLISHED_AT + dt.timedelta(hours=1), loaded=4)
    _file(con, "calls/c.csv", ledger.REJECTED, PUBLISHED_AT + dt.timedelta(hours=1), loaded=0)
    assert ledger.last_publish(con) is None
    assert ledger.files_since_last_publish(con) == 3  # nothing published yet
    ledger.record_transform(con, "fp-1", "run-1")
    ledger.record_publish(con, PUBLISHED_AT, "run-1", kpi_metrics=None)
    assert ledger.last_publish(con) == ("run-1", "fp-1")
    assert ledger.unpublished_files(con, "calls") == [("calls/b.csv", 4)]
    assert ledger.files_since_last_publish(con) == 2  # the rejected file counts too
    assert ledger.rejected_files(con, "calls") == [("calls/c.csv", None)]


def test_a_publish_keeps_the_kpi_metrics_it_published(con):
    con.execute("create schema marts")
    con.execute("create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    assert ledger.published_kpi_metrics_columns(con) is None
    ledger.record_publish(con, PUBLISHED_AT, "run-1", kpi_metrics="marts.kpi_metrics")
    assert ledger.published_kpi_metrics_columns(con) == ["metric", "value"]
    rows = con.execute(f"select * from {ledger.PUBLISHED_KPI_METRICS}").fetchall()
    assert rows == [("nps", 42.0)]


def test_the_copy_of_the_published_kpi_metrics_follows_by_the_periods_written(con):
    """A build writes kpi_metrics again from a floor (macros/kpi/kpi_rebuild.sql): the copy
    takes the periods written since it was taken, rows it had before are kept."""
    con.execute("create schema marts")
    con.execute(
        "create table marts.kpi_metrics as select * from (values "
        "('day', date '2026-03-01', 'nps', 40.0, timestamp '2026-03-02 02:00'), "
        "('day', date '2026-03-02', 'nps', 41.0, timestamp '2026-03-02 02:00'), "
        "('month', date '2026-03-01', 'nps', 40.5, timestamp '2026-03-02 02:00')"
        ") as t(period_grain, period_start, metric, value, _built_at)"
    )
    ledger.record_publish(con, PUBLISHED_AT, "run-1", kpi_metrics="marts.kpi_metrics")
    con.execute(
        "delete from marts.kpi_metrics where period_start >= date '2026-03-02' "
        "or period_grain = 'month'"
    )
    con.execute(
        "insert into marts.kpi_metrics values "
        "('day', date '2026-03-02', 'nps', 43.0, timestamp '2026-03-03 02:00'), "
        "('day', date '2026-03-03', 'nps', 44.0, timestamp '2026-03-03 02:00'), "
        "('month', date '2026-03-01', 'nps', 42.0, timestamp '2026-03-03 02:00')"
    )
    ledger.record_publish(con, PUBLISHED_AT, "run-2", kpi_metrics="marts.kpi_metrics")
    copied = f"select * from {ledger.PUBLISHED_KPI_METRICS} order by all"
    assert (
        con.execute(copied).fetchall()
        == con.execute("select * from marts.kpi_metrics order by all").fetchall()
    )
    # the copy of 2026-03-01 was not written again
    (first_day,) = con.execute(
        f"select _built_at from {ledger.PUBLISHED_KPI_METRICS} where period_grain = 'day' "
        "and period_start = date '2026-03-01'"
    ).fetchall()[0]
    assert first_day == dt.datetime(2026, 3, 2, 2, 0)
    # a period that lost its rows cannot be followed: the whole table is copied
    con.execute("delete from marts.kpi_metrics where period_start = date '2026-03-03'")
    ledger.record_publish(con, PUBLISHED_AT, "run-3", kpi_metrics="marts.kpi_metrics")
    assert (
        con.execute(copied).fetchall()
        == con.execute("select * from marts.kpi_metrics order by all").fetchall()
    )


def test_an_older_build_database_keeps_its_ledger_in_meta():
    """Releases before the meta schema kept the ledger in raw: nothing is lost in the move."""
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(
        "create table raw.ingest_manifest as select 'calls' as source, 'calls/a.csv' as "
        "file_path, 'x' as checksum, 1::bigint as size_bytes, 1::bigint as modified_ns, "
        "'csv' as file_format, 'loaded' as status, null::varchar as error_reason, "
        "null::varchar as error, 2::bigint as rows_read, 2::bigint as rows_loaded, "
        "0::bigint as rows_rejected, []::varchar[] as extra_columns, "
        "timestamp '2026-03-01 01:00' as ingested_at, 'run-0' as run_id"
    )
    # the oldest publish history had no fingerprint column
    con.execute(
        "create table raw.publish_history as select timestamp '2026-03-01 02:00' as "
        "published_at, 'run-0' as run_id"
    )
    con.execute("create table raw.published_kpi_metrics as select 'nps' as metric, 1.0 as value")
    ledger.ensure_ledger(con)
    assert con.execute(f"select file_path from {ledger.INGEST_MANIFEST}").fetchall() == [
        ("calls/a.csv",)
    ]
    assert ledger.last_publish(con) == ("run-0", None)
    assert ledger.published_kpi_metrics_columns(con) == ["metric", "value"]
    left_in_raw = con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'"
    ).fetchall()
    assert left_in_raw == []
    ledger.ensure_ledger(con)  # a second call changes nothing
    assert con.execute(f"select count(*) from {ledger.INGEST_MANIFEST}").fetchall() == [(1,)]
    con.close()


def test_rows_of_files_names_a_range_and_the_list():
    condition, params = ledger.rows_of_files("_file_path", ["calls/b.csv", "calls/a.csv"])
    con = duckdb.connect()
    rows = con.execute(
        "select p from (values ('calls/a.csv'), ('calls/a2.csv'), ('calls/b.csv'), "
        f"('calls/c.csv')) as t(p) where {condition.replace('_file_path', 'p')} order by p",
        params,
    ).fetchall()
    assert rows == [("calls/a.csv",), ("calls/b.csv",)]


def test_a_build_database_belongs_to_one_landing_zone(con):
    assert ledger.landing_zone(con) is None
    ledger.bind_landing_zone(con, "/srv/cx/landing")  # first use adopts it
    ledger.bind_landing_zone(con, "/srv/cx/landing")
    with pytest.raises(ledger.LandingZoneMismatch) as refused:
        ledger.bind_landing_zone(con, "/srv/other/landing")
    assert str(refused.value) == (
        "this build database belongs to the landing zone /srv/cx/landing, not "
        "/srv/other/landing: set CXW_LANDING_DIR back to it, or run `cxw run --full-refresh` "
        "to rebuild from /srv/other/landing"
    )
    ledger.adopt_landing_zone(con, "/srv/other/landing")
    assert ledger.landing_zone(con) == "/srv/other/landing"


def test_a_withdrawal_is_something_new_since_the_last_publish(con):
    _file(con, "calls/a.csv", ledger.LOADED, PUBLISHED_AT - dt.timedelta(hours=1))
    con.execute(
        f"insert into {ledger.PUBLISH_HISTORY} values (?, 'run-1', 'fp')", [PUBLISHED_AT]
    ).fetchall()
    assert ledger.files_since_last_publish(con) == 0
    ledger.mark_withdrawn(con, "calls/a.csv", rows_removed=1, keys_dropped=1)
    assert ledger.files_since_last_publish(con) == 1
    assert ledger.unpublished_files(con, "calls") == []
    assert ledger.withdrawn_files(con).select("file_path", "status").rows() == [
        ("calls/a.csv", "withdrawn")
    ]
