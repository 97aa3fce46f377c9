"""The failure half of the ``cxw run`` contract, through the real CLI on copies of the sample build.

- exit 2: a bad setting, one line on stderr naming it, nothing written;
- exit 3: another process holds the build lock, one line of refusal, nothing written;
- exit 1: a dbt model that errors, or a dbt key test that fails, blocks the publish with
  one line naming the model or the test, and the published warehouse stays as it was;
- a run killed (SIGKILL) while it writes the publish leaves the published warehouse
  readable, its Parquet copy agreeing with it, and the next run removes what it left;
- the KPI report of a real pipeline's published warehouse shows its ``kpi_metrics``;
- ``cxw demo`` runs the night and writes its report (``cxw run`` writes it after a publish).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import signal
import threading
import time

import polars as pl

from orchestration.run_lock import exclusive_build
from orchestration.settings import load_settings
from tests.integration.conftest import Deployment
from tests.integration.next_night import NEXT_DAY, add_next_day, start_cxw_run
from tests.integration.test_publish_safety import fingerprint

VERDICT = re.compile(r"^cxw run: FAILED after \d+s: (?P<why>.+)$")
SECONDS_TO_REACH_PUBLISH = 600
# The temporary names of a publish being written: a release folder (this code), or a
# file beside the published one (earlier releases of it).
RELEASE = re.compile(r"release-[0-9a-f]{12}")
OLD_STAGING_FILE = re.compile(r"\.warehouse\.duckdb\.[0-9a-f]{12}\.publishing")


def ledger_rows(deployment: Deployment) -> dict[str, list[tuple]]:
    return {
        table: deployment.query(f"select * from meta.{table} order by all")
        for table in ("publish_history", "transform_history", "ingest_manifest")
    }


def published_state(deployment: Deployment) -> dict[str, object]:
    """Everything a failed run must leave as it was: the published file (the one a reader
    opens: its path, inode, modification time and bytes), its Parquet copy (bytes), what
    it says it published, and the build database's record of publishes and builds."""
    opened = deployment.warehouse_path.resolve()
    status = opened.stat()
    return {
        "opened": (opened, status.st_ino, status.st_mtime_ns),
        "files": fingerprint(deployment),
        "publish_log": deployment.published("select * from quality.publish_log"),
        "ledger": ledger_rows(deployment),
    }


def only_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{text[-3000:]}"
    return lines[0]


def verdict_of(stderr: str) -> str:
    """What failed, from the last line of stderr (``cxw run: FAILED after Ns: ...``)."""
    last = stderr.strip().splitlines()[-1]
    match = VERDICT.match(last)
    assert match, f"no one-line verdict at the end of stderr:\n{stderr[-4000:]}"
    return match["why"]


# ---------------------------------------------------------------------- exits 2 and 3


def test_a_bad_setting_exits_2_with_one_line_and_changes_nothing(sample_copy, tmp_path):
    deployment, _ = sample_copy
    add_next_day(deployment, tmp_path / "next_day")
    before = published_state(deployment)
    build_before = hashlib.sha256(deployment.build_path.read_bytes()).hexdigest()
    beside_before = sorted(p.name for p in deployment.root.rglob("*"))

    result = deployment.cxw("run", check=False, CXW_SOURCE_TIMEZONES="calls=Mars/Olympus")
    assert result.returncode == 2
    assert only_line(result.stderr) == (
        "cxw: configuration error: CXW_SOURCE_TIMEZONES: unknown IANA time zone 'Mars/Olympus'"
    )
    assert result.stdout == ""
    assert published_state(deployment) == before
    assert hashlib.sha256(deployment.build_path.read_bytes()).hexdigest() == build_before
    assert sorted(p.name for p in deployment.root.rglob("*")) == beside_before  # no lock file


