"""How the raw checks cut the rows still to validate into chunks (orchestration/quality.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration import quality
from orchestration.landing.loader import MANIFEST_TABLE, PUBLISH_HISTORY_TABLE, ensure_raw_tables

PUBLISHED_AT = dt.datetime(2026, 3, 2, 3, 0)


@pytest.fixture
def con():
    """raw.calls reduced to its lineage, 6 files: 5 ingested since the last publish (rows
    3, 4, 2, 5, 1) and one published before, whose path sorts among them."""
    con = duckdb.connect()
    ensure_raw_tables(con, [])
    con.execute("create table raw.calls (_file_path varchar, _file_row bigint)")
    con.execute(f"insert into {PUBLISH_HISTORY_TABLE} (published_at) values (?)", [PUBLISHED_AT])
    files = [("a", 3), ("b", 4), ("c", 2), ("d", 5), ("e", 1), ("b_published", 7)]
    for path, rows in files:
        ingested = PUBLISHED_AT + dt.timedelta(hours=-1 if path == "b_published" else 20)
        con.execute(
            f"insert into {MANIFEST_TABLE} (source, file_path, checksum, size_bytes, "
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
        f"insert into {PUBLISH_HISTORY_TABLE} (published_at) values (?)",
        [PUBLISHED_AT + dt.timedelta(days=1)],
    )
    assert list(quality._new_rows_in_chunks("calls")(con)) == []
