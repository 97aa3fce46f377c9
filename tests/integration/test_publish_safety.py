"""What BI users can rely on, whatever happens to a run, and what never reaches them.

- A ``cxw run`` killed with SIGKILL while dbt is rebuilding the marts leaves the
  published warehouse (and its Parquet copy) byte for byte as it was and queryable; the
  next ``cxw run`` gets the build lock the dead run held, recovers the build database
  and publishes the new night.
- No published value, in any text column of any table, contains a customer's or an
  agent's name, e-mail or phone number from the sample exports, and no published column
  is named after one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import signal
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import psutil

from orchestration.landing.contract import PERSONAL_DATA_COLUMNS, SOURCES
from tests.integration.next_night import NEXT_DAY, add_next_day, start_cxw_run

# dbt is rebuilding the marts of the build database: the first mart model it has written.
MART_WRITTEN = re.compile(r"\d+ of \d+ OK created sql \w+ model marts\.")
SECONDS_TO_REACH_DBT = 600


def fingerprint(deployment) -> dict[str, str]:
    """SHA-256 of the published warehouse and every file of its Parquet copy."""
    files = [deployment.warehouse_path, *sorted((deployment.root / "warehouse_parquet").rglob("*"))]
    return {
        str(path.relative_to(deployment.root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in files
        if path.is_file()
    }


def published_row_counts(deployment) -> dict[str, int]:
    tables = deployment.published(
        "select table_schema, table_name from information_schema.tables order by all"
    )
    return {
        f"{schema}.{name}": deployment.published(f'select count(*) from {schema}."{name}"')[0][0]
        for schema, name in tables
    }


def dbt_builds_in(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            cmdline = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        launched = any(Path(part).name in ("dbt", "cxw-dbt") for part in cmdline)
        if (launched and "build" in cmdline) or "orchestration.standby_dbt" in cmdline:
            found.append(child)  # `dbt build`, or the standby that runs it for `cxw-dbt`
    return found


def gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_run_killed_in_the_middle_of_dbt_leaves_the_published_warehouse_intact(
    sample_copy, tmp_path
):
    deployment, _ = sample_copy
    add_next_day(deployment, tmp_path / "next_day")
    before = fingerprint(deployment)
    counts_before = published_row_counts(deployment)
    (run_before,) = deployment.published("select run_id from quality.publish_log")[0]
    beside_before = sorted(p.name for p in deployment.root.iterdir())

    run = start_cxw_run(deployment)
    output: list[str] = []
    in_dbt = threading.Event()

    def follow() -> None:
        for line in run.stdout:
            output.append(line)
            if MART_WRITTEN.search(line):
                in_dbt.set()

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    try:
        deadline = time.monotonic() + SECONDS_TO_REACH_DBT
        while not in_dbt.wait(0.2):
            assert run.poll() is None, "cxw run ended before dbt wrote a mart:\n" + "".join(
                output[-60:]
            )
            assert time.monotonic() < deadline, "dbt never started:\n" + "".join(output[-60:])
        # In the middle of dbt: the run is alive and `dbt build` is one of its processes.
        assert run.poll() is None
        dbt_builds = dbt_builds_in(psutil.Process(run.pid))
        assert dbt_builds, "no dbt build process under cxw run"
        assert all(os.getpgid(p.pid) == run.pid for p in dbt_builds)
        os.killpg(run.pid, signal.SIGKILL)
        assert run.wait(timeout=60) == -signal.SIGKILL
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    follower.join(timeout=30)
    assert "Running with dbt" in "".join(output)
    assert not any("published" in line and "tables to" in line for line in output)
    deadline = time.monotonic() + 30
    while not all(gone(p) for p in dbt_builds):
        assert time.monotonic() < deadline, "dbt outlived the kill"
        time.sleep(0.2)

    # The published warehouse and its Parquet copy: byte for byte, and still queryable.
    assert fingerprint(deployment) == before
    assert sorted(p.name for p in deployment.root.iterdir()) == beside_before
    assert published_row_counts(deployment) == counts_before
    assert deployment.published("select run_id from quality.publish_log") == [(run_before,)]

    # The dead run's build lock died with it.
    lock = deployment.build_path.with_name(deployment.build_path.name + ".lock")
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

    # The next run recovers the build database and publishes the new night.
    result = deployment.cxw("run")
    assert "cxw run: done" in result.stdout
    (run_after,) = deployment.published("select run_id from quality.publish_log")[0]
    assert run_after != run_before
    assert deployment.published("select max(report_date) from marts.fct_calls") == [(NEXT_DAY,)]
    assert fingerprint(deployment) != before
    # The killed run's half-done work is not counted twice: every call once, new ones added.
    [(calls, distinct_calls)] = deployment.published(
        "select count(*), count(distinct call_id) from marts.fct_calls"
    )
    assert calls == distinct_calls > counts_before["marts.fct_calls"]


# ------------------------------------------------------------------------- personal data

# the canonical sources' personal columns (vendor records are scanned in test_vendor_*.py)
CANONICAL_PERSONAL_COLUMNS = {
    source: columns
    for source, columns in PERSONAL_DATA_COLUMNS.items()
    if not SOURCES[source].is_vendor
}
PERSONAL_COLUMN_NAMES = sorted({c for cols in CANONICAL_PERSONAL_COLUMNS.values() for c in cols})
NOT_TEXT = re.compile(
    r"^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|REAL|DOUBLE|DECIMAL.*"
    r"|DATE|TIME.*|TIMESTAMP.*|INTERVAL)$"
)


def _landing_frame(path: Path) -> pl.DataFrame:
    name = path.name.lower()
    if name.endswith(".parquet"):
        frame = pl.read_parquet(path)
    elif name.endswith(".csv"):
        frame = pl.read_csv(path, infer_schema=False)
    else:
        raise AssertionError(f"no reader here for {path}")
    # The contract matches column names ignoring case and spaces.
    return frame.rename({c: c.lower().replace(" ", "").lstrip("\ufeff") for c in frame.columns})


def personal_values(landing_dir: Path) -> pl.DataFrame:
    """Every personal value the sample exports carry: source, column, value."""
    frames = []
    for source, columns in CANONICAL_PERSONAL_COLUMNS.items():
        for path in sorted((landing_dir / source).iterdir()):
            frame = _landing_frame(path)
            for column in columns:
                frames.append(
                    frame.select(
                        pl.lit(source).alias("source"),
                        pl.lit(column).alias("column_name"),
                        pl.col(column).cast(pl.String).str.strip_chars().alias("value"),
                    )
                )
    values = pl.concat(frames).drop_nulls().filter(pl.col("value") != "").unique()
    return values.sort("source", "column_name", "value")


def test_no_personal_data_reaches_the_published_warehouse(sample_build):
    deployment, _ = sample_build
    personal = personal_values(deployment.landing_dir)
    kinds = {
        (source, column): n
        for source, column, n in personal.group_by("source", "column_name").len().iter_rows()
    }
    # The sample carries plenty of each: 12 agents, thousands of customers.
    assert set(kinds) == {(s, c) for s, cols in CANONICAL_PERSONAL_COLUMNS.items() for c in cols}
    assert min(n for (s, _), n in kinds.items() if s == "agent_roster") >= 12
    assert min(n for (s, _), n in kinds.items() if s == "customers") >= 1000

    con = duckdb.connect()
    try:
        con.execute(f"attach '{deployment.warehouse_path}' as published (read_only)").fetchall()
        con.register("personal", personal.to_arrow())
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns where table_catalog = 'published' "
            "order by all"
        ).fetchall()
        assert len({(s, t) for s, t, _, _ in columns}) >= 20
        named = [
            f"{s}.{t}.{c}"
            for s, t, c, _ in columns
            if any(p in c.lower() for p in PERSONAL_COLUMN_NAMES)
        ]
        assert named == []

        text_columns = [(s, t, c) for s, t, c, dtype in columns if not NOT_TEXT.match(dtype)]
        assert len(text_columns) >= 50
        hits = []
        for schema, table, column in text_columns:
            hits += con.execute(
                f"""
                with published_values as (
                    select distinct cast("{column}" as varchar) as published_value
                    from published.{schema}."{table}"
                    where "{column}" is not null
                )
                select ? as published_column, published_value, source, column_name, value
                from published_values
                inner join personal on contains(published_value, value)
                order by all
                """,
                [f"{schema}.{table}.{column}"],
            ).fetchall()
    finally:
        con.close()

    # dim_team.supervisor_name publishes the supervisors the teams export names (the
    # contract does not count them as personal data). The sample draws supervisors and
    # customers from the same name lists, so a few customers share a supervisor's name:
    # that value comes from the teams export, not from the customer.
    supervisors = current_supervisors(deployment.landing_dir)
    assert deployment.published(
        "select team_id, supervisor_name from marts.dim_team order by team_id"
    ) == sorted(supervisors.items())
    leaks = [
        hit
        for hit in hits
        if not (hit[0] == "marts.dim_team.supervisor_name" and hit[1] in set(supervisors.values()))
    ]
    assert leaks == []


def current_supervisors(landing_dir: Path) -> dict[str, str]:
    """team_id -> supervisor_name of the latest teams export that names the team."""
    supervisors: dict[str, str] = {}
    for path in sorted((landing_dir / "teams").iterdir()):
        for team_id, name in _landing_frame(path).select("team_id", "supervisor_name").iter_rows():
            supervisors[team_id] = name
    return supervisors