def test_a_run_while_another_holds_the_build_lock_exits_3_and_changes_nothing(
    sample_copy, tmp_path
):
    deployment, _ = sample_copy
    add_next_day(deployment, tmp_path / "next_day")  # a night that would publish
    before = published_state(deployment)
    settings = load_settings(deployment.env())
    with exclusive_build(settings, "another nightly run"):
        result = deployment.cxw("run", check=False)
    assert result.returncode == 3
    line = only_line(result.stderr)
    assert line.startswith(
        "cxw run: refused: another CX Warehouse run is writing the build database "
        f"(another nightly run, pid {os.getpid()}, since "
    )
    assert line.endswith("Z); try again when it has finished")
    assert "cxw run: done" not in result.stdout
    assert published_state(deployment) == before


# ------------------------------------------------------------ exit 1: dbt blocks the publish


def test_a_dbt_model_that_errors_blocks_the_publish_and_is_named(sample_copy):
    deployment, _ = sample_copy
    # A client re-delivered with the zone name `localtime`: Python's zoneinfo (and so the
    # loader) knows it, DuckDB does not, so the models that cut the client's calls, tickets
    # and surveys into its days fail: the three facts, and quality_summary (it reads the
    # tickets cut into days). dbt builds them side by side (two threads): the verdict
    # names the one that failed first.
    clients = deployment.landing_dir / "clients"
    (first,) = sorted(clients.iterdir())
    header, c001, *others = first.read_text(encoding="utf-8-sig").splitlines()
    assert c001.startswith("C001,") and c001.count(",") == 3
    client_id, name, _, industry = c001.split(",")
    (clients / "clients_2026-03-12.csv").write_text(
        f"{header}\n{client_id},{name},localtime,{industry}\n", encoding="utf-8"
    )
    before = published_state(deployment)

    result = deployment.cxw("run", check=False)
    assert result.returncode == 1, result.stderr[-3000:]
    assert verdict_of(result.stderr) in {
        f"step cx_warehouse_dbt failed: dbt: Failure in model {model} (models/{path}.sql)"
        for model, path in (
            ("fct_calls", "marts/core/fct_calls"),
            ("fct_tickets", "marts/core/fct_tickets"),
            ("fct_survey_responses", "marts/core/fct_survey_responses"),
            ("quality_summary", "quality/quality_summary"),
        )
    }
    assert "Unknown TimeZone 'localtime'" in result.stdout + result.stderr
    assert "cxw run: done" not in result.stdout
    assert not any("published" in line and "tables to" in line for line in result.stderr)
    after = published_state(deployment)
    assert after["ledger"]["publish_history"] == before["ledger"]["publish_history"]
    assert {k: v for k, v in after.items() if k != "ledger"} == {
        k: v for k, v in before.items() if k != "ledger"
    }


def test_a_failing_dbt_key_test_blocks_the_publish_and_is_named(sample_copy):
    deployment, _ = sample_copy
    # Two customers of two clients whose ids, joined by `|`, make the same customer_key
    # of dim_customer: its unique test (severity error) fails.
    frame = pl.DataFrame(
        {
            "customer_id": ["7", "X|7"],
            "client_id": ["C001|X", "C001"],
            "signup_date": ["2026-03-12", "2026-03-12"],
        }
    )
    frame.write_csv(deployment.landing_dir / "customers" / "customers_2026-03-12.csv")
    before = published_state(deployment)

    result = deployment.cxw("run", check=False)
    assert result.returncode == 1, result.stderr[-3000:]
    why = verdict_of(result.stderr)
    assert why.startswith("check unique_dim_customer_customer_key on marts/dim_customer failed"), (
        why
    )
    after = published_state(deployment)
    assert after["ledger"]["publish_history"] == before["ledger"]["publish_history"]
    assert {k: v for k, v in after.items() if k != "ledger"} == {
        k: v for k, v in before.items() if k != "ledger"
    }
    # The rows reached the build database (dbt built them), never the published file.
    assert deployment.query(
        "select count(*) from marts.dim_customer where customer_key = 'C001|X|7'"
    ) == [(2,)]
    assert deployment.published(
        "select count(*) from marts.dim_customer where customer_key = 'C001|X|7'"
    ) == [(0,)]


# ------------------------------------------------------------------- a kill in the publish


