"""The plain values the KPI report draws, and the report month's calendar.

:func:`orchestration.report.published.load_report_data` builds them from the published
warehouse. Every number comes from ``marts.kpi_scorecard`` (``kpi_metrics`` plus target
and status); nothing here computes a KPI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# the metrics of a ClientDay, interval by interval
INTRADAY_METRICS = ("calls_offered", "calls_handled", "service_level_pct", "asa_seconds")


class ReportError(RuntimeError):
    """The published warehouse cannot give a report (missing file, tables or rows)."""


@dataclass(frozen=True)
class Cell:
    """One kpi_scorecard row: a metric of one entity in one period, with its target."""

    period_start: dt.date
    level: str
    entity_id: str
    metric: str
    value: float | None
    sample_size: int
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    target: float | None
    status: str  # met | missed | no_target
    is_complete: bool  # False while the period is not over in the data


@dataclass(frozen=True)
class Client:
    client_id: str
    client_name: str


@dataclass(frozen=True)
class Site:
    site_id: str
    site_name: str
    country_code: str
    sourcing: str
    location_type: str


@dataclass(frozen=True)
class Team:
    team_id: str
    team_name: str
    site_id: str
    client_id: str


@dataclass(frozen=True)
class SourceDelivery:
    """What one landing source delivered: its files and records, read = loaded + rejected +
    skipped (a vendor record skipped on purpose or rejected by the mapping)."""

    source: str
    files: int
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_skipped: int


@dataclass(frozen=True)
class VendorOutcome:
    """Vendor records of one source skipped or rejected for one reason (e.g. chat_contact)."""

    source: str
    outcome: str  # skipped | rejected
    reason: str
    records: int


@dataclass(frozen=True)
class Landing:
    """Where the data comes from, per landing source; from the published quality tables."""

    deliveries: list[SourceDelivery]
    outcomes: list[VendorOutcome]
    unknown_agent_records: dict[str, int]  # per vendor source, records of unknown logins


@dataclass(frozen=True)
class ClientDay:
    """One client's intervals of its latest local day with calls (level client)."""

    client_id: str
    day: dt.date
    cells: list[Cell]  # period_start: the interval's local wall-clock start (a datetime)
    service_level_target: float | None

    @property
    def complete(self) -> bool:
        """False while the day may still receive files (its intervals are not final)."""
        return all(c.is_complete for c in self.cells)

    def intervals(self, metric: str) -> list[Cell]:
        return [c for c in self.cells if c.metric == metric]


@dataclass(frozen=True)
class Intraday:
    """The "today" view: every client's latest local day, interval by interval."""

    interval_minutes: int
    days: list[ClientDay]


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, keyed for look-ups; built by :func:`~orchestration.report.published.load_report_data`."""

    first_day: dt.date
    last_day: dt.date
    report_month: dt.date
    report_month_complete: bool  # the month is over and its rows are complete (is_complete)
    published_at: dt.datetime | None
    clients: list[Client]
    sites: list[Site]
    teams: dict[str, Team]
    agent_team: dict[str, str]
    month_cells: list[Cell]  # every level, report month
    weekly_cells: list[Cell]  # levels all and client, every week of the covered days
    client_months: list[Cell]  # retention and referral, client and all, recent months
    employee_month: dt.date | None
    employee_cells: list[Cell]  # esat_pct and enps per team, employee_month
    landing: Landing | None  # None: published before the quality tables of the landing
    intraday: Intraday | None  # None: published before marts.kpi_intervals
    _index: dict[tuple[str, str, str], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for c in self.month_cells:
            self._index[(c.level, c.entity_id, c.metric)] = c

    def month_cell(self, level: str, entity_id: str, metric: str) -> Cell | None:
        """The report month's row of one entity and metric, if it exists."""
        return self._index.get((level, entity_id, metric))

    def month_level(self, level: str, metric: str) -> list[Cell]:
        return [c for c in self.month_cells if c.level == level and c.metric == metric]

    def weekly(self, level: str, entity_id: str, metric: str) -> list[Cell]:
        rows = [
            c
            for c in self.weekly_cells
            if c.level == level and c.entity_id == entity_id and c.metric == metric
        ]
        return sorted(rows, key=lambda c: c.period_start)

    def client_name(self, client_id: str) -> str:
        if client_id == "all":
            return "All clients"
        names = {c.client_id: c.client_name for c in self.clients}
        return names.get(client_id, client_id)

    def team_name(self, team_id: str) -> str:
        team = self.teams.get(team_id)
        return team.team_name if team else team_id

    def site_name(self, site_id: str) -> str:
        names = {s.site_id: s.site_name for s in self.sites}
        return names.get(site_id, site_id)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def report_month_of(first_day: dt.date, last_day: dt.date) -> tuple[dt.date, bool]:
    """The last month the data covers to its end; the latest (partial) month if none is."""
    latest = month_start(last_day)
    if last_day == month_end(latest):
        return latest, True
    previous = add_months(latest, -1)
    if previous >= month_start(first_day):
        return previous, True
    return latest, False
