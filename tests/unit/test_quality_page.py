"""The quality page: each suite's last result as JSON, rendered as a self-contained page.

Outcomes are built by hand (no Great Expectations needed): the page shows what a run's
checks found, and why a night was blocked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

from data_quality.outcomes import ExpectationOutcome, SuiteOutcome
from data_quality.results import load_results, record_outcome, result_record, save_result
from orchestration.report.quality_page import render_quality_page

AT = dt.datetime(2026, 3, 3, 2, 15, 30, tzinfo=dt.UTC)


def expectation(name: str, *, blocking: bool, unexpected: int = 0, examples=(), **details):
    return ExpectationOutcome(
        name=name,
        expectation="expect_column_values_to_be_null",
        column="invalid_score",
        success=unexpected == 0,
        blocking=blocking,
        unexpected_count=unexpected,
        unexpected_percent=None if unexpected == 0 else 100.0 * unexpected / 40,
        examples=list(examples),
        details={
            "description": f"{name} holds",
            "rows": "survey_type == 'csat' and responded_at is not null",
            "element_count": 40,
            **details,
        },
    )


def blocked_surveys() -> SuiteOutcome:
    outcomes = [
        expectation(
            "scale_drift__csat",
            blocking=True,
            unexpected=12,
            examples=["6", "7", "8", "9", "10", "6", "7"],
            mostly=0.95,
        ),
        expectation("score_on_scale__csat", blocking=False, unexpected=12, examples=["6"]),
        expectation("scale_drift__nps", blocking=True),
    ]
    return SuiteOutcome("raw_surveys__suite", "raw_surveys", False, 40, outcomes, 0.4)


def clean_calls() -> SuiteOutcome:
    outcomes = [expectation("offered_at_plausible", blocking=False)]
    return SuiteOutcome("raw_calls__suite", "raw_calls", True, 1200, outcomes, 0.1)


def text_of(html: str) -> str:
    """The page's visible text, one space between words."""
    body = re.sub(r"<(style|title)>.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def page_of(*outcomes: SuiteOutcome, run_id: str = "run-42") -> str:
    return render_quality_page([result_record(o, run_id, AT) for o in outcomes], generated_at=AT)


def test_a_failed_blocking_expectation_shows_why_the_night_blocked():
    html = page_of(blocked_surveys(), clean_calls())
    text = text_of(html)
    assert (
        "Publishing blocked: 1 suite(s) failed a blocking expectation: raw_surveys__suite : "
        "scale_drift__csat (12 unexpected)." in text
    )
    assert "2 suites · 1 failed · 0 passed with warnings · 1 passed." in text
    section = text_of(html[html.index('<section class="suite card" id="raw_surveys__suite">') :])
    assert section.startswith(
        " raw_surveys__suite FAILED (blocking) table raw_surveys · run run-42 · validated "
        "2026-03-03 02:15:30 UTC · 40 rows · 3 expectations "
    )
    row = re.search(r"<tr><th scope=\"row\">scale_drift__csat</th>(.*?)</tr>", html).group(1)
    assert text_of(row).split(" ", 9)[:9] == [
        "",
        "blocking",
        "12",
        "30.00%",
        '"6"',
        '"7"',
        '"8"',
        '"9"',
        '"10"',
    ]
    assert "(+2 more) invalid_score scale_drift__csat holds tolerates 5% of the rows" in text_of(
        row
    )
    assert "survey_type == 'csat' and responded_at is not null (40)" in text_of(row)
    # the warning is listed too, after the blocking one; the passed one is folded away
    assert html.index(">scale_drift__csat<") < html.index(">score_on_scale__csat<")
    assert "<details><summary>1 expectation(s) passed</summary>" in html
    assert '<ul class="passed"><li>scale_drift__nps</li></ul>' in html


def test_suites_are_listed_failed_first_with_their_run_and_rows():
    html = page_of(clean_calls(), blocked_surveys())
    overview = text_of(html[html.index("<table>") : html.index("</table>")])
    assert overview == (
        " Suite Result Table Run Validated at Rows Failed blocking Warnings "
        "raw_surveys__suite FAILED (blocking) raw_surveys run-42 2026-03-03 02:15:30 UTC 40 1 1 "
        "raw_calls__suite passed raw_calls run-42 2026-03-03 02:15:30 UTC 1,200 0 0 "
    )
    assert '<a href="#raw_surveys__suite">raw_surveys__suite</a>' in html


def test_a_passed_suite_shows_passed():
    html = page_of(clean_calls())
    text = text_of(html)
    assert "No blocking failure: every suite's last result passed." in text
    assert '<span class="status passed">passed</span>' in html
    assert "FAILED" not in text
    assert "1 suites · 0 failed · 0 passed with warnings · 1 passed." in text


def test_html_in_examples_and_names_is_escaped_and_nothing_is_loaded():
    hostile = SuiteOutcome(
        "raw_surveys__suite",
        "raw_surveys",
        False,
        40,
        [
            expectation(
                "scale_drift__csat",
                blocking=True,
                unexpected=1,
                examples=['<script>alert("x")</script>', ["<b>", 1.5]],
                exception="<img src=x onerror=alert(1)>",
            )
        ],
    )
    html = page_of(hostile, run_id="<i>run</i>")
    assert "<script" not in html  # not even one of ours: the page has no script
    assert "<img" not in html and "<b>" not in html and "<i>run" not in html
    assert "<code>&quot;&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;&quot;</code>" in html
    assert "<code>&quot;&lt;b&gt;&quot;, 1.5</code>" in html
    assert "error:</strong> &lt;img src=x onerror=alert(1)&gt;" in html
    assert "run &lt;i&gt;run&lt;/i&gt;" in html
    assert "default-src 'none'" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)


