"""The KPI report, on a tiny published warehouse written by hand.

Every value below is chosen by hand; the assertions state what the report must show.
The render test (tests/integration/test_report_render.py) reuses this warehouse.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.report import ReportError, terminal_scorecard, write_report
from orchestration.report.data import report_month_of
from orchestration.report.svg import nice_ticks

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)
WEEKS = [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16), dt.date(2026, 3, 23)]

CLIENTS = [
    ("C001", "Acme Retail", "America/Chicago", "retail"),
    ("C002", "Globex Telecom", "UTC", "telecom"),
]
SITES = [
    ("S01", "Austin Hub", "US", "America/Chicago", "in_house", "onshore"),
    ("S02", "Manila Partner", "PH", "Asia/Manila", "outsourced", "offshore"),
]
TEAMS = [
    ("T01", "Acme @ Austin", "S01", "C001"),
    ("T02", "Globex @ Manila", "S02", "C002"),
    ("T03", "Acme <Night> & Co", "S02", "C001"),  # a name that must be escaped
]
AGENTS = [("A001", "T01"), ("A002", "T01"), ("A003", "T02"), ("A004", "T02"), ("A005", "T03")]
AGENT_CALLS = {"A001": 120, "A002": 95, "A003": 150, "A004": 60, "A005": 80}

# quality.quality_ingested_files: (source, file_path, file_format, status, error_reason,
# error, rows_read, rows_loaded, rows_rejected, rows_skipped); read = loaded + rejected + skipped
CONNECT_FILE = "amazon_connect/contacts/2026/03/31/firehose-1.json.gz"
INGESTED_FILES = [
    ("calls", "calls/calls_2026-03-30.csv", "csv", "loaded", None, None, 120, 118, 2, 0),
    ("calls", "calls/calls_2026-03-31.csv", "csv", "loaded", None, None, 80, 80, 0, 0),
    ("amazon_connect_contacts", CONNECT_FILE, "json_records", "loaded", None, None, 10, 7, 1, 2),
    ("queues", "queues/queues.csv", "csv", "loaded", None, None, 4, 4, 0, 0),
]
# quality.quality_vendor_records of the Connect file: (outcome, reason, records, unknown agents)
CONNECT_RECORDS = [
    ("mapped", None, 7, 3),
    ("skipped", "chat_contact", 2, 0),
    ("rejected", "unmapped_queue", 1, 0),
]

KPI_COLUMNS = """
    period_grain varchar, period_start date, level varchar, entity_id varchar, metric varchar,
    value double, numerator double, denominator double, sample_size bigint,
    ci_low double, ci_high double, suppressed boolean"""
SCORECARD_EXTRA = (
    "target double, higher_is_better boolean, target_entity_id varchar, status varchar, "
    "is_complete boolean"
)


def kpi(
    grain: str,
    start: dt.date,
    level: str,
    entity: str,
    metric: str,
    value: float | None,
    n: int,
    *,
    ci: tuple[float, float] | None = None,
    suppressed: bool = False,
    target: float | None = None,
    higher_is_better: bool | None = None,
    status: str = "no_target",
    complete: bool = True,
) -> tuple:
    low, high = ci or (None, None)
    target_entity = "*" if target is not None else None
    return (
        grain, start, level, entity, metric, value, None, None, n, low, high, suppressed,
        target, higher_is_better, target_entity, status, complete,
    )  # fmt: skip


def month(level: str, entity: str, metric: str, value: float | None, n: int, **kw) -> tuple:
    return kpi("month", MARCH, level, entity, metric, value, n, **kw)


def hand_made_rows() -> list[tuple]:
    rows = [
        # coverage: facts from 1 February to 31 March 2026 -> the report month is March
        kpi("day", dt.date(2026, 2, 1), "all", "all", "calls_handled", 12, 12),
        kpi("day", dt.date(2026, 3, 31), "all", "all", "calls_handled", 15, 15),
    ]
    rows += [month("agent", a, "calls_handled", v, v) for a, v in AGENT_CALLS.items()]
    rows += [
        month("team", "T01", "calls_handled", 215, 215),
        month("team", "T02", "calls_handled", 210, 210),
        month("team", "T03", "calls_handled", 80, 80),
        month("site", "S01", "calls_handled", 215, 215),
        month("site", "S02", "calls_handled", 290, 290),
        month("client", "C001", "calls_handled", 295, 295),
        month("client", "C002", "calls_handled", 210, 210),
        month("all", "all", "calls_handled", 505, 505),
    ]
    met, missed = {"status": "met"}, {"status": "missed"}
    nps_target = {"target": 30.0, "higher_is_better": True}
    csat_target = {"target": 85.0, "higher_is_better": True}
    aht_target = {"target": 360.0, "higher_is_better": False}
    rows += [
        month("client", "C001", "nps", 42.0, 100, ci=(30.1, 53.9), **nps_target, **met),
        month("client", "C002", "nps", 12.5, 80, ci=(-2.0, 27.0), **nps_target, **missed),
        month("all", "all", "nps", 28.9, 180, ci=(19.5, 38.3), **nps_target, **missed),
        month("client", "C001", "csat_pct", 88.0, 100, ci=(80.2, 93.0), **csat_target, **met),
        month("client", "C002", "csat_pct", 80.0, 80, ci=(70.0, 87.3), **csat_target, **missed),
        month("all", "all", "csat_pct", 84.4, 180, ci=(78.4, 89.0), **csat_target, **missed),
        month("client", "C001", "aht_seconds", 350.0, 295, **aht_target, **met),
        month("client", "C002", "aht_seconds", 365.0, 210, **aht_target, **missed),
        month("all", "all", "aht_seconds", 356.2, 505, **aht_target, **met),
        month("site", "S01", "aht_seconds", 340.0, 215, **aht_target, **met),
        month("site", "S02", "aht_seconds", 368.0, 290, **aht_target, **missed),
        month("site", "S01", "nps", 45.0, 90, **nps_target, **met),
        month("site", "S02", "nps", 14.4, 90, **nps_target, **missed),
        month("site", "S01", "csat_pct", 90.0, 90, **csat_target, **met),
        month("site", "S02", "csat_pct", 78.9, 90, **csat_target, **missed),
        month("site", "S01", "esat_pct", 80.0, 6),
        month("site", "S02", "esat_pct", 62.5, 8),
        month("site", "S01", "enps", 33.3, 6),
        month("site", "S02", "enps", -12.5, 8),
    ]
    # employee pulse: T02 has 3 responses, fewer than 5, so the warehouse suppressed it
    rows += [
        month("team", "T01", "esat_pct", 80.0, 6, ci=(41.8, 96.3)),
        month("team", "T02", "esat_pct", None, 3, suppressed=True),
        month("team", "T03", "esat_pct", 60.0, 5, ci=(23.1, 88.2)),
        month("team", "T01", "enps", 33.3, 6),
        month("team", "T02", "enps", None, 3, suppressed=True),
        month("team", "T03", "enps", -20.0, 5),
    ]
    retention = {"target": 97.0, "higher_is_better": True}
    for start, c1, c2, total in ((FEBRUARY, 98.0, 96.5, 97.3), (MARCH, 97.5, 96.0, 96.8)):
        rows += [
            kpi("month", start, "client", "C001", "customer_retention_pct", c1, 400, **retention, **met),
            kpi("month", start, "client", "C002", "customer_retention_pct", c2, 300, **retention, **missed),
            kpi("month", start, "all", "all", "customer_retention_pct", total, 700, **retention, **(met if total >= 97 else missed)),
            kpi("month", start, "client", "C001", "referral_rate_pct", 12.0, 50),
            kpi("month", start, "client", "C002", "referral_rate_pct", 8.0, 25),
        ]  # fmt: skip
    weekly = {
        "nps": [(25.0, 10.0, 40.0), (31.0, 17.0, 45.0), (28.0, 14.0, 42.0), (33.0, 20.0, 46.0)],
        "csat_pct": [(82.0, 75.0, 87.5), (85.0, 78.5, 89.9), (84.0, 77.0, 89.1), (86.5, 80.0, 91.0)],
        "ces_avg": [(2.4, None, None), (2.3, None, None), (2.5, None, None), (2.2, None, None)],
        "aht_seconds": [(352.0, None, None), (361.0, None, None), (349.0, None, None), (358.0, None, None)],
        "frt_avg_minutes": [(95.0, None, None), (88.0, None, None), (102.0, None, None), (91.0, None, None)],
        "frt_median_minutes": [(40.0, None, None), (38.0, None, None), (45.0, None, None), (36.0, None, None)],
    }  # fmt: skip
    for metric, points in weekly.items():
        for week, (value, low, high) in zip(WEEKS, points, strict=True):
            ci = (low, high) if low is not None else None
            judged = {}
            if metric == "nps":
                judged = {**nps_target, "status": "met" if value >= 30 else "missed"}
            rows.append(kpi("week", week, "all", "all", metric, value, 45, ci=ci, **judged))
    for week, value in zip(WEEKS, (40.0, 44.0, 41.0, 43.0), strict=True):
        rows.append(
            kpi("week", week, "client", "C001", "nps", value, 25, ci=(value - 15, value + 15))
        )
    return rows


def build_published_warehouse(path: Path) -> Path:
    """A published warehouse (schemas marts and quality) holding the hand-made rows."""
    con = duckdb.connect(str(path))
    try:
        for sql in (
            "create schema marts",
            "create schema quality",
            f"create table marts.kpi_metrics ({KPI_COLUMNS}, is_complete boolean)",
            f"create table marts.kpi_scorecard ({KPI_COLUMNS}, {SCORECARD_EXTRA})",
            "create table marts.dim_client (client_id varchar, client_name varchar, "
            "reporting_timezone varchar, industry varchar)",
            "create table marts.dim_site (site_id varchar, site_name varchar, country_code varchar, "
            "timezone varchar, sourcing varchar, location_type varchar)",
            "create table marts.dim_team (team_id varchar, team_name varchar, site_id varchar, "
            "client_id varchar, supervisor_name varchar)",
            "create table marts.dim_agent (agent_id varchar, team_id varchar, hire_date date)",
            "create table quality.publish_log (published_at timestamp, run_id varchar, "
            "tables_published bigint)",
            "create table quality.quality_ingested_files (source varchar, file_path varchar, "
            "file_format varchar, status varchar, error_reason varchar, error varchar, "
            "rows_read bigint, rows_loaded bigint, rows_rejected bigint, rows_skipped bigint, "
            "ingested_at timestamp)",
            "create table quality.quality_vendor_records (source varchar, file_path varchar, "
            "outcome varchar, reason varchar, records bigint, unknown_agent_records bigint)",
        ):
            con.execute(sql).fetchall()
        rows = hand_made_rows()
        con.executemany(f"insert into marts.kpi_scorecard values ({', '.join('?' * 17)})", rows)
        con.execute(
            "insert into marts.kpi_metrics select period_grain, period_start, level, entity_id, "
            "metric, value, numerator, denominator, sample_size, ci_low, ci_high, suppressed, "
            "is_complete from marts.kpi_scorecard"
        ).fetchall()
        con.executemany("insert into marts.dim_client values (?, ?, ?, ?)", CLIENTS)
        con.executemany("insert into marts.dim_site values (?, ?, ?, ?, ?, ?)", SITES)
        con.executemany("insert into marts.dim_team values (?, ?, ?, ?, 'n/a')", TEAMS)
        con.executemany("insert into marts.dim_agent values (?, ?, date '2025-01-06')", AGENTS)
        con.execute(
            "insert into quality.publish_log values (timestamp '2026-04-01 02:15:00', 'run-1', 9)"
        ).fetchall()
        con.executemany(
            "insert into quality.quality_ingested_files values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, timestamp '2026-04-01 02:00:00')",
            INGESTED_FILES,
        )
        con.executemany(
            "insert into quality.quality_vendor_records values "
            "('amazon_connect_contacts', ?, ?, ?, ?, ?)",
            [(CONNECT_FILE, *r) for r in CONNECT_RECORDS],
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the module; the report only reads it."""
    return build_published_warehouse(tmp_path_factory.mktemp("report") / "warehouse.duckdb")


