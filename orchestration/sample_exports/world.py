"""The simulated BPO: its clients, sites and teams, the calendar and the name pools.

Everything here is small (dimensions); the people are in :mod:`.workforce` (the agents over
time) and :mod:`.customers` (the customer base), and the fact tables are drawn per day in
:mod:`.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

SNAPSHOT_EVERY_DAYS = 7  # agent_roster snapshots (and hires) fall on start + 7k
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


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    return first + " " + last


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
