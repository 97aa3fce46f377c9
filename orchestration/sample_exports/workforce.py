"""The workforce: every agent employed in the range (hires, attrition, team moves) and the
agent_roster snapshots taken of it every ``SNAPSHOT_EVERY_DAYS`` days."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.sample_exports.formats import text
from orchestration.sample_exports.world import NEVER, SNAPSHOT_EVERY_DAYS, World, _names

NOTICE_DAYS = 14  # a roster snapshot shows a termination_date this many days ahead


@dataclass(frozen=True)
class Workforce:
    """Every agent ever employed in the range; day offsets are relative to ``world.start``."""

    agent_ids: np.ndarray  # str
    full_names: np.ndarray  # str
    roles: np.ndarray  # str
    hire_day: np.ndarray  # int64, may be negative (hired before the range)
    term_day: np.ndarray  # int64, NEVER when not terminated in the range
    team_by_snapshot: np.ndarray  # int64 [agent, snapshot] team index
    quality: np.ndarray  # float64 personal effect on customer scores (stars are high)
    speed: np.ndarray  # float64 multiplier of talk time

    @property
    def size(self) -> int:
        return len(self.agent_ids)

    def teams_on(self, day: int) -> np.ndarray:
        return self.team_by_snapshot[:, day // SNAPSHOT_EVERY_DAYS]

    def employed_on(self, day: int) -> np.ndarray:
        return (self.hire_day <= day) & (day < self.term_day)


def snapshot_days(days: int) -> np.ndarray:
    return np.arange(0, days, SNAPSHOT_EVERY_DAYS, dtype=np.int64)


def build_workforce(world: World, agents: int, rng: np.random.Generator) -> Workforce:
    """Initial headcount ``agents``; attrition replaced by hires at snapshot days; team moves."""
    n_teams = len(world.teams)
    n_snap = len(snapshot_days(world.days))
    client_weight = np.array([c.volume_factor for c in world.clients])
    team_weight = client_weight[world.team_client]
    team_weight = team_weight / team_weight.sum()

    first_teams = np.arange(min(agents, n_teams))
    rest = rng.choice(n_teams, size=agents - len(first_teams), p=team_weight)
    team0 = np.concatenate([first_teams, rest]).astype(np.int64)
    hire0 = -rng.integers(30, 1500, agents).astype(np.int64)

    # Attrition (~40 % a year, BPO-typical), never on day 0.
    term0 = np.full(agents, NEVER, dtype=np.int64)
    if world.days > 1:
        p_term = min(0.6, 0.40 * world.days / 365)
        leaving = rng.random(agents) < p_term
        if n_snap >= 2 and not leaving.any():
            leaving[rng.integers(0, agents)] = True
        term0[leaving] = rng.integers(1, world.days, leaving.sum())
        if n_snap >= 2 and not (term0 < SNAPSHOT_EVERY_DAYS * (n_snap - 1)).any():
            # make sure a replacement hire is visible in a later snapshot
            term0[np.argmin(term0)] = rng.integers(1, SNAPSHOT_EVERY_DAYS)

    # Replacement hires join the leaver's team at the next snapshot day.
    leavers = np.flatnonzero(term0 < NEVER)
    hire_at = -(-term0[leavers] // SNAPSHOT_EVERY_DAYS) * SNAPSHOT_EVERY_DAYS
    keep = hire_at < world.days
    new_hire_day = hire_at[keep]
    new_team = team0[leavers[keep]]
    n_new = len(new_hire_day)

    total = agents + n_new
    hire = np.concatenate([hire0, new_hire_day])
    term = np.concatenate([term0, np.full(n_new, NEVER, dtype=np.int64)])
    team_by_snapshot = np.repeat(np.concatenate([team0, new_team])[:, None], n_snap, axis=1)

    # Team moves (cross-skilling / re-deployment), effective at a snapshot day.
    if n_snap >= 2 and n_teams >= 2:
        p_move = min(0.25, 0.06 * (n_snap - 1))
        movers = np.flatnonzero(rng.random(total) < p_move)
        if len(movers) == 0:
            movers = np.array([0])
        at = rng.integers(1, n_snap, len(movers))
        shift = rng.integers(1, n_teams, len(movers))
        for a, k, sh in zip(movers, at, shift, strict=True):  # a few dozen agents at most
            day_k = k * SNAPSHOT_EVERY_DAYS
            if hire[a] <= day_k < term[a]:
                team_by_snapshot[a, k:] = (team_by_snapshot[a, k] + sh) % n_teams

    roles = np.where(rng.random(total) < 0.06, "team_lead", "agent").astype(object)
    roles[rng.random(total) < 0.04] = "csm"
    quality = rng.normal(0.0, 0.30, total)
    stars = rng.random(total) < 0.05
    stars[rng.integers(0, total)] = True  # at least one star agent
    quality[stars] += 0.9
    quality[rng.random(total) < 0.05] -= 0.7  # a few who struggle
    speed = np.exp(rng.normal(0.0, 0.15, total))
    return Workforce(
        agent_ids=np.array([f"A{i + 1:05d}" for i in range(total)], dtype=object),
        full_names=_names(rng, total),
        roles=roles,
        hire_day=hire,
        term_day=term,
        team_by_snapshot=team_by_snapshot,
        quality=quality,
        speed=speed,
    )


def roster_snapshot(world: World, wf: Workforce, k: int) -> pl.DataFrame:
    """The full agent_roster snapshot number ``k`` (as_of_date = start + 7k)."""
    day = k * SNAPSHOT_EVERY_DAYS
    idx = np.flatnonzero(wf.employed_on(day))
    as_of = world.day(day)
    names = wf.full_names[idx]
    term = wf.term_day[idx]
    notice = term - day <= NOTICE_DAYS
    return pl.DataFrame(
        {
            "as_of_date": [as_of.isoformat()] * len(idx),
            "agent_id": wf.agent_ids[idx],
            "team_id": np.array([t.team_id for t in world.teams], dtype=object)[
                wf.team_by_snapshot[idx, k]
            ],
            "hire_date": _iso_days(world, wf.hire_day[idx]),
            "full_name": names,
            "email": text(names).str.to_lowercase().str.replace_all(" ", ".")
            + text(wf.agent_ids[idx]).str.slice(1).str.strip_chars_start("0")
            + "@bpo.example.com",
            "role": wf.roles[idx],
            "termination_date": pl.Series(_iso_days(world, np.where(notice, term, 0))).set(
                pl.Series(~notice), None
            ),
        },
        schema={
            c: pl.Utf8
            for c in (
                "as_of_date",
                "agent_id",
                "team_id",
                "hire_date",
                "full_name",
                "email",
                "role",
                "termination_date",
            )
        },
    )


def _iso_days(world: World, offsets: np.ndarray) -> pl.Series:
    base = np.datetime64(world.start.isoformat(), "D")
    return text((base + offsets.astype("timedelta64[D]")).astype(str))
