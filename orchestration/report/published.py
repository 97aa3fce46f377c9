"""Reading the published warehouse into the report's values (:mod:`orchestration.report.data`).

Only the published file is read, opened ``read_only=True``: the nightly run may swap it
at any time (an atomic rename), and this connection keeps reading the file it opened.
Nothing here computes a KPI, it only picks rows: the scorecard's, the dimensions', the
landing's quality tables' and each client's latest day of ``marts.kpi_intervals``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.report.data import (
    INTRADAY_METRICS,
    Cell,
    Client,
    ClientDay,
    Intraday,
    Landing,
    ReportData,
    ReportError,
    Site,
    SourceDelivery,
    Team,
    VendorOutcome,
    add_months,
    month_end,
    month_start,
    report_month_of,
)

SCORECARD_TABLE = "marts.kpi_scorecard"
METRICS_TABLE = "marts.kpi_metrics"
INTERVALS_TABLE = "marts.kpi_intervals"
TARGETS_TABLE = "marts.kpi_targets"
PUBLISH_LOG_TABLE = "quality.publish_log"
INGESTED_FILES_TABLE = "quality.quality_ingested_files"
VENDOR_RECORDS_TABLE = "quality.quality_vendor_records"
INGESTED_FILES_COLUMNS = (
    "source",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "rows_skipped",
)
CUSTOMER_METRICS = ("customer_retention_pct", "referral_rate_pct")
EMPLOYEE_METRICS = ("esat_pct", "enps")
CLIENT_HISTORY_MONTHS = 12
# kpi_intervals' slice of the local clock: one of these, read from the data (the default
# when no client has two intervals apart)
INTERVAL_MINUTES = (60, 30, 15)
DEFAULT_INTERVAL_MINUTES = 30
# the service-level target drawn on intervals: the interval grain's, else the day's
TARGET_GRAINS = ("interval", "day")


@contextmanager
def open_published(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published warehouse; a clear error if it is not there."""
    path = Path(warehouse_path)
    if not path.is_file():
        raise ReportError(f"no published warehouse at {path}: run `cxw run` (or `cxw demo`) first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_catalog = current_database()"
    ).fetchall()
    return {name for (name,) in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return {c for (c,) in rows}


def _without_targets(table: str) -> str:
    """A table of kpi_metrics' columns as a cell source: no target, status no_target."""
    return f"(select *, null::double as target, 'no_target' as status from {table})"


def _cell_source(tables: set[str]) -> str:
    """The scorecard when it is published; otherwise the metrics, with no targets."""
    if SCORECARD_TABLE in tables:
        return SCORECARD_TABLE
    if METRICS_TABLE in tables:
        return _without_targets(METRICS_TABLE)
    raise ReportError(f"the published warehouse has no {METRICS_TABLE}")


def _cells(
    con: duckdb.DuckDBPyConnection,
    source: str,
    where: str,
    params: Iterable[object],
) -> list[Cell]:
    rows = con.execute(
        "select period_start, level, entity_id, metric, value, sample_size, ci_low, ci_high, "
        f"suppressed, target, status, is_complete from {source} where {where} "
        "order by period_start, level, entity_id, metric",
        list(params),
    ).fetchall()
    return [
        Cell(
            period_start=r[0],
            level=r[1],
            entity_id=r[2],
            metric=r[3],
            value=r[4],
            sample_size=int(r[5] or 0),
            ci_low=r[6],
            ci_high=r[7],
            suppressed=bool(r[8]),
            target=r[9],
            status=r[10] or "no_target",
            is_complete=bool(r[11]),
        )
        for r in rows
    ]


def _coverage(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date]:
    """First and last day with facts: the day grain at level all, else the month grain."""
    first, last = con.execute(
        f"select min(period_start), max(period_start) from {METRICS_TABLE} "
        "where period_grain = 'day' and level = 'all'"
    ).fetchall()[0]
    if first is None:
        first, last = con.execute(
            f"select min(period_start), max(period_start) from {METRICS_TABLE} "
            f"where period_grain = 'month' and metric not in {CUSTOMER_METRICS}"
        ).fetchall()[0]
        if first is not None:
            last = month_end(last)
    if first is None:
        raise ReportError(f"{METRICS_TABLE} in the published warehouse has no rows")
    return first, last


def _dims(con: duckdb.DuckDBPyConnection, tables: set[str]) -> tuple[list, list, dict, dict]:
    clients, sites, teams, agent_team = [], [], {}, {}
    if "marts.dim_client" in tables:
        clients = [
            Client(str(i), str(n or i))
            for i, n in con.execute(
                "select client_id, client_name from marts.dim_client order by client_id"
            ).fetchall()
        ]
    if "marts.dim_site" in tables:
        cols = _columns(con, "marts.dim_site")
        optional = [
            c if c in cols else f"null as {c}"
            for c in ("site_name", "country_code", "sourcing", "location_type")
        ]
        sites = [
            Site(str(r[0]), str(r[1] or r[0]), r[2] or "", r[3] or "", r[4] or "")
            for r in con.execute(
                f"select site_id, {', '.join(optional)} from marts.dim_site order by site_id"
            ).fetchall()
        ]
    if "marts.dim_team" in tables:
        teams = {
            str(r[0]): Team(str(r[0]), str(r[1] or r[0]), str(r[2] or ""), str(r[3] or ""))
            for r in con.execute(
                "select team_id, team_name, site_id, client_id from marts.dim_team"
            ).fetchall()
        }
    if "marts.dim_agent" in tables:
        agent_team = {
            str(a): str(t or "")
            for a, t in con.execute("select agent_id, team_id from marts.dim_agent").fetchall()
        }
    return clients, sites, teams, agent_team


def _published_at(con: duckdb.DuckDBPyConnection, tables: set[str]) -> dt.datetime | None:
    if PUBLISH_LOG_TABLE not in tables:
        return None
    rows = con.execute(f"select max(published_at) from {PUBLISH_LOG_TABLE}").fetchall()
    return rows[0][0] if rows else None


def _landing(con: duckdb.DuckDBPyConnection, tables: set[str]) -> Landing | None:
    """Deliveries per source (those with files) and the vendor records' reasons; None
    when the warehouse was published before quality_ingested_files counted skipped rows."""
    if INGESTED_FILES_TABLE not in tables or not set(INGESTED_FILES_COLUMNS) <= _columns(
        con, INGESTED_FILES_TABLE
    ):
        return None
    deliveries = [
        SourceDelivery(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]))
        for r in con.execute(
            "select source, count(*), coalesce(sum(rows_read), 0), "
            "coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0), "
            f"coalesce(sum(rows_skipped), 0) from {INGESTED_FILES_TABLE} "
            "group by source order by source"
        ).fetchall()
    ]
    outcomes: list[VendorOutcome] = []
    unknown_agents: dict[str, int] = {}
    if VENDOR_RECORDS_TABLE in tables:
        outcomes = [
            VendorOutcome(str(s), str(o), str(r or "unknown"), int(n))
            for s, o, r, n in con.execute(
                f"select source, outcome, reason, sum(records) from {VENDOR_RECORDS_TABLE} "
                "where outcome in ('skipped', 'rejected') group by all "
                "order by source, outcome desc, sum(records) desc, reason"
            ).fetchall()
        ]
        unknown_agents = {
            str(s): int(n)
            for s, n in con.execute(
                f"select source, sum(unknown_agent_records) from {VENDOR_RECORDS_TABLE} "
                "group by source having sum(unknown_agent_records) > 0 order by source"
            ).fetchall()
        }
    return Landing(deliveries, outcomes, unknown_agents)


