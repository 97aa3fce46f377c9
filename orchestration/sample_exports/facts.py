"""One day of facts (calls, tickets, survey invitations) and the monthly employee pulse.

Each function draws a whole day with numpy at once; the only Python loops run over
clients or teams. Times are int64 epoch seconds (UTC) until :mod:`.formats` writes them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from orchestration.landing.contract import CHANNELS
from orchestration.sample_exports.customers import CustomerBase
from orchestration.sample_exports.formats import text
from orchestration.sample_exports.workforce import Workforce
from orchestration.sample_exports.world import World

HOUR = 3600
CALL_DOW = np.array([1.0, 0.95, 0.95, 0.95, 0.9, 0.55, 0.4])  # Monday first
TICKET_DOW = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.65])
INBOUND_PER_AGENT = 46.0
OUTBOUND_PER_AGENT = 5.0
TICKETS_PER_AGENT = 18.0
SURVEY_INVITE_SHARE = {"call": 0.21, "ticket": 0.22}
OUTBOUND_QUEUE = "outbound"  # the queue every outbound call is offered to

# first response time per channel: (median seconds, lognormal sigma)
FIRST_RESPONSE = {
    "email": (3.0 * HOUR, 0.9),
    "chat": (90.0, 0.8),
    "web": (3.5 * HOUR, 0.9),
    "social": (40.0 * 60, 0.9),
    "messaging": (8.0 * 60, 0.9),
}
WRAP_CODES = (
    "resolved",
    "info_provided",
    "escalated",
    "transferred",
    "callback_scheduled",
    "billing_adjustment",
)
WRAP_WEIGHTS = (0.45, 0.2, 0.1, 0.1, 0.08, 0.07)
OUTBOUND_WRAP = ("callback_completed", "retention_offer", "no_answer")
CSAT_LABELS = {
    1: ("Very Unsatisfied",),
    2: ("Unsatisfied", "Not Satisfied"),
    3: ("Neutral",),
    4: ("Satisfied",),
    5: ("Very Satisfied",),
}
GOOD_COMMENTS = (
    "Quick and friendly, thanks!",
    "Solved on the first call.",
    "Great help, very patient.",
    "Easy, thank you",
)
BAD_COMMENTS = (
    "Waited far too long.",
    "Had to explain my problem twice",
    'Still not fixed, "escalated" again',
    "Transferred three times, not happy",
)
EMPLOYEE_COMMENTS = (
    "More coaching please",
    "Schedules changed too often",
    "Great team lead",
    "Tools are slow, especially CRM",
    "Happy here",
)


def _epoch_day(d: date) -> int:
    return (d - date(1970, 1, 1)).days * 86400


def local_to_utc(d: date, tz: str, seconds_of_day: np.ndarray) -> np.ndarray:
    """UTC epoch seconds of local wall-clock times on ``d`` in ``tz`` (DST-safe)."""
    naive = _epoch_day(d) + seconds_of_day.astype(np.int64)

    def convert(values: np.ndarray) -> pl.Series:
        return (
            pl.from_epoch(pl.Series(values, dtype=pl.Int64), time_unit="s")
            .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
            .dt.epoch("s")
        )

    out = convert(naive)
    if out.null_count():  # wall-clock times skipped by a spring-forward: one hour later
        out = out.fill_null(convert(naive + HOUR))
    return out.to_numpy().astype(np.int64)


def _peaked_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds of the local day: a morning and an afternoon peak over an open-hours base."""
    comp = rng.choice(3, n, p=[0.45, 0.40, 0.15])
    t = np.where(
        comp == 0,
        rng.normal(10.5 * HOUR, 1.6 * HOUR, n),
        np.where(
            comp == 1, rng.normal(15.0 * HOUR, 1.8 * HOUR, n), rng.uniform(7 * HOUR, 22 * HOUR, n)
        ),
    )
    out = (t < 6.5 * HOUR) | (t > 23 * HOUR)
    t[out] = rng.uniform(8 * HOUR, 20 * HOUR, out.sum())
    return t.astype(np.int64)


