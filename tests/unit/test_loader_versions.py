"""Which landing files the loader reads again, run after run, and what their rows
replace: the manifest (meta.ingest_manifest) keeps a second run over the same files from
changing anything, a changed file replaces its rows, a re-delivery under a new name is kept
as a new version unless its content was ingested before, files read ahead load in path
order across batches, a corrected file records the keys it no longer holds, a withdrawn
file leaves raw but stays listed, and reconcile reports a manifest that disagrees with the
tables (orchestration/landing/). Formats, parsing and rejects are tested in
test_loader_reading.py."""

import datetime as dt
import os

import pytest

from orchestration import ledger
from orchestration.landing.raw_tables import reconcile
from orchestration.landing.retractions import withdraw_files
from tests.unit import loader_helpers as loader
from tests.unit.loader_helpers import (
    CALLS_HEADER,
    GOOD_CALL,
    _ingest,
    _rows,
    _write,
)

# the build database (a fixture), bound here so that pytest finds it
con = loader.con


def test_second_run_over_the_same_files_changes_nothing(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\nc2,acme,fax,x,y,,,\n")
    _ingest(con, landing, now=dt.datetime(2026, 1, 6, 1, 0))
    before = (
        _rows(con, "select * from raw.calls order by all"),
        _rows(con, "select * from meta.rejected_rows order by all"),
        _rows(con, "select * from meta.ingest_manifest order by all"),
    )
    report = _ingest(con, landing, now=dt.datetime(2026, 1, 7, 1, 0))
    assert (report.files_seen, report.files_unchanged, report.results) == (1, 1, [])
    os.utime(landing / "calls/a.csv", ns=(1, 1))  # touched, same content: still not re-ingested
    report = _ingest(con, landing, now=dt.datetime(2026, 1, 8, 1, 0))
    assert report.results == []
    after = (
        _rows(con, "select * from raw.calls order by all"),
        _rows(con, "select * from meta.rejected_rows order by all"),
        _rows(con, "select * exclude (modified_ns) from meta.ingest_manifest order by all"),
    )
    assert after[:2] == before[:2]
    assert after[2] == [tuple(v for i, v in enumerate(row) if i != 4) for row in before[2]]


def test_changed_file_is_reingested_and_replaces_its_rows(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\nc2,acme,fax,x,y,,,\n")
    _ingest(con, landing, now=dt.datetime(2026, 1, 6, 1, 0))
    corrected = GOOD_CALL.replace(",280", ",300")
    _write(
        landing,
        "calls/a.csv",
        f"{CALLS_HEADER}\n{corrected}\nc2,acme,inbound,2026-01-05T11:00:00Z,2026-01-05T11:00:03Z,,,\n",
    )
    report = _ingest(con, landing, now=dt.datetime(2026, 1, 7, 1, 0))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert _rows(con, "select call_id, talk_seconds, _loaded_at from raw.calls order by 1") == [
        ("c1", 300.0, dt.datetime(2026, 1, 7, 1, 0)),
        ("c2", None, dt.datetime(2026, 1, 7, 1, 0)),
    ]
    assert _rows(con, "select count(*) from meta.rejected_rows") == [(0,)]
    assert _rows(con, "select rows_read, rows_loaded, rows_rejected from meta.ingest_manifest") == [
        (2, 2, 0)
    ]


def test_redelivered_rows_are_kept_as_versions_in_file_order(con, tmp_path):
    """raw is an append log: staging picks the greatest (_file_path, _file_row) per key."""
    landing = tmp_path / "landing"
    _write(landing, "calls/calls_2026-01-05.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n")
    _ingest(con, landing)
    _write(
        landing,
        "calls/calls_2026-01-05_correction.csv",
        f"{CALLS_HEADER}\n{GOOD_CALL.replace(',280', ',305')}\n",
    )
    report = _ingest(con, landing)
    assert [r.file_path for r in report.results] == ["calls/calls_2026-01-05_correction.csv"]
    assert _rows(con, "select _file_path, talk_seconds from raw.calls order by _file_path") == [
        ("calls/calls_2026-01-05.csv", 280.0),
        ("calls/calls_2026-01-05_correction.csv", 305.0),
    ]


def test_reconcile_reports_a_manifest_that_disagrees_with_the_tables(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n")
    _ingest(con, landing)
    assert reconcile(con, "calls") == []
    con.execute("delete from raw.calls").fetchall()
    assert reconcile(con, "calls") == [
        "calls/a.csv: manifest says 1 loaded / 0 rejected, tables hold 0 / 0"
    ]


def test_the_same_content_under_a_new_name_is_not_ingested_again(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/calls_2026-01-05.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n")
    _write(
        landing,
        "calls/calls_2026-01-06_fix.csv",
        f"{CALLS_HEADER}\n{GOOD_CALL.replace(',280', ',305')}\n",
    )
    _ingest(con, landing)
    # an old export dropped again under a new name must not undo the correction
    _write(landing, "calls/calls_2026-01-07_resend.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n")
    report = _ingest(con, landing)
    assert [(r.file_path, r.status, r.rows_read) for r in report.results] == [
        ("calls/calls_2026-01-07_resend.csv", "duplicate", 0)
    ]
    assert report.results[0].error.endswith(
        "same content as calls/calls_2026-01-05.csv, not ingested again"
    )
    assert _rows(con, "select count(*) from raw.calls") == [(2,)]
    assert reconcile(con, "calls") == []


def test_files_read_ahead_load_in_path_order_across_batches(con, tmp_path):
    # more files than are read ahead, flushed every 3 rows, a file rejected whole between
    # them and a re-delivered copy: every file keeps its own rows, counts and status
    landing = tmp_path / "landing"
    _write(
        landing,
        "calls/a_old.csv",
        f"{CALLS_HEADER}\nold,acme,inbound,2026-01-04T10:00:00Z,2026-01-04T10:05:00Z,,a1,0\n",
    )
    _ingest(con, landing)
    for day in range(1, 13):
        rows = "\n".join(
            GOOD_CALL.replace("c1,", f"d{day:02d}r{row},").replace("10:00:00Z", f"10:{day:02d}:00Z")
            for row in range(day % 3 + 1)
        )
        _write(landing, f"calls/b_{day:02d}.csv", f"{CALLS_HEADER}\n{rows}\n")
    _write(landing, "calls/b_06x.csv", "call_id\nbroken\n")
    (landing / "calls/b_09y.csv").write_bytes((landing / "calls/a_old.csv").read_bytes())
    report = _ingest(con, landing, batch_rows=3)
    assert [(r.file_path, r.status, r.rows_loaded) for r in report.results] == [
        *((f"calls/b_{d:02d}.csv", "loaded", d % 3 + 1) for d in range(1, 7)),
        ("calls/b_06x.csv", "rejected", 0),
        *((f"calls/b_{d:02d}.csv", "loaded", d % 3 + 1) for d in range(7, 10)),
        ("calls/b_09y.csv", "duplicate", 0),
        *((f"calls/b_{d:02d}.csv", "loaded", d % 3 + 1) for d in range(10, 13)),
    ]
    assert _rows(
        con,
        "select _file_path, count(*), min(offered_at) from raw.calls "
        "where _file_path = 'calls/b_05.csv' group by 1",
    ) == [("calls/b_05.csv", 3, dt.datetime(2026, 1, 5, 10, 5))]
    assert _rows(con, "select count(*) from raw.calls") == [
        (1 + sum(d % 3 + 1 for d in range(1, 13)),)
    ]
    assert reconcile(con, "calls") == []


def _bump_mtime(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_a_corrected_file_records_the_keys_it_no_longer_holds(con, tmp_path):
    landing = tmp_path / "landing"
    path = _write(
        landing,
        "calls/day.csv",
        "\n".join([CALLS_HEADER, GOOD_CALL, GOOD_CALL.replace("c1", "c2"), ""]),
    )
    _ingest(con, landing)
    # the correction drops c2, keeps c1 and adds c3
    path.write_text(
        "\n".join([CALLS_HEADER, GOOD_CALL, GOOD_CALL.replace("c1", "c3"), ""]), encoding="utf-8"
    )
    _bump_mtime(path)
    _ingest(con, landing)

    assert _rows(con, "select call_id from raw.calls order by call_id") == [("c1",), ("c3",)]
    assert _rows(
        con, "select file_path, reason, rows_removed, keys_dropped from meta.retractions"
    ) == [("calls/day.csv", "corrected", 2, 1)]
    assert ledger.files_dropping_keys_since_last_transform(con) == ["calls/day.csv"]


def test_a_withdrawn_file_leaves_raw_stays_listed_and_is_not_read_again(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", "\n".join([CALLS_HEADER, GOOD_CALL, ""]))
    bad = _write(
        landing,
        "calls/b.csv",
        "\n".join([CALLS_HEADER, GOOD_CALL.replace("c1", "c2"), "c3,acme,sideways,x,y,z,a1,1", ""]),
    )
    _ingest(con, landing)

    assert withdraw_files(con, landing, ["calls/b.csv"]) == [("calls/b.csv", 1)]
    assert _rows(con, "select call_id from raw.calls") == [("c1",)]
    assert _rows(
        con,
        "select status, rows_read, rows_loaded, rows_rejected from meta.ingest_manifest "
        "where file_path = 'calls/b.csv'",
    ) == [("withdrawn", 2, 1, 1)]
    assert _rows(
        con, "select count(*) from meta.rejected_rows where file_path = 'calls/b.csv'"
    ) == [(0,)]
    assert _rows(con, "select reason, rows_removed, keys_dropped from meta.retractions") == [
        ("withdrawn", 1, 1)
    ]
    # touched but unchanged: not read again; changed: read again
    _bump_mtime(bad)
    assert _ingest(con, landing).results == []
    bad.write_text("\n".join([CALLS_HEADER, GOOD_CALL.replace("c1", "c4"), ""]), encoding="utf-8")
    _bump_mtime(bad)
    report = _ingest(con, landing)
    assert [(r.file_path, r.status, r.rows_loaded) for r in report.results] == [
        ("calls/b.csv", "loaded", 1)
    ]
    assert _rows(con, "select call_id from raw.calls order by call_id") == [("c1",), ("c4",)]
    assert reconcile(con, "calls") == []


def test_withdrawing_a_file_never_ingested_is_refused_naming_it(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", "\n".join([CALLS_HEADER, GOOD_CALL, ""]))
    _ingest(con, landing)
    with pytest.raises(ValueError, match=r"^calls/nope\.csv: not a file this build has ingested"):
        withdraw_files(con, landing, ["calls/a.csv", "calls/nope.csv"])
    assert _rows(con, "select count(*) from raw.calls") == [(1,)], "nothing withdrawn"
