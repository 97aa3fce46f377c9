"""The files the sample-export generator (``cxw generate``) writes for the canonical
platforms: the layout of a small landing zone, one file a day or the latest day in
30-minute slices, every accepted format, corrections that sort after the originals, the
timestamp style of each source; the same seed writing the same bytes, and the arguments
it refuses. What the rows hold is tested in test_sample_exports_rows.py, the vendor
platforms in test_sample_exports_vendors.py."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.sample_exports import GenerationSummary, generate_sample_exports
from tests.unit import sample_exports_helpers as zones
from tests.unit.sample_exports_helpers import TINY, read_rows, utc

# the shared landing zones (fixtures), bound here so that pytest finds them
tiny, tiny_clean, mixed = zones.tiny, zones.tiny_clean, zones.mixed


def slice_files(day: str) -> re.Pattern[str]:
    """The 30-minute exports of the latest day ``day``: named by the UTC instant they start."""
    return re.compile(rf"calls/calls_{day}_\d{{8}}T[0-2]\d[03]0Z\.csv\.gz")


def offered_at(call: dict) -> datetime | None:
    """A call's offered_at in UTC; None when the generator broke it on purpose."""
    try:
        return utc(call["offered_at"])
    except ValueError:
        return None


LATEST_SLICE = slice_files("2026-01-07")  # the 30-minute exports of TINY's latest day


# ----------------------------------------------------------------------------- layout


def test_layout_of_three_days(tiny: GenerationSummary) -> None:
    files = sorted(p.relative_to(tiny.out_dir).as_posix() for p in tiny.files)
    slices = [f for f in files if LATEST_SLICE.fullmatch(f)]
    assert [f for f in files if f not in slices] == [
        "agent_roster/agent_roster_2026-01-05.csv",
        "calls/calls_2026-01-05.csv.gz",
        "calls/calls_2026-01-06.csv.gz",
        "calls/calls_2026-01-07_correction.csv",
        "clients/clients_2026-01-05.csv",
        "customers/customers_2026-01-05.parquet",
        "customers/customers_2026-01-07.parquet",
        "employee_surveys/employee_surveys_2026-01-07.ndjson.gz",
        "sites/sites_2026-01-05.jsonl",
        "surveys/surveys_2026-01-05.parquet",
        "surveys/surveys_2026-01-06.parquet",
        "surveys/surveys_2026-01-07.parquet",
        "surveys/surveys_2026-01-07_correction.parquet",
        "teams/teams_2026-01-05.csv",
        "teams/teams_2026-01-07.csv",
        "tickets/tickets_2026-01-05.jsonl",
        "tickets/tickets_2026-01-06.jsonl",
        "tickets/tickets_2026-01-06_backfill.jsonl",
        "tickets/tickets_2026-01-07.jsonl",
    ]
    # the latest day's calls in 30-minute exports: its calls are offered 06:30-23:00 local,
    # from 01:00Z on the 7th (Kolkata, +05:30) to 04:00Z on the 8th (New York, -05:00)
    assert slices
    assert slices[0] >= "calls/calls_2026-01-07_20260107T0100Z.csv.gz"
    assert slices[-1] <= "calls/calls_2026-01-07_20260108T0400Z.csv.gz"
    # every source has its directory, named as in the contract, and nothing else is written
    assert sorted(p.name for p in tiny.out_dir.iterdir()) == sorted(SOURCES)
    assert sorted(p for p in tiny.out_dir.rglob("*") if p.is_file()) == list(tiny.files)


def test_every_accepted_format_appears(tiny_clean: GenerationSummary) -> None:
    endings = {p.name.split(".", 1)[1] for p in tiny_clean.files}
    assert endings == {"csv", "csv.gz", "jsonl", "ndjson.gz", "parquet"}
    clients = next(p for p in tiny_clean.files if p.parent.name == "clients")
    assert clients.read_bytes().startswith(b"\xef\xbb\xbfclient_id,")
    calls = next(p for p in tiny_clean.files if p.name.endswith(".csv.gz"))
    assert gzip.decompress(calls.read_bytes()).startswith(b"call_id,client_id,direction,")
    # a typed Parquet (customers) and a text Parquet (surveys)
    customers = pl.read_parquet(tiny_clean.out_dir / "customers" / "customers_2026-01-05.parquet")
    assert customers.schema["signup_date"] == pl.Date
    surveys = pl.read_parquet(tiny_clean.out_dir / "surveys" / "surveys_2026-01-05.parquet")
    assert set(surveys.schema.values()) == {pl.Utf8}


def test_correction_files_sort_after_the_originals(tiny: GenerationSummary) -> None:
    calls = tiny.out_dir / "calls"
    names = sorted(p.name for p in calls.iterdir())
    # the first day, the second, the latest day's slices, then the correction of day-1 rows
    assert names[:2] == ["calls_2026-01-05.csv.gz", "calls_2026-01-06.csv.gz"]
    assert all(n.startswith("calls_2026-01-07_2026") for n in names[2:-1])
    assert names[-1] == "calls_2026-01-07_correction.csv"
    corrected = {r["call_id"] for r in read_rows(calls / names[-1])}
    assert corrected and corrected <= {r["call_id"] for r in read_rows(calls / names[0])}


