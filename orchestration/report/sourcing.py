"""The report's comparison of in-house and outsourced work, and of onshore, nearshore and
offshore sites: every KPI of the report month with its 95% interval where the catalogue
defines one, so that a difference that is noise looks like noise.

It reads the month's rows of the levels ``sourcing`` and ``location_type``; a suppressed
row (employee metrics, too few answers) shows the suppression note and no number.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from orchestration.report import svg_floor
from orchestration.report.data import Cell, ReportData
from orchestration.report.formatting import (
    format_axis,
    format_value,
    metric_label,
    month_title,
    suppressed_note,
    value_with_ci,
)
from orchestration.report.markup import Page, Raw, figure, table
from orchestration.report.sections import metric_order

# (level, entity_id, label), in the order of the site comparison: in-house, onshore first
GROUPS = (
    ("sourcing", "in_house", "In-house"),
    ("sourcing", "outsourced", "Outsourced"),
    ("location_type", "onshore", "Onshore"),
    ("location_type", "nearshore", "Nearshore"),
    ("location_type", "offshore", "Offshore"),
)
LEVELS = ("sourcing", "location_type")
NO_INTERVAL = "no interval defined"


def _groups(data: ReportData) -> list[tuple[str, str, str]]:
    """The groups with rows this month: the known ones in order, any other after them."""
    present = {(c.level, c.entity_id) for c in data.month_cells if c.level in LEVELS}
    known = [g for g in GROUPS if (g[0], g[1]) in present]
    other = sorted(present - {(level, entity) for level, entity, _ in GROUPS})
    return known + [(level, e, e.replace("_", "-")) for level, e in other]


def _has_interval(cells: Sequence[Cell | None]) -> bool:
    return any(c is not None and c.ci_low is not None for c in cells)


def _cell_text(cell: Cell | None, min_n: int) -> object:
    if cell is None:
        return "–"
    if cell.suppressed:
        return Raw(f'<span class="suppressed">{escape(suppressed_note(min_n))}</span>')
    return f"{value_with_ci(cell)} · n = {cell.sample_size:,}"


def _estimate(cell: Cell, label: str, min_n: int) -> svg_floor.Estimate:
    if cell.suppressed:
        return svg_floor.Estimate(label, None, note=suppressed_note(min_n))
    return svg_floor.Estimate(label, cell.value, cell.ci_low, cell.ci_high)


def _interval_chart(
    data: ReportData, page: Page, metric: str, groups: Sequence[tuple[str, str, str]], min_n: int
) -> str:
    estimates = [
        _estimate(c, label, min_n)
        for level, entity, label in groups
        if (c := data.month_cell(level, entity, metric)) is not None
    ]
    chart = svg_floor.estimate_chart(
        estimates,
        title=f"{metric_label(metric).label} by sourcing and location, with 95% intervals",
        fmt=lambda v: format_value(metric, v),
        tick_fmt=lambda v: format_axis(metric, v),
    )
    return figure(
        page.chart(chart),
        f"{metric_label(metric).label}: the point is the value, the bar its 95% interval. "
        "Where two bars overlap, the difference may be noise.",
        "",
    )


def sourcing(data: ReportData, page: Page, min_n: int) -> str:
    """Every KPI by sourcing and location type, with intervals, as a table and charts."""
    head = '<section id="sourcing"><h2>In-house and outsourced, onshore to offshore</h2>'
    groups = _groups(data)
    if not groups:
        return f"{head}<p>No KPIs by sourcing or location type in this warehouse.</p></section>"
    metrics = [
        m
        for m in metric_order(data)
        if any(data.month_cell(level, e, m) is not None for level, e, _ in groups)
    ]
    rows, charted = [], []
    for metric in metrics:
        cells = [data.month_cell(level, e, metric) for level, e, _ in groups]
        interval = _has_interval(cells)
        if interval:
            charted.append(metric)
        rows.append(
            [
                metric_label(metric).label,
                *[_cell_text(c, min_n) for c in cells],
                "95% interval in brackets" if interval else NO_INTERVAL,
            ]
        )
    headers = ["Metric", *[label for _, _, label in groups], "Interval"]
    intro = (
        f"<p>{escape(month_title(data))}. Each column counts the work of the agents of its "
        "sites (calls offered, abandoned, abandon rate and service level: of the sites that "
        "staff the calls' queues). Values in brackets are 95% intervals; n is the sample "
        "size. Counts, means and medians have no interval defined.</p>"
    )
    charts = "".join(_interval_chart(data, page, m, groups, min_n) for m in charted)
    comparison = table(headers, rows, caption="Every KPI by sourcing and location type")
    return (
        f'{head}{intro}<div class="card scroll">{comparison}</div>'
        f'<div class="grid">{charts}</div></section>'
    )
