"""The report's in-house / outsourced and onshore / nearshore / offshore comparison, on the
hand-made warehouse of test_report.py plus hand-written rows of the levels ``sourcing``
and ``location_type`` for March 2026 (no nearshore site: no nearshore column).

Geometry of an interval chart (svg_floor.estimate_chart): 640 wide, the axis from x 110 to 460
(350 px).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.unit.test_report import _chart, _section, build_published_warehouse, month, report_html

SOURCING_ROWS = [
    month("sourcing", "in_house", "csat_pct", 90.0, 90, ci=(82.0, 95.0)),
    month("sourcing", "outsourced", "csat_pct", 78.9, 90, ci=(69.4, 86.0)),
    month("location_type", "onshore", "csat_pct", 90.0, 90, ci=(82.0, 95.0)),
    month("location_type", "offshore", "csat_pct", 78.9, 90, ci=(69.4, 86.0)),
    month("sourcing", "in_house", "aht_seconds", 340.0, 215),
    month("sourcing", "outsourced", "aht_seconds", 368.0, 290),
    month("sourcing", "in_house", "asa_seconds", 14.0, 215),
    month("sourcing", "in_house", "calls_outbound", 42, 42),
    month("sourcing", "in_house", "outbound_talk_seconds", 95.0, 42),
    # employee pulse: 3 outsourced answers, fewer than 5: hidden by the warehouse
    month("sourcing", "in_house", "esat_pct", 80.0, 6, ci=(41.8, 96.3)),
    month("sourcing", "outsourced", "esat_pct", None, 3, suppressed=True),
]


def add_sourcing_rows(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.executemany(
            f"insert into marts.kpi_scorecard values ({', '.join('?' * 17)})", SOURCING_ROWS
        )
        con.executemany(
            f"insert into marts.kpi_metrics values ({', '.join('?' * 13)})",
            [(*r[:12], r[-1]) for r in SOURCING_ROWS],
        )
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sourcing")
    return add_sourcing_rows(build_published_warehouse(root / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def html(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_html(warehouse, tmp_path_factory.mktemp("sourcing_report"))


def _row(section: str, label: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', section)
    assert row, f"no row {label!r}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_every_kpi_with_its_interval_or_none(html: str) -> None:
    sourcing = _section(html, "sourcing")

    headers = re.findall(r'<th scope="col">(.*?)</th>', sourcing)
    assert headers == ["Metric", "In-house", "Outsourced", "Onshore", "Offshore", "Interval"]
    assert _row(sourcing, "Customer satisfaction (top two boxes)") == [
        "90.0% (82.0% to 95.0%) · n = 90",
        "78.9% (69.4% to 86.0%) · n = 90",
        "90.0% (82.0% to 95.0%) · n = 90",
        "78.9% (69.4% to 86.0%) · n = 90",
        "95% interval in brackets",
    ]
    assert _row(sourcing, "Average handle time") == [
        "5m 40s · n = 215", "6m 08s · n = 290", "–", "–", "no interval defined",
    ]  # fmt: skip
    # the new metrics are named and written in their units
    assert _row(sourcing, "Average speed of answer")[0] == "14s · n = 215"
    assert _row(sourcing, "Outbound calls")[0] == "42 · n = 42"
    assert _row(sourcing, "Outbound talk time, mean")[0] == "1m 35s · n = 42"


def test_a_suppressed_group_shows_no_number(html: str) -> None:
    sourcing = _section(html, "sourcing")

    esat = _row(sourcing, "Employee satisfaction (top two boxes)")
    assert esat[0] == "80.0% (41.8% to 96.3%) · n = 6"
    assert esat[1] == '<span class="suppressed">suppressed (n &lt; 5)</span>'
    chart = _chart(html, "Employee satisfaction (top two boxes) by sourcing")
    assert 'data-label="Outsourced"' not in chart  # no point, no whisker
    assert re.search(r'class="bar-note"[^>]*>suppressed \(n &lt; 5\)</text>', chart)


def test_intervals_are_drawn_as_whiskers_on_one_axis(html: str) -> None:
    chart = _chart(html, "Customer satisfaction (top two boxes) by sourcing and location")

    # axis 60 to 100 (ticks of 10 over 69.4 to 95.0): 8.75 px a point
    # in-house: 90.0 at 110 + 30 x 8.75 = 372.5, its interval from 82.0 (302.5) to 95.0
    assert 'data-label="In-house" data-value="90" cx="372.5"' in chart
    assert re.search(r'<line class="band" data-label="In-house" x1="302.5"', chart)
    assert chart.count('class="point"') == chart.count('class="band"') == 4
    # only the metrics with an interval get a chart: CSAT and ESAT
    sourcing = _section(html, "sourcing")
    assert sourcing.count("<svg ") == 2
    assert "Average handle time by sourcing" not in sourcing


def test_a_warehouse_without_sourcing_rows_says_so(tmp_path: Path) -> None:
    warehouse = build_published_warehouse(tmp_path / "older.duckdb")

    html = report_html(warehouse, tmp_path)
    assert "No KPIs by sourcing or location type" in _section(html, "sourcing")
