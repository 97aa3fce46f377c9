"""The quality page, opened offline in headless Chromium: a user sees which expectation
blocked the night, how many rows broke it and a few of their values. The page has no
script and its Content-Security-Policy forbids any (``default-src 'none'``), so what
Chromium renders is what a browser with JavaScript off shows.

A real validation (Great Expectations, in process) of drifted CSAT answers is recorded
next to a clean one, then Chromium renders ``index.html`` from disk: ``--dump-dom`` gives
the laid-out DOM, a screenshot proves the page is painted (the FAILED badge's colour is
there, and more than one flat colour). Chromium is Debian's ``chromium`` package; when it
is missing the test fails and says how to install it (it is never skipped).
"""

from __future__ import annotations

import re
import statistics
from datetime import date
from html import unescape
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from data_quality.config import PlausibleWindow, QualityConfig
from data_quality.results import record_outcome
from data_quality.runner import validate_chunks
from orchestration.settings import load_settings
from tests.integration.test_report_render import decode_png, run_chromium

FAILED_BADGE = bytes.fromhex("fee2e2")  # background of "FAILED (blocking)"


def _surveys(scores: list[str]) -> pa.Table:
    frame = pd.DataFrame(
        {
            "survey_type": "csat",
            "sent_at": pd.Timestamp("2026-03-12 10:00"),
            "responded_at": pd.Timestamp("2026-03-12 11:00"),
            "score": scores,
        }
    )
    frame.loc[0, "score"] = "<b>10</b>"  # off the scale too; markup in a value stays text
    return pa.Table.from_pandas(frame, preserve_index=False)


@pytest.fixture(scope="module")
def quality_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("quality_page")
    config = QualityConfig.from_settings(
        load_settings({}), window=PlausibleWindow(date(2000, 1, 1), date(2027, 1, 1))
    )
    drifted = [str(6 + i % 5) for i in range(12)] + [str(1 + i % 5) for i in range(28)]
    outcome = validate_chunks("raw_surveys", config, [_surveys(drifted)])
    assert not outcome.success
    record_outcome(outcome, root / "quality_docs", "nightly-2026-03-12")
    clean = validate_chunks("raw_tickets", config, [])
    page = record_outcome(clean, root / "quality_docs", "nightly-2026-03-12")
    return root, page


def test_the_blocking_expectation_is_visible_offline(quality_page):
    root, page = quality_page
    dom = run_chromium(root / "profile-dom", "--dump-dom", page.as_uri()).stdout
    assert "<script" not in dom
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))
    assert (
        "Publishing blocked: 1 suite(s) failed a blocking expectation: raw_surveys__suite : "
        "scale_drift__csat (12 unexpected)." in text
    )
    row = re.search(r'<tr><th scope="row">scale_drift__csat</th>(.*?)</tr>', dom, re.S)
    assert row, f"no row of scale_drift__csat in the rendered DOM:\n{dom[:3000]}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert cells[:3] == ["blocking", "12", "30.00%"]
    examples = unescape(re.sub(r"<[^>]+>", "", cells[3]))
    assert examples == '"<b>10</b>" "7" "8" "9" "10" (+5 more)'
    assert '<code>"&lt;b&gt;10&lt;/b&gt;"</code>' in cells[3]  # shown as text...
    assert "<b>" not in dom  # ...never as an element
    assert re.search(
        r'<section class="suite card" id="raw_tickets__suite"><h2>raw_tickets__suite '
        r'<span class="status passed">passed</span>',
        dom,
    )


def test_the_quality_page_is_painted(quality_page):
    root, page = quality_page
    shot = root / "quality.png"
    run_chromium(
        root / "profile-shot",
        "--window-size=1280,1000",
        "--force-device-scale-factor=0.5",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == (640, 500)
    badge = sum(
        1 for row in rows for x in range(0, len(row), bpp) if row[x : x + 3] == FAILED_BADGE
    )
    assert badge > 50, f"only {badge} pixels of the FAILED badge: page not styled"
    luminance = [
        (row[x] * 299 + row[x + 1] * 587 + row[x + 2] * 114) // 1000
        for row in rows[::4]
        for x in range(0, len(row), bpp * 4)
    ]
    assert statistics.pstdev(luminance) > 20, "the screenshot is (nearly) one flat colour"