def _interval_minutes(con: duckdb.DuckDBPyConnection) -> int:
    """The interval length: the shortest step between two intervals of one client."""
    (gap,) = con.execute(
        "select min(gap) from (select date_diff('minute', lag(period_start) over "
        "(partition by entity_id order by period_start), period_start) as gap "
        f"from {INTERVALS_TABLE} where level = 'client' and metric = 'calls_offered')"
    ).fetchall()[0]
    if gap is None:
        return DEFAULT_INTERVAL_MINUTES
    return next((m for m in INTERVAL_MINUTES if gap >= m), INTERVAL_MINUTES[-1])


def _service_level_targets(
    con: duckdb.DuckDBPyConnection, tables: set[str]
) -> dict[tuple[str, str], float]:
    """kpi_targets' client service-level targets by (grain, entity_id or '*')."""
    if TARGETS_TABLE not in tables:
        return {}
    rows = con.execute(
        f"select period_grain, entity_id, target from {TARGETS_TABLE} "
        f"where metric = 'service_level_pct' and level = 'client' and period_grain in {TARGET_GRAINS}"
    ).fetchall()
    return {(str(grain), str(entity)): float(target) for grain, entity, target in rows}


def interval_target(targets: dict[tuple[str, str], float], client_id: str) -> float | None:
    """The client's own target before the level's '*', the interval grain's before the day's."""
    for grain in TARGET_GRAINS:
        for entity in (client_id, "*"):
            if (grain, entity) in targets:
                return targets[(grain, entity)]
    return None


