"""A BI tool reading the published warehouse while a night is published.

Two stand-in BI tools (``bi_reader.py``, each its own process, SQLAlchemy + duckdb-engine,
read-only) refresh a dashboard in a loop, from before ``cxw run`` starts until after it
has published the next night: scorecard status by site for the latest month, NPS trend by
client by week, and tiles that must add up (calls handled and NPS per site vs all sites).

- ``held`` keeps ONE connection open through the whole run: the run is not blocked by
  it, and it keeps seeing yesterday's complete warehouse, even after the new file is in
  place (it has the old file open).
- ``reconnect`` opens a connection per refresh: it sees yesterday's warehouse, then,
  from one refresh on, the new one; never a mix, never a half-written file, never an
  error.

The expected answers are computed here, directly from the published file before and
after the run, with the very same SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.integration.bi_reader import DASHBOARD_QUERIES, plain
from tests.integration.next_night import NEXT_DAY, add_next_day

READER = Path(__file__).with_name("bi_reader.py")
MODES = ("held", "reconnect")
# A refresh takes well under a second; DuckDB readers never wait for a writer. The bound
# only allows for a loaded CI machine.
MAX_SECONDS_BETWEEN_REFRESHES = 30.0


def dashboard_answers(warehouse: Path) -> dict:
    """Every dashboard query on one read-only connection, as the reader writes them."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        answers = {
            name: plain(con.execute(sql).fetchall()) for name, sql in DASHBOARD_QUERIES.items()
        }
    finally:
        con.close()
    return json.loads(json.dumps(answers))


def run_id(answers: dict) -> str:
    ((run, _published_at),) = answers["snapshot"]
    return run


def assert_tiles_add_up(answers: dict) -> None:
    """Within one snapshot, the per-site tiles add up to the all-sites tile."""
    by_site = answers["by_site_latest_month"]
    totals = {
        metric: (value, num, den) for metric, value, num, den in answers["all_sites_latest_month"]
    }
    sites = {site for site, *_ in by_site}
    assert len(sites) == 3
    handled = sum(value for _, metric, value, _, _ in by_site if metric == "calls_handled")
    assert handled == totals["calls_handled"][0]
    nps_num = sum(num for _, metric, _, num, _ in by_site if metric == "nps")
    nps_den = sum(den for _, metric, _, _, den in by_site if metric == "nps")
    assert (nps_num, nps_den) == totals["nps"][1:]
    assert totals["nps"][0] == pytest.approx(100.0 * nps_num / nps_den)


def start_reader(warehouse: Path, mode: str, out: Path, stop: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(READER), str(warehouse), str(out), str(stop), "--mode", mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def refreshes(out: Path) -> list[dict]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]


def wait_for_first_refresh(readers: dict[str, subprocess.Popen], outs: dict[str, Path]) -> None:
    deadline = time.monotonic() + 120
    while not all(refreshes(out) for out in outs.values()):
        for mode, reader in readers.items():
            if reader.poll() is not None:
                pytest.fail(f"{mode} reader exited early: {reader.communicate()[1][-3000:]}")
        assert time.monotonic() < deadline, "the readers never refreshed"
        time.sleep(0.2)


def test_dashboards_read_during_a_nightly_publish_are_always_consistent(sample_copy, tmp_path):
    deployment, _ = sample_copy
    add_next_day(deployment, tmp_path / "next_day")
    old = dashboard_answers(deployment.warehouse_path)

    stop = tmp_path / "stop"
    outs = {mode: tmp_path / f"{mode}.jsonl" for mode in MODES}
    readers = {
        mode: start_reader(deployment.warehouse_path, mode, outs[mode], stop) for mode in MODES
    }
    try:
        wait_for_first_refresh(readers, outs)
        run_started = time.time()
        run = deployment.cxw("run", check=False)
        run_ended = time.time()
        stop.touch()
        for mode, reader in readers.items():
            _, stderr = reader.communicate(timeout=120)
            assert reader.returncode == 0, f"{mode} reader failed:\n{stderr[-3000:]}"
    finally:
        for reader in readers.values():
            if reader.poll() is None:
                reader.kill()
                reader.wait()

    # The readers did not block the run: it published the next night.
    assert run.returncode == 0, f"cxw run failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    new = dashboard_answers(deployment.warehouse_path)
    assert run_id(new) != run_id(old)
    (new_published_at,) = deployment.published("select published_at from quality.publish_log")[0]
    published = new_published_at.replace(tzinfo=dt.UTC).timestamp()
    assert run_started < published < run_ended
    # ... and the next night changed every tile, so old and new answers are told apart.
    for tile in ("scorecard_by_site", "nps_trend_by_client", "by_site_latest_month"):
        assert new[tile] != old[tile], tile
    (latest_day,) = deployment.published("select max(report_date) from marts.fct_calls")[0]
    assert latest_day == NEXT_DAY
    assert_tiles_add_up(old)
    assert_tiles_add_up(new)
    states = {run_id(old): old, run_id(new): new}

    for mode in MODES:
        seen = refreshes(outs[mode])
        assert [r["refresh"] for r in seen] == list(range(len(seen)))
        errors = [r["error"] for r in seen if "error" in r]
        assert errors == [], f"{mode} reader: {errors[:3]}"
        for refresh in seen:
            answers = refresh["answers"]
            assert run_id(answers) in states, f"{mode} refresh {refresh['refresh']}"
            # Every tile of one refresh comes from the same complete warehouse.
            assert answers == states[run_id(answers)], f"{mode} refresh {refresh['refresh']}"
            assert_tiles_add_up(answers)
        # Never blocked: the reader kept refreshing through the whole run, publish included.
        starts = [r["started"] for r in seen]
        assert starts[0] < run_started and starts[-1] > run_ended
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        assert max(gaps) < MAX_SECONDS_BETWEEN_REFRESHES, (
            f"{mode}: a refresh waited {max(gaps):.1f}s"
        )

    # One connection held through the run: yesterday's warehouse, before and after the swap
    # (its last refresh started after the run had ended, with the new file in place).
    held = refreshes(outs["held"])
    assert {run_id(r["answers"]) for r in held} == {run_id(old)}

    # A connection per refresh: yesterday's warehouse, then the new one, once and for all.
    sequence = [run_id(r["answers"]) for r in refreshes(outs["reconnect"])]
    switch = sequence.index(run_id(new))
    assert switch > 0
    assert set(sequence[:switch]) == {run_id(old)}
    assert set(sequence[switch:]) == {run_id(new)}
    assert refreshes(outs["reconnect"])[switch]["ended"] > published


