"""The simulated BPO: clients, sites, teams, the workforce over time and the customer base.

Everything here is small (dimensions, a few hundred agents) or built with numpy arrays
(customers); the fact tables are drawn per day in :mod:`.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from orchestration.sample_exports.formats import text

SNAPSHOT_EVERY_DAYS = 7  # agent_roster snapshots (and hires) fall on start + 7k
NOTICE_DAYS = 14  # a roster snapshot shows a termination_date this many days ahead
NEVER = 10**6  # "no termination / no churn" as a day offset


@dataclass(frozen=True)
class Client:
    client_id: str
    client_name: str
    reporting_timezone: str
    industry: str
    phone_prefix: str
    volume_factor: float  # relative call/ticket volume per staffed agent
    survey_mix: tuple[float, float, float]  # nps, csat, ces
    response_rate: float  # share of survey invitations answered
    csat_label_share: float  # share of CSAT answers the tool writes as labels
    channel_mix: tuple[float, float, float, float, float]  # email, chat, web, social, messaging
    queues: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    site_id: str
    site_name: str
    country_code: str
    timezone: str
    sourcing: str
    location_type: str
    score_effect: float  # shift of the latent customer-satisfaction of its agents
    esat_effect: float  # shift of employee satisfaction


@dataclass(frozen=True)
class Team:
    team_id: str
    team_name: str
    site_index: int
    client_index: int
    supervisor_name: str


CLIENT_CATALOG: tuple[Client, ...] = (
    Client(
        "C001",
        "Northwind Mobile",
        "America/New_York",
        "telecommunications",
        "+1 212 555",
        1.0,
        (0.5, 0.4, 0.1),
        0.14,
        0.10,
        (0.35, 0.25, 0.15, 0.10, 0.15),
        ("billing", "tech_support", "sales", "cancellations"),
    ),
    Client(
        "C002",
        "Harbour Lane Bank",
        "Europe/London",
        "banking",
        "+44 20 7946",
        0.8,
        (0.3, 0.6, 0.1),
        0.24,
        0.40,
        (0.45, 0.15, 0.25, 0.05, 0.10),
        ("cards", "mortgages", "fraud", "general"),
    ),
    Client(
        "C003",
        "Saffron Pay",
        "Asia/Kolkata",
        "fintech",
        "+91 80 5555",
        1.2,
        (0.3, 0.3, 0.4),
        0.30,
        0.05,
        (0.20, 0.35, 0.10, 0.10, 0.25),
        ("payments", "kyc", "merchant_support"),
    ),
    Client(
        "C004",
        "Pacific Air Travel",
        "America/Los_Angeles",
        "travel",
        "+1 415 555",
        0.9,
        (0.4, 0.4, 0.2),
        0.18,
        0.20,
        (0.40, 0.20, 0.20, 0.10, 0.10),
        ("reservations", "baggage", "loyalty"),
    ),
    Client(
        "C005",
        "Kookaburra Energy",
        "Australia/Sydney",
        "utilities",
        "+61 2 5550",
        0.7,
        (0.5, 0.3, 0.2),
        0.12,
        0.15,
        (0.50, 0.10, 0.25, 0.05, 0.10),
        ("billing", "outages", "moving_home"),
    ),
    Client(
        "C006",
        "Rheinwerk Retail",
        "Europe/Berlin",
        "retail",
        "+49 30 5550",
        1.1,
        (0.4, 0.5, 0.1),
        0.22,
        0.30,
        (0.30, 0.30, 0.15, 0.10, 0.15),
        ("orders", "returns", "delivery"),
    ),
)

SITE_CATALOG: tuple[Site, ...] = (
    Site("S01", "Austin Hub", "US", "America/Chicago", "in_house", "onshore", 0.25, 0.20),
    Site("S02", "Manila Bay Partner", "PH", "Asia/Manila", "outsourced", "offshore", -0.15, 0.05),
    Site("S03", "Bogota Nearshore", "CO", "America/Bogota", "outsourced", "nearshore", 0.0, -0.10),
    Site("S04", "Cebu Partner", "PH", "Asia/Manila", "outsourced", "offshore", -0.10, -0.20),
    Site(
        "S05", "Monterrey Center", "MX", "America/Monterrey", "outsourced", "nearshore", 0.05, 0.0
    ),
    Site("S06", "Leeds Contact Centre", "GB", "Europe/London", "in_house", "onshore", 0.15, 0.10),
)

# fmt: off
FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Carlos", "Maria", "Jose", "Ana", "Luis", "Sofia", "Miguel", "Camila", "Juan", "Valentina",
    "Paolo", "Angelica", "Mark", "Kristine", "Jericho", "Bea", "Rajesh", "Priya", "Arjun",
    "Ananya", "Vikram", "Kavya", "Rahul", "Deepa", "Oliver", "Amelia", "Harry", "Isla", "George",
    "Ava", "Noah", "Emma", "Liam", "Olivia", "Lucas", "Mia", "Mateo", "Lucia", "Diego", "Daniela",
    "Andres", "Gabriela",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Dela Cruz",
    "Mendoza", "Torres", "Ramirez", "Castillo", "Sharma", "Patel", "Iyer", "Reddy", "Nair",
    "Gupta", "Singh", "Khan", "Evans", "Walker", "Wright", "Hughes", "Clarke", "Murphy", "Kelly",
    "Restrepo", "Gomez", "Vargas", "Rojas", "Herrera",
)
# fmt: on


@dataclass(frozen=True)
class World:
    start: date
    days: int
    clients: tuple[Client, ...]
    sites: tuple[Site, ...]
    teams: tuple[Team, ...]

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)

    @property
    def team_client(self) -> np.ndarray:
        return np.array([t.client_index for t in self.teams], dtype=np.int64)

    @property
    def team_site(self) -> np.ndarray:
        return np.array([t.site_index for t in self.teams], dtype=np.int64)


def build_world(start: date, days: int, clients: int, sites: int) -> World:
    """Dimensions: the first ``clients`` / ``sites`` of the catalogs, one team per pair."""
    chosen_clients = CLIENT_CATALOG[:clients]
    chosen_sites = SITE_CATALOG[:sites]
    teams = []
    # Client index varies fastest so that the first teams cover every client, then every site.
    for s_idx, site in enumerate(chosen_sites):
        for c_idx, client in enumerate(chosen_clients):
            n = len(teams)
            teams.append(
                Team(
                    team_id=f"T{n + 1:03d}",
                    team_name=f"{client.client_name} @ {site.site_name.split()[0]}",
                    site_index=s_idx,
                    client_index=c_idx,
                    supervisor_name=f"{FIRST_NAMES[(7 * n + 3) % len(FIRST_NAMES)]} "
                    f"{LAST_NAMES[(5 * n + 1) % len(LAST_NAMES)]}",
                )
            )
    return World(start, days, tuple(chosen_clients), tuple(chosen_sites), tuple(teams))


def staffing_site(world: World, client_index: int, queue_number: int) -> Site:
    """The site that staffs a client's queue number ``queue_number``: the sites where the
    client has a team, in team order, take its queues in turn."""
    sites = list(dict.fromkeys(t.site_index for t in world.teams if t.client_index == client_index))
    return world.sites[sites[queue_number % len(sites)]]


def dimension_frames(world: World) -> dict[str, pl.DataFrame]:
    return {
        "clients": pl.DataFrame(
            {
                "client_id": [c.client_id for c in world.clients],
                "client_name": [c.client_name for c in world.clients],
                "reporting_timezone": [c.reporting_timezone for c in world.clients],
                "industry": [c.industry for c in world.clients],
            }
        ),
        "sites": pl.DataFrame(
            {
                "site_id": [s.site_id for s in world.sites],
                "site_name": [s.site_name for s in world.sites],
                "country_code": [s.country_code for s in world.sites],
                "timezone": [s.timezone for s in world.sites],
                "sourcing": [s.sourcing for s in world.sites],
                "location_type": [s.location_type for s in world.sites],
            }
        ),
        "teams": pl.DataFrame(
            {
                "team_id": [t.team_id for t in world.teams],
                "team_name": [t.team_name for t in world.teams],
                "site_id": [world.sites[t.site_index].site_id for t in world.teams],
                "client_id": [world.clients[t.client_index].client_id for t in world.teams],
                "supervisor_name": [t.supervisor_name for t in world.teams],
            }
        ),
    }


# --------------------------------------------------------------------------- workforce


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


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    return first + " " + last


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


# --------------------------------------------------------------------------- customers


@dataclass(frozen=True)
class CustomerBase:
    """One client's customers, sorted by signup day (ids follow signup order)."""

    client_index: int
    customer_ids: np.ndarray  # str
    signup_day: np.ndarray  # int64 offsets (negative = before the range), ascending
    churn_day: np.ndarray  # int64 offsets, NEVER when not churned
    referred_by: np.ndarray  # str or None
    acquisition_channel: np.ndarray  # str
    pii: pl.DataFrame  # full_name, email, phone; row i belongs to customer i

    def active_upto(self, day: int) -> int:
        """How many customers (a prefix of the arrays) have signed up by ``day``."""
        return int(np.searchsorted(self.signup_day, day, side="right"))


