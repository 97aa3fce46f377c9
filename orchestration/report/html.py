"""Assembling the self-contained HTML report: inline CSS, inline SVG, no external resource.

A Content-Security-Policy forbids every load from anywhere (``default-src 'none'``), so
the page provably works offline. One tiny inline script measures every chart after
layout and writes ``data-charts-drawn`` / ``data-charts-total`` on ``<body>``: the
headless-browser test reads them to prove the charts are drawn, not only written.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from orchestration.report.data import ReportData
from orchestration.report.formatting import (
    month_name,
    month_title,
)
from orchestration.report.intraday import today
from orchestration.report.markup import CSS, Page
from orchestration.report.sections import (
    calls_handled,
    customers,
    employees,
    headline,
    scorecard,
    sites,
)
from orchestration.report.sources import data_sources
from orchestration.report.sourcing import sourcing
from orchestration.report.trends import efficiency_trends, experience_trends

RENDER_CHECK = """
(function () {
  function shown(el, both) {
    var style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.opacity === "0") {
      return false;
    }
    var r = el.getBoundingClientRect();
    return both ? r.width > 0 && r.height > 0 : r.width > 0 || r.height > 0;
  }
  var charts = document.querySelectorAll("svg.chart");
  var drawn = 0;
  charts.forEach(function (chart) {
    var box = chart.getBBox();
    var marks = chart.querySelectorAll(".bar, .line, .band, .point");
    var painted = 0;
    marks.forEach(function (mark) {
      var area = mark.classList.contains("bar") || mark.classList.contains("point");
      if (shown(mark, area)) { painted += 1; }
    });
    var ok = box.width > 0 && box.height > 0 && shown(chart, true) &&
      painted > 0 && painted === marks.length;
    chart.setAttribute("data-drawn", ok ? "yes" : "no");
    chart.setAttribute("data-marks", String(marks.length));
    chart.setAttribute("data-marks-painted", String(painted));
    if (ok) { drawn += 1; }
  });
  document.body.setAttribute("data-charts-total", String(charts.length));
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
"""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

NAV = (
    ("headline", "Headline"),
    ("scorecard", "Scorecard"),
    ("calls", "Calls handled"),
    ("today", "Latest day"),
    ("experience", "Customer experience"),
    ("efficiency", "Handling & response"),
    ("sites", "Sites"),
    ("sourcing", "Sourcing"),
    ("customers", "Retention & referrals"),
    ("employees", "Employees"),
    ("sources", "Data sources"),
)


def render_page(data: ReportData, min_anonymity_n: int, *, generated_at: dt.datetime) -> Page:
    """The whole report page; ``Page.sections`` joined is the HTML document."""
    page = Page(sections=[])
    month = month_name(data.report_month)
    published = f"; published {data.published_at:%Y-%m-%d %H:%M} UTC" if data.published_at else ""
    body = [
        headline(data, min_anonymity_n),
        scorecard(data, page, min_anonymity_n),
        calls_handled(data, page),
        today(data, page),
        experience_trends(data, page),
        efficiency_trends(data, page),
        sites(data, page, min_anonymity_n),
        sourcing(data, page, min_anonymity_n),
        customers(data, page),
        employees(data, page, min_anonymity_n),
        data_sources(data),
    ]
    nav = "".join(f'<a href="#{anchor}">{escape(text)}</a>' for anchor, text in NAV)
    page.sections = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>CX Warehouse KPI report - {escape(month)}</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        "<header><h1>CX Warehouse KPI report</h1>"
        f"<p>{escape(month_title(data))} · data {data.first_day.isoformat()} to "
        f"{data.last_day.isoformat()}{escape(published)}</p></header>",
        f'<nav aria-label="Sections">{nav}</nav>',
        "<main>",
        *body,
        "</main>",
        "<footer>Every number is read from the published warehouse (marts.kpi_scorecard; "
        "the latest day by interval: marts.kpi_intervals); "
        "every KPI is defined in the KPI catalogue, docs/metrics.md in the CX Warehouse "
        "repository. Weekly trends use ISO weeks starting Monday; the first week may "
        "start before the data, and a period not over in the data is drawn hollow (an interval: "
        "pale, not final). Generated "
        f"{generated_at:%Y-%m-%d %H:%M} UTC.</footer>",
        f"<script>{RENDER_CHECK}</script>",
        "</body></html>",
    ]
    return page
