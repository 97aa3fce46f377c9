"""Loading landing files into raw tables of a real DuckDB file: formats, rejects, manifest."""

import datetime as dt
import gzip
import json
import os

import duckdb
import polars as pl
import pytest

from orchestration import ledger
from orchestration.landing.contract import SOURCES
from orchestration.landing.loader import ingest_source
from orchestration.landing.raw_tables import reconcile
from orchestration.landing.retractions import withdraw_files

CALLS_HEADER = "call_id,client_id,direction,offered_at,ended_at,answered_at,agent_id,talk_seconds"
GOOD_CALL = "c1,acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,2026-01-05T10:00:12Z,a1,280"


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    yield connection
    connection.close()


def _write(landing, relative, text, *, compress=False):
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _ingest(con, landing, source="calls", **kwargs):
    return ingest_source(con, SOURCES[source], landing, **kwargs)


def _rows(con, sql):
    return con.execute(sql).fetchall()


def test_every_accepted_format_loads_and_other_files_are_ignored(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", "\ufeff" + CALLS_HEADER.upper() + "\n" + GOOD_CALL + "\n")
    _write(
        landing,
        "calls/b.csv.gz",
        CALLS_HEADER + "\n" + GOOD_CALL.replace("c1", "c2") + "\n",
        compress=True,
    )
    record = dict(
        zip(CALLS_HEADER.split(","), GOOD_CALL.replace("c1", "c3").split(","), strict=True)
    )
    record["talk_seconds"] = 280  # a JSON number
    _write(landing, "calls/c.jsonl", json.dumps(record) + "\n")
    _write(
        landing, "calls/d.ndjson.gz", json.dumps({**record, "call_id": "c4"}) + "\n", compress=True
    )
    frame = pl.DataFrame({**{k: [v] for k, v in record.items()}, "call_id": ["c5"]})
    (landing / "calls").mkdir(exist_ok=True)
    frame.write_parquet(landing / "calls/e.parquet")
    for junk in ("calls/.DS_Store", "calls/README", "calls/f.csv.tmp", "calls/g.csv.part"):
        _write(landing, junk, "junk")

    report = _ingest(con, landing)

    assert [r.file_path for r in report.results] == [
        "calls/a.csv",
        "calls/b.csv.gz",
        "calls/c.jsonl",
        "calls/d.ndjson.gz",
        "calls/e.parquet",
    ]
    assert report.ignored_files == [
        "calls/.DS_Store",
        "calls/README",
        "calls/f.csv.tmp",
        "calls/g.csv.part",
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 5, 0)
    assert _rows(
        con, "select call_id, talk_seconds, offered_at, _file_row from raw.calls order by call_id"
    ) == [(f"c{i}", 280.0, dt.datetime(2026, 1, 5, 10, 0), 1) for i in range(1, 6)]


def test_column_names_are_trimmed_and_case_insensitive_and_extra_columns_ignored(con, tmp_path):
    landing = tmp_path / "landing"
    header = " Call_ID ,CLIENT_ID,Direction,offered_at,ended_at,answered_at,agent_id,talk_seconds,brand_new"
    _write(landing, "calls/a.csv", header + "\n" + GOOD_CALL + ",whatever\n")
    report = _ingest(con, landing)
    assert report.rows_loaded == 1
    assert _rows(con, "select extra_columns from meta.ingest_manifest") == [(["brand_new"],)]


@pytest.mark.parametrize(
    ("row", "reason", "column", "raw_value"),
    [
        (
            ",acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,",
            "empty_key",
            "call_id",
            None,
        ),
        (
            "c9,,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,",
            "missing_required_value",
            "client_id",
            None,
        ),
        (
            "c9,acme,inbound,yesterday,2026-01-05T10:05:00Z,,,",
            "bad_timestamp",
            "offered_at",
            "yesterday",
        ),
        (
            "c9,acme,inbound,2026-13-45T25:00:00,2026-01-05T10:05:00Z,,,",
            "bad_timestamp",
            "offered_at",
            "2026-13-45T25:00:00",
        ),
        (
            "c9,acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,abc",
            "bad_number",
            "talk_seconds",
            "abc",
        ),
        (
            "c9,acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,-5",
            "negative_duration",
            "talk_seconds",
            "-5",
        ),
        (
            "c9,acme,sideways,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,",
            "unknown_enum",
            "direction",
            "sideways",
        ),
    ],
)
def test_a_bad_row_is_rejected_alone_with_its_reason(con, tmp_path, row, reason, column, raw_value):
    landing = tmp_path / "landing"
    _write(landing, "calls/day.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n{row}\n")
    report = _ingest(con, landing)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    rejected = _rows(
        con,
        "select source, file_path, file_row, reason, column_name, raw_value, raw_record from meta.rejected_rows",
    )
    assert len(rejected) == 1
    source, path, file_row, got_reason, got_column, got_value, record = rejected[0]
    assert (source, path, file_row, got_reason, got_column, got_value) == (
        "calls",
        "calls/day.csv",
        2,
        reason,
        column,
        raw_value,
    )
    assert json.loads(record)["direction"] == row.split(",")[2]  # the raw values are kept
    assert _rows(con, "select call_id from raw.calls") == [("c1",)]


@pytest.mark.parametrize(
    ("source", "header", "row", "reason", "column"),
    [
        (
            "clients",
            "client_id,client_name,reporting_timezone",
            "k1,Acme,Mars/Olympus",
            "unknown_timezone",
            "reporting_timezone",
        ),
        (
            "sites",
            "site_id,site_name,country_code,timezone,sourcing,location_type",
            "s1,Manila,PHL,Asia/Manila,outsourced,offshore",
            "bad_country_code",
            "country_code",
        ),
        (
            "agent_roster",
            "as_of_date,agent_id,team_id,hire_date",
            "2026-02-30,a1,t1,2025-01-01",
            "bad_date",
            "as_of_date",
        ),
    ],
)
def test_dimension_rows_are_rejected_for_their_own_reasons(
    con, tmp_path, source, header, row, reason, column
):
    landing = tmp_path / "landing"
    _write(landing, f"{source}/x.csv", f"{header}\n{row}\n")
    report = _ingest(con, landing, source)
    assert report.rejects_by_reason == {reason: 1}
    assert _rows(con, "select reason, column_name from meta.rejected_rows") == [(reason, column)]


def test_a_line_that_is_not_json_is_rejected_alone(con, tmp_path):
    landing = tmp_path / "landing"
    record = dict(zip(CALLS_HEADER.split(","), GOOD_CALL.split(","), strict=True))
    _write(landing, "calls/a.jsonl", json.dumps(record) + "\n{not json\n")
    report = _ingest(con, landing)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert _rows(con, "select file_row, reason, raw_record from meta.rejected_rows") == [
        (2, "bad_json", "{not json")
    ]


def test_file_without_a_required_column_is_rejected_whole_others_still_load(con, tmp_path):
    landing = tmp_path / "landing"
    _write(
        landing,
        "calls/a.csv",
        "call_id,client_id,offered_at,ended_at\nc1,acme,2026-01-05T10:00:00Z,2026-01-05T10:01:00Z\n",
    )
    _write(landing, "calls/b.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n")
    report = _ingest(con, landing)
    rejected = report.files_rejected
    assert [r.error for r in rejected] == ["calls/a.csv: missing required column 'direction'"]
    assert (rejected[0].rows_read, rejected[0].rows_loaded, rejected[0].rows_rejected) == (1, 0, 1)
    assert _rows(con, "select call_id from raw.calls") == [("c1",)]
    assert _rows(
        con, "select file_path, status, error_reason from meta.ingest_manifest order by 1"
    ) == [
        ("calls/a.csv", "rejected", "missing_required_column"),
        ("calls/b.csv", "loaded", None),
    ]
    assert reconcile(con, "calls") == []


def test_unreadable_and_ambiguous_files_are_rejected_whole(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv.gz", "this is not gzip")
    _write(landing, "calls/b.parquet", "nor is this parquet")
    _write(landing, "calls/c.csv", "call_id,CALL_ID\n1,2\n")
    report = _ingest(con, landing)
    errors = [r.error for r in report.files_rejected]
    assert errors[0].startswith("calls/a.csv.gz: not a readable gzip file")
    assert errors[1].startswith("calls/b.parquet: not a readable Parquet file")
    assert errors[2] == "calls/c.csv: column 'call_id' appears more than once"
    reasons = _rows(con, "select error_reason from meta.ingest_manifest order by file_path")
    assert reasons == [("unreadable_file",), ("unreadable_file",), ("duplicate_column",)]


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


def test_source_timezone_applies_to_naive_timestamps_only(con, tmp_path):
    landing = tmp_path / "landing"
    _write(
        landing,
        "calls/a.csv",
        f"{CALLS_HEADER}\nc1,acme,inbound,2026-01-05T10:00:00,2026-01-05T10:05:00-05:00,,,\n",
    )
    _ingest(con, landing, timezone="America/New_York")
    assert _rows(con, "select offered_at, ended_at from raw.calls") == [
        (dt.datetime(2026, 1, 5, 15, 0), dt.datetime(2026, 1, 5, 15, 5))
    ]


def test_a_row_with_the_wrong_number_of_fields_is_rejected_alone(con, tmp_path):
    landing = tmp_path / "landing"
    ragged = "c2,acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,,,60,an unquoted, comma"
    _write(landing, "calls/a.csv", f"{CALLS_HEADER}\n{GOOD_CALL}\n{ragged}\n\n")
    report = _ingest(con, landing)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert _rows(con, "select file_row, reason from meta.rejected_rows") == [(2, "bad_csv_row")]
    assert reconcile(con, "calls") == []


def test_blank_lines_are_not_rows(con, tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "calls/a.csv", f"{CALLS_HEADER}\n\n{GOOD_CALL}\n\n,,,,,,,\n")
    report = _ingest(con, landing)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (1, 1, 0)


def test_a_malformed_csv_error_never_quotes_the_data(con, tmp_path):
    """A CSV file neither parser can read is rejected whole with an error of our own: both
    parsers' messages would quote the data (polars: the unterminated field, a customer's
    name and e-mail address)."""
    landing = tmp_path / "landing"
    header = "customer_id,client_id,signup_date,full_name,email"
    # An unterminated quote, then more than the csv module's field limit of characters.
    unterminated = '"Jane Doe,jane@example.com ' + "x" * 140_000
    _write(landing, "customers/a.csv", f"{header}\nk1,acme,2026-01-01,{unterminated}\n")
    report = _ingest(con, landing, "customers")
    [result] = report.results
    expected = "customers/a.csv: not a readable CSV file (malformed quoting)"
    assert (result.status, result.rows_loaded, result.error) == ("rejected", 0, expected)
    assert _rows(con, "select status, error_reason, error from meta.ingest_manifest") == [
        ("rejected", "unreadable_file", expected)
    ]
    assert _rows(con, "select count(*) from meta.rejected_rows") == [(0,)]
    assert _rows(con, "select count(*) from raw.customers") == [(0,)]


def test_json_numbers_keep_the_text_they_were_delivered_as(con, tmp_path):
    landing = tmp_path / "landing"
    base = {"survey_type": "nps", "client_id": "acme", "sent_at": "2026-01-05T10:00:00Z",
            "responded_at": "2026-01-05T11:00:00Z"}  # fmt: skip
    lines = [
        json.dumps({**base, "survey_id": "s1", "score": 9}),
        json.dumps({**base, "survey_id": "s2", "score": 7.5}),
        json.dumps({**base, "survey_id": "s3", "score": "10"}),
    ]
    _write(landing, "surveys/a.jsonl", "\n".join(lines) + "\n")
    _ingest(con, landing, "surveys")
    assert _rows(con, "select survey_id, score from raw.surveys order by 1") == [
        ("s1", "9"),
        ("s2", "7.5"),
        ("s3", "10"),
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


def test_a_damaged_gzip_body_and_a_repeated_header_reject_the_file(con, tmp_path):
    landing = tmp_path / "landing"
    body = gzip.compress(f"{CALLS_HEADER}\n{GOOD_CALL}\n".encode())
    damaged = body[:12] + bytes(b ^ 0xFF for b in body[12:30]) + body[30:]
    (landing / "calls").mkdir(parents=True)
    (landing / "calls" / "a.csv.gz").write_bytes(damaged)
    _write(landing, "calls/b.csv", "call_id,call_id\n1,2\n")
    report = _ingest(con, landing)
    errors = [r.error for r in report.files_rejected]
    assert errors[0].startswith("calls/a.csv.gz: not a readable gzip file")
    assert errors[1] == "calls/b.csv: column 'call_id' appears more than once"


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
