"""Shared by the tests of the sample-export generator (``cxw generate``,
orchestration/sample_exports/): the arguments of the small zones, a landing file read back
the way the contract reads it, the reason the contract rejects a row for, the defects
found by reading a zone back, and the landing zones the tests share (module-scoped
fixtures, bound by each test file that uses them: each file generates its own). Helpers
and fixtures, not tests."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.sample_exports import GenerationSummary, generate_sample_exports

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


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_sample_exports(tmp_path_factory.mktemp("tiny") / "landing", **TINY)


@pytest.fixture(scope="module")
def tiny_clean(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    out = tmp_path_factory.mktemp("clean") / "landing"
    return generate_sample_exports(out, **TINY, clean=True)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_sample_exports(
        tmp_path_factory.mktemp("mixed") / "landing", **TINY, platforms="mixed"
    )
