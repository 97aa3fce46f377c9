"""The report's latest day by interval, on the hand-made warehouse of test_report.py plus
hand-written ``marts.kpi_intervals`` and ``marts.kpi_targets`` rows.

Geometry of an interval chart (svg_floor.intraday_bar_chart): 640 x 220, plot from x 48 to 624
(576 px for 1,440 minutes: 0.4 px a minute) and from y 20 to 180 (160 px); a 30-minute
bar is 30 x 0.4 - 1 = 11 px wide and starts half a pixel after its interval's start.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.report import write_report
from tests.unit.test_report import (
    KPI_COLUMNS,
    _chart,
    _section,
    build_published_warehouse,
    report_html,
)

INTERVAL_COLUMNS = KPI_COLUMNS.replace("period_start date", "period_start timestamp")
ACME_DAY, GLOBEX_DAY = dt.date(2026, 3, 31), dt.date(2026, 3, 30)


def interval(
    start: str,
    level: str,
    entity: str,
    metric: str,
    value: float,
    n: int,
    *,
    complete: bool = True,
) -> tuple:
    return (
        "interval", dt.datetime.fromisoformat(start), level, entity, metric, value, None, None, n,
        None, None, False, complete,
    )  # fmt: skip


def acme(start: str, offered: int, handled: int, sl: float, asa: float) -> list[tuple]:
    """Acme Retail's (C001) 31 March: its latest day, still receiving files."""
    return [
        interval(start, "client", "C001", "calls_offered", offered, offered, complete=False),
        interval(start, "client", "C001", "calls_handled", handled, handled, complete=False),
        interval(start, "client", "C001", "service_level_pct", sl, offered, complete=False),
        interval(start, "client", "C001", "asa_seconds", asa, handled, complete=False),
    ]


INTERVAL_ROWS = [
    *acme("2026-03-31 09:00", 30, 28, 75.0, 18.0),
    *acme("2026-03-31 09:30", 40, 36, 90.0, 12.0),
    # Acme's day before: complete, and not its latest day, so not shown
    interval("2026-03-30 10:00", "client", "C001", "calls_offered", 99, 99),
    # Globex Telecom (C002): its latest local day is 30 March, over
    interval("2026-03-30 14:00", "client", "C002", "calls_offered", 10, 10),
    interval("2026-03-30 14:00", "client", "C002", "calls_handled", 10, 10),
    interval("2026-03-30 14:00", "client", "C002", "service_level_pct", 100.0, 10),
    interval("2026-03-30 14:00", "client", "C002", "asa_seconds", 4.0, 10),
    # queue and all levels are not the per-client view (a later day at queue level)
    interval("2026-04-01 08:00", "queue", "billing", "calls_offered", 500, 500, complete=False),
    interval("2026-03-31 09:00", "all", "all", "calls_offered", 30, 30, complete=False),
]
# kpi_targets: a day target for every client, and Globex's own interval target
TARGETS = [
    ("service_level_pct", "client", "*", "day", 80.0, True),
    ("service_level_pct", "client", "C002", "interval", 90.0, True),
    ("aht_seconds", "client", "*", "interval", 360.0, False),
]


