"""The report's "today" view: each client's latest local day with calls, interval by
interval (offered, handled, service level, ASA), from ``marts.kpi_intervals``.

The intervals of a day that may still receive files (``is_complete`` false) are drawn
pale with a dashed outline and said to be not final; a warehouse published before
``kpi_intervals`` existed gets a note instead of charts.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from orchestration.report import svg_floor
from orchestration.report.data import INTRADAY_METRICS, Cell, ClientDay, Intraday, ReportData
from orchestration.report.formatting import format_axis, format_value, metric_label
from orchestration.report.markup import Page, figure, table

CAPTIONS = {
    "calls_offered": "Inbound calls offered per interval; an interval without calls has no bar.",
    "calls_handled": "Inbound calls answered by an agent, per interval.",
    "service_level_pct": "Calls answered within the service-level time, as a share of "
    "offered calls less short abandons, per interval.",
    "asa_seconds": "Average speed of answer of the interval's handled calls.",
}
NOT_FINAL = "not final: the day is still receiving files"


def minute_of_day(start: dt.datetime) -> int:
    return start.hour * 60 + start.minute


def _bars(day: ClientDay, metric: str) -> list[svg_floor.IntervalBar]:
    return [
        svg_floor.IntervalBar(minute_of_day(c.period_start), c.value, c.is_complete)
        for c in day.intervals(metric)
        if c.value is not None
    ]


def _target_caption(day: ClientDay) -> str:
    if day.service_level_target is None:
        return " No service-level target is set (marts.kpi_targets)."
    target = format_value("service_level_pct", day.service_level_target)
    return f" The dashed line is the target, {target}."


def _chart(data: ReportData, page: Page, intraday: Intraday, day: ClientDay, metric: str) -> str:
    target = day.service_level_target if metric == "service_level_pct" else None
    chart = svg_floor.intraday_bar_chart(
        _bars(day, metric),
        title=f"{metric_label(metric).label} by interval, {data.client_name(day.client_id)}, "
        f"{day.day.isoformat()}",
        interval_minutes=intraday.interval_minutes,
        fmt=lambda v: format_value(metric, v),
        tick_fmt=lambda v: format_axis(metric, v),
        target=target,
    )
    caption = CAPTIONS[metric] + (_target_caption(day) if metric == "service_level_pct" else "")
    return figure(page.chart(chart), caption, "")


def _interval_table(day: ClientDay, interval_minutes: int) -> str:
    by_start: dict[dt.datetime, dict[str, Cell]] = {}
    for c in day.cells:
        by_start.setdefault(c.period_start, {})[c.metric] = c
    rows = []
    for start, cells in sorted(by_start.items()):
        end = start + dt.timedelta(minutes=interval_minutes)
        final = all(c.is_complete for c in cells.values())
        rows.append(
            [
                f"{start:%H:%M}–{end:%H:%M}",
                *[
                    format_value(m, c.value) if (c := cells.get(m)) else "–"
                    for m in INTRADAY_METRICS
                ],
                "yes" if final else "not final",
            ]
        )
    headers = ["Interval", *[metric_label(m).short for m in INTRADAY_METRICS], "Final"]
    return f"<details><summary>Data table</summary>{table(headers, rows)}</details>"


def _client_day(data: ReportData, page: Page, intraday: Intraday, day: ClientDay) -> str:
    state = "" if day.complete else f' <span class="not-final">{escape(NOT_FINAL)}</span>'
    heading = f"{data.client_name(day.client_id)}, {day.day:%A %d %B %Y}"
    charts = "".join(_chart(data, page, intraday, day, m) for m in INTRADAY_METRICS)
    return (
        f'<div class="client-day" data-client="{escape(day.client_id)}">'
        f"<h3>{escape(heading)}{state}</h3>"
        f'<div class="grid">{charts}</div>{_interval_table(day, intraday.interval_minutes)}</div>'
    )


def today(data: ReportData, page: Page) -> str:
    """Each client's latest local day by interval, or why there is none."""
    head = '<section id="today"><h2>Latest day by interval</h2>'
    if data.intraday is None:
        return (
            f"{head}<p>This warehouse has no interval KPIs: it was published before "
            "marts.kpi_intervals existed, so there is no view by interval.</p></section>"
        )
    if not data.intraday.days:
        return f"{head}<p>No calls in marts.kpi_intervals.</p></section>"
    intro = (
        f"<p>Each client's latest local day with calls, in {data.intraday.interval_minutes}-minute "
        "intervals of the client's own clock (marts.kpi_intervals). Intervals of a day that "
        "is still receiving files are pale and not final.</p>"
    )
    days = "".join(_client_day(data, page, data.intraday, d) for d in data.intraday.days)
    return f"{head}{intro}{days}</section>"
