"""Assembling the self-contained HTML report: inline CSS, inline SVG, no external resource.

A Content-Security-Policy forbids every load from anywhere (``default-src 'none'``), so
the page provably works offline. One tiny inline script measures every chart after
layout and writes ``data-charts-drawn`` / ``data-charts-total`` on ``<body>``: the
headless-browser test reads them to prove the charts are drawn, not only written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from orchestration.report import svg
from orchestration.report.data import Cell, ReportData, Site
from orchestration.report.formatting import (
    METRICS,
    STATUS_MARK,
    cell_text,
    format_axis,
    format_value,
    metric_label,
    month_name,
    month_title,
    suppressed_note,
)

TOP_AGENTS = 20
HEADLINE_METRICS = (
    "calls_handled",
    "service_level_pct",
    "aht_seconds",
    "frt_avg_minutes",
    "nps",
    "csat_pct",
    "ces_avg",
    "customer_retention_pct",
)
SITE_TABLE_METRICS = (
    "calls_handled",
    "aht_seconds",
    "frt_avg_minutes",
    "frt_within_target_pct",
    "nps",
    "csat_pct",
    "ces_avg",
    "survey_response_rate_pct",
    "esat_pct",
    "enps",
)
SITE_PERCENT_METRICS = ("csat_pct", "frt_within_target_pct", "ces_low_effort_pct", "esat_pct")
SITE_SCORE_METRICS = ("nps", "enps")
# Sourcing/location order of the site comparison: in-house onshore first, offshore last.
_SITE_ORDER = {"onshore": 0, "nearshore": 1, "offshore": 2}


class Raw(str):
    """Markup that is already safe; every other string put in a table is escaped."""


@dataclass
class Page:
    """The report's parts, plus what the summary counts."""

    sections: list[str]
    charts: int = 0
    agents_shown: int = 0
    targets_met: int = 0
    targets_missed: int = 0

    def chart(self, markup: str) -> str:
        """Count a chart; an empty one ("no data for this period") is not a chart to draw."""
        if 'data-chart="empty"' not in markup:
            self.charts += 1
        return markup