def publish_leftovers(deployment: Deployment) -> list[str]:
    """Names a publish writes while it works, found in the deployment."""
    releases = deployment.root / ".warehouse.duckdb.releases"
    live = os.readlink(releases / "current") if (releases / "current").is_symlink() else None
    found = [
        p.relative_to(deployment.root).as_posix()
        for p in deployment.root.iterdir()
        if ".publishing" in p.name or p.name.endswith((".link", ".retired", ".wal"))
    ]
    if releases.is_dir():
        found += [
            p.relative_to(deployment.root).as_posix()
            for p in releases.iterdir()
            if p.name != "current" and p.name != live
        ]
    return sorted(found)


def publish_being_written(deployment: Deployment, known: set[str]) -> str | None:
    """The DuckDB file of a publish under way, once it exists: in a new release folder, or
    (earlier code) beside the published file."""
    for path in deployment.root.iterdir():
        if OLD_STAGING_FILE.fullmatch(path.name):
            return path.name
    releases = deployment.root / ".warehouse.duckdb.releases"
    if releases.is_dir():
        for path in releases.iterdir():
            new = RELEASE.fullmatch(path.name) and path.name not in known
            if new and (path / "warehouse.duckdb").exists():
                return path.name
    return None


def assert_parquet_agrees_with_duckdb(deployment: Deployment) -> str:
    """The Parquet copy holds the rows of the DuckDB file a reader opens; its run id."""
    [(run_id,)] = deployment.published("select run_id from quality.publish_log")
    assert deployment.parquet_rows("quality", "publish_log") == deployment.published(
        "select * from quality.publish_log order by all"
    )
    for table in ("kpi_metrics", "fct_calls", "dim_customer"):
        assert deployment.parquet_rows("marts", table) == deployment.published(
            f"select * from marts.{table} order by all"
        ), table
    return run_id


def test_a_run_killed_while_publishing_leaves_a_readable_warehouse_and_the_next_run_cleans_up(
    sample_copy, tmp_path
):
    deployment, _ = sample_copy
    add_next_day(deployment, tmp_path / "next_day")
    run_before = assert_parquet_agrees_with_duckdb(deployment)
    releases = deployment.root / ".warehouse.duckdb.releases"
    known = {p.name for p in releases.iterdir()} if releases.is_dir() else set()

    run = start_cxw_run(deployment)
    output: list[str] = []
    follower = threading.Thread(target=lambda: output.extend(run.stdout), daemon=True)
    follower.start()
    try:
        deadline = time.monotonic() + SECONDS_TO_REACH_PUBLISH
        while (writing := publish_being_written(deployment, known)) is None:
            assert run.poll() is None, "cxw run ended before it published:\n" + "".join(
                output[-60:]
            )
            assert time.monotonic() < deadline, "the publish never started"
            time.sleep(0.005)
        os.killpg(run.pid, signal.SIGKILL)
        assert run.wait(timeout=60) == -signal.SIGKILL
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    follower.join(timeout=30)
    assert not any("cxw run: done" in line for line in output)

    # Killed while writing: a reader still opens a complete warehouse, the Parquet copy
    # agrees with it, and it is the last night's; the unfinished publish is left behind.
    assert assert_parquet_agrees_with_duckdb(deployment) == run_before
    assert deployment.published("select max(report_date) from marts.fct_calls")[0][0] < NEXT_DAY
    assert publish_leftovers(deployment) != [], writing

    # The next run publishes the night and removes everything the killed one left.
    result = deployment.cxw("run")
    assert "cxw run: done" in result.stdout
    assert publish_leftovers(deployment) == []
    live = os.readlink(releases / "current")
    assert sorted(p.name for p in releases.iterdir()) == ["current", live]
    assert live != writing  # the killed run's release is gone, not published
    assert assert_parquet_agrees_with_duckdb(deployment) != run_before
    assert deployment.published("select max(report_date) from marts.fct_calls") == [(NEXT_DAY,)]


# -------------------------------------------------------------------------------- report


