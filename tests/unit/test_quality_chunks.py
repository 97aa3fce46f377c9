"""How the checks cut the rows still to validate into chunks (orchestration/assets/quality.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration import ledger
from orchestration.assets import quality
from orchestration.ledger import INGEST_MANIFEST, PUBLISH_HISTORY, ensure_ledger

PUBLISHED_AT = dt.datetime(2026, 3, 2, 3, 0)


@pytest.fixture
def con():
    """raw.calls reduced to its lineage, 6 files: 5 ingested since the last publish (rows
    3, 4, 2, 5, 1) and one published before, whose path sorts among them."""
    con = duckdb.connect()
    ensure_ledger(con)
    con.execute("create schema raw")
    con.execute("create table raw.calls (_file_path varchar, _file_row bigint)")
    con.execute(f"insert into {PUBLISH_HISTORY} (published_at) values (?)", [PUBLISHED_AT])
    files = [("a", 3), ("b", 4), ("c", 2), ("d", 5), ("e", 1), ("b_published", 7)]
    for path, rows in files:
        ingested = PUBLISHED_AT + dt.timedelta(hours=-1 if path == "b_published" else 20)
        con.execute(
            f"insert into {INGEST_MANIFEST} (source, file_path, checksum, size_bytes, "
            "modified_ns, file_format, status, rows_read, rows_loaded, rows_rejected, "
            "ingested_at) values ('calls', ?, 'x', 1, 1, 'csv', 'loaded', ?, ?, 0, ?)",
            [path, rows, rows, ingested],
        )
        con.execute("insert into raw.calls select ?, range from range(1, ? + 1)", [path, rows])
    yield con
    con.close()


def test_chunks_hold_whole_unpublished_files_up_to_the_chunk_size(con, monkeypatch):
    monkeypatch.setattr(quality, "CHUNK_ROWS", 6)
    chunks = [
        sorted(con.execute(sql, params).fetchall())
        for sql, params in quality._new_rows_in_chunks("calls")(con)
    ]
    assert [sorted({path for path, _ in chunk}) for chunk in chunks] == [
        ["a"],  # a (3) + b (4) would exceed 6
        ["b", "c"],  # b_published sorts between them: in the range, not in the list
        ["d", "e"],
    ]
    assert [len(chunk) for chunk in chunks] == [3, 6, 6]


def test_no_unpublished_file_gives_no_chunk(con):
    con.execute(
        f"insert into {PUBLISH_HISTORY} (published_at) values (?)",
        [PUBLISHED_AT + dt.timedelta(days=1)],
    )
    assert list(quality._new_rows_in_chunks("calls")(con)) == []


@pytest.fixture
def kpi_con():
    """kpi_metrics reduced to its key and value: 10 rows, of which the last publish holds
    6 as they are, 1 with another value (day 7), and 1 row no longer built (day 99)."""
    con = duckdb.connect()
    con.execute("create schema marts")
    ensure_ledger(con)
    columns = "period_grain varchar, period_start date, level varchar, entity_id varchar, "
    columns += "metric varchar, value double"
    con.execute(f"create table marts.kpi_metrics ({columns})")
    con.execute(f"create table {ledger.PUBLISHED_KPI_METRICS} ({columns})")
    con.execute(
        "insert into marts.kpi_metrics select 'day', date '2026-03-01' + day::int, 'all', "
        "'all', 'nps', day from range(10) as days(day)"
    )
    con.execute(
        f"insert into {ledger.PUBLISHED_KPI_METRICS} select * from marts.kpi_metrics "
        "where period_start < date '2026-03-07' union all "
        "select 'day', date '2026-03-08', 'all', 'all', 'nps', -1 union all "
        "select 'day', date '2026-03-01' + 99, 'all', 'all', 'nps', 99"
    )
    yield con
    con.close()


def _kpi_chunks(con) -> list[list[tuple]]:
    return [
        sorted(con.execute(sql, params).fetchall())
        for sql, params in quality._changed_kpi_rows_in_chunks()(con)
    ]


def test_kpi_chunks_hold_each_changed_row_once(kpi_con, monkeypatch):
    monkeypatch.setattr(quality, "CHUNK_ROWS", 2)
    chunks = _kpi_chunks(kpi_con)
    assert len(chunks) == 2  # 4 changed rows over 2 chunks (cut by the hash of the key)
    rows = sorted(row for chunk in chunks for row in chunk)
    # days 6 (new), 7 (value changed: 7.0, published -1), 8 and 9 (new)
    assert [(row[1].isoformat(), row[5]) for row in rows] == [
        ("2026-03-07", 6.0),
        ("2026-03-08", 7.0),
        ("2026-03-09", 8.0),
        ("2026-03-10", 9.0),
    ]


def test_kpi_chunks_hold_every_row_when_the_published_columns_differ(kpi_con, monkeypatch):
    monkeypatch.setattr(quality, "CHUNK_ROWS", 4)
    kpi_con.execute(f"alter table {ledger.PUBLISHED_KPI_METRICS} drop column value")
    chunks = _kpi_chunks(kpi_con)
    assert len(chunks) == 3  # 10 rows, up to 4 per chunk
    assert sorted(row[5] for chunk in chunks for row in chunk) == [float(d) for d in range(10)]


def test_no_changed_kpi_row_gives_no_chunk(kpi_con):
    kpi_con.execute(f"delete from {ledger.PUBLISHED_KPI_METRICS}")
    kpi_con.execute(f"insert into {ledger.PUBLISHED_KPI_METRICS} select * from marts.kpi_metrics")
    assert _kpi_chunks(kpi_con) == []


def test_kpi_chunks_compare_only_the_periods_written_since_the_copy(kpi_con):
    """kpi_metrics with _built_at (macros/kpi/kpi_rebuild.sql): the build wrote again the
    days from 2026-03-08 on. Of those, day 8 (7.0, published -1) and the new days differ;
    a day written again with its published value does not, and the days before are the
    copy's (day 7 is new in the build but not written since: it is not compared)."""
    for table in ("marts.kpi_metrics", ledger.PUBLISHED_KPI_METRICS):
        kpi_con.execute(f"alter table {table} add column _built_at timestamp")
        kpi_con.execute(f"update {table} set _built_at = timestamp '2026-03-08 02:00'")
    kpi_con.execute(
        "update marts.kpi_metrics set _built_at = timestamp '2026-03-09 02:00' "
        "where period_start >= date '2026-03-08'"
    )
    kpi_con.execute(  # written again with the value it had
        f"insert into {ledger.PUBLISHED_KPI_METRICS} select * exclude (_built_at), "
        "timestamp '2026-03-08 02:00' from marts.kpi_metrics where period_start = date '2026-03-10'"
    )
    rows = sorted(row for chunk in _kpi_chunks(kpi_con) for row in chunk)
    assert [(row[1].isoformat(), row[5]) for row in rows] == [
        ("2026-03-08", 7.0),
        ("2026-03-09", 8.0),
    ]
