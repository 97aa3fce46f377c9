"""The KPI report's weekly trend charts: customer experience (NPS, CSAT, CES, response
rate) and efficiency (AHT, first response), each point with its interval where defined.
"""

from __future__ import annotations

from collections.abc import Sequence

from orchestration.report import svg
from orchestration.report.data import Cell, ReportData
from orchestration.report.formatting import (
    format_axis,
    format_value,
    metric_label,
    value_with_ci,
)
from orchestration.report.markup import Page, figure, table


def _points(cells: Sequence[Cell]) -> list[svg.Point]:
    return [svg.Point(c.period_start, c.value, c.ci_low, c.ci_high, c.is_complete) for c in cells]


def _trend(
    data: ReportData, page: Page, metric: str, *, caption: str, extra: Sequence[str] = ()
) -> str:
    label = metric_label(metric)
    cells = data.weekly("all", "all", metric)
    series = [svg.Series(label.short, _points(cells))]
    for other in extra:
        series.append(
            svg.Series(metric_label(other).short, _points(data.weekly("all", "all", other)))
        )
    target = next((c.target for c in cells if c.target is not None), None)
    chart = page.chart(
        svg.line_chart(
            series,
            title=f"{label.label}, weekly, all clients",
            fmt=lambda v: format_value(metric, v),
            tick_fmt=lambda v: format_axis(metric, v),
            target=target,
        )
    )
    has_ci = any(c.ci_low is not None for c in cells)
    others = {m: {c.period_start: c for c in data.weekly("all", "all", m)} for m in extra}
    weeks = sorted({c.period_start for c in cells} | {w for by in others.values() for w in by})
    mine = {c.period_start: c for c in cells}
    headers = [
        "Week of",
        label.short,
        *(["95% CI"] if has_ci else []),
        "n",
        *[metric_label(m).short for m in extra],
    ]
    rows = []
    for week in weeks:
        c = mine.get(week)
        label_of_week = week.isoformat() + ("" if c is None or c.is_complete else " (not over)")
        row: list[object] = [label_of_week, format_value(metric, c.value if c else None)]
        if has_ci:
            ci = c is not None and c.ci_low is not None and c.ci_high is not None
            row.append(
                f"{format_value(metric, c.ci_low)} to {format_value(metric, c.ci_high)}"
                if ci
                else "–"
            )
        row.append(f"{c.sample_size:,}" if c else "–")
        row += [format_value(m, by[week].value) if week in by else "–" for m, by in others.items()]
        rows.append(row)
    return figure(chart, caption, table(headers, rows))


def experience_trends(data: ReportData, page: Page) -> str:
    band = "The shaded band is the 95% confidence interval; the dashed line is the target."
    parts = [
        _trend(data, page, "nps", caption=f"Net Promoter Score per week. {band}"),
        _trend(
            data,
            page,
            "csat_pct",
            caption=f"Share of CSAT responses in the top two boxes of the scale. {band}",
        ),
        _trend(
            data,
            page,
            "ces_avg",
            caption="Mean customer effort score, 1-5, lower is better (no interval is defined "
            "for a mean score). The dashed line is the target.",
        ),
    ]
    clients = [c for c in data.clients if data.weekly("client", c.client_id, "nps")]
    if clients:
        # One band per client would hide the lines: this chart shows the lines only.
        series = [
            svg.Series(
                c.client_name,
                [
                    svg.Point(p.period_start, p.value, complete=p.is_complete)
                    for p in data.weekly("client", c.client_id, "nps")
                ],
            )
            for c in clients
        ]
        chart = page.chart(
            svg.line_chart(
                series,
                title="Net Promoter Score by client, weekly",
                legend=True,
                fmt=lambda v: format_value("nps", v),
                tick_fmt=lambda v: format_axis("nps", v),
            )
        )
        by_week = {
            (cell.entity_id, cell.period_start): cell
            for cell in data.weekly_cells
            if cell.level == "client" and cell.metric == "nps"
        }
        weeks = sorted({week for _, week in by_week})
        rows = [
            [
                c.client_name,
                *[
                    value_with_ci(cell) if (cell := by_week.get((c.client_id, w))) else "–"
                    for w in weeks
                ],
            ]
            for c in clients
        ]
        parts.append(
            figure(
                chart,
                "Net Promoter Score per client and week; the table has the 95% intervals.",
                table(["Client", *[f"week of {w.isoformat()}" for w in weeks]], rows),
            )
        )
    return (
        '<section id="experience"><h2>Customer experience trends</h2>'
        f'<div class="grid">{"".join(parts)}</div></section>'
    )


def efficiency_trends(data: ReportData, page: Page) -> str:
    parts = [
        _trend(
            data,
            page,
            "aht_seconds",
            caption="Average handle time (talk + hold + after-call work) of handled inbound "
            "calls per week. The dashed line is the target.",
        ),
        _trend(
            data,
            page,
            "frt_avg_minutes",
            extra=("frt_median_minutes",),
            caption="First response time of tickets per week: mean and median, in minutes. "
            "The dashed line is the target of the mean.",
        ),
    ]
    return (
        '<section id="efficiency"><h2>Handling and response times</h2>'
        f'<div class="grid">{"".join(parts)}</div></section>'
    )
