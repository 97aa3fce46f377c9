"""A stand-in BI tool: dashboard queries on the published warehouse, in its own process.

It opens the published DuckDB file read-only through SQLAlchemy and duckdb-engine, as
Superset does, and refreshes a small dashboard in a loop::

    python bi_reader.py WAREHOUSE OUT_JSONL STOP_FILE --mode held|reconnect

``held``: one connection, opened before the first refresh and kept until the end (a
dashboard server that keeps its connection). ``reconnect``: a new connection for every
refresh (``NullPool``, nothing cached between refreshes). Every refresh runs all
:data:`DASHBOARD_QUERIES` on one connection and appends one JSON line to OUT_JSONL: its
number, wall-clock start and end, and the answers, or the error. The loop ends with the
first refresh that starts after STOP_FILE exists.

Only SQLAlchemy and duckdb-engine are used here, nothing of CX Warehouse: this is what an
outside tool sees. ``test_bi_access.py`` imports the queries to compute the expected
answers from the files directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LATEST_MONTH = "(select max(period_start) from marts.kpi_metrics where period_grain = 'month')"

DASHBOARD_QUERIES: dict[str, str] = {
    # Which night this connection sees.
    "snapshot": "select run_id, published_at from quality.publish_log",
    # Tile: scorecard status by site, latest month.
    "scorecard_by_site": f"""
        select s.site_name, s.sourcing, s.location_type, sc.metric, sc.value, sc.target,
               sc.status
        from marts.kpi_scorecard as sc
        inner join marts.dim_site as s on sc.entity_id = s.site_id
        where sc.period_grain = 'month' and sc.level = 'site'
          and sc.period_start = {LATEST_MONTH}
        order by s.site_name, sc.metric
    """,
    # Tile: NPS trend by client by week, with its confidence band.
    "nps_trend_by_client": """
        select c.client_name, m.period_start, m.value, m.ci_low, m.ci_high, m.sample_size
        from marts.kpi_metrics as m
        inner join marts.dim_client as c on m.entity_id = c.client_id
        where m.metric = 'nps' and m.level = 'client' and m.period_grain = 'week'
          and not m.suppressed
        order by c.client_name, m.period_start
    """,
    # Tiles that must add up: calls handled and NPS per site, and the all-sites totals.
    "by_site_latest_month": f"""
        select entity_id, metric, value, numerator, denominator
        from marts.kpi_metrics
        where period_grain = 'month' and level = 'site' and period_start = {LATEST_MONTH}
          and metric in ('calls_handled', 'nps')
        order by entity_id, metric
    """,
    "all_sites_latest_month": f"""
        select metric, value, numerator, denominator
        from marts.kpi_metrics
        where period_grain = 'month' and level = 'all' and period_start = {LATEST_MONTH}
          and metric in ('calls_handled', 'nps')
        order by metric
    """,
}


def plain(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows as JSON values: dates and timestamps as ISO text, everything else unchanged."""
    return [
        [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in row] for row in rows
    ]


def _refresh(connection: Any) -> dict[str, list[list[Any]]]:
    from sqlalchemy import text

    answers = {
        name: plain(connection.execute(text(sql)).all()) for name, sql in DASHBOARD_QUERIES.items()
    }
    connection.rollback()  # end the read transaction SQLAlchemy began
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("stop_file", type=Path)
    parser.add_argument("--mode", choices=("held", "reconnect"), required=True)
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between refreshes")
    args = parser.parse_args()

    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    url = f"duckdb:///{args.warehouse.resolve()}"
    engine = sa.create_engine(
        url,
        connect_args={"read_only": True},
        **({"poolclass": NullPool} if args.mode == "reconnect" else {}),
    )
    held = engine.connect() if args.mode == "held" else None
    with args.out.open("a", encoding="utf-8") as out:
        refresh = 0
        while True:
            stopping = args.stop_file.exists()
            started = time.time()
            line: dict[str, Any] = {"refresh": refresh, "started": started}
            try:
                if held is not None:
                    line["answers"] = _refresh(held)
                else:
                    with engine.connect() as connection:
                        line["answers"] = _refresh(connection)
            except Exception as exc:  # every error is a finding: record it, go on
                line["error"] = f"{type(exc).__name__}: {exc}"
            line["ended"] = time.time()
            out.write(json.dumps(line) + "\n")
            out.flush()
            refresh += 1
            if stopping:
                break
            time.sleep(args.pause)
    if held is not None:
        held.close()
    engine.dispose()


if __name__ == "__main__":
    main()
