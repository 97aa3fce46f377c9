"""Parsers of landing values: timestamps, dates, numbers, enums, time zones, countries."""

import datetime as dt

import polars as pl
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.landing.parsing import (
    REJECT_COLUMN,
    REJECT_REASON,
    clean_text,
    parse_country,
    parse_date,
    parse_enum,
    parse_frame,
    parse_number,
    parse_timestamp,
    parse_timezone,
)


def _apply(expr_fn, texts, **kwargs):
    frame = pl.DataFrame({"v": texts}, schema={"v": pl.String})
    return frame.select(expr_fn(clean_text(pl.col("v")), **kwargs)).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05T10:00:00Z", dt.datetime(2026, 1, 5, 10, 0)),
        ("2026-01-05T10:00:00z", dt.datetime(2026, 1, 5, 10, 0)),
        ("2026-01-05T10:00:00+05:30", dt.datetime(2026, 1, 5, 4, 30)),
        ("2026-01-05T10:00:00-0400", dt.datetime(2026, 1, 5, 14, 0)),
        ("2026-01-05T10:00:00-04", dt.datetime(2026, 1, 5, 14, 0)),
        ("2026-01-05 10:00:00.250Z", dt.datetime(2026, 1, 5, 10, 0, 0, 250000)),
        ("2026-01-05T10:00", dt.datetime(2026, 1, 5, 10, 0)),  # naive, source zone UTC
        ("  2026-01-05T10:00:00Z ", dt.datetime(2026, 1, 5, 10, 0)),
    ],
)
def test_timestamp_with_offset_or_in_utc_is_exact(text, expected):
    assert _apply(parse_timestamp, [text]) == [expected]


def test_naive_timestamp_is_read_in_the_source_timezone():
    # New York is UTC-5 in January, UTC-4 in July.
    values = ["2026-01-05T10:00:00", "2026-07-05T10:00:00", "2026-07-05T10:00:00Z"]
    assert _apply(parse_timestamp, values, timezone="America/New_York") == [
        dt.datetime(2026, 1, 5, 15, 0),
        dt.datetime(2026, 7, 5, 14, 0),
        dt.datetime(2026, 7, 5, 10, 0),  # an explicit offset wins over the source zone
    ]


def test_naive_timestamp_in_dst_gap_is_unparseable_and_fold_takes_earlier_instant():
    # 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice (EDT first).
    values = ["2026-03-08T02:30:00", "2026-11-01T01:30:00"]
    assert _apply(parse_timestamp, values, timezone="America/New_York") == [
        None,
        dt.datetime(2026, 11, 1, 5, 30),
    ]


@pytest.mark.parametrize(
    "text",
    ["yesterday", "2026-13-45T25:00:00", "2026-02-30T10:00:00", "05/01/2026 10:00", "2026-01-05"],
)
def test_bad_timestamps_are_null(text):
    assert _apply(parse_timestamp, [text]) == [None]


def test_dates():
    assert _apply(parse_date, ["2026-02-28", "2026-02-30", "28/02/2026", "", None]) == [
        dt.date(2026, 2, 28),
        None,
        None,
        None,
        None,
    ]


def test_numbers():
    assert _apply(parse_number, ["12", "12.5", " 7 ", "-3", "1e2", "abc", "nan", "inf", "1,5"]) == [
        12.0,
        12.5,
        7.0,
        -3.0,
        100.0,
        None,
        None,
        None,
        None,
    ]


def test_enums_match_case_insensitively_after_trimming():
    values = ("inbound", "outbound")
    assert _apply(parse_enum, [" Inbound ", "OUTBOUND", "sideways"], values=values) == [
        "inbound",
        "outbound",
        None,
    ]


def test_timezones_and_countries():
    assert _apply(parse_timezone, ["America/New_York", "Mars/Olympus"]) == [
        "America/New_York",
        None,
    ]
    assert _apply(parse_country, ["ph", "USA", "U1"]) == ["PH", None, None]


def test_parse_frame_names_the_first_failure_key_first():
    spec = SOURCES["calls"]
    rows = {c: [None, None, None, None] for c in spec.column_names}
    rows.update(
        call_id=["c1", "", "c3", "c4"],
        client_id=["k", "k", "k", "k"],
        direction=["inbound", "sideways", "inbound", "outbound"],
        offered_at=["2026-01-01T10:00:00Z"] * 4,
        ended_at=["2026-01-01T10:05:00Z", "2026-01-01T10:05:00Z", "later", "2026-01-01T10:05:00Z"],
        talk_seconds=["60", "60", "60", "-1"],
    )
    parsed = parse_frame(spec, pl.DataFrame(rows, schema={c: pl.String for c in spec.column_names}))
    assert parsed.select(REJECT_REASON, REJECT_COLUMN).rows() == [
        (None, None),
        ("empty_key", "call_id"),  # the key is checked before the bad enum of the same row
        ("bad_timestamp", "ended_at"),
        ("negative_duration", "talk_seconds"),
    ]
    assert parsed.get_column("talk_seconds").to_list()[0] == 60.0
