"""The terminal scorecard: the report month's key metrics per client, against targets.

Plain ASCII (no colours, no box-drawing) so it reads the same in any terminal and log.
"""

from __future__ import annotations

from orchestration.report.data import Cell, ReportData
from orchestration.report.formatting import format_value, metric_label, month_title

SCORECARD_METRICS = (
    "calls_handled",
    "service_level_pct",
    "asa_seconds",
    "abandon_rate_pct",
    "aht_seconds",
    "frt_avg_minutes",
    "frt_within_target_pct",
    "nps",
    "csat_pct",
    "ces_avg",
    "survey_response_rate_pct",
    "customer_retention_pct",
    "referral_rate_pct",
    "esat_pct",
    "enps",
)
MARKS = {"met": "+", "missed": "x"}
LABEL_WIDTH = 14
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 14, 20


def _cell(cell: Cell | None, min_anonymity_n: int, width: int) -> str:
    if cell is None:
        return "-  ".rjust(width)
    if cell.suppressed:
        return f"supp. n<{min_anonymity_n}  ".rjust(width)
    text = format_value(cell.metric, cell.value).replace("–", "-")
    mark = MARKS.get(cell.status, " ")
    return f"{text} {mark}".rjust(width)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def render_scorecard(data: ReportData, min_anonymity_n: int) -> str:
    """The scorecard text: one row per metric, one column per client and one for all."""
    entities = [("client", c.client_id) for c in data.clients] + [("all", "all")]
    if not data.clients:
        client_ids = sorted({c.entity_id for c in data.month_cells if c.level == "client"})
        entities = [("client", cid) for cid in client_ids] + [("all", "all")]
    month = month_title(data)
    lines = [
        f"CX Warehouse KPI scorecard - {month}",
        f"data {data.first_day.isoformat()} to {data.last_day.isoformat()}"
        + (
            f"; published {data.published_at:%Y-%m-%d %H:%M} UTC"
            if data.published_at is not None
            else ""
        ),
        "",
    ]
    names = [data.client_name(e) for _, e in entities]
    width = max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, max(len(n) for n in names) + 3))
    header = "metric".ljust(LABEL_WIDTH) + "".join(
        (_fit(n, width - 3) + "  ").rjust(width) for n in names
    )
    header = header.rstrip()
    lines += [header, "-" * len(header)]
    met = missed = 0
    for metric in SCORECARD_METRICS:
        cells = [data.month_cell(level, entity, metric) for level, entity in entities]
        if all(c is None for c in cells):
            continue
        row = _fit(metric_label(metric).short, LABEL_WIDTH - 1).ljust(LABEL_WIDTH)
        row += "".join(_cell(c, min_anonymity_n, width) for c in cells)
        lines.append(row.rstrip())
        met += sum(1 for c in cells if c is not None and c.status == "met")
        missed += sum(1 for c in cells if c is not None and c.status == "missed")
    lines += [
        "-" * len(header),
        f"targets: {met} met (+), {missed} missed (x); unmarked values have no target",
    ]
    return "\n".join(lines)
