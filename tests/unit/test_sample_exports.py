"""The sample-export generator (``cxw generate``): layout, determinism, realism, bad input."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from orchestration import cli
from orchestration.landing.contract import SOURCES, VENDOR_SOURCES
from orchestration.landing.files import discover_files
from orchestration.landing.vendor_files import read_vendor_frame
from orchestration.sample_exports import REASONS, GenerationSummary, generate_sample_exports

START = date(2026, 1, 5)  # a Monday
TINY = {"start": START, "days": 3, "agents": 8, "seed": 5}
CSAT_LABELS = {"very unsatisfied", "unsatisfied", "not satisfied", "neutral", "satisfied",
               "very satisfied"}  # fmt: skip
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 5)}
TIMESTAMPS = {
    "calls": ("offered_at", "ended_at", "answered_at"),
    "tickets": ("created_at", "first_response_at", "solved_at"),
    "surveys": ("sent_at", "responded_at"),
}
DURATIONS = ("talk_seconds", "hold_seconds", "acw_seconds")
KEYS = {"calls": "call_id", "tickets": "ticket_id", "surveys": "survey_id"}


# ----------------------------------------------------------------------------- helpers


def read_rows(path: Path) -> list[dict[str, str | None]]:
    """A landing file as text rows, the way the contract reads it (names lower-cased)."""
    name = path.name
    if name.endswith(".parquet"):
        df = pl.read_parquet(path)
        df = df.with_columns(pl.all().cast(pl.Utf8))
        rows = df.to_dicts()
    else:
        data = path.read_bytes()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        text = data.decode("utf-8-sig")
        if ".csv" in name:
            df = pl.read_csv(io.StringIO(text), infer_schema=False)
            rows = df.to_dicts()
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            rows = [{k: None if v is None else str(v) for k, v in r.items()} for r in rows]
    return [
        {k.strip().lower(): (None if v is None or v.strip() == "" else v) for k, v in r.items()}
        for r in rows
    ]


def source_rows(out: Path, source: str, *, originals_only: bool = False) -> list[dict]:
    rows = []
    for path in sorted((out / source).iterdir()):
        if originals_only and ("_correction" in path.name or "_backfill" in path.name):
            continue
        rows.extend(read_rows(path))
    return rows


def slice_files(day: str) -> re.Pattern[str]:
    """The 30-minute exports of the latest day ``day``: named by the UTC instant they start."""
    return re.compile(rf"calls/calls_{day}_\d{{8}}T[0-2]\d[03]0Z\.csv\.gz")


def offered_at(call: dict) -> datetime | None:
    """A call's offered_at in UTC; None when the generator broke it on purpose."""
    try:
        return utc(call["offered_at"])
    except ValueError:
        return None