def test_a_single_day_is_sliced_and_its_correction_still_sorts_last(tmp_path: Path) -> None:
    one = generate_sample_exports(tmp_path / "landing", **{**TINY, "days": 1})
    calls = one.out_dir / "calls"
    names = sorted(p.name for p in calls.iterdir())
    assert names[-1] == "calls_2026-01-05_correction.csv"
    assert names[:-1] and all(slice_files("2026-01-05").fullmatch(f"calls/{n}") for n in names[:-1])
    # the corrected calls were delivered in slices, each of which sorts before the correction
    delivered = {r["call_id"]: n for n in names[:-1] for r in read_rows(calls / n)}
    corrected = [r["call_id"] for r in read_rows(calls / names[-1])]
    assert corrected and all(delivered[c] < names[-1] for c in corrected)


@pytest.mark.parametrize("platforms", ["canonical", "mixed"])
def test_the_latest_days_slices_hold_exactly_the_day_file(
    platforms: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    sliced = request.getfixturevalue("tiny" if platforms == "canonical" else "mixed")
    daily = generate_sample_exports(
        tmp_path / "landing", **TINY, platforms=platforms, intraday=False
    )
    day_file = "calls/calls_2026-01-07.csv.gz"
    slices = sorted(
        p for p in sliced.files if LATEST_SLICE.fullmatch(p.relative_to(sliced.out_dir).as_posix())
    )
    # every other file is byte for byte the file of the one-file layout
    others = [p.relative_to(sliced.out_dir) for p in sliced.files if p not in slices]
    assert others == [
        p.relative_to(daily.out_dir) for p in daily.files if p != daily.out_dir / day_file
    ]
    for relative in others:
        assert (sliced.out_dir / relative).read_bytes() == (daily.out_dir / relative).read_bytes()
    assert sliced.rows_by_source == daily.rows_by_source
    assert sliced.bad_rows_by_reason == daily.bad_rows_by_reason

    # the slices together hold the day file's rows, row for row (bad rows too), each once
    day_rows = read_rows(daily.out_dir / day_file)
    assert day_rows
    slice_rows = {p.name: read_rows(p) for p in slices}
    assert all(slice_rows.values())  # no slice file is empty
    union = [row for rows in slice_rows.values() for row in rows]
    assert Counter(tuple(r.items()) for r in union) == Counter(tuple(r.items()) for r in day_rows)
    # a slice holds the calls offered in its 30 minutes (a copy with a broken offered_at
    # lies in its original's), and there is a slice for every 30 minutes with a call
    for name, rows in slice_rows.items():
        start = datetime.strptime(name[17:31], "%Y%m%dT%H%MZ")
        offered = [offered_at(r) for r in rows]
        assert all(start <= t < start + timedelta(minutes=30) for t in offered if t), name
    starts = {offered_at(r).replace(minute=offered_at(r).minute // 30 * 30, second=0)
              for r in day_rows if offered_at(r)}  # fmt: skip
    assert sorted(f"calls_2026-01-07_{t:%Y%m%dT%H%MZ}.csv.gz" for t in starts) == list(slice_rows)


def test_timestamp_styles_per_source(tiny_clean: GenerationSummary) -> None:
    out = tiny_clean.out_dir
    calls = read_rows(out / "calls" / "calls_2026-01-05.csv.gz")
    assert all(r["offered_at"].endswith("Z") for r in calls)
    correction = read_rows(out / "calls" / "calls_2026-01-07_correction.csv")
    assert all(r["offered_at"].endswith("+00:00") for r in correction)
    tickets = read_rows(out / "tickets" / "tickets_2026-01-05.jsonl")
    # January: New York -05:00, London +00:00, Kolkata +05:30
    offsets = {(r["client_id"], r["created_at"][19:]) for r in tickets}
    assert offsets == {("C001", "-05:00"), ("C002", "+00:00"), ("C003", "+05:30")}
    surveys = read_rows(out / "surveys" / "surveys_2026-01-05.parquet")
    assert all(len(r["sent_at"]) == 19 and datetime.fromisoformat(r["sent_at"]) for r in surveys)


# ----------------------------------------------------------------------------- determinism


def test_same_seed_writes_the_same_bytes(tiny: GenerationSummary, tmp_path: Path) -> None:
    again = generate_sample_exports(tmp_path / "landing", **TINY)
    assert [p.relative_to(again.out_dir) for p in again.files] == [
        p.relative_to(tiny.out_dir) for p in tiny.files
    ]
    for a, b in zip(tiny.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert again.rows_by_source == tiny.rows_by_source
    assert again.bad_rows_by_reason == tiny.bad_rows_by_reason


def test_another_seed_writes_other_data(tiny: GenerationSummary, tmp_path: Path) -> None:
    other = generate_sample_exports(tmp_path / "landing", **{**TINY, "seed": 6})
    calls = "calls/calls_2026-01-05.csv.gz"
    assert (other.out_dir / calls).read_bytes() != (tiny.out_dir / calls).read_bytes()


def test_refuses_to_overwrite_a_landing_zone(tiny: GenerationSummary) -> None:
    with pytest.raises(FileExistsError, match="already holds files"):
        generate_sample_exports(tiny.out_dir, **TINY)


@pytest.mark.parametrize(
    ("override", "message"),
    [({"days": 0}, "days"), ({"agents": 0}, "agents"), ({"clients": 7}, "clients"),
     ({"bad_share": 0.5}, "bad_share"), ({"platforms": "aws"}, "platforms")],
)  # fmt: skip
def test_rejects_impossible_arguments(tmp_path: Path, override: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_sample_exports(tmp_path, **{**TINY, **override})