def _spread_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds of the local day for asynchronous channels: daytime bulk, round the clock tail."""
    t = np.where(
        rng.random(n) < 0.6, rng.normal(11.5 * HOUR, 3.0 * HOUR, n), rng.uniform(0, 86400, n)
    )
    return (np.mod(t, 86400)).astype(np.int64)


def _nullable_int(values: np.ndarray, valid: np.ndarray) -> pl.Series:
    return pl.Series(np.where(valid, values, 0).astype(np.int64)).set(pl.Series(~valid), None)


def _customersequential_ids(
    rng: np.random.Generator, base: CustomerBase, day: int, n: int, known_share: float
) -> pl.Series:
    upto = max(base.active_upto(day), 1)
    ids = base.customer_ids[rng.integers(0, upto, n)]
    known = rng.random(n) < known_share
    return text(np.where(known, ids, None))


def agent_pool(world: World, wf: Workforce, day: int, client_index: int) -> np.ndarray:
    """Agents employed on ``day`` in a team of the client (point-in-time team)."""
    client_of_agent = world.team_client[wf.teams_on(day)]
    return np.flatnonzero(wf.employed_on(day) & (client_of_agent == client_index))


def calls_for_day(
    world: World,
    wf: Workforce,
    customers: tuple[CustomerBase, ...],
    day: int,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Inbound and outbound calls offered on local ``day`` of every client."""
    d = world.day(day)
    frames = []
    for c_idx, client in enumerate(world.clients):
        pool = agent_pool(world, wf, day, c_idx)
        staffed = max(len(pool), 0.5)
        noise = float(np.exp(rng.normal(0, 0.08)))
        level = CALL_DOW[d.weekday()] * client.volume_factor * staffed * noise
        n_in = int(rng.poisson(INBOUND_PER_AGENT * level))
        n_out = int(rng.poisson(OUTBOUND_PER_AGENT * level)) if len(pool) else 0
        n = n_in + n_out
        inbound = np.arange(n) < n_in
        offered = local_to_utc(d, client.reporting_timezone, _peaked_times(rng, n))

        # service level target of the day (share answered within 20 s), abandon rate
        sl = rng.uniform(0.68, 0.92)
        mean_wait = -20.0 / np.log(1.0 - sl)
        abandoned = inbound & (rng.random(n) < rng.uniform(0.03, 0.09))
        short = rng.random(n) < 0.35
        abandon_wait = np.where(short, rng.integers(0, 6, n), 6 + rng.exponential(70.0, n))
        answer_wait = np.where(inbound, rng.exponential(mean_wait, n), rng.uniform(3, 25, n))
        connected = inbound | (rng.random(n) < 0.75)  # outbound: customer picked up
        answered_ok = connected & ~abandoned

        agent = pool[rng.integers(0, len(pool), n)] if len(pool) else np.zeros(n, dtype=np.int64)
        has_agent = (answered_ok | ~inbound) & (len(pool) > 0)
        speed = wf.speed[agent] if len(pool) else np.ones(n)
        talk = np.maximum(
            10, rng.lognormal(np.log(np.where(inbound, 270.0, 180.0) * speed), 0.55, n)
        ).astype(np.int64)
        hold = np.where(rng.random(n) < 0.3, rng.lognormal(np.log(50.0), 0.7, n), 0).astype(
            np.int64
        )
        acw = np.where(rng.random(n) < 0.95, rng.lognormal(np.log(25.0), 0.6, n), 0).astype(
            np.int64
        )
        answered = offered + answer_wait.astype(np.int64)
        ended = np.where(
            answered_ok,
            answered + talk + hold,
            offered + np.where(inbound, abandon_wait, rng.uniform(20, 40, n)).astype(np.int64),
        )
        wrap = np.where(
            inbound,
            np.array(WRAP_CODES, dtype=object)[rng.choice(len(WRAP_CODES), n, p=WRAP_WEIGHTS)],
            np.where(
                answered_ok,
                np.array(OUTBOUND_WRAP[:2], dtype=object)[rng.integers(0, 2, n)],
                "no_answer",
            ),
        )
        wrap = np.where(abandoned, None, wrap)
        queues = np.array(client.queues, dtype=object)
        queue = np.where(inbound, queues[rng.integers(0, len(queues), n)], OUTBOUND_QUEUE)
        frames.append(
            pl.DataFrame(
                {
                    "client_index": pl.Series([c_idx] * n, dtype=pl.Int64),
                    "direction": text(np.where(inbound, "inbound", "outbound")),
                    "offered": pl.Series(offered, dtype=pl.Int64),
                    "ended": pl.Series(ended, dtype=pl.Int64),
                    "queue": text(queue),
                    "customer_id": _customersequential_ids(rng, customers[c_idx], day, n, 0.92),
                    "agent": _nullable_int(agent, has_agent),
                    "answered": _nullable_int(answered, answered_ok),
                    "talk": _nullable_int(talk, answered_ok),
                    "hold": _nullable_int(hold, answered_ok),
                    "acw": _nullable_int(acw, has_agent),
                    "wrap_code": text(wrap),
                }
            )
        )
    out = pl.concat(frames).sort("offered", "client_index", maintain_order=True)
    prefix = f"CL{d:%Y%m%d}"
    return out.with_columns(call_id=sequential_ids(prefix, out.height))


