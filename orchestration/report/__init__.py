"""The KPI report: a terminal scorecard (``cxw demo``) and a self-contained HTML page,
written after every ``cxw run`` that publishes.

Both read the published warehouse only (``read_only=True``)::

    summary = write_report(settings.warehouse_path, Path("data/report/kpi_report.html"))
    print(terminal_scorecard(settings.warehouse_path))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from orchestration.report.data import ReportError
from orchestration.report.html import render_page
from orchestration.report.published import load_report_data
from orchestration.report.terminal import render_scorecard

__all__ = ["ReportError", "ReportSummary", "terminal_scorecard", "write_report"]


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    report_month: dt.date
    report_month_complete: bool
    charts: int  # charts with data, each checked by the page's render check
    agents_shown: int
    targets_met: int
    targets_missed: int
    bytes_written: int

    def describe(self) -> str:
        """One line: ``KPI report (March 2026, 17 charts): data/kpi_report.html``."""
        return f"KPI report ({self.report_month:%B %Y}, {self.charts} charts): {self.path}"


def _min_anonymity_n(min_anonymity_n: int | None) -> int:
    if min_anonymity_n is not None:
        return min_anonymity_n
    from orchestration.settings import load_settings

    return load_settings().min_anonymity_n


def write_report(
    warehouse_path: Path, out_path: Path, *, min_anonymity_n: int | None = None
) -> ReportSummary:
    """Write the HTML report of the published warehouse to ``out_path``.

    ``min_anonymity_n`` only words the "suppressed (n < k)" notes (the warehouse already
    hid those values); by default it is the configured setting.
    """
    min_n = _min_anonymity_n(min_anonymity_n)
    data = load_report_data(Path(warehouse_path))
    page = render_page(data, min_n, generated_at=dt.datetime.now(dt.UTC))
    document = "\n".join(page.sections) + "\n"
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(document, encoding="utf-8")
    tmp.replace(out)
    return ReportSummary(
        path=out,
        report_month=data.report_month,
        report_month_complete=data.report_month_complete,
        charts=page.charts,
        agents_shown=page.agents_shown,
        targets_met=page.targets_met,
        targets_missed=page.targets_missed,
        bytes_written=len(document.encode("utf-8")),
    )


def terminal_scorecard(warehouse_path: Path, *, min_anonymity_n: int | None = None) -> str:
    """The report month's scorecard per client as plain text, for the terminal."""
    return render_scorecard(
        load_report_data(Path(warehouse_path)), _min_anonymity_n(min_anonymity_n)
    )