def utc(value: str | None) -> datetime | None:
    """ISO 8601 text to a naive UTC datetime (raises ValueError when unparseable)."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_reason(source: str, row: dict) -> str | None:
    """The reason the contract rejects a row for, or None when it parses."""
    spec = SOURCES[source]
    if not row.get(KEYS[source]):
        return "empty_key"
    for col in spec.columns:
        value = row.get(col.name)
        if col.values and value is not None and value.strip().lower() not in col.values:
            return "unknown_enum"
    for col in TIMESTAMPS[source]:
        try:
            utc(row.get(col))
        except ValueError:
            return "bad_timestamp"
    if source == "calls":
        for col in DURATIONS:
            if row.get(col) is None:
                continue
            try:
                value = float(row[col])
            except ValueError:
                return "bad_number"
            if value < 0:
                return "negative_duration"
    return None


def score_problem(row: dict) -> str | None:
    if row.get("responded_at") is None:
        return None
    score = row.get("score")
    if score is None:
        return "empty_score"
    text = score.strip().lower()
    kind = row["survey_type"].strip().lower()
    if kind == "csat" and text in CSAT_LABELS:
        return None
    lo, hi = SCALES[kind]
    if text.isdigit() and lo <= int(text) <= hi:
        return None
    return "off_scale_score"


def observed_defects(out: Path) -> Counter:
    """Count, by reason code, every defect found by reading the landing zone back."""
    found: Counter = Counter()
    for source in ("calls", "tickets", "surveys"):
        for path in sorted((out / source).iterdir()):
            rows = read_rows(path)
            missing = set(SOURCES[source].required_columns) - set(rows[0]) if rows else set()
            if missing:
                found["missing_required_column"] += len(rows)
                continue
            for row in rows:
                reason = parse_reason(source, row)
                if reason is None and source == "surveys":
                    reason = score_problem(row)
                if (
                    reason is None
                    and source == "tickets"
                    and row["first_response_at"] is not None
                    and utc(row["first_response_at"]) < utc(row["created_at"])
                ):
                    reason = "first_response_before_creation"
                if reason:
                    found[reason] += 1
    return found


LATEST_SLICE = slice_files("2026-01-07")  # the 30-minute exports of TINY's latest day


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_sample_exports(tmp_path_factory.mktemp("tiny") / "landing", **TINY)


@pytest.fixture(scope="module")
def tiny_clean(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    out = tmp_path_factory.mktemp("clean") / "landing"
    return generate_sample_exports(out, **TINY, clean=True)


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    out = tmp_path_factory.mktemp("two_weeks") / "landing"
    return generate_sample_exports(out, start=START, days=15, agents=12, seed=3)


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


# ----------------------------------------------------------------------------- summary, bad input


def test_rows_by_source_counts_every_row_written(tiny: GenerationSummary) -> None:
    for source in SOURCES:
        assert tiny.rows_by_source[source] == len(source_rows(tiny.out_dir, source)), source
    # hand-checkable dimensions: 3 clients, 3 sites, 9 teams exported twice, 8 agents
    assert tiny.rows_by_source["clients"] == 3
    assert tiny.rows_by_source["sites"] == 3
    assert tiny.rows_by_source["teams"] == 18
    assert tiny.rows_by_source["agent_roster"] == 8


def test_every_reason_is_injected_and_counted_exactly(tiny: GenerationSummary) -> None:
    assert list(tiny.bad_rows_by_reason) == list(REASONS)
    assert set(REASONS) == {
        "bad_timestamp", "bad_number", "negative_duration", "empty_key", "unknown_enum",
        "off_scale_score", "empty_score", "first_response_before_creation",
        "missing_required_column",
    }  # fmt: skip
    assert all(n >= 1 for n in tiny.bad_rows_by_reason.values()), tiny.bad_rows_by_reason
    assert observed_defects(tiny.out_dir) == Counter(tiny.bad_rows_by_reason)


def test_the_file_missing_a_column_is_an_extra_copy(tiny: GenerationSummary) -> None:
    backfill = read_rows(tiny.out_dir / "tickets" / "tickets_2026-01-06_backfill.jsonl")
    assert "channel" not in backfill[0]
    assert len(backfill) == tiny.bad_rows_by_reason["missing_required_column"]
    originals = {
        r["ticket_id"]: r for r in read_rows(tiny.out_dir / "tickets" / "tickets_2026-01-06.jsonl")
    }
    for row in backfill:
        assert {k: v for k, v in originals[row["ticket_id"]].items() if k != "channel"} == row


def test_clean_writes_no_bad_input(tiny_clean: GenerationSummary) -> None:
    assert tiny_clean.bad_rows_by_reason == {}
    assert observed_defects(tiny_clean.out_dir) == Counter()
    assert not any("backfill" in p.name for p in tiny_clean.files)


def test_bad_share_scales_the_bad_rows(tmp_path: Path) -> None:
    none = generate_sample_exports(tmp_path / "a", **TINY, bad_share=0.0)
    many = generate_sample_exports(tmp_path / "b", **TINY, bad_share=0.1)
    # with share 0 only the one forced example per reason on the first day remains
    # (calls, tickets and surveys each get one bad timestamp, empty key and unknown enum;
    # the backfill file re-sends max(3, 1 % of the day's tickets) = 3 tickets)
    assert none.bad_rows_by_reason == {
        "bad_timestamp": 3, "bad_number": 1, "negative_duration": 1, "empty_key": 3,
        "unknown_enum": 3, "off_scale_score": 1, "empty_score": 1,
        "first_response_before_creation": 1, "missing_required_column": 3,
    }  # fmt: skip
    assert sum(many.bad_rows_by_reason.values()) > 10 * sum(none.bad_rows_by_reason.values())


# ----------------------------------------------------------------------------- invariants


def test_good_calls_are_consistent_and_worked_by_rostered_agents(
    tiny_clean: GenerationSummary,
) -> None:
    out = tiny_clean.out_dir
    calls = source_rows(out, "calls")
    roster_agents = {r["agent_id"] for r in source_rows(out, "agent_roster")}
    inbound = [c for c in calls if c["direction"] == "inbound"]
    assert 0 < len(inbound) < len(calls)  # there are outbound calls too
    for c in calls:
        offered, answered, ended = utc(c["offered_at"]), utc(c["answered_at"]), utc(c["ended_at"])
        assert ended >= offered
        if answered is not None:
            assert offered <= answered <= ended
        if c["agent_id"] is not None:
            assert c["agent_id"] in roster_agents
    abandoned = [c for c in inbound if c["answered_at"] is None]
    short = [
        c for c in abandoned if (utc(c["ended_at"]) - utc(c["offered_at"])).total_seconds() <= 5
    ]
    assert 0 < len(short) < len(abandoned)
    assert any(c["hold_seconds"] not in (None, "0") for c in inbound)


def test_surveys_reference_existing_interactions(tiny_clean: GenerationSummary) -> None:
    out = tiny_clean.out_dir
    agents = {r["call_id"]: r["agent_id"] for r in source_rows(out, "calls")}
    agents |= {r["ticket_id"]: r["agent_id"] for r in source_rows(out, "tickets")}
    surveys = source_rows(out, "surveys")
    assert {s["interaction_type"] for s in surveys} == {"call", "ticket"}
    for s in surveys:
        assert s["interaction_id"] in agents
        assert s["agent_id"] in (None, agents[s["interaction_id"]])
        if s["responded_at"] is not None:
            assert utc(s["responded_at"]) > utc(s["sent_at"])
    assert any(s["agent_id"] is None for s in surveys)
    responded = sum(s["responded_at"] is not None for s in surveys) / len(surveys)
    assert 0.10 <= responded <= 0.35


def test_customers_exist_and_referrals_cross_clients_sometimes(
    two_weeks: GenerationSummary,
) -> None:
    out = two_weeks.out_dir
    customers = source_rows(out, "customers")
    known = {(c["client_id"], c["customer_id"]) for c in customers}
    for source in ("calls", "tickets", "surveys"):
        for row in source_rows(out, source, originals_only=True):
            if row.get("customer_id") and row.get(KEYS[source]):
                assert (row["client_id"], row["customer_id"]) in known
    referred = [c for c in customers if c["referred_by_customer_id"]]
    same = [c for c in referred if (c["client_id"], c["referred_by_customer_id"]) in known]
    assert 0 < len(referred) - len(same) < len(same)  # a few point at another client's customer
    assert all(c["full_name"] and "@" in c["email"] and c["phone"] for c in customers)


def test_every_ticket_channel_with_unanswered_and_unassigned(two_weeks: GenerationSummary) -> None:
    tickets = [t for t in source_rows(two_weeks.out_dir, "tickets", originals_only=True)
               if parse_reason("tickets", t) is None]  # fmt: skip
    assert {t["channel"] for t in tickets} == {"email", "chat", "web", "social", "messaging"}
    assert any(t["first_response_at"] is None for t in tickets)
    assert any(t["agent_id"] is None for t in tickets)


def test_csat_is_partly_written_as_labels(two_weeks: GenerationSummary) -> None:
    scores = {s["score"] for s in source_rows(two_weeks.out_dir, "surveys")
              if s["survey_type"] == "csat" and s["score"]}  # fmt: skip
    labels = {s for s in scores if s.strip().lower() in CSAT_LABELS}
    # seed 3: every label but "Very Unsatisfied" occurs (2 is written both ways)
    assert {s.strip().lower() for s in labels} == CSAT_LABELS - {"very unsatisfied"}
    assert any(s != s.strip() for s in labels)  # padded with spaces
    assert any(s.strip().islower() for s in labels)  # "satisfied"
    assert any(s.strip().istitle() for s in labels)  # "Very Satisfied"


def test_roster_snapshots_show_moves_hires_and_leavers(two_weeks: GenerationSummary) -> None:
    rows = source_rows(two_weeks.out_dir, "agent_roster")
    assert sorted({r["as_of_date"] for r in rows}) == ["2026-01-05", "2026-01-12", "2026-01-19"]
    teams: dict[str, dict[str, str]] = {}
    for r in rows:
        teams.setdefault(r["agent_id"], {})[r["as_of_date"]] = r["team_id"]
    assert any(len(set(t.values())) > 1 for t in teams.values())  # an agent changed team
    first = {a for a, t in teams.items() if "2026-01-05" in t}
    last = {a for a, t in teams.items() if "2026-01-19" in t}
    assert first - last  # someone left
    hires = last - first
    assert hires and all(r["hire_date"] > "2026-01-05" for r in rows if r["agent_id"] in hires)


def test_agents_work_only_while_employed_in_a_team_of_the_client(
    two_weeks: GenerationSummary,
) -> None:
    out = two_weeks.out_dir
    roster = source_rows(out, "agent_roster")
    team_client = {t["team_id"]: t["client_id"] for t in source_rows(out, "teams")}
    snapshots = sorted({r["as_of_date"] for r in roster})
    by_key = {(r["as_of_date"], r["agent_id"]): r["team_id"] for r in roster}
    for call in source_rows(out, "calls", originals_only=True):
        if call["agent_id"] is None or parse_reason("calls", call):
            continue
        cid = call["call_id"]  # CL<yyyymmdd><seq>: the (client-local) day of the call
        day = f"{cid[2:6]}-{cid[6:8]}-{cid[8:10]}"
        snapshot = max(s for s in snapshots if s <= day)
        assert team_client[by_key[(snapshot, call["agent_id"])]] == call["client_id"]


def test_employee_pulse_has_teams_under_the_anonymity_threshold(
    two_weeks: GenerationSummary,
) -> None:
    rows = source_rows(two_weeks.out_dir, "employee_surveys")
    per_team = Counter(r["team_id"] for r in rows)
    assert min(per_team.values()) < 5
    assert all(1 <= int(r["esat_score"]) <= 5 for r in rows)
    assert all(0 <= int(r["enps_score"]) <= 10 for r in rows if r["enps_score"] is not None)
    assert any(r["agent_id"] is not None for r in rows)
    assert any(r["agent_id"] is None for r in rows)


def test_a_client_crosses_the_us_dst_change(tmp_path: Path) -> None:
    # 2026-03-08: New York moves from -05:00 to -04:00
    summary = generate_sample_exports(
        tmp_path / "landing", start=date(2026, 3, 5), days=7, agents=8, seed=2, clean=True
    )
    clients = source_rows(summary.out_dir, "clients")
    new_york = {"client_id": "C001", "client_name": "Northwind Mobile",
                "reporting_timezone": "America/New_York", "industry": "telecommunications"}  # fmt: skip
    assert new_york in clients
    offsets = {t["created_at"][19:] for t in source_rows(summary.out_dir, "tickets")
               if t["client_id"] == "C001"}  # fmt: skip
    assert offsets == {"-05:00", "-04:00"}


# ----------------------------------------------------------------------------- vendor platforms

CONNECT_CALLS = ("INBOUND", "OUTBOUND")  # a transfer leg, a chat, a task, a monitor leg: no call


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_sample_exports(
        tmp_path_factory.mktemp("mixed") / "landing", **TINY, platforms="mixed"
    )


def vendor_records(out: Path, source: str) -> list[dict]:
    """Every record of a vendor folder, read by the ingestion's own reader."""
    spec = SOURCES[source]
    files, ignored = discover_files(out, source, spec.vendor_format)
    assert ignored == []
    records = []
    for file in files:
        frame, bad = read_vendor_frame(file)
        assert bad == [], file.relative_path
        records.extend(json.loads(r) for r in frame["record"])
    return records


