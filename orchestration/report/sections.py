"""The sections of the KPI report, each a function of the report data: headline,
scorecard, calls handled, experience and efficiency trends, sites, customers, employees.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from orchestration.report.markup import Page, badge, figure, table, value_with_badge

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