def test_no_result_yet_says_so(tmp_path: Path):
    html = render_quality_page(load_results(tmp_path / "absent"), generated_at=AT)
    assert "No validation has run yet." in text_of(html)


def test_record_outcome_keeps_each_suites_last_result_and_renders_the_page(tmp_path: Path):
    docs = tmp_path / "quality_docs"
    page = record_outcome(blocked_surveys(), docs, "run-1", validated_at=AT)
    assert page == docs / "index.html"
    record_outcome(clean_calls(), docs, "run-1", validated_at=AT)
    fixed = SuiteOutcome(
        "raw_surveys__suite",
        "raw_surveys",
        True,
        55,
        [expectation("scale_drift__csat", blocking=True)],
    )
    later = AT + dt.timedelta(days=1)
    record_outcome(fixed, docs, "run-2", validated_at=later)  # replaces run-1's surveys result

    assert sorted(p.name for p in docs.iterdir()) == [
        ".quality_page.lock",
        "index.html",
        "raw_calls__suite.json",
        "raw_surveys__suite.json",
    ]  # no temporary file left behind
    saved = json.loads((docs / "raw_surveys__suite.json").read_text(encoding="utf-8"))
    assert (saved["run_id"], saved["rows"], saved["success"]) == ("run-2", 55, True)
    assert saved["validated_at"] == "2026-03-04T02:15:30+00:00"
    assert saved["expectations"][0]["name"] == "scale_drift__csat"
    assert [r["suite"] for r in load_results(docs)] == ["raw_calls__suite", "raw_surveys__suite"]
    text = text_of(page.read_text(encoding="utf-8"))
    assert "latest run run-2 (2026-03-04 02:15:30 UTC)" in text
    assert "No blocking failure" in text
    assert "raw_calls__suite passed raw_calls run-1" in text


def test_results_that_are_not_ours_are_ignored(tmp_path: Path):
    save_result(clean_calls(), tmp_path, "run-1", AT)
    (tmp_path / "broken__suite.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other__suite.json").write_text('{"format": 99}', encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    assert [r["suite"] for r in load_results(tmp_path)] == ["raw_calls__suite"]


def test_a_suite_that_could_not_be_validated_shows_its_error(tmp_path):
    """A check whose validation crashed replaces its suite's last good result on the page."""
    from data_quality.config import QualityConfig
    from data_quality.scales import score_scales
    from orchestration.assets.quality import _validation_error

    config = QualityConfig(scales=score_scales())
    passed = SuiteOutcome("raw_surveys__suite", "raw_surveys", True, 40, [])
    record_outcome(passed, tmp_path, "night-1", validated_at=AT)
    failed = _validation_error("raw_surveys", config, RuntimeError("GX could not be imported"))
    page = unescape(record_outcome(failed, tmp_path, "night-2", validated_at=AT).read_text())
    assert "RuntimeError: GX could not be imported" in page
    assert "night-2" in page and "night-1" not in page
    assert failed.failed_blocking[0].name == "validation_error"