ACQUISITION_CHANNELS = ("paid_search", "organic", "social", "partner", "retail_store")


def build_customers(
    world: World, wf_agents: int, rng: np.random.Generator
) -> tuple[CustomerBase, ...]:
    weights = np.array([c.volume_factor for c in world.clients])
    weights = weights / weights.sum()
    bases = []
    for c_idx, client in enumerate(world.clients):
        n_old = int(100 + wf_agents * 300 * weights[c_idx])
        n_new = int(rng.poisson(n_old * 0.025 * world.days / 30)) + 1
        old_signup = np.sort(-rng.integers(1, 1800, n_old))
        new_signup = np.sort(rng.integers(0, world.days, n_new))
        signup = np.concatenate([old_signup, new_signup]).astype(np.int64)
        n = n_old + n_new
        churn = np.full(n, NEVER, dtype=np.int64)
        # ~1.8 % monthly churn inside the range, ~8 % churned before it
        p_churn = 1 - (1 - 0.018) ** (world.days / 30)
        in_range = rng.random(n) < p_churn
        churn[in_range] = rng.integers(0, world.days, in_range.sum())
        history = (rng.random(n) < 0.08) & (signup < -30)
        churn[history] = (
            signup[history] + (-signup[history] * rng.random(history.sum())).astype(np.int64) + 1
        )
        churn = np.where(churn <= signup, signup + 1, churn)

        ids = np.array([f"{client.client_id}-{i + 1:07d}" for i in range(n)], dtype=object)
        channel = np.array(ACQUISITION_CHANNELS, dtype=object)[
            rng.choice(len(ACQUISITION_CHANNELS), n, p=[0.3, 0.3, 0.15, 0.15, 0.1])
        ]
        referred = np.full(n, None, dtype=object)
        # ~12 % of customers were referred by an earlier customer of the same client
        cand = np.flatnonzero((rng.random(n) < 0.12) & (np.arange(n) > 0))
        referred[cand] = ids[(rng.random(len(cand)) * cand).astype(np.int64)]
        channel[cand] = "referral"
        bases.append(
            CustomerBase(c_idx, ids, signup, churn, referred, channel, _pii(client, n, rng))
        )

    # ~1 % of new customers name another client's customer: NOT a referral of this client
    if len(bases) >= 2:
        for c_idx, base in enumerate(bases):
            other = bases[(c_idx + 1) % len(bases)]
            new = np.flatnonzero(base.signup_day >= 0)
            pick = new[rng.random(len(new)) < 0.01]
            if len(pick) == 0 and len(new) > 0:
                pick = new[:1]
            base.referred_by[pick] = other.customer_ids[
                rng.integers(0, other.active_upto(0), len(pick))
            ]
            base.acquisition_channel[pick] = "referral"
    return tuple(bases)