def test_the_parquet_copy_is_the_published_night(sample_build):
    """Tools without a DuckDB driver read ``<CXW_PARQUET_DIR>/<schema>/<table>.parquet``;
    a fact or a KPI mart rebuilt from a floor is one file per month,
    ``<table>/month=YYYY-MM/*.parquet``."""
    deployment, _ = sample_build
    parquet_dir = deployment.root / "warehouse_parquet"
    tables = deployment.published(
        "select table_schema, table_name from information_schema.tables order by all"
    )
    files = {(p.parent.name, p.stem) for p in parquet_dir.glob("*/*.parquet")}
    folders = {(p.parent.name, p.name) for p in parquet_dir.glob("*/*") if p.is_dir()}
    assert folders == {
        ("marts", "fct_calls"),
        ("marts", "fct_survey_responses"),
        ("marts", "fct_tickets"),
        ("marts", "kpi_agent_daily"),
        ("marts", "kpi_intervals"),
        ("marts", "kpi_metrics"),
        ("marts", "kpi_scorecard"),
    }
    assert sorted(files | folders) == [tuple(t) for t in tables]
    months = sorted(p.name for p in (parquet_dir / "marts" / "fct_calls").iterdir())
    assert months == sorted(
        f"month={m}"
        for (m,) in deployment.published(
            "select distinct strftime(report_date, '%Y-%m') from marts.fct_calls"
        )
    )
    for schema, table in tables:
        from_duckdb = deployment.published(f'select * from {schema}."{table}" order by all')
        assert deployment.parquet_rows(schema, table) == from_duckdb, f"{schema}.{table}"


def test_the_published_file_opens_in_every_duckdb_since_1_0(sample_build):
    """BI tools bundle their own DuckDB, often a 1.x release (Metabase's driver, ...).

    DuckDB 2.0 writes its newest storage format unless told otherwise, which no 1.x
    release can open ("version number 69, but we can only read versions between 64 and
    68" from DuckDB 1.5.6); the published file is written in the 1.0 format.
    """
    deployment, _ = sample_build
    assert deployment.published(
        "select tags from duckdb_databases() where database_name = current_database()"
    ) == [({"storage_version": "v1.0.0+"},)]


BI_CLIENT = Path(__file__).parents[1] / "bi_client"
DOCS_BI = Path(__file__).parents[2] / "docs" / "bi.md"
# How the BI client reflects each DuckDB type (anything else fails, so a new column type
# is a decision): numbers stay numbers, dates dates.
REFLECTED_AS = {
    "VARCHAR": "VARCHAR",
    "BIGINT": "BIGINT",
    "INTEGER": "INTEGER",
    "DOUBLE": "FLOAT",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "BOOLEAN": "BOOLEAN",
}


def test_a_bi_tool_reflects_every_published_table(sample_build):
    """Adding the warehouse to a BI tool the way Superset does (SQLAlchemy's inspector
    through duckdb-engine): every published schema and table is listed, every column
    reflects with its type, every table answers a query. It runs with the versions
    docs/bi.md recommends, in their own environment (tests/bi_client), not the pipeline's
    DuckDB 2.0."""
    deployment, _ = sample_build
    python = BI_CLIENT / ".venv" / "bin" / "python"
    assert python.exists(), (
        "no BI client environment: `make test` installs it "
        "(uv sync --frozen --project tests/bi_client)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(python), str(BI_CLIENT / "bi_tool_reflection.py"), str(deployment.warehouse_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout)

    versions = seen["versions"]
    assert versions["duckdb"].startswith("1.")  # a 1.x DuckDB, as BI tools bundle
    assert (
        f"tested with duckdb-engine {versions['duckdb-engine']}, SQLAlchemy "
        f"{versions['sqlalchemy']} and DuckDB\n{versions['duckdb']}"
    ) in DOCS_BI.read_text(encoding="utf-8")

    published: dict[str, list[list[str]]] = {}
    for schema, table, column, data_type in deployment.published(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() order by table_schema, table_name, "
        "ordinal_position"
    ):
        published.setdefault(f"{schema}.{table}", []).append([column, REFLECTED_AS[data_type]])
    # duckdb-engine names a table <database>.<schema>.<table>
    reflected = {name.split(".", 1)[1]: found for name, found in seen["tables"].items()}
    assert {name.split(".")[0] for name in reflected} == {"marts", "metrics", "quality"}
    assert sorted(reflected) == sorted(published)
    for name, columns in published.items():
        assert reflected[name]["columns"] == columns, name
        assert [(reflected[name]["rows"],)] == deployment.published(f"select count(*) from {name}")