def _intraday(con: duckdb.DuckDBPyConnection, tables: set[str]) -> Intraday | None:
    """Each client's latest local day with calls in kpi_intervals; None without the table."""
    if INTERVALS_TABLE not in tables:
        return None
    targets = _service_level_targets(con, tables)
    latest = con.execute(
        f"select entity_id, max(period_start)::date from {INTERVALS_TABLE} "
        "where level = 'client' and metric = 'calls_offered' group by entity_id order by entity_id"
    ).fetchall()
    days = [
        ClientDay(
            client_id=str(client_id),
            day=day,
            cells=_cells(
                con,
                _without_targets(INTERVALS_TABLE),
                f"level = 'client' and entity_id = ? and metric in {INTRADAY_METRICS} "
                "and period_start >= ? and period_start < ?",
                [client_id, day, day + dt.timedelta(days=1)],
            ),
            service_level_target=interval_target(targets, str(client_id)),
        )
        for client_id, day in latest
    ]
    return Intraday(_interval_minutes(con), days)


def load_report_data(warehouse_path: Path) -> ReportData:
    """Read what the report needs from the published warehouse (read-only)."""
    with open_published(warehouse_path) as con:
        tables = _tables(con)
        source = _cell_source(tables)
        first_day, last_day = _coverage(con)
        report_month, complete = report_month_of(first_day, last_day)
        clients, sites, teams, agent_team = _dims(con, tables)
        month_cells = _cells(
            con, source, "period_grain = 'month' and period_start = ?", [report_month]
        )
        week_from = first_day - dt.timedelta(days=first_day.weekday())
        weekly_cells = _cells(
            con,
            source,
            "period_grain = 'week' and level in ('all', 'client') and period_start between ? and ?",
            [week_from, last_day],
        )
        history_from = max(
            month_start(first_day), add_months(report_month, 1 - CLIENT_HISTORY_MONTHS)
        )
        client_months = _cells(
            con,
            source,
            f"period_grain = 'month' and level in ('all', 'client') and metric in {CUSTOMER_METRICS} "
            "and period_start between ? and ?",
            [history_from, report_month],
        )
        (employee_month,) = con.execute(
            f"select max(period_start) from {METRICS_TABLE} where period_grain = 'month' "
            f"and level = 'team' and metric in {EMPLOYEE_METRICS} and period_start <= ?",
            [report_month],
        ).fetchall()[0]
        employee_cells = (
            _cells(
                con,
                source,
                f"period_grain = 'month' and level = 'team' and metric in {EMPLOYEE_METRICS} "
                "and period_start = ?",
                [employee_month],
            )
            if employee_month is not None
            else []
        )
        published_at = _published_at(con, tables)
        landing = _landing(con, tables)
        intraday = _intraday(con, tables)
    return ReportData(
        first_day=first_day,
        last_day=last_day,
        report_month=report_month,
        # the warehouse's own flag: the month's last day may still be receiving files
        report_month_complete=complete
        and all(c.is_complete for c in month_cells if c.level == "all"),
        published_at=published_at,
        clients=clients,
        sites=sites,
        teams=teams,
        agent_team=agent_team,
        month_cells=month_cells,
        weekly_cells=weekly_cells,
        client_months=client_months,
        employee_month=employee_month,
        employee_cells=employee_cells,
        landing=landing,
        intraday=intraday,
    )
