"""The report's HTML building blocks: escaped tables, figures, target badges, the CSS.

Shared by the KPI report and the quality page; nothing here reads the warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from orchestration.report.data import Cell
from orchestration.report.formatting import (
    STATUS_MARK,
    cell_text,
    format_value,
)


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
tr.platform th{background:#f8fafc;font-weight:650;padding-top:9px}
ul.reasons{margin:6px 0 0;padding-left:20px;font-size:13px}
code{background:#f1f5f9;border-radius:4px;padding:0 4px;font-size:12px}
.suppressed{color:var(--muted);font-style:italic}
h3{font-size:16px;margin:20px 0 10px}
.not-final{font-size:12px;font-weight:600;color:#92400e;background:#fef3c7;border-radius:9px;
 padding:1px 8px;margin-left:6px}
footer{color:var(--muted);font-size:12px;padding:0 32px 32px;max-width:1400px;margin:0 auto}
@media print{nav{display:none}.grid{display:block}figure{break-inside:avoid;margin-bottom:12px}}
"""
