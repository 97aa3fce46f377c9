"""The HTML report, rendered by headless Chromium: the charts are drawn, not only written.

The page carries a tiny inline script that, after layout, measures every chart's SVG
(``getBBox``) and its marks (bars, lines, bands, points) and writes the counts on
``<body>``; ``--dump-dom`` shows them. A screenshot then proves pixels were painted: it
is decoded with the standard library (zlib + PNG unfiltering) and must show the bar
colour and a spread of shades, not a blank page.

Chromium is Debian's ``chromium`` package; when it is missing the test fails and says
how to install it (it is never skipped).
"""

from __future__ import annotations

import re
import shutil
import statistics
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from orchestration.report import write_report
from orchestration.report.svg import BAR_COLOR
from tests.unit.test_report import AGENTS, _chart, build_published_warehouse

INSTALL_HINT = (
    "headless Chromium is needed to render the KPI report: install Debian's package with "
    "`sudo apt-get update && sudo apt-get install -y chromium`"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(INSTALL_HINT, pytrace=False)


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [chromium_binary(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"chromium exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit RGB/RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None, "PNG without IHDR"
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, f"unexpected PNG {header}"
    bpp = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((x + p) & 0xFF for x, p in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up_left = previous[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, previous[i], up_left)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("report_render")
    warehouse = build_published_warehouse(root / "warehouse.duckdb")
    summary = write_report(warehouse, root / "kpi_report.html", min_anonymity_n=5)
    return root, summary.path, summary


def test_every_chart_is_drawn_in_chromium(rendered: tuple[Path, Path, object]) -> None:
    root, report, summary = rendered
    dom = run_chromium(root / "profile-dom", "--dump-dom", report.as_uri()).stdout

    body = re.search(r"<body([^>]*)>", dom)
    assert body, f"no <body> in the rendered DOM:\n{dom[:2000]}"
    total = re.search(r'data-charts-total="(\d+)"', body.group(1))
    drawn = re.search(r'data-charts-drawn="(\d+)"', body.group(1))
    assert total and drawn, "the page's render check did not run (no data-charts-* on <body>)"
    # 2 calls + 4 experience + 2 efficiency + 3 sites + 2 customers + 2 employees
    assert int(total.group(1)) == summary.charts == 15
    assert int(drawn.group(1)) == 15
    assert 'data-drawn="no"' not in dom
    # the per-agent chart painted one bar per agent, each with a non-empty box
    agent_chart = re.search(
        r'<svg [^>]*data-marks-painted="(\d+)"[^>]*>\s*<title[^>]*>Calls handled per agent', dom
    )
    assert agent_chart and int(agent_chart.group(1)) == len(AGENTS) == 5


def test_screenshot_is_not_blank(rendered: tuple[Path, Path, object]) -> None:
    root, report, _ = rendered
    shot = root / "report.png"
    run_chromium(
        root / "profile-shot",
        "--window-size=1280,1800",
        "--force-device-scale-factor=0.5",
        f"--screenshot={shot}",
        report.as_uri(),
    )
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == (640, 900)

    bar = bytes.fromhex(BAR_COLOR.removeprefix("#"))
    bar_pixels = sum(1 for row in rows for x in range(0, len(row), bpp) if row[x : x + 3] == bar)
    # the calls-handled bars (and headline cards' neighbours) are painted in the bar colour
    assert bar_pixels > 500, f"only {bar_pixels} pixels of the bar colour: charts not painted"
    luminance = [
        (row[x] * 299 + row[x + 1] * 587 + row[x + 2] * 114) // 1000
        for row in rows[::4]
        for x in range(0, len(row), bpp * 4)
    ]
    assert statistics.pstdev(luminance) > 20, "the screenshot is (nearly) one flat colour"
    assert len(set(luminance)) > 50


def test_the_sample_report_marks_its_partial_week_and_month(sample_build, tmp_path: Path) -> None:
    """The report of the real pipeline's sample (7 days from Thursday 2026-03-05): March is
    not over, and the week of 9 March is the last, partial one of every weekly line: its
    point is hollow, the segment to it dashed, the note shown; the week of 2 March is over."""
    deployment, _ = sample_build
    summary = write_report(deployment.warehouse_path, tmp_path / "report.html", min_anonymity_n=5)
    html = summary.path.read_text()
    (last_day,) = deployment.published(
        "select max(period_start) from marts.kpi_metrics where period_grain = 'day' "
        "and level = 'all'"
    )[0]

    assert not summary.report_month_complete
    title = f"March 2026 — month not over (data to {last_day.day} Mar)"
    assert f'<p class="partial-month"><strong>{title}</strong>' in html
    chart = _chart(html, "Net Promoter Score, weekly")
    assert chart.count('class="point"') == 1  # week of 2 March
    assert chart.count('class="point partial"') == 1  # week of 9 March
    assert chart.count('class="line partial"') == 1
    assert "period not over" in chart
    assert "2026-03-09 (not over)" in html and "2026-03-02 (not over)" not in html
