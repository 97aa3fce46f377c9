"""How each metric is named and written, for the HTML report and the terminal alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from orchestration.report.data import Cell, ReportData


@dataclass(frozen=True)
class MetricLabel:
    label: str  # long, for headings
    short: str  # for table columns and the terminal
    unit: str  # pct | score | seconds | minutes | count | avg5


METRICS: dict[str, MetricLabel] = {
    "calls_offered": MetricLabel("Calls offered", "Offered", "count"),
    "calls_handled": MetricLabel("Calls handled", "Handled", "count"),
    "calls_abandoned": MetricLabel("Calls abandoned", "Abandoned", "count"),
    "abandon_rate_pct": MetricLabel("Abandon rate", "Abandon %", "pct"),
    "service_level_pct": MetricLabel("Service level (20 s)", "SL %", "pct"),
    "aht_seconds": MetricLabel("Average handle time", "AHT", "seconds"),
    "asa_seconds": MetricLabel("Average speed of answer", "ASA", "seconds"),
    "calls_outbound": MetricLabel("Outbound calls", "Outbound", "count"),
    "outbound_talk_seconds": MetricLabel("Outbound talk time, mean", "Out. talk", "seconds"),
    "tickets_created": MetricLabel("Tickets created", "Tickets", "count"),
    "frt_avg_minutes": MetricLabel("First response time, mean", "FRT avg", "minutes"),
    "frt_median_minutes": MetricLabel("First response time, median", "FRT med", "minutes"),
    "frt_within_target_pct": MetricLabel("First responses within target", "FRT ok %", "pct"),
    "nps": MetricLabel("Net Promoter Score", "NPS", "score"),
    "csat_pct": MetricLabel("Customer satisfaction (top two boxes)", "CSAT %", "pct"),
    "csat_avg": MetricLabel("Customer satisfaction, mean", "CSAT avg", "avg5"),
    "ces_avg": MetricLabel("Customer effort score (lower is better)", "CES", "avg5"),
    "ces_low_effort_pct": MetricLabel("Low-effort responses", "Low effort %", "pct"),
    "survey_response_rate_pct": MetricLabel("Survey response rate", "Resp. %", "pct"),
    "customer_retention_pct": MetricLabel("Customer retention", "Retention %", "pct"),
    "referral_rate_pct": MetricLabel("Referral rate", "Referral %", "pct"),
    "esat_pct": MetricLabel("Employee satisfaction (top two boxes)", "ESAT %", "pct"),
    "enps": MetricLabel("Employee NPS", "eNPS", "score"),
}


def metric_label(metric: str) -> MetricLabel:
    return METRICS.get(metric, MetricLabel(metric, metric, "score"))


def format_value(metric: str, value: float | None) -> str:
    """A metric value as people read it: 87.3%, 42.0, 6m 05s, 12.5 min, 1,234."""
    if value is None:
        return "–"
    unit = metric_label(metric).unit
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "seconds":
        whole = round(value)
        return f"{whole // 60}m {whole % 60:02d}s" if whole >= 60 else f"{whole}s"
    if unit == "minutes":
        return f"{value:,.1f} min"
    if unit == "avg5":
        return f"{value:.2f}"
    return f"{value:.1f}"


def format_axis(metric: str, value: float) -> str:
    """Shorter numbers for axis ticks."""
    unit = metric_label(metric).unit
    if unit == "pct":
        return f"{value:g}%"
    if unit == "seconds":
        return f"{value:g}s"
    if unit == "minutes":
        return f"{value:g}m"
    return f"{value:g}"


def value_with_ci(cell: Cell) -> str:
    """A value and its 95% interval where it has one: "42.0 (30.1 to 53.9)"."""
    text = format_value(cell.metric, cell.value)
    if cell.ci_low is not None and cell.ci_high is not None:
        low, high = format_value(cell.metric, cell.ci_low), format_value(cell.metric, cell.ci_high)
        text += f" ({low} to {high})"
    return text


def suppressed_note(min_anonymity_n: int) -> str:
    return f"suppressed (n < {min_anonymity_n})"


def cell_text(cell: Cell | None, min_anonymity_n: int) -> str:
    """The text of a cell: its value, 'suppressed (n < 5)', or a dash when there is none."""
    if cell is None:
        return "–"
    if cell.suppressed:
        return suppressed_note(min_anonymity_n)
    return format_value(cell.metric, cell.value)


def month_name(month: dt.date) -> str:
    return month.strftime("%B %Y")


STATUS_MARK = {"met": "✓", "missed": "✗"}


def month_title(data: ReportData) -> str:
    """The report month, saying when it is not over: "March 2026 — month not over (data to
    11 Mar)"."""
    title = month_name(data.report_month)
    if data.report_month_complete:
        return title
    return f"{title} — month not over (data to {data.last_day.day} {data.last_day:%b})"