def good_originals(out: Path, source: str, client_id: str) -> list[dict]:
    """The canonical rows of one client that parse, corrections and backfills left out."""
    return [
        r
        for r in source_rows(out, source, originals_only=True)
        if r["client_id"] == client_id and parse_reason(source, r) is None
    ]


def test_mixed_zone_is_deterministic(mixed: GenerationSummary, tmp_path: Path) -> None:
    again = generate_sample_exports(tmp_path / "landing", **TINY, platforms="mixed")
    assert [p.relative_to(again.out_dir) for p in again.files] == [
        p.relative_to(mixed.out_dir) for p in mixed.files
    ]
    for a, b in zip(mixed.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert again.rows_by_source == mixed.rows_by_source


def test_canonical_platforms_are_the_zone_of_before(
    tiny: GenerationSummary, tmp_path: Path
) -> None:
    # the Python default is canonical; --platforms canonical on the command line is the same
    assert cli.main(["generate", "--out", str(tmp_path / "cli"), "--start", "2026-01-05",
                     "--days", "3", "--agents", "8", "--seed", "5",
                     "--platforms", "canonical"]) == 0  # fmt: skip
    written = sorted(p for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path / "cli") for p in written] == [
        p.relative_to(tiny.out_dir) for p in tiny.files
    ]
    for a, b in zip(tiny.files, written, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_cli_writes_the_mixed_zone_by_default(
    mixed: GenerationSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["generate", "--out", str(tmp_path / "cli"), "--start", "2026-01-05",
                     "--days", "3", "--agents", "8", "--seed", "5"]) == 0  # fmt: skip
    written = sorted(p for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in mixed.files]
    printed = capsys.readouterr().out
    # 3 days of Amazon Connect: a file of first deliveries and one of updates a day
    assert "amazon_connect_contacts          6 files" in printed
    assert "(mixed platforms)" in printed


def test_every_vendor_folder_is_read_by_the_ingestion(mixed: GenerationSummary) -> None:
    for source in VENDOR_SOURCES:
        records = vendor_records(mixed.out_dir, source)
        assert len(records) == mixed.rows_by_source[source] > 0, source
    for source in ("queues", "agent_identities", "survey_questions"):
        assert len(source_rows(mixed.out_dir, source)) == mixed.rows_by_source[source] > 0
    assert {p.name for p in mixed.out_dir.iterdir()} == set(SOURCES)
    # formats as delivered: Firehose objects (no extension) gzip, back to back or one per
    # line; Genesys pages, some gzip; Zendesk JSON lines and pages; Qualtrics CSV
    connect = [p for p in mixed.files if p.parts[-6] == "amazon_connect_contacts"]
    assert all("." not in p.name for p in connect)
    heads = {p.read_bytes()[:2] for p in connect}
    assert b"\x1f\x8b" in heads and b'{"' in heads
    assert any(b"}{" in p.read_bytes() for p in connect)
    assert {p.suffix for p in (mixed.out_dir / "genesys_conversations").rglob("*.*")} == {
        ".json", ".gz"}  # fmt: skip
    assert {p.suffix for p in (mixed.out_dir / "zendesk_tickets").iterdir()} == {".json",
                                                                                  ".jsonl"}  # fmt: skip


def test_every_interaction_is_delivered_once_on_its_clients_platform(
    tiny: GenerationSummary, mixed: GenerationSummary
) -> None:
    canonical, out = tiny.out_dir, mixed.out_dir
    # no canonical row of a vendor client's channel in the mixed zone
    assert {r["client_id"] for r in source_rows(out, "calls")} == {"C003"}
    assert {r["client_id"] for r in source_rows(out, "tickets")} == {"C002", "C003"}
    assert {(r["client_id"], r["interaction_type"]) for r in source_rows(out, "surveys")} == {
        ("C002", "call"), ("C002", "ticket"), ("C003", "call"), ("C003", "ticket")}  # fmt: skip
    for client in ("C002", "C003"):  # the canonical clients keep their rows
        assert len(good_originals(out, "tickets", client)) == len(
            good_originals(canonical, "tickets", client)
        )

    # C001's calls: one Connect contact each (first deliveries and updates share the id)
    contacts = vendor_records(out, "amazon_connect_contacts")
    calls = {
        c["ContactId"]: c["Queue"]["EnqueueTimestamp"]
        for c in contacts
        if c["Channel"] == "VOICE"
        and c["InitiationMethod"] in CONNECT_CALLS
        and c["Queue"] is not None
        and c["Queue"]["Name"] != "test_line_do_not_use"
    }
    expected = sorted(r["offered_at"] for r in good_originals(canonical, "calls", "C001"))
    assert sorted(calls.values()) == expected

    # C002's calls: one Genesys conversation each, offered when its acd segment starts
    conversations = vendor_records(out, "genesys_conversations")
    offered = [
        next(p for p in c["participants"] if p["purpose"] == "acd")["sessions"][0]["segments"][0][
            "segmentStart"
        ].replace(".000Z", "Z")
        for c in conversations
    ]
    assert sorted(offered) == sorted(r["offered_at"] for r in good_originals(canonical, "calls",
                                                                              "C002"))  # fmt: skip
    assert len({c["conversationId"] for c in conversations}) == len(conversations)

    # C001's tickets: Zendesk tickets (besides one voice and one deleted ticket a day)
    tickets = [t for t in vendor_records(out, "zendesk_tickets")
               if t["via"]["channel"] != "voice" and t["status"] != "deleted"]  # fmt: skip
    assert len(tickets) == len(good_originals(canonical, "tickets", "C001"))
    assert sorted(t["created_at"] for t in tickets) == sorted(
        utc(r["created_at"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        for r in good_originals(canonical, "tickets", "C001")
    )

    # C001's surveys: ticket surveys as Zendesk ratings, call surveys' answers in Qualtrics
    c001 = good_originals(canonical, "surveys", "C001")
    ratings = [r for r in vendor_records(out, "zendesk_satisfaction_ratings")
               if r["score"] != "unoffered"]  # fmt: skip
    assert len(ratings) == sum(s["interaction_type"] == "ticket" for s in c001)
    responses = [r for r in vendor_records(out, "qualtrics_responses")
                 if r["status"] == "0" and r["finished"] == "1"]  # fmt: skip
    answered_calls = [s for s in c001 if s["interaction_type"] == "call" and s["responded_at"]]
    assert len(responses) == len(answered_calls)
    # every survey points at the interaction as its platform names it
    call_ids = {c["ContactId"] for c in contacts}
    assert all(r["call_id"] in call_ids for r in responses)
    ticket_ids = {t["id"] for t in vendor_records(out, "zendesk_tickets")}
    assert all(r["ticket_id"] in ticket_ids for r in ratings)
    conversation_ids = {c["conversationId"] for c in conversations}
    c002_calls = [s for s in source_rows(out, "surveys")
                  if s["client_id"] == "C002" and s["interaction_type"] == "call"
                  and parse_reason("surveys", s) is None]  # fmt: skip
    assert c002_calls and all(s["interaction_id"] in conversation_ids for s in c002_calls)


def test_bad_input_is_counted_in_the_canonical_files_only(mixed: GenerationSummary) -> None:
    assert observed_defects(mixed.out_dir) == Counter(mixed.bad_rows_by_reason)


def test_connect_records_hold_what_a_mapping_must_handle(mixed: GenerationSummary) -> None:
    contacts = vendor_records(mixed.out_dir, "amazon_connect_contacts")
    kinds = Counter((c["Channel"], c["InitiationMethod"]) for c in contacts)
    # a chat, a task and a monitor leg per day, two transfer legs a day (3 days)
    assert kinds[("CHAT", "INBOUND")] == kinds[("TASK", "API")] == kinds[("VOICE", "MONITOR")] == 3
    assert kinds[("VOICE", "TRANSFER")] == 6
    transfer = next(c for c in contacts if c["InitiationMethod"] == "TRANSFER")
    first_legs = [c for c in contacts if c["ContactId"] == transfer["PreviousContactId"]]
    assert any(c["NextContactId"] == transfer["ContactId"] for c in first_legs)
    # an inbound contact that never reached a queue, and a queue nobody mapped
    assert any(c["InitiationMethod"] == "INBOUND" and c["Queue"] is None for c in contacts)
    queues = {r["queue_ref"] for r in source_rows(mixed.out_dir, "queues")
              if r["system"] == "amazon_connect"}  # fmt: skip
    assert queues == {"billing", "tech_support", "sales", "cancellations", "outbound"}
    assert any(c["Queue"] and c["Queue"]["Name"] not in queues for c in contacts)
    # a record delivered again once after-contact work ended: the later one has the ACW
    versions: dict[str, list[dict]] = {}
    for c in contacts:
        versions.setdefault(c["ContactId"], []).append(c)
    updated = [v for v in versions.values()
               if len({c["LastUpdateTimestamp"] for c in v}) > 1]  # fmt: skip
    assert updated
    for v in updated:
        early, late = sorted(v, key=lambda c: c["LastUpdateTimestamp"])[:: len(v) - 1]
        if early["NextContactId"] is None and late["NextContactId"] is None:
            assert early["Agent"]["AfterContactWorkDuration"] is None
            assert late["Agent"]["AfterContactWorkDuration"] > 0
    # personal data and extra fields the mapping ignores are there, as Connect writes them
    voice = next(c for c in contacts if c["Agent"] and c["Attributes"].get("customer_id"))
    assert voice["CustomerEndpoint"]["Address"].startswith("+1212555")
    assert {"SystemEndpoint", "Recording", "Tags", "AWSAccountId"} <= set(voice)
    # exactly one agent login has no agent_identities row
    logins = {c["Agent"]["Username"] for c in contacts if c["Agent"]}
    known = {r["external_id"] for r in source_rows(mixed.out_dir, "agent_identities")
             if r["system"] == "amazon_connect"}  # fmt: skip
    assert len(logins - known) == 1


def test_genesys_conversations_carry_participants_and_metrics(mixed: GenerationSummary) -> None:
    conversations = vendor_records(mixed.out_dir, "genesys_conversations")
    purposes = Counter(tuple(p["purpose"] for p in c["participants"]) for c in conversations)
    assert ("customer", "ivr", "acd", "agent") in purposes
    assert ("customer", "ivr", "acd") in purposes  # abandoned in queue
    assert ("customer", "ivr", "acd", "agent", "agent") in purposes  # an alert not taken
    metrics = {m["name"] for c in conversations for p in c["participants"]
               for s in p["sessions"] for m in s.get("metrics", [])}  # fmt: skip
    assert {"tAnswered", "tTalkComplete", "tHeldComplete", "tAcw", "tNotResponding",
            "tAbandon"} <= metrics  # fmt: skip
    customer = conversations[0]["participants"][0]
    assert customer["sessions"][0]["ani"].startswith("tel:+44")
    users = {p["userId"] for c in conversations for p in c["participants"] if p.get("userId")}
    known = {r["external_id"] for r in source_rows(mixed.out_dir, "agent_identities")
             if r["system"] == "genesys"}  # fmt: skip
    assert users <= known


def test_zendesk_and_qualtrics_hold_every_case_the_spec_names(
    tiny: GenerationSummary, mixed: GenerationSummary
) -> None:
    ratings = vendor_records(mixed.out_dir, "zendesk_satisfaction_ratings")
    # the canonical zone's 29 ticket surveys of C001: 2 answered (both satisfied: good is
    # csat 4-5, nps 7-10, ces 1-3; seed 5 has no "bad", the 90-day demo has), 27 only
    # offered; plus 2 unoffered ratings a day
    c001 = [s for s in good_originals(tiny.out_dir, "surveys", "C001")
            if s["interaction_type"] == "ticket"]  # fmt: skip
    assert (len(c001), sum(s["responded_at"] is not None for s in c001)) == (29, 2)
    assert Counter(r["score"] for r in ratings) == {"offered": 27, "good": 2, "unoffered": 6}
    tickets = vendor_records(mixed.out_dir, "zendesk_tickets")
    by_channel = Counter(t["via"]["channel"] for t in tickets)
    assert by_channel["voice"] == 3 and sum(t["status"] == "deleted" for t in tickets) == 3
    email = next(
        t for t in tickets if t["via"]["channel"] == "email" and t["via"]["source"]["from"]
    )
    assert "@" in email["via"]["source"]["from"]["address"]
    assert not next(t for t in tickets if t["via"]["channel"] == "web")["via"]["source"]["from"]
    groups = {r["queue_ref"] for r in source_rows(mixed.out_dir, "queues")
              if r["system"] == "zendesk"}  # fmt: skip
    assert all(str(t["group_id"] or t["brand_id"]) in groups for t in tickets)
    metrics = vendor_records(mixed.out_dir, "zendesk_ticket_metrics")
    assert {m["ticket_id"] for m in metrics} == {t["id"] for t in tickets}

    responses = vendor_records(mixed.out_dir, "qualtrics_responses")
    assert Counter((r["status"], r["finished"]) for r in responses)[("1", "1")] == 3  # previews
    assert Counter((r["status"], r["finished"]) for r in responses)[("0", "0")] == 3  # unfinished
    survey = next((mixed.out_dir / "qualtrics_responses").iterdir())
    first_file = next(survey.iterdir())
    header = first_file.read_text().splitlines()[:3]
    assert header[0].startswith("StartDate,EndDate,Status,IPAddress,")
    assert header[2].startswith('"{""ImportId"":""startDate"",""timeZone"":""America/New_York""}"')
    questions = source_rows(mixed.out_dir, "survey_questions")
    assert {(q["survey_ref"], q["question_ref"], q["survey_type"]) for q in questions} == {
        (survey.name, "QID1", "nps"), (survey.name, "QID2", "csat"), (survey.name, "QID3", "ces")}  # fmt: skip
    assert any(r.get("recipientEmail") and r.get("ipAddress") for r in responses)


def test_canonical_queues_name_their_client_and_the_site_that_staffs_them(
    mixed: GenerationSummary,
) -> None:
    out = mixed.out_dir
    rows = [r for r in source_rows(out, "queues") if r["system"] == "canonical"]
    # C003 is the one client on canonical calls; its teams are at S01, S02 and S03, which
    # take its queues in turn; merchant_support, its last inbound queue, has no site on purpose
    assert [(r["queue_ref"], r["client_id"], r["site_id"], r["queue_name"]) for r in rows] == [
        ("payments", "C003", "S01", "payments"),
        ("kyc", "C003", "S02", "kyc"),
        ("merchant_support", "C003", None, "merchant_support"),
        ("outbound", "C003", "S01", "outbound"),
    ]
    calls = [c for c in source_rows(out, "calls") if parse_reason("calls", c) is None]
    assert {c["queue"] for c in calls} == {r["queue_ref"] for r in rows}
    # a site staffs a queue of a client with a team there; in-house and outsourced sites,
    # onshore and offshore, staff queues
    teams = {(t["client_id"], t["site_id"]) for t in source_rows(out, "teams")}
    assert all((r["client_id"], r["site_id"]) in teams for r in rows if r["site_id"])
    sites = {s["site_id"]: (s["sourcing"], s["location_type"]) for s in source_rows(out, "sites")}
    assert sites == {"S01": ("in_house", "onshore"), "S02": ("outsourced", "offshore"),
                     "S03": ("outsourced", "nearshore")}  # fmt: skip
    assert {sites[r["site_id"]] for r in rows if r["site_id"]} == {
        ("in_house", "onshore"), ("outsourced", "offshore")}  # fmt: skip


def test_a_queue_name_two_canonical_clients_share_gets_no_row(tmp_path: Path) -> None:
    six = generate_sample_exports(tmp_path / "landing", **TINY, clients=6, platforms="mixed")
    rows = [r for r in source_rows(six.out_dir, "queues") if r["system"] == "canonical"]
    # C003 and C006 are on canonical calls (the platform sets cycle every three clients);
    # both have an outbound queue, which the key (system, queue_ref) cannot tell apart
    assert [(r["queue_ref"], r["client_id"], r["site_id"]) for r in rows] == [
        ("payments", "C003", "S01"), ("kyc", "C003", "S02"), ("merchant_support", "C003", None),
        ("orders", "C006", "S01"), ("returns", "C006", "S02"), ("delivery", "C006", "S03"),
    ]  # fmt: skip