def report_html(warehouse: Path, out_dir: Path) -> str:
    """The report of ``warehouse`` written into ``out_dir``, as text."""
    return write_report(warehouse, out_dir / "r.html", min_anonymity_n=5).path.read_text()


def _chart(html: str, title_start: str) -> str:
    """The <svg> whose <title> starts with ``title_start``."""
    for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S):
        title = re.search(r"<title id=[^>]*>(.*?)</title>", svg)
        if title and title.group(1).startswith(title_start):
            return svg
    raise AssertionError(f"no chart titled {title_start!r}")


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, flags=re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def test_report_summary_counts(warehouse: Path, tmp_path: Path) -> None:
    summary = write_report(warehouse, tmp_path / "out" / "report.html", min_anonymity_n=5)

    assert summary.path.is_file()
    assert summary.report_month == MARCH
    assert summary.report_month_complete
    assert summary.agents_shown == 5
    # scorecard, client level and all: NPS 1 met 2 missed, CSAT 1/2, AHT 2/1, retention 1/2
    assert (summary.targets_met, summary.targets_missed) == (5, 7)
    # 2 calls + 4 experience + 2 efficiency + 3 sites + 2 customers + 2 employees
    assert summary.charts == 15
    assert summary.bytes_written == len(summary.path.read_bytes())


