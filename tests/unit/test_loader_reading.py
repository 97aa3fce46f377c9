"""How the landing loader reads a file into the raw tables of a real DuckDB build file:
every accepted format (CSV, JSON lines, gzip-compressed or not, Parquet) and the files it
ignores, column names and extra columns, naive timestamps in the source's time zone, JSON
numbers kept as delivered, blank lines; and what it rejects with its reason: a bad row
alone (in meta.rejected_rows, its raw values kept), or a whole file that lacks a required
column, cannot be read or names a column twice (orchestration/landing/). Which files are
read again, run after run, is tested in test_loader_versions.py."""

import datetime as dt
import gzip
import json

import polars as pl
import pytest

from orchestration.landing.raw_tables import reconcile
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