def add_intervals(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"create table marts.kpi_intervals ({INTERVAL_COLUMNS}, is_complete boolean)"
        ).fetchall()
        con.executemany(
            f"insert into marts.kpi_intervals values ({', '.join('?' * 13)})", INTERVAL_ROWS
        )
        con.execute(
            "create table marts.kpi_targets (metric varchar, level varchar, entity_id varchar, "
            "period_grain varchar, target double, higher_is_better boolean)"
        ).fetchall()
        con.executemany("insert into marts.kpi_targets values (?, ?, ?, ?, ?, ?)", TARGETS)
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("intervals")
    return add_intervals(build_published_warehouse(root / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def html(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_html(warehouse, tmp_path_factory.mktemp("intervals_report"))


def _bars(chart: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'([\w-]+)="([^"]*)"', rect))
        for rect in re.findall(r"<rect (class=\"bar[^>]*)>", chart)
    ]


def _client_day(html: str, client_id: str) -> str:
    match = re.search(
        rf'<div class="client-day" data-client="{client_id}">.*?</details></div>', html, re.S
    )
    assert match, f"no latest day of {client_id}"
    return match.group(0)


def test_each_client_shows_its_latest_local_day(html: str) -> None:
    today = _section(html, "today")

    assert "in 30-minute intervals" in today  # 09:00 to 09:30: the shortest step
    assert today.index('data-client="C001"') < today.index('data-client="C002"')
    acme = _client_day(html, "C001")
    assert re.search(
        r'<h3>Acme Retail, Tuesday 31 March 2026 <span class="not-final">not final', acme
    )
    globex = _client_day(html, "C002")
    assert "<h3>Globex Telecom, Monday 30 March 2026</h3>" in globex  # over: no mark
    assert 'data-client="billing"' not in today and 'data-client="all"' not in today


def test_offered_bars_stand_at_their_interval_with_heights_by_hand(html: str) -> None:
    chart = _chart(html, "Calls offered by interval, Acme Retail, 2026-03-31")
    bars = _bars(chart)

    # axis 0 to 40 (ticks 0, 10, 20, 30, 40) over 160 px: 4 px a call
    assert [(b["data-start"], b["x"], b["y"], b["width"], b["height"]) for b in bars] == [
        ("09:00", "264.5", "60.0", "11.0", "120.0"),  # x 48 + 540 min x 0.4; 30 calls
        ("09:30", "276.5", "20.0", "11.0", "160.0"),  # x 48 + 570 min x 0.4; 40 calls
    ]
    # the day is still receiving files: every bar is pale, dashed, and said to be not final
    assert all(b["class"] == "bar partial" for b in bars)
    assert "09:00–09:30: 30 (not final)" in chart
    assert 'class="partial-note"' in chart and "interval not final" in chart
    assert 'data-value="99"' not in chart  # the day before


def test_service_level_target_line_per_client(html: str) -> None:
    acme = _chart(html, "Service level (20 s) by interval, Acme Retail")
    # no interval target for Acme: the clients' day target, 80%, on an axis 0 to 100
    # (ticks of 20): y = 20 + (100 - 80) / 100 x 160 = 52
    assert re.search(r'<line class="target" x1="48" y1="52.0" x2="624" y2="52.0"', acme)
    assert "target 80.0%" in acme
    assert [b["data-value"] for b in _bars(acme)] == ["75", "90"]
    globex = _chart(html, "Service level (20 s) by interval, Globex Telecom")
    # Globex's own interval target, 90%: y = 20 + 10 / 100 x 160 = 36
    assert re.search(r'<line class="target" x1="48" y1="36.0"', globex)
    assert [b["class"] for b in _bars(globex)] == ["bar"]  # a day that is over
    assert "partial-note" not in globex
    # no target line on the counts or the speed of answer
    assert 'class="target"' not in _chart(html, "Average speed of answer by interval, Acme")


def test_interval_table_and_chart_count(html: str, warehouse: Path, tmp_path: Path) -> None:
    acme = _client_day(html, "C001")
    row = re.search(r'<tr><th scope="row">09:00–09:30</th>(.*?)</tr>', acme)
    assert row
    assert re.findall(r"<td[^>]*>(.*?)</td>", row.group(1)) == [
        "30", "28", "75.0%", "18s", "not final",
    ]  # fmt: skip

    summary = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5)
    assert summary.charts == 15 + 2 * 4  # test_report's 15, four per client


def test_interval_length_is_read_from_the_data(warehouse: Path, tmp_path: Path) -> None:
    """Globex gets a 14:15 interval: 15 minutes is the shortest step, each bar 5 px wide."""
    copy = tmp_path / "quarter_hours.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "insert into marts.kpi_intervals values ('interval', timestamp '2026-03-30 14:15', "
            "'client', 'C002', 'calls_offered', 5, null, null, 5, null, null, false, true)"
        ).fetchall()

    html = report_html(copy, tmp_path)
    assert "in 15-minute intervals" in _section(html, "today")
    bars = _bars(_chart(html, "Calls offered by interval, Globex Telecom"))
    assert [(b["data-start"], b["x"], b["width"]) for b in bars] == [
        ("14:00", "384.5", "5.0"),  # 48 + 840 x 0.4
        ("14:15", "390.5", "5.0"),
    ]


def test_a_warehouse_without_kpi_intervals_says_so(tmp_path: Path) -> None:
    warehouse = build_published_warehouse(tmp_path / "older.duckdb")

    html = report_html(warehouse, tmp_path)
    today = _section(html, "today")
    assert "published before marts.kpi_intervals existed" in today
    assert "<svg" not in today
