"""The quality page: each Great Expectations suite's last result, as a self-contained page.

After each validation the run calls ``data_quality.results.record_outcome``: the suite's
result goes to ``<results_dir>/<suite>.json`` and :func:`write_quality_page` renders
``<results_dir>/index.html`` again from every suite's last result. The page shows, per suite, its table,
run, time, rows validated and verdict, and for each failed expectation its name, column,
description, the rows it looked at, the unexpected count and share and a few unexpected
values -- why a night was blocked, at a glance.

Like the KPI report it is one HTML file with inline CSS and no script at all; a
Content-Security-Policy forbids every load, so it opens offline and nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from data_quality.results import load_results, write_atomically
from orchestration.report.markup import CSS, Raw, table

INDEX = "index.html"
EXAMPLES_SHOWN = 5

QUALITY_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

QUALITY_CSS = """
.verdict{border-left:6px solid var(--met);margin:16px 0}
.verdict.blocked{border-left-color:var(--missed)}
.verdict p{margin:4px 0}
.status{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:650}
.status.failed{background:#fee2e2;color:var(--missed)}
.status.warned{background:#fef3c7;color:#92400e}
.status.passed{background:#d1fae5;color:var(--met)}
section.suite{margin-top:20px}
section.suite h2{display:flex;gap:10px;align-items:center}
.meta{color:var(--muted);font-size:13px;margin:0 0 10px}
td.wrap,th.wrap{white-space:normal;min-width:180px}
ul.passed{columns:3 260px;font-size:13px;margin:6px 0}
"""


def write_quality_page(results_dir: Path | str, *, generated_at: dt.datetime | None = None) -> Path:
    """Render ``<results_dir>/index.html`` from the suites' last results there."""
    out_dir = Path(results_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / INDEX
    html = render_quality_page(
        load_results(out_dir), generated_at=generated_at or dt.datetime.now(dt.UTC)
    )
    write_atomically(page, html)
    return page


# --------------------------------------------------------------------------- rendering


def _failed(result: dict, *, blocking: bool) -> list[dict]:
    return [
        e for e in result["expectations"] if not e["success"] and bool(e["blocking"]) == blocking
    ]


def _status(result: dict) -> tuple[str, str]:
    """(css class, label) of a suite's verdict."""
    if not result["success"]:
        return "failed", "FAILED (blocking)"
    if _failed(result, blocking=False):
        return "warned", "passed with warnings"
    return "passed", "passed"


def _order(result: dict) -> tuple[int, str]:
    rank = {"failed": 0, "warned": 1, "passed": 2}[_status(result)[0]]
    return rank, result["suite"]


def _status_badge(result: dict) -> Raw:
    css, label = _status(result)
    return Raw(f'<span class="status {css}">{escape(label)}</span>')


def _link(result: dict) -> Raw:
    suite = escape(result["suite"])
    return Raw(f'<a href="#{suite}">{suite}</a>')


def _when(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _example(value: Any) -> str:
    """One unexpected value: text as delivered, quoted; a pair as ``a, b``; others as JSON."""
    if isinstance(value, list):
        return ", ".join(_example(v) for v in value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def _examples(expectation: dict) -> Raw:
    values = expectation.get("examples") or []
    shown = "".join(f"<code>{escape(_example(v))}</code> " for v in values[:EXAMPLES_SHOWN])
    more = len(values) - EXAMPLES_SHOWN
    if more > 0:
        shown += f"(+{more} more)"
    return Raw(shown.strip() or "–")


def _percent(expectation: dict) -> str:
    value = expectation.get("unexpected_percent")
    return "–" if value is None else f"{value:.2f}%"


def _rows_looked_at(expectation: dict) -> str:
    details = expectation.get("details") or {}
    rows = details.get("rows", "all rows")
    judged = details.get("element_count")
    return f"{rows} ({judged:,})" if isinstance(judged, int) else str(rows)


def _what(expectation: dict) -> Raw:
    details = expectation.get("details") or {}
    text = escape(str(details.get("description", "")))
    if "exception" in details:
        text += f"<br><strong>error:</strong> {escape(str(details['exception']))}"
    if "mostly" in details:
        tolerated = 1.0 - float(details["mostly"])
        text += f"<br>tolerates {tolerated:.0%} of the rows"
    return Raw(text)


def _failed_table(expectations: Sequence[dict]) -> str:
    headers = (
        "Expectation",
        "Severity",
        "Unexpected",
        "Share",
        "Unexpected values (a few)",
        "Column",
        "What is expected",
        "Rows looked at",
    )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        f'<th scope="row">{escape(e["name"])}</th>'
        f"<td>{'blocking' if e['blocking'] else 'warning'}</td>"
        f'<td class="num">{e["unexpected_count"]:,}</td>'
        f'<td class="num">{escape(_percent(e))}</td>'
        f'<td class="wrap">{_examples(e)}</td>'
        f"<td>{escape(e.get('column') or '–')}</td>"
        f'<td class="wrap">{_what(e)}</td>'
        f'<td class="wrap">{escape(_rows_looked_at(e))}</td>'
        "</tr>"
        for e in expectations
    )
    return (
        f'<div class="scroll"><table class="failed"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _suite_section(result: dict) -> str:
    failed = _failed(result, blocking=True) + _failed(result, blocking=False)
    passed = [e for e in result["expectations"] if e["success"]]
    meta = (
        f"table {escape(result['table'])} · run {escape(str(result['run_id']))} · "
        f"validated {escape(_when(result['validated_at']))} · "
        f"{result['rows']:,} rows · {len(result['expectations'])} expectations"
    )
    parts = [
        f'<section class="suite card" id="{escape(result["suite"])}">',
        f"<h2>{escape(result['suite'])} {_status_badge(result)}</h2>",
        f'<p class="meta">{meta}</p>',
    ]
    if result["rows"] == 0:
        parts.append("<p>No new rows to validate in this run.</p>")
    if failed:
        parts.append(_failed_table(failed))
    if passed:
        items = "".join(f"<li>{escape(e['name'])}</li>" for e in passed)
        parts.append(
            f"<details><summary>{len(passed)} expectation(s) passed</summary>"
            f'<ul class="passed">{items}</ul></details>'
        )
    parts.append("</section>")
    return "".join(parts)


def _verdict(results: Sequence[dict]) -> str:
    blocked = [r for r in results if not r["success"]]
    warned = [r for r in results if r["success"] and _failed(r, blocking=False)]
    if blocked:
        names = "; ".join(
            f"{_link(r)}: "
            + ", ".join(
                f"{escape(e['name'])} ({e['unexpected_count']:,} unexpected)"
                for e in _failed(r, blocking=True)
            )
            for r in blocked
        )
        head = (
            f"<p><strong>Publishing blocked:</strong> {len(blocked)} suite(s) failed a "
            f"blocking expectation: {names}.</p>"
        )
    else:
        head = "<p><strong>No blocking failure:</strong> every suite's last result passed.</p>"
    tail = (
        f"<p>{len(results)} suites · {len(blocked)} failed · {len(warned)} passed with "
        f"warnings · {len(results) - len(blocked) - len(warned)} passed.</p>"
    )
    css = "verdict card blocked" if blocked else "verdict card"
    return f'<div class="{css}">{head}{tail}</div>'


def _overview(results: Sequence[dict]) -> str:
    headers = (
        "Suite",
        "Result",
        "Table",
        "Run",
        "Validated at",
        "Rows",
        "Failed blocking",
        "Warnings",
    )
    rows = [
        (
            _link(r),
            _status_badge(r),
            r["table"],
            str(r["run_id"]),
            _when(r["validated_at"]),
            f"{r['rows']:,}",
            str(len(_failed(r, blocking=True))),
            str(len(_failed(r, blocking=False))),
        )
        for r in results
    ]
    return f'<div class="scroll">{table(headers, rows, numbers_from=5)}</div>'


def render_quality_page(results: Sequence[dict], *, generated_at: dt.datetime) -> str:
    """The quality page of these suite results (``data_quality.results.load_results``)."""
    ordered = sorted(results, key=_order)
    if ordered:
        body = [_verdict(ordered), _overview(ordered), *(_suite_section(r) for r in ordered)]
        latest = max(ordered, key=lambda r: r["validated_at"])
        subtitle = (
            f"The last result of each Great Expectations suite · latest run "
            f"{latest['run_id']} ({_when(latest['validated_at'])})"
        )
    else:
        body = ['<div class="card"><p>No validation has run yet.</p></div>']
        subtitle = "The last result of each Great Expectations suite"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{QUALITY_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>CX Warehouse data quality</title>",
            f"<style>{CSS}{QUALITY_CSS}</style></head>",
            "<body>",
            f"<header><h1>CX Warehouse data quality</h1><p>{escape(subtitle)}</p></header>",
            "<main>",
            *body,
            "</main>",
            "<footer>Blocking expectations stop the publish (the published warehouse stays "
            "as it was); warnings are only reported. Raw tables are validated on the rows "
            "not yet published, kpi_metrics on the rows a publish would change. Generated "
            f"{generated_at:%Y-%m-%d %H:%M} UTC.</footer>",
            "</body></html>",
            "",
        ]
    )