def test_scorecard_shows_values_and_target_status(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    scorecard = _section(html, "scorecard")

    nps_row = re.search(r"<tr><th scope=\"row\">Net Promoter Score</th>.*?</tr>", scorecard)
    assert nps_row
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", nps_row.group(0))
    # target, Acme Retail, Globex Telecom, All clients
    assert re.sub(r"<[^>]+>", "", cells[0]) == "30.0"
    assert cells[1].startswith("42.0 ") and 'class="badge met"' in cells[1]
    assert cells[2].startswith("12.5 ") and 'class="badge missed"' in cells[2]
    assert cells[3].startswith("28.9 ") and 'class="badge missed"' in cells[3]
    assert "<strong>5</strong> targets met, <strong>7</strong> missed" in scorecard

    headline = _section(html, "headline")
    assert 'data-metric="aht_seconds"' in headline
    assert '<div class="kpi-value">5m 56s</div>' in headline  # 356.2 s
    assert '<div class="kpi-value">505</div>' in headline  # calls handled, all clients


def test_calls_per_agent_has_one_bar_per_agent(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()

    agents = _chart(html, "Calls handled per agent")
    bars = re.findall(r'<rect class="bar" data-label="([^"]*)" data-value="([^"]*)"', agents)
    assert len(bars) == len(AGENTS) == 5
    # ranked by calls, labelled with the agent's team
    assert [(label, float(v)) for label, v in bars] == [
        ("A003 · Globex @ Manila", 150.0),
        ("A001 · Acme @ Austin", 120.0),
        ("A002 · Acme @ Austin", 95.0),
        ("A005 · Acme &lt;Night&gt; &amp; Co", 80.0),
        ("A004 · Globex @ Manila", 60.0),
    ]
    teams = _chart(html, "Calls handled per team")
    assert teams.count('class="bar"') == 3


def test_trends_draw_confidence_bands_where_defined(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()

    nps = _chart(html, "Net Promoter Score, weekly")
    assert re.search(r'<path class="band" data-series="NPS" d="M[^"]+Z"', nps)
    assert nps.count('class="point"') == 4
    assert re.search(r'<line class="target"[^>]*>.*?target 30.0</text>', nps)  # weekly target
    csat = _chart(html, "Customer satisfaction (top two boxes), weekly")
    assert 'class="band"' in csat
    ces = _chart(html, "Customer effort score (lower is better), weekly")
    assert 'class="line"' in ces and 'class="band"' not in ces  # a mean has no interval
    frt = _chart(html, "First response time, mean, weekly")
    assert frt.count('class="line"') == 2  # mean and median
    assert "95% CI 10.0 to 40.0" in nps  # the first week's tooltip


def test_suppressed_teams_show_as_suppressed_not_numbers(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    employees = _section(html, "employees")

    globex = re.search(r'<tr><th scope="row">Globex @ Manila</th>.*?</tr>', employees)
    assert globex
    assert globex.group(0).count("suppressed (n &lt; 5)") == 2  # ESAT and eNPS
    assert '<td class="num">3</td>' in globex.group(0)  # the responses are shown
    esat = _chart(html, "Employee satisfaction (top two boxes) by team")
    assert 'data-label="Globex @ Manila"' not in esat  # no bar for a suppressed team
    assert re.search(r'class="bar-note"[^>]*>suppressed \(n &lt; 5\)</text>', esat)
    assert esat.count('class="bar"') == 2
    enps = _chart(html, "Employee NPS by team")
    assert 'data-value="-20"' in enps


def test_sites_side_by_side_in_house_onshore_first(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    sites = _section(html, "sites")

    assert sites.index("Austin Hub") < sites.index("Manila Partner")
    grouped = _chart(html, "Quality percentages per site")
    assert 'data-group="CSAT %" data-series="Austin Hub (in-house, onshore)" data-value="90"' in (
        grouped
    )
    assert 'data-series="Manila Partner (outsourced, offshore)" data-value="78.9"' in grouped
    scores = _chart(html, "NPS and eNPS per site")
    assert 'data-value="-12.5"' in scores


def test_retention_by_client(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    retention = _chart(html, "Customer retention by client")

    assert retention.count('class="line"') == 3  # Acme, Globex, all clients
    assert "Acme Retail, 2026-03-01: 97.5%" in retention
    referral = _chart(html, "Referral rate by client")
    assert referral.count('class="line"') == 2  # no all-level referral row was published


def test_page_is_self_contained_and_escaped(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()

    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*(?!["']?#)""", html)  # only #anchors
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the browser may load nothing at all
    assert "Acme &lt;Night&gt; &amp; Co" in html and "Acme <Night>" not in html
    assert html.count("<svg ") == html.count("<title id=") == 15


def test_terminal_scorecard(warehouse: Path) -> None:
    text = terminal_scorecard(warehouse, min_anonymity_n=5)
    lines = text.splitlines()

    assert lines[0] == "CX Warehouse KPI scorecard - March 2026"
    assert lines[1] == "data 2026-02-01 to 2026-03-31; published 2026-04-01 02:15 UTC"
    # a label column of 14, then 17 per client (the longest name + 3), values right-aligned
    # and followed by their mark: + met, x missed, blank no target
    assert lines[3] == "metric            Acme Retail   Globex Telecom      All clients"
    assert lines[4] == "-" * 63
    assert lines[5:11] == [
        "Handled                   295              210              505",
        "AHT                    5m 50s +         6m 05s x         5m 56s +",
        "NPS                      42.0 +           12.5 x           28.9 x",
        "CSAT %                  88.0% +          80.0% x          84.4% x",
        "Retention %             97.5% +          96.0% x          96.8% x",
        "Referral %              12.0%             8.0%                -",
    ]
    assert lines[-1] == "targets: 5 met (+), 7 missed (x); unmarked values have no target"
    assert len(lines) <= 40


def test_report_month_is_the_last_complete_month() -> None:
    assert report_month_of(dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == (MARCH, True)
    assert report_month_of(dt.date(2026, 1, 1), dt.date(2026, 3, 30)) == (FEBRUARY, True)
    # a week of March only: the partial month, said to be partial
    assert report_month_of(dt.date(2026, 3, 5), dt.date(2026, 3, 11)) == (MARCH, False)


def test_nice_ticks() -> None:
    assert nice_ticks(0, 505) == [0, 200, 400, 600]
    assert nice_ticks(-20, 33.3) == [-20, 0, 20, 40]  # step 53.3 / 5 = 10.7 -> 20
    assert nice_ticks(2.2, 2.5) == [2.2, 2.3, 2.4, 2.5]


def test_without_a_scorecard_the_report_shows_metrics_without_targets(
    warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "no_scorecard.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table marts.kpi_scorecard").fetchall()

    summary = write_report(copy, tmp_path / "r.html", min_anonymity_n=5)
    assert (summary.targets_met, summary.targets_missed, summary.charts) == (0, 0, 15)
    # no marks: each value is followed by two blanks instead of " +" / " x"
    no_marks = "NPS" + " " * 22 + "42.0" + " " * 13 + "12.5" + " " * 13 + "28.9"
    assert no_marks in terminal_scorecard(copy, min_anonymity_n=5).splitlines()


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no published warehouse at .*run `cxw run`"):
        terminal_scorecard(tmp_path / "absent.duckdb", min_anonymity_n=5)


def test_periods_not_over_are_marked(warehouse: Path, tmp_path: Path) -> None:
    """The same warehouse cut to data from 2 to 25 March (a Wednesday): the warehouse marks the week
    of 23 March and the month of March as not over (is_complete false). Expected: the
    report month is March, said to be not over with its last day; in each weekly line the
    last point is hollow and the segment to it dashed, with the legend note; the week's
    table row says "(not over)"; the retention chart (months the data covers: March) has
    only hollow points."""
    copy = tmp_path / "partial.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        for table in ("marts.kpi_metrics", "marts.kpi_scorecard"):
            con.execute(f"delete from {table} where period_grain = 'day'").fetchall()
            con.execute(
                f"insert into {table} by name select 'day' as period_grain, day as period_start, "
                "'all' as level, 'all' as entity_id, 'calls_handled' as metric, 15 as value, "
                "15 as sample_size, false as suppressed, day < date '2026-03-25' as is_complete "
                "from (values (date '2026-03-02'), (date '2026-03-25')) as days(day)"
            ).fetchall()
            con.execute(
                f"update {table} set is_complete = false where (period_grain = 'week' "
                "and period_start = date '2026-03-23') or (period_grain = 'month' "
                "and period_start = date '2026-03-01')"
            ).fetchall()

    summary = write_report(copy, tmp_path / "partial.html", min_anonymity_n=5)
    html = summary.path.read_text()

    assert summary.report_month == MARCH
    assert not summary.report_month_complete
    title = "March 2026 — month not over (data to 25 Mar)"
    assert f"<h2>{title}, all clients</h2>" in html
    assert f'<p class="partial-month"><strong>{title}</strong>' in _section(html, "scorecard")
    nps = _chart(html, "Net Promoter Score, weekly")
    assert nps.count('class="point"') == 3  # weeks of 2, 9 and 16 March
    assert nps.count('class="point partial"') == 1  # week of 23 March
    assert nps.count('class="line"') == 1 and nps.count('class="line partial"') == 1
    assert 'stroke-dasharray="5 4"' in nps
    assert "hollow point, dashed line: period not over" in nps
    assert "2026-03-23 (not over)" in _section(html, "experience")
    assert "2026-03-16 (not over)" not in html
    by_client = _chart(html, "Net Promoter Score by client")
    assert by_client.count('class="point partial"') == 1  # Acme's week of 23 March
    retention = _chart(html, "Customer retention")
    assert retention.count('class="point partial"') == 3  # March: Acme, Globex, all clients
    assert retention.count('class="point"') == 0
    assert terminal_scorecard(copy, min_anonymity_n=5).splitlines()[0].endswith(title)


def test_complete_periods_have_no_partial_marks(warehouse: Path, tmp_path: Path) -> None:
    """Every row of the hand-made warehouse is complete: no hollow point, no dash, no note."""
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    for mark in ('class="point partial"', 'class="line partial"', "partial-note"):
        assert mark not in html
    assert "partial-month" not in html and "not over)" not in html
