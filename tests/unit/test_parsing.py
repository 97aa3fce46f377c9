"""Parsers of landing values: timestamps, dates, numbers, enums, time zones, countries."""

import datetime as dt

import polars as pl
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.landing.parsing import (
    REJECT_COLUMN,
    REJECT_REASON,
    clean_text,
    parse_common_timestamp,
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


# Every shape the full parser knows, good and bad, around the common one.
TIMESTAMP_SHAPES = [
    "2026-01-05T10:00:00Z",
    "2026-01-05T10:00:00+05:30",
    "2026-01-05T10:00:00-09:45",
    "2026-01-05T10:00:00+14:00",
    "2026-01-05T10:00:00",
    "2026-03-08T02:30:00",  # a DST gap in New York
    "2026-11-01T01:30:00",  # a DST fold in New York
    "2026-11-01T01:30:00Z",
    "2026-02-29T10:00:00Z",  # not a leap year
    "2026-01-05T24:00:00Z",
    "2026-01-05T10:60:00Z",
    "2026-01-05T10:00:00z",
    "2026-01-05t10:00:00Z",
    "2026-01-05 10:00:00Z",
    "2026-01-05T10:00:00.250Z",
    "2026-01-05T10:00:00.5+01:00",
    "2026-01-05T10:00Z",
    "2026-01-05T10:00:00-0400",
    "2026-01-05T10:00:00-04",
    "2026-01-05T10:00:00 Z",
    "2026-01-05T10:00:00+5:30",
    "2026-1-05T10:00:00Z",
    "2026-01-05T10:00:00ZZ",
    "2026-01-05",
    "yesterday",
    None,
]


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_common_timestamp_parser_agrees_with_the_full_one_or_leaves_the_text(timezone):
    common = _apply(parse_common_timestamp, TIMESTAMP_SHAPES, timezone=timezone)
    full = _apply(parse_timestamp, TIMESTAMP_SHAPES, timezone=timezone)
    taken = [text for text, value in zip(TIMESTAMP_SHAPES, common, strict=True) if value]
    assert taken == [
        "2026-01-05T10:00:00Z",
        "2026-01-05T10:00:00+05:30",
        "2026-01-05T10:00:00-09:45",
        "2026-01-05T10:00:00+14:00",
        "2026-01-05T10:00:00",
        *(["2026-03-08T02:30:00"] if timezone != "America/New_York" else []),
        "2026-11-01T01:30:00",
        "2026-11-01T01:30:00Z",
    ]
    assert [c for c in common if c] == [f for c, f in zip(common, full, strict=True) if c]


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York"])
def test_parse_frame_reads_every_timestamp_shape_as_the_full_parser_does(timezone):
    spec = SOURCES["calls"]
    rows = {c: ["x"] * len(TIMESTAMP_SHAPES) for c in spec.column_names}
    rows["offered_at"] = TIMESTAMP_SHAPES
    rows["ended_at"] = TIMESTAMP_SHAPES[::-1]
    expected = _apply(parse_timestamp, TIMESTAMP_SHAPES, timezone=timezone)
    parsed = parse_frame(
        spec, pl.DataFrame(rows, schema={c: pl.String for c in spec.column_names}), timezone
    )
    assert parsed.get_column("offered_at").to_list() == expected
    assert parsed.get_column("ended_at").to_list() == expected[::-1]
    assert expected[:3] == [
        dt.datetime(2026, 1, 5, 10, 0),
        dt.datetime(2026, 1, 5, 4, 30),
        dt.datetime(2026, 1, 5, 19, 45),
    ]
    assert expected[14] == dt.datetime(2026, 1, 5, 10, 0, 0, 250000)


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


def test_a_score_is_kept_as_text_and_a_float_gap_is_no_score():
    """Scores are validated against their scale later (dbt and the suites); here only a
    float column's NaN, which is a missing value, becomes null."""
    frame = pl.DataFrame(
        {"score": ["9", " 9.0 ", "9.5", "NaN", "nan", "", "great", None]},
        schema={"score": pl.String},
    )
    spec = SOURCES["surveys"]
    text = frame.with_columns(
        pl.lit("S1").alias("survey_id"),
        pl.lit("nps").alias("survey_type"),
        pl.lit("C1").alias("client_id"),
        pl.lit("2026-03-01T10:00:00Z").alias("sent_at"),
        *(
            pl.lit(None, dtype=pl.String).alias(c)
            for c in spec.column_names
            if c not in {"score", "survey_id", "survey_type", "client_id", "sent_at"}
        ),
    ).select(spec.column_names)
    parsed = parse_frame(spec, text)
    assert parsed.get_column("score").to_list() == [
        "9", "9.0", "9.5", None, None, None, "great", None
    ]  # fmt: skip
    assert parsed.get_column(REJECT_REASON).to_list() == [None] * 8
