"""The canonical sources' files: text renderings of the simulated calls, tickets and
surveys, and the writers of the dimensions, the latest day's 30-minute calls slices, the
last day's corrections and the CRM exports (the layout is in :mod:`.generator`; the vendor
platforms' files are written by :mod:`.vendors`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from orchestration.sample_exports import defects, formats
from orchestration.sample_exports.customers import CustomerBase, customers_frame
from orchestration.sample_exports.workforce import snapshot_days
from orchestration.sample_exports.world import SNAPSHOT_EVERY_DAYS, World, dimension_frames

if TYPE_CHECKING:
    from orchestration.sample_exports.generator import _Landing

# The latest day's calls arrive as a contact center drops them during the day: one export
# per slice of this many seconds of UTC (by offered_at).
SLICE_SECONDS = 30 * 60
_OFFERED = "_offered"  # epoch offered_at beside a text row (a broken copy keeps its original's)


def _write_dimensions(land: _Landing, world: World) -> None:
    dims = dimension_frames(world)
    first = world.day(0)
    land.csv("clients", f"clients_{first}.csv", dims["clients"], bom=True)
    land.jsonl("sites", f"sites_{first}.jsonl", dims["sites"])
    land.csv("teams", f"teams_{first}.csv", dims["teams"])
    if world.days > 1:  # a later re-export: the first team got a new supervisor
        again = min(SNAPSHOT_EVERY_DAYS, world.days - 1)
        teams = dims["teams"].with_columns(
            supervisor_name=pl.when(pl.int_range(pl.len()) == 0)
            .then(pl.lit("Grace Okafor"))
            .otherwise(pl.col("supervisor_name"))
        )
        land.csv("teams", f"teams_{world.day(again)}.csv", teams)


def _calls_text(
    calls: pl.DataFrame,
    client_labels: np.ndarray,
    agent_labels: np.ndarray,
    ts: Callable[[str], pl.Expr],
) -> pl.DataFrame:
    return calls.select(
        "call_id",
        client_id=formats.lookup(calls["client_index"], client_labels),
        direction="direction",
        offered_at=ts("offered"),
        ended_at=ts("ended"),
        queue="queue",
        customer_id="customer_id",
        agent_id=formats.lookup(calls["agent"], agent_labels),
        answered_at=ts("answered"),
        talk_seconds=pl.col("talk").cast(pl.Utf8),
        hold_seconds=pl.col("hold").cast(pl.Utf8),
        acw_seconds=pl.col("acw").cast(pl.Utf8),
        wrap_code="wrap_code",
    )


def _write_intraday_calls(land: _Landing, d: date, calls_text: pl.DataFrame) -> None:
    """The day's calls, one file per UTC slice of ``SLICE_SECONDS`` that has calls."""
    start = pl.col(_OFFERED) // SLICE_SECONDS * SLICE_SECONDS
    slices = calls_text.with_columns(start).partition_by(
        _OFFERED, maintain_order=True, include_key=False, as_dict=True
    )
    for (epoch,), part in sorted(slices.items()):
        stamp = datetime.fromtimestamp(epoch, UTC)
        land.csv("calls", f"calls_{d}_{stamp:%Y%m%dT%H%MZ}.csv.gz", part, gz=True)


def _tickets_text(
    tickets: pl.DataFrame, client_labels: np.ndarray, agent_labels: np.ndarray, zones: list[str]
) -> pl.DataFrame:
    def ts(col: str) -> pl.Expr:
        return formats.local_offset(col, "client_index", zones)

    return tickets.select(
        "ticket_id",
        client_id=formats.lookup(tickets["client_index"], client_labels),
        channel="channel",
        created_at=ts("created"),
        customer_id="customer_id",
        agent_id=formats.lookup(tickets["agent"], agent_labels),
        priority="priority",
        status="status",
        first_response_at=ts("first_response"),
        solved_at=ts("solved"),
        tags="tags",
    )


def _surveys_text(
    surveys: pl.DataFrame, client_labels: np.ndarray, agent_labels: np.ndarray
) -> pl.DataFrame:
    return surveys.select(
        "survey_id",
        "survey_type",
        client_id=formats.lookup(surveys["client_index"], client_labels),
        sent_at=formats.naive_utc("sent"),
        customer_id="customer_id",
        interaction_type="interaction_type",
        interaction_id="interaction_id",
        agent_id=formats.lookup(surveys["agent"], agent_labels),
        responded_at=formats.naive_utc("responded"),
        score="score",
        comment="comment",
    )


def _write_corrections(
    land: _Landing,
    world: World,
    calls: pl.DataFrame,
    surveys_text: pl.DataFrame,
    client_labels: np.ndarray,
    agent_labels: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Re-deliveries of day-1 rows on the last day; their files sort after the originals."""
    last = world.day(world.days - 1)
    answered = calls.filter((pl.col("direction") == "inbound") & pl.col("agent").is_not_null())
    if answered.height:
        k = max(3, answered.height // 200)
        picked = answered[
            np.sort(rng.choice(answered.height, min(k, answered.height), replace=False))
        ]
        talk = (picked["talk"] + pl.Series(rng.integers(-60, 180, picked.height))).clip(10)
        fixed = picked.with_columns(
            talk=talk,
            ended=pl.col("answered") + talk + pl.col("hold"),
            wrap_code=pl.when(pl.col("wrap_code") == "escalated")
            .then(pl.lit("resolved"))
            .otherwise(pl.lit("escalated")),
        )
        land.csv(
            "calls",
            f"calls_{last}_correction.csv",
            _calls_text(fixed, client_labels, agent_labels, formats.utc_offset),
        )

    rescored = surveys_text.filter(defects.valid_score(surveys_text))
    if rescored.height:
        k = min(rescored.height, max(2, rescored.height // 100))
        picked = rescored[np.sort(rng.choice(rescored.height, k, replace=False))]
        lo = picked["survey_type"].replace_strict({t: s[0] for t, s in defects.SCALES.items()})
        hi = picked["survey_type"].replace_strict({t: s[1] for t, s in defects.SCALES.items()})
        old = picked["score"].cast(pl.Int64)
        # a different score on the same scale: old + 1, or the minimum when old is the maximum
        new = pl.select(pl.when(old < hi).then(old + 1).otherwise(lo)).to_series()
        land.parquet(
            "surveys",
            f"surveys_{last}_correction.parquet",
            picked.with_columns(score=new.cast(pl.Utf8)),
        )


def _write_customers(land: _Landing, world: World, bases: tuple[CustomerBase, ...]) -> None:
    """A full CRM export on day 1, then the new and churned customers at every snapshot day."""
    exports = sorted({int(d) for d in snapshot_days(world.days)} | {world.days - 1})
    previous = None
    for day in exports:
        frames = []
        for base in bases:
            if previous is None:
                rows = np.flatnonzero(base.signup_day <= day)
            else:
                changed = ((base.signup_day > previous) & (base.signup_day <= day)) | (
                    (base.churn_day > previous) & (base.churn_day <= day)
                )
                rows = np.flatnonzero(changed)
            frames.append(customers_frame(world, base, rows, day))
        land.parquet("customers", f"customers_{world.day(day)}.parquet", pl.concat(frames))
        previous = day
