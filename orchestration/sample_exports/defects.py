"""Bad input of every kind the raw export contract names, injected on purpose.

Parse failures (``bad_timestamp`` ...) are EXTRA rows with fresh keys (copies of good rows
with one value broken), so the good data stays complete and referenced keys keep existing.
Score problems and a reply before creation are mutations of real rows: those rows are
still loaded (invitations / created tickets) and flagged downstream.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from orchestration.sample_exports.formats import text

# Reason codes shared with the ingestion (meta.rejected_rows.reason) and data quality.
BAD_TIMESTAMP = "bad_timestamp"
BAD_NUMBER = "bad_number"
NEGATIVE_DURATION = "negative_duration"
EMPTY_KEY = "empty_key"
UNKNOWN_ENUM = "unknown_enum"
OFF_SCALE_SCORE = "off_scale_score"
EMPTY_SCORE = "empty_score"
FIRST_RESPONSE_BEFORE_CREATION = "first_response_before_creation"
MISSING_REQUIRED_COLUMN = "missing_required_column"
REASONS = (
    BAD_TIMESTAMP,
    BAD_NUMBER,
    NEGATIVE_DURATION,
    EMPTY_KEY,
    UNKNOWN_ENUM,
    OFF_SCALE_SCORE,
    EMPTY_SCORE,
    FIRST_RESPONSE_BEFORE_CREATION,
    MISSING_REQUIRED_COLUMN,
)

BAD_REASON = "_bad_reason"  # the column add_bad_rows(tag=True) marks broken rows with

BAD_TIMESTAMPS = ("2026-13-45T25:00:00", "yesterday", "31/12/2026 25:61")
BAD_NUMBERS = ("abc", "twelve", "--")
NEGATIVE_DURATIONS = ("-5", "-120", "-0.5")

# (columns one of which is broken, values to write) per reason and source
ROW_DEFECTS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "calls": {
        BAD_TIMESTAMP: (("offered_at", "ended_at"), BAD_TIMESTAMPS),
        BAD_NUMBER: (("talk_seconds", "hold_seconds", "acw_seconds"), BAD_NUMBERS),
        NEGATIVE_DURATION: (("talk_seconds", "acw_seconds"), NEGATIVE_DURATIONS),
        EMPTY_KEY: (("call_id",), ("",)),
        UNKNOWN_ENUM: (("direction",), ("sideways", "internal")),
    },
    "tickets": {
        BAD_TIMESTAMP: (("created_at",), BAD_TIMESTAMPS),
        EMPTY_KEY: (("ticket_id",), ("",)),
        UNKNOWN_ENUM: (("channel",), ("fax", "carrier_pigeon")),
    },
    "surveys": {
        BAD_TIMESTAMP: (("sent_at",), BAD_TIMESTAMPS),
        EMPTY_KEY: (("survey_id",), ("",)),
        UNKNOWN_ENUM: (("survey_type",), ("smiley", "nps2")),
    },
}

OFF_SCALE = {
    "nps": ("11", "-1", "7.5", "great", "100"),
    "csat": ("0", "6", "7.5", "great", "Very Good"),
    "ces": ("0", "6", "2.5", "hard", "-3"),
}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 5)}


def defect_counts(
    rng: np.random.Generator,
    n_rows: int,
    reasons: tuple[str, ...],
    share: float,
    at_least_one: bool,
) -> dict[str, int]:
    """How many rows of each reason to break: ``share`` of the rows, split over the reasons."""
    per_reason = share / max(len(reasons), 1)
    counts = {r: int(rng.binomial(n_rows, per_reason)) if n_rows else 0 for r in reasons}
    if at_least_one:
        counts = {r: max(k, 1) for r, k in counts.items()}
    return counts


def add_bad_rows(
    rng: np.random.Generator,
    good: pl.DataFrame,
    source: str,
    counts: dict[str, int],
    new_keys: Callable[[int], pl.Series],
    *,
    tag: bool = False,
) -> pl.DataFrame:
    """``good`` (text columns) with extra broken rows interleaved at random positions.

    ``tag``: add a column ``BAD_REASON`` (the reason of a broken row, null on good rows)."""
    key = good.columns[0]
    bad_frames = []
    if good.height:
        for reason, k in counts.items():
            if reason not in ROW_DEFECTS[source] or k == 0:
                continue
            columns, values = ROW_DEFECTS[source][reason]
            rows = good[rng.integers(0, good.height, k)]
            which = pl.Series(rng.integers(0, len(columns), k))
            value = text(np.array(values, dtype=object)[rng.integers(0, len(values), k)])
            rows = rows.with_columns(new_keys(k).alias(key)).with_columns(
                pl.when(which == i).then(value).otherwise(pl.col(c)).alias(c)
                for i, c in enumerate(columns)
            )
            if tag:
                rows = rows.with_columns(pl.lit(reason, dtype=pl.Utf8).alias(BAD_REASON))
            bad_frames.append(rows)
    if tag:
        good = good.with_columns(pl.lit(None, dtype=pl.Utf8).alias(BAD_REASON))
    if not bad_frames:
        return good
    bad = pl.concat(bad_frames)
    order = np.concatenate(
        [np.arange(good.height, dtype=np.float64), rng.uniform(0, good.height, bad.height)]
    )
    return (
        pl.concat([good, bad])
        .with_columns(_order=pl.Series(order))
        .sort("_order", maintain_order=True)
        .drop("_order")
    )


def valid_score(df: pl.DataFrame) -> pl.Series:
    """True where the survey row has a numeric in-scale score (labels excluded)."""
    value = df["score"].cast(pl.Int64, strict=False)
    lo = df["survey_type"].replace_strict({k: v[0] for k, v in SCALES.items()}, default=None)
    hi = df["survey_type"].replace_strict({k: v[1] for k, v in SCALES.items()}, default=None)
    return (
        df["score"].str.contains(r"^\d+$").fill_null(False)
        & (value >= lo).fill_null(False)
        & (value <= hi).fill_null(False)
    )


def break_scores(
    rng: np.random.Generator, surveys: pl.DataFrame, n_off_scale: int, n_empty: int
) -> tuple[pl.DataFrame, int, int]:
    """Answered surveys whose score the tool wrote off its scale, or left empty.

    Returns the surveys and how many scores were made off-scale and empty.
    """
    answered = np.flatnonzero(surveys["responded"].is_not_null().to_numpy())
    k = min(len(answered), n_off_scale + n_empty)
    if k == 0:
        return surveys, 0, 0
    picked = rng.choice(answered, k, replace=False)
    off, empty = picked[: min(n_off_scale, k)], picked[min(n_off_scale, k) :]
    types = surveys["survey_type"].to_numpy()[off]
    new = np.array([None] * len(off), dtype=object)
    for kind, values in OFF_SCALE.items():
        hit = types == kind
        new[hit] = np.array(values, dtype=object)[rng.integers(0, len(values), hit.sum())]
    score = surveys["score"].to_numpy().astype(object)
    score[off] = new
    score[empty] = None
    return surveys.with_columns(score=text(score)), len(off), len(empty)


def reply_before_creation(
    rng: np.random.Generator, tickets: pl.DataFrame, k: int
) -> tuple[pl.DataFrame, int]:
    """Tickets whose first reply is stamped before their creation (clock skew, bad import)."""
    answered = np.flatnonzero(tickets["first_response"].is_not_null().to_numpy())
    k = min(k, len(answered))
    if k == 0:
        return tickets, 0
    picked = rng.choice(answered, k, replace=False)
    first = tickets["first_response"].fill_null(0).to_numpy().copy()
    first[picked] = tickets["created"].to_numpy()[picked] - rng.integers(60, 7200, k)
    fixed = pl.Series(first, dtype=pl.Int64).set(tickets["first_response"].is_null(), None)
    return tickets.with_columns(first_response=fixed), k