def test_the_report_of_a_real_pipeline_shows_its_published_kpis(sample_build, tmp_path):
    from orchestration.report import write_report

    deployment, _ = sample_build
    summary = write_report(deployment.warehouse_path, tmp_path / "report.html", min_anonymity_n=5)
    html = summary.path.read_text(encoding="utf-8")
    # The sample runs 2026-03-05 to 2026-03-11: the report month is March 2026, partial.
    assert (summary.report_month, summary.report_month_complete) == (dt.date(2026, 3, 1), False)
    for section in ("headline", "scorecard", "calls", "experience", "efficiency", "sites"):
        assert f'<section id="{section}"' in html, section
    assert summary.charts >= 10

    # Calls handled in March, all clients: kpi_metrics says so, and so does counting the
    # handled calls of the fact by hand; the headline card shows that number.
    [(handled,)] = deployment.published(
        "select value from marts.kpi_metrics where metric = 'calls_handled' "
        "and period_grain = 'month' and period_start = date '2026-03-01' and level = 'all'"
    )
    [(counted,)] = deployment.published(
        "select count(*) from marts.fct_calls where is_handled "
        "and report_date between date '2026-03-01' and date '2026-03-31'"
    )
    assert handled == counted > 1000
    card = re.search(
        r'data-metric="calls_handled">.*?<div class="kpi-value">([^<]*)</div>', html, re.S
    )
    assert card and card.group(1) == f"{counted:,}"

    # Every headline card shows the value of its kpi_metrics row, formatted.
    from orchestration.report.formatting import format_value
    from orchestration.report.sections import HEADLINE_METRICS

    values = dict(
        deployment.published(
            "select metric, value from marts.kpi_metrics where period_grain = 'month' "
            "and period_start = date '2026-03-01' and level = 'all'"
        )
    )
    shown = dict(
        re.findall(r'data-metric="(\w+)">.*?<div class="kpi-value">([^<]*)</div>', html, re.S)
    )
    expected = {m: format_value(m, values[m]) for m in HEADLINE_METRICS if m in values}
    assert len(expected) >= 6
    assert {m: shown.get(m) for m in expected} == expected


# ---------------------------------------------------------------------------------- demo


def test_cxw_demo_runs_the_night_and_writes_the_report(sample_copy):
    """``cxw demo`` on a deployment whose landing zone already holds exports (a copy of the
    session's build: the demo's own generator writes 90 days of 60 agents, the same code
    at a scale too slow for a test): it runs the night, prints the scorecard and writes the
    report of the published warehouse."""
    deployment, _ = sample_copy
    report = deployment.root / "kpi_report.html"
    assert report.exists()  # the sample's `cxw run` published, so it wrote the report
    report.unlink()  # the demo writes it again, whether its night publishes or not

    result = deployment.cxw("demo")
    lines = result.stdout.splitlines()
    assert f"using the exports already in {deployment.landing_dir}" in lines
    assert any(line.startswith("cxw run: done in ") for line in lines)
    assert f"published warehouse: {deployment.warehouse_path}" in lines
    assert lines[-1].startswith("KPI report (March 2026, ")
    assert lines[-1].endswith(f" charts): {report}")
    # The terminal scorecard names every client of the sample.
    clients = deployment.published("select client_name from marts.dim_client order by 1")
    assert len(clients) == 3
    assert all(any(name in line for line in lines) for (name,) in clients)

    html = report.read_text(encoding="utf-8")
    [(handled,)] = deployment.published(
        "select value from marts.kpi_metrics where metric = 'calls_handled' "
        "and period_grain = 'month' and period_start = date '2026-03-01' and level = 'all'"
    )
    card = re.search(
        r'data-metric="calls_handled">.*?<div class="kpi-value">([^<]*)</div>', html, re.S
    )
    assert card and card.group(1) == f"{handled:,.0f}"
    [(rows, metrics)] = deployment.published(
        "select count(*), count(distinct metric) from marts.kpi_metrics"
    )
    assert rows > 1000 and metrics >= 10