def sequential_ids(prefix: str, n: int, first: int = 1) -> pl.Series:
    """``prefix`` + a zero-padded running number: ``CL20260105000001`` ..."""
    return prefix + pl.Series(np.arange(first, first + n)).cast(pl.Utf8).str.zfill(6)


def tickets_for_day(
    world: World,
    wf: Workforce,
    customers: tuple[CustomerBase, ...],
    day: int,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Helpdesk tickets created on local ``day`` of every client, on every channel."""
    d = world.day(day)
    channels = np.array(CHANNELS, dtype=object)
    frames = []
    for c_idx, client in enumerate(world.clients):
        pool = agent_pool(world, wf, day, c_idx)
        staffed = max(len(pool), 0.5)
        level = (
            TICKET_DOW[d.weekday()] * client.volume_factor * staffed * np.exp(rng.normal(0, 0.1))
        )
        n = int(rng.poisson(TICKETS_PER_AGENT * level))
        channel = channels[rng.choice(len(CHANNELS), n, p=client.channel_mix)]
        synchronous = np.isin(channel, ["chat", "messaging", "social"])
        local = np.where(synchronous, _peaked_times(rng, n), _spread_times(rng, n))
        created = local_to_utc(d, client.reporting_timezone, local)
        priority = np.array(["low", "normal", "high", "urgent"], dtype=object)[
            rng.choice(4, n, p=[0.2, 0.6, 0.15, 0.05])
        ]
        assigned = (rng.random(n) < 0.96) & (len(pool) > 0)
        responded = assigned & (rng.random(n) < 0.95)
        median = np.select(
            [channel == ch for ch in CHANNELS], [FIRST_RESPONSE[ch][0] for ch in CHANNELS]
        )
        sigma = np.select(
            [channel == ch for ch in CHANNELS], [FIRST_RESPONSE[ch][1] for ch in CHANNELS]
        )
        median = np.where(priority == "urgent", median * 0.5, median)
        first_response = created + np.maximum(5, rng.lognormal(np.log(median), sigma)).astype(
            np.int64
        )
        status = np.where(
            responded,
            np.array(["solved", "closed", "pending", "open"], dtype=object)[
                rng.choice(4, n, p=[0.55, 0.25, 0.12, 0.08])
            ],
            np.where(assigned, "open", "new"),
        )
        is_solved = np.isin(status, ["solved", "closed"])
        solve_median = np.where(synchronous, 600.0, 2.0 * HOUR)
        solved = first_response + rng.lognormal(np.log(solve_median), 1.0).astype(np.int64)
        agent = pool[rng.integers(0, len(pool), n)] if len(pool) else np.zeros(n, dtype=np.int64)
        tags = np.array(["", "vip", "refund", "bug", "complaint"], dtype=object)[
            rng.choice(5, n, p=[0.7, 0.05, 0.1, 0.1, 0.05])
        ]
        frames.append(
            pl.DataFrame(
                {
                    "client_index": pl.Series([c_idx] * n, dtype=pl.Int64),
                    "channel": text(channel),
                    "created": pl.Series(created, dtype=pl.Int64),
                    "customer_id": _customersequential_ids(rng, customers[c_idx], day, n, 0.97),
                    "agent": _nullable_int(agent, assigned),
                    "priority": text(priority),
                    "status": text(status),
                    "first_response": _nullable_int(first_response, responded),
                    "solved": _nullable_int(solved, responded & is_solved),
                    "tags": text(np.where(tags == "", None, tags)),
                }
            )
        )
    out = pl.concat(frames).sort("created", "client_index", maintain_order=True)
    return out.with_columns(ticket_id=sequential_ids(f"TK{d:%Y%m%d}", out.height))


def surveys_for_day(
    world: World,
    wf: Workforce,
    day: int,
    calls: pl.DataFrame,
    tickets: pl.DataFrame,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Survey invitations after the day's answered inbound calls and answered tickets."""
    d = world.day(day)
    call_src = calls.filter(
        (pl.col("direction") == "inbound")
        & pl.col("answered").is_not_null()
        & pl.col("agent").is_not_null()
    ).select(
        "client_index",
        "customer_id",
        "agent",
        interaction_type=pl.lit("call"),
        interaction_id="call_id",
        done=pl.col("ended") + pl.col("acw").fill_null(0),
    )
    ticket_src = tickets.filter(pl.col("first_response").is_not_null()).select(
        "client_index",
        "customer_id",
        "agent",
        interaction_type=pl.lit("ticket"),
        interaction_id="ticket_id",
        done=pl.coalesce("solved", "first_response"),
    )
    invited = pl.concat(
        [
            call_src.filter(pl.Series(rng.random(call_src.height) < SURVEY_INVITE_SHARE["call"])),
            ticket_src.filter(
                pl.Series(rng.random(ticket_src.height) < SURVEY_INVITE_SHARE["ticket"])
            ),
        ]
    )
    n = invited.height
    client_idx = invited["client_index"].to_numpy()
    agent = invited["agent"].to_numpy()
    is_call = (invited["interaction_type"] == "call").to_numpy()

    mix = np.array([c.survey_mix for c in world.clients])[client_idx]
    u = rng.random(n)
    kind = np.where(u < mix[:, 0], 0, np.where(u < mix[:, 0] + mix[:, 1], 1, 2))
    sent = invited["done"].to_numpy() + rng.integers(5 * 60, 120 * 60, n)
    rate = np.array([c.response_rate for c in world.clients])[client_idx] * np.where(
        is_call, 1.0, 0.85
    )
    responded_mask = rng.random(n) < rate
    responded = sent + np.maximum(60, rng.lognormal(np.log(3 * HOUR), 1.1, n)).astype(np.int64)

    site_effect = np.array([s.score_effect for s in world.sites])
    effect = wf.quality[agent] + site_effect[world.team_site[wf.teams_on(day)[agent]]]
    noise = rng.normal(0, 1, n)
    nps = np.clip(np.rint(8.3 + 1.6 * effect + 2.0 * noise), 0, 10)
    csat = np.clip(np.rint(4.15 + 0.9 * effect + 0.95 * noise), 1, 5)
    ces = np.clip(np.rint(2.3 - 0.8 * effect + 0.9 * noise), 1, 5)
    score = np.select([kind == 0, kind == 1], [nps, csat], ces).astype(np.int64)
    good = np.select([kind == 0, kind == 1], [score >= 9, score >= 4], score <= 2)

    label_share = np.array([c.csat_label_share for c in world.clients])[client_idx]
    as_label = (kind == 1) & (rng.random(n) < label_share)
    score_text = _csat_labels(rng, score, as_label)

    comment = np.where(
        good,
        np.array(GOOD_COMMENTS, dtype=object)[rng.integers(0, len(GOOD_COMMENTS), n)],
        np.array(BAD_COMMENTS, dtype=object)[rng.integers(0, len(BAD_COMMENTS), n)],
    )
    comment = np.where(responded_mask & (rng.random(n) < 0.12), comment, None)
    # Survey tools often do not know the agent: it is then taken from the interaction.
    agent_known = rng.random(n) < np.where(is_call, 0.85, 0.7)

    out = pl.DataFrame(
        {
            "survey_type": text(np.array(["nps", "csat", "ces"], dtype=object)[kind]),
            "client_index": invited["client_index"],
            "sent": pl.Series(sent, dtype=pl.Int64),
            "customer_id": invited["customer_id"],
            "interaction_type": invited["interaction_type"],
            "interaction_id": invited["interaction_id"],
            "agent": invited["agent"].set(pl.Series(~agent_known), None),
            "responded": _nullable_int(responded, responded_mask),
            "score": score_text.set(pl.Series(~responded_mask), None),
            "comment": text(comment),
        }
    ).sort("sent", "interaction_id")
    return out.with_columns(survey_id=sequential_ids(f"SV{d:%Y%m%d}", out.height))


def _csat_labels(rng: np.random.Generator, score: np.ndarray, as_label: np.ndarray) -> pl.Series:
    """Scores as text; CSAT ones partly as labels in varied case and spacing."""
    n = len(score)
    label = np.full(n, None, dtype=object)
    for value, names in CSAT_LABELS.items():
        hit = as_label & (score == value)
        label[hit] = np.array(names, dtype=object)[rng.integers(0, len(names), hit.sum())]
    variant = pl.Series(rng.choice(4, n, p=[0.6, 0.15, 0.1, 0.15]))
    lab = text(label)
    styled = (
        pl.DataFrame({"lab": lab, "variant": variant})
        .select(
            pl.when(pl.col("variant") == 1)
            .then(pl.col("lab").str.to_lowercase())
            .when(pl.col("variant") == 2)
            .then(pl.col("lab").str.to_uppercase())
            .when(pl.col("variant") == 3)
            .then(" " + pl.col("lab") + "  ")
            .otherwise(pl.col("lab"))
        )
        .to_series()
    )
    return styled.fill_null(pl.Series(score).cast(pl.Utf8))


def pulse_days(world: World) -> list[int]:
    """One employee pulse a month: two days after the start, then the same day each month."""
    first = min(2, world.days - 1)
    dom = min(world.day(first).day, 28)
    out = [first]
    d = world.day(first)
    while True:
        y, m = (d.year + (d.month == 12), d.month % 12 + 1)
        d = date(y, m, dom)
        off = (d - world.start).days
        if off >= world.days:
            return out
        out.append(off)


def employee_pulse(world: World, wf: Workforce, day: int, rng: np.random.Generator) -> pl.DataFrame:
    """Responses of the monthly pulse on ``day``: one team is always below the anonymity n."""
    teams_now = wf.teams_on(day)
    employed = wf.employed_on(day)
    small_team = int(rng.integers(0, len(world.teams)))
    frames = []
    for t_idx, team in enumerate(world.teams):
        members = np.flatnonzero(employed & (teams_now == t_idx))
        k = int(rng.binomial(len(members), 0.75))
        if t_idx == small_team:
            k = min(k, 3)
        if k == 0:
            continue
        who = rng.choice(members, k, replace=False)
        site = world.sites[team.site_index]
        latent = rng.normal(0, 1, k)
        esat = np.clip(np.rint(3.7 + site.esat_effect + 0.9 * latent), 1, 5).astype(np.int64)
        enps = np.clip(np.rint(7.0 + 2 * site.esat_effect + 2.0 * latent), 0, 10).astype(np.int64)
        named = rng.random(k) < 0.3  # the survey tool's optional "identify yourself"
        named[0] |= not frames  # at least one named response per pulse
        frames.append(
            pl.DataFrame(
                {
                    "team_id": [team.team_id] * k,
                    "agent_id": text(np.where(named, wf.agent_ids[who], None)),
                    "esat_score": pl.Series(esat, dtype=pl.Int64),
                    "enps_score": _nullable_int(enps, rng.random(k) < 0.97),
                    "comment": text(
                        np.where(
                            rng.random(k) < 0.2,
                            np.array(EMPLOYEE_COMMENTS, dtype=object)[rng.integers(0, 5, k)],
                            None,
                        )
                    ),
                }
            )
        )
    d = world.day(day)
    out = (
        pl.concat(frames)
        if frames
        else pl.DataFrame(
            schema={
                "team_id": pl.Utf8,
                "agent_id": pl.Utf8,
                "esat_score": pl.Int64,
                "enps_score": pl.Int64,
                "comment": pl.Utf8,
            }
        )
    )
    return out.select(
        response_id=sequential_ids(f"ES{d:%Y%m%d}", out.height),
        team_id="team_id",
        survey_date=pl.lit(d.isoformat()),
        agent_id="agent_id",
        esat_score="esat_score",
        enps_score="enps_score",
        comment="comment",
    )