def _cell(value: object) -> str:
    return value if isinstance(value, Raw) else escape(str(value))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str = "",
    numbers_from: int = 1,
) -> str:
    """An accessible table; the columns from ``numbers_from`` on are right-aligned numbers."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)

    def cell(i: int, value: object) -> str:
        if i == 0:
            return f'<th scope="row">{_cell(value)}</th>'
        if i >= numbers_from:
            return f'<td class="num">{_cell(value)}</td>'
        return f"<td>{_cell(value)}</td>"

    body = "".join(
        "<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(chart: str, caption: str, fallback: str) -> str:
    """A chart with its caption and the same numbers as a table, folded away."""
    details = f"<details><summary>Data table</summary>{fallback}</details>" if fallback else ""
    return (
        f'<figure class="card chart-card">{chart}<figcaption>{escape(caption)}</figcaption>'
        f"{details}</figure>"
    )


def badge(cell: Cell | None) -> Raw:
    if cell is None or cell.status not in STATUS_MARK:
        return Raw("")
    mark = STATUS_MARK[cell.status]
    target = format_value(cell.metric, cell.target)
    return Raw(
        f'<span class="badge {cell.status}" title="target {escape(target)}">'
        f"{mark} {escape(cell.status)}</span>"
    )


def value_with_badge(cell: Cell | None, min_n: int) -> Raw:
    text = escape(cell_text(cell, min_n))
    if cell is not None and cell.suppressed:
        return Raw(f'<span class="suppressed">{text}</span>')
    return Raw(f"{text} {badge(cell)}".rstrip())


def _site_label(site: Site) -> str:
    kind = ", ".join(p.replace("_", "-") for p in (site.sourcing, site.location_type) if p)
    return f"{site.site_name} ({kind})" if kind else site.site_name


def _ordered_sites(data: ReportData) -> list[Site]:
    known = {s.site_id for s in data.sites}
    extra = sorted({c.entity_id for c in data.month_cells if c.level == "site"} - known)
    sites = list(data.sites) + [Site(s, s, "", "", "") for s in extra]
    return sorted(
        sites,
        key=lambda s: (s.sourcing != "in_house", _SITE_ORDER.get(s.location_type, 1), s.site_id),
    )


def _entities(data: ReportData) -> list[tuple[str, str]]:
    ids = [c.client_id for c in data.clients] or sorted(
        {c.entity_id for c in data.month_cells if c.level == "client"}
    )
    return [("client", i) for i in ids] + [("all", "all")]


# --------------------------------------------------------------------------- sections


def headline(data: ReportData, min_n: int) -> str:
    cards = []
    for metric in HEADLINE_METRICS:
        cell = data.month_cell("all", "all", metric)
        if cell is None:
            continue
        status = cell.status if cell.status in STATUS_MARK else "none"
        target = (
            f"target {escape(format_value(metric, cell.target))} · {badge(cell)}"
            if cell.target is not None
            else "no target"
        )
        cards.append(
            f'<div class="card kpi {status}" data-metric="{escape(metric)}">'
            f'<div class="kpi-label">{escape(metric_label(metric).label)}</div>'
            f'<div class="kpi-value">{escape(cell_text(cell, min_n))}</div>'
            f'<div class="kpi-target">{target}</div></div>'
        )
    return (
        '<section id="headline" aria-label="Headline figures">'
        f"<h2>{escape(month_title(data))}, all clients</h2>"
        f'<div class="kpis">{"".join(cards)}</div></section>'
    )


def scorecard(data: ReportData, page: Page, min_n: int) -> str:
    entities = _entities(data)
    metrics = [
        m
        for m in metric_order(data)
        if any(
            (c := data.month_cell(level, e, m)) is not None and c.target is not None
            for level, e in entities
        )
    ]
    rows = []
    for metric in metrics:
        cells = [data.month_cell(level, e, metric) for level, e in entities]
        page.targets_met += sum(1 for c in cells if c is not None and c.status == "met")
        page.targets_missed += sum(1 for c in cells if c is not None and c.status == "missed")
        target = next((c.target for c in cells if c is not None and c.target is not None), None)
        rows.append(
            [
                metric_label(metric).label,
                format_value(metric, target),
                *[value_with_badge(c, min_n) for c in cells],
            ]
        )
    headers = ["Metric", "Target*", *[data.client_name(e) for _, e in entities]]
    summary = (
        f"<p><strong>{page.targets_met}</strong> targets met, "
        f"<strong>{page.targets_missed}</strong> missed, at client level and overall, "
        f"{escape(month_name(data.report_month))}. *The target of all clients; a client's own "
        "target, where set, is in the tooltip of its mark.</p>"
    )
    if not data.report_month_complete:
        summary += (
            f'<p class="partial-month"><strong>{escape(month_title(data))}</strong>: '
            "these values will still change.</p>"
        )
    body = table(headers, rows, caption="Scorecard against targets") if rows else ""
    return (
        '<section id="scorecard"><h2>Scorecard against targets</h2>'
        f'{summary}<div class="card scroll">{body or "<p>No targets are set.</p>"}</div></section>'
    )


def metric_order(data: ReportData) -> list[str]:
    present = {c.metric for c in data.month_cells}
    return [m for m in METRICS if m in present] + sorted(present - set(METRICS))


def calls_handled(data: ReportData, page: Page) -> str:
    month = month_name(data.report_month)
    team_cells = sorted(
        data.month_level("team", "calls_handled"), key=lambda c: (-(c.value or 0), c.entity_id)
    )
    team_bars = [svg.Bar(data.team_name(c.entity_id), c.value) for c in team_cells]
    agent_cells = sorted(
        data.month_level("agent", "calls_handled"), key=lambda c: (-(c.value or 0), c.entity_id)
    )
    shown = agent_cells[:TOP_AGENTS]
    page.agents_shown = len(shown)
    agent_bars = [
        svg.Bar(
            f"{c.entity_id} · {data.team_name(data.agent_team.get(c.entity_id, ''))}"
            if data.agent_team.get(c.entity_id)
            else c.entity_id,
            c.value,
        )
        for c in shown
    ]

    def fmt(v: float) -> str:
        return format_value("calls_handled", v)

    team_chart = page.chart(
        svg.bar_chart(team_bars, title=f"Calls handled per team, {month}", fmt=fmt)
    )
    agent_title = (
        f"Calls handled per agent, top {len(shown)} of {len(agent_cells)}, {month}"
        if len(agent_cells) > len(shown)
        else f"Calls handled per agent, {month}"
    )
    agent_chart = page.chart(svg.bar_chart(agent_bars, title=agent_title, fmt=fmt))
    team_rows = [
        [
            data.team_name(c.entity_id),
            data.site_name(t.site_id) if (t := data.teams.get(c.entity_id)) else "",
            data.client_name(t.client_id) if t else "",
            fmt(c.value) if c.value is not None else "–",
        ]
        for c in team_cells
    ]
    agent_rows = [[b.label, fmt(b.value) if b.value is not None else "–"] for b in agent_bars]
    return (
        '<section id="calls"><h2>Calls handled</h2><div class="grid">'
        + figure(
            team_chart,
            f"Inbound calls answered by an agent of each team, {month}.",
            table(["Team", "Site", "Client", "Calls handled"], team_rows, numbers_from=3),
        )
        + figure(
            agent_chart,
            f"Agents ranked by inbound calls handled, {month}; the team is the agent's current one.",
            table(["Agent", "Calls handled"], agent_rows),
        )
        + "</div></section>"
    )


def value_with_ci(cell: Cell) -> str:
    text = format_value(cell.metric, cell.value)
    if cell.ci_low is not None and cell.ci_high is not None:
        low, high = format_value(cell.metric, cell.ci_low), format_value(cell.metric, cell.ci_high)
        text += f" ({low} to {high})"
    return text


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
        _trend(data, page, "csat_pct", caption=f"Share of CSAT responses scoring 4 or 5. {band}"),
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


def sites(data: ReportData, page: Page, min_n: int) -> str:
    month = month_name(data.report_month)
    ordered = [
        s
        for s in _ordered_sites(data)
        if any(c.level == "site" and c.entity_id == s.site_id for c in data.month_cells)
    ]
    if not ordered:
        return '<section id="sites"><h2>Sites side by side</h2><p>No site data.</p></section>'
    rows = [
        [
            s.site_name,
            s.country_code,
            s.sourcing.replace("_", "-"),
            s.location_type,
            *[
                value_with_badge(data.month_cell("site", s.site_id, m), min_n)
                for m in SITE_TABLE_METRICS
            ],
        ]
        for s in ordered
    ]
    headers = [
        "Site",
        "Country",
        "Sourcing",
        "Location",
        *[metric_label(m).short for m in SITE_TABLE_METRICS],
    ]
    labels = [_site_label(s) for s in ordered]

    def fallback(metrics: Sequence[str]) -> str:
        return table(
            ["Site", *[metric_label(m).short for m in metrics]],
            [
                [label, *[cell_text(data.month_cell("site", s.site_id, m), min_n) for m in metrics]]
                for s, label in zip(ordered, labels, strict=True)
            ],
        )

    def grouped(metrics: Sequence[str], title: str, unit_metric: str) -> str:
        values = {}
        for metric in metrics:
            for s, label in zip(ordered, labels, strict=True):
                cell = data.month_cell("site", s.site_id, metric)
                values[(metric_label(metric).short, label)] = cell.value if cell else None
        return page.chart(
            svg.grouped_bar_chart(
                [metric_label(m).short for m in metrics],
                labels,
                values,
                title=title,
                fmt=lambda v: format_value(unit_metric, v),
                tick_fmt=lambda v: format_axis(unit_metric, v),
            )
        )

    aht_bars = [
        svg.Bar(
            label, c.value if (c := data.month_cell("site", s.site_id, "aht_seconds")) else None
        )
        for s, label in zip(ordered, labels, strict=True)
    ]
    aht_target = next(
        (
            c.target
            for s in ordered
            if (c := data.month_cell("site", s.site_id, "aht_seconds")) and c.target is not None
        ),
        None,
    )
    aht_chart = page.chart(
        svg.bar_chart(
            aht_bars,
            title=f"Average handle time per site, {month}",
            fmt=lambda v: format_value("aht_seconds", v),
            target=aht_target,
        )
    )
    site_table = table(headers, rows, caption=f"Sites, {month}", numbers_from=4)
    return (
        '<section id="sites"><h2>Sites side by side</h2>'
        f"<p>In-house onshore sites first, outsourced offshore last; {escape(month)}.</p>"
        f'<div class="card scroll">{site_table}</div><div class="grid">'
        + figure(
            grouped(SITE_PERCENT_METRICS, f"Quality percentages per site, {month}", "csat_pct"),
            "CSAT, first responses within target, low-effort responses and ESAT, per site "
            "(a dash: no value or suppressed).",
            fallback(SITE_PERCENT_METRICS),
        )
        + figure(
            grouped(SITE_SCORE_METRICS, f"NPS and eNPS per site, {month}", "nps"),
            "Customer and employee net scores per site (-100 to 100).",
            fallback(SITE_SCORE_METRICS),
        )
        + figure(aht_chart, f"Average handle time per site, {month}.", fallback(["aht_seconds"]))
        + "</div></section>"
    )


def customers(data: ReportData, page: Page) -> str:
    months = sorted({c.period_start for c in data.client_months})
    entities = _entities(data)
    parts = []
    for metric in ("customer_retention_pct", "referral_rate_pct"):
        label = metric_label(metric)
        cells = {(c.period_start, c.entity_id): c for c in data.client_months if c.metric == metric}
        # Lines, not bars: retention sits near 100% and a zero-based bar hides its changes.
        series = [
            svg.Series(
                data.client_name(e),
                [
                    svg.Point(m, c.value, complete=c.is_complete)
                    for m in months
                    if (c := cells.get((m, e)))
                ],
            )
            for _, e in entities
        ]
        target = next((c.target for c in cells.values() if c.target is not None), None)
        chart = page.chart(
            svg.line_chart(
                series,
                title=f"{label.label} by client, monthly",
                fmt=lambda v, metric=metric: format_value(metric, v),
                tick_fmt=lambda v, metric=metric: format_axis(metric, v),
                target=target,
                x_format="%b %Y",
                legend=True,
            )
        )
        rows = [
            [
                data.client_name(e),
                *[
                    f"{format_value(metric, c.value)} {STATUS_MARK.get(c.status, '')}".strip()
                    if (c := cells.get((m, e)))
                    else "–"
                    for m in months
                ],
            ]
            for _, e in entities
        ]
        caption = (
            "Customers active at the month's end, net of the month's new sign-ups, per 100 "
            "active at its start."
            if metric == "customer_retention_pct"
            else "New customers of the month referred by a customer of the same client, %."
        )
        parts.append(
            figure(chart, caption, table(["Client", *[m.strftime("%b %Y") for m in months]], rows))
        )
    return (
        '<section id="customers"><h2>Retention and referrals by client</h2>'
        f'<div class="grid">{"".join(parts)}</div></section>'
    )


def employees(data: ReportData, page: Page, min_n: int) -> str:
    if data.employee_month is None:
        return (
            '<section id="employees"><h2>Employee satisfaction by team</h2>'
            "<p>No employee survey in the period.</p></section>"
        )
    month = month_name(data.employee_month)
    by_team: dict[str, dict[str, Cell]] = {}
    for c in data.employee_cells:
        by_team.setdefault(c.entity_id, {})[c.metric] = c
    team_ids = sorted(by_team, key=lambda t: (data.team_name(t), t))
    note = suppressed_note(min_n)
    parts = []
    for metric in ("esat_pct", "enps"):
        bars = []
        for t in team_ids:
            c = by_team[t].get(metric)
            if c is None:
                continue
            bars.append(svg.Bar(data.team_name(t), None if c.suppressed else c.value, note))
        target = next(
            (c.target for t in team_ids if (c := by_team[t].get(metric)) and c.target is not None),
            None,
        )
        parts.append(
            page.chart(
                svg.bar_chart(
                    bars,
                    title=f"{metric_label(metric).label} by team, {month}",
                    fmt=lambda v, metric=metric: format_value(metric, v),
                    color=svg.PALETTE[2],
                    target=target,
                )
            )
        )
    rows = []
    for t in team_ids:
        team = data.teams.get(t)
        esat, enps = by_team[t].get("esat_pct"), by_team[t].get("enps")
        n = max((c.sample_size for c in (esat, enps) if c is not None), default=0)
        rows.append(
            [
                data.team_name(t),
                data.site_name(team.site_id) if team else "",
                data.client_name(team.client_id) if team else "",
                f"{n:,}",
                value_with_badge(esat, min_n),
                value_with_badge(enps, min_n),
            ]
        )
    team_table = table(
        ["Team", "Site", "Client", "Responses", "ESAT %", "eNPS"], rows, numbers_from=3
    )
    caption = (
        f"Employee pulse of {month}. Teams with fewer than {min_n} responses are suppressed "
        "to protect anonymity and show no number; the table below has the same figures."
    )
    return (
        '<section id="employees"><h2>Employee satisfaction by team</h2><div class="grid">'
        + figure(parts[0], caption, "")
        + figure(parts[1], caption, "")
        + f'</div><div class="card scroll" style="margin-top:16px">{team_table}</div></section>'
    )


# --------------------------------------------------------------------------- page

CSS = """
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--met:#047857;--missed:#b91c1c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
 font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{background:#0f172a;color:#f8fafc;padding:24px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;color:#cbd5e1}
nav{display:flex;flex-wrap:wrap;gap:4px 16px;padding:10px 32px;background:#fff;
 border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
nav a{color:#1d4ed8;text-decoration:none;font-size:14px}
nav a:hover,nav a:focus{text-decoration:underline}
main{max-width:1400px;margin:0 auto;padding:8px 32px 48px}
h2{font-size:19px;margin:28px 0 12px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
.kpi{border-top:4px solid var(--line)}
.kpi.met{border-top-color:var(--met)}.kpi.missed{border-top-color:var(--missed)}
.kpi-label{color:var(--muted);font-size:13px}
.kpi-value{font-size:28px;font-weight:650;font-variant-numeric:tabular-nums}
.kpi-target{font-size:13px;color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:16px}
figure{margin:0}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
svg.chart,svg.chart-empty{max-width:100%;height:auto;display:block}
details{margin-top:8px;font-size:13px}
summary{cursor:pointer;color:#1d4ed8}
.scroll{overflow-x:auto;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding-bottom:6px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
thead th{background:#f1f5f9;font-weight:600}
td.num{text-align:right}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:11px;font-weight:600}
.badge.met{background:#d1fae5;color:var(--met)}
.badge.missed{background:#fee2e2;color:var(--missed)}
.suppressed{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;padding:0 32px 32px;max-width:1400px;margin:0 auto}
@media print{nav{display:none}.grid{display:block}figure{break-inside:avoid;margin-bottom:12px}}
"""

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
    ("experience", "Customer experience"),
    ("efficiency", "Handling & response"),
    ("sites", "Sites"),
    ("customers", "Retention & referrals"),
    ("employees", "Employees"),
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
        experience_trends(data, page),
        efficiency_trends(data, page),
        sites(data, page, min_anonymity_n),
        customers(data, page),
        employees(data, page, min_anonymity_n),
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
        "<footer>Every number is read from the published warehouse (marts.kpi_scorecard); "
        "every KPI is defined in the KPI catalogue, docs/metrics.md in the CX Warehouse "
        "repository. Weekly trends use ISO weeks starting Monday; the first week may "
        "start before the data, and a period not over in the data is drawn hollow. Generated "
        f"{generated_at:%Y-%m-%d %H:%M} UTC.</footer>",
        f"<script>{RENDER_CHECK}</script>",
        "</body></html>",
    ]
    return page