def _pii(client: Client, n: int, rng: np.random.Generator) -> pl.DataFrame:
    """Fake but plausible names, e-mails on reserved example domains, and phone numbers."""
    names = text(_names(rng, n))
    domains = np.array(["example.com", "example.net", "example.org", "mail.example"], dtype=object)
    email = (
        names.str.to_lowercase().str.replace_all(" ", ".")
        + pl.Series(rng.integers(1, 999, n)).cast(pl.Utf8)
        + "@"
        + text(domains[rng.integers(0, len(domains), n)])
    )
    phone = (
        client.phone_prefix + " " + pl.Series(rng.integers(0, 10000, n)).cast(pl.Utf8).str.zfill(4)
    )
    return pl.DataFrame({"full_name": names, "email": email, "phone": phone})


def customers_frame(
    world: World, base: CustomerBase, rows: np.ndarray, as_of_day: int
) -> pl.DataFrame:
    """CRM rows for ``rows`` of ``base`` as known on ``as_of_day`` (typed Parquet columns)."""
    client = world.clients[base.client_index]
    n = len(rows)
    start = np.datetime64(world.start.isoformat(), "D")
    signup = start + base.signup_day[rows].astype("timedelta64[D]")
    churn_known = base.churn_day[rows] <= as_of_day
    churn = start + np.where(churn_known, base.churn_day[rows], 0).astype("timedelta64[D]")
    return pl.concat(
        [
            pl.DataFrame(
                {
                    "customer_id": text(base.customer_ids[rows]),
                    "client_id": text([client.client_id] * n),
                    "signup_date": pl.Series(signup, dtype=pl.Date),
                    "churn_date": pl.Series(churn, dtype=pl.Date).set(
                        pl.Series(~churn_known), None
                    ),
                    "referred_by_customer_id": text(base.referred_by[rows]),
                    "acquisition_channel": text(base.acquisition_channel[rows]),
                }
            ),
            base.pii[rows],
        ],
        how="horizontal",
    )
