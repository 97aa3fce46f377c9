"""A `cxw run` with nothing new, decided before Dagster is imported: on a real small build
database (loaded by the loader, published by the publish step), each thing the nightly
job would react to sends the run to the job, and only a deployment with none of them
finishes early with the job's verdict."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration import ledger
from orchestration.assets.publish import publish_warehouse
from orchestration.assets.transform import SKIP, plan_transform
from orchestration.fingerprint import transform_fingerprint
from orchestration.landing.retractions import withdraw_files
from orchestration.nothing_new import finish_if_nothing_new, why_the_job_runs
from orchestration.releases import releases_dir
from orchestration.run_lock import lock_path
from orchestration.settings import load_settings
from orchestration.warehouse import connect
from tests.unit.one_file_deployment import (
    CALLS,
    DAY_FILE,
    QUEUES,
    built,
    deployment_env,
    deployment_settings,
    in_build,
    land,
    load,
    publish_one_file,
    record_build,
    utc_now,
)


@pytest.fixture
def settings(tmp_path):
    return deployment_settings(tmp_path)


@pytest.fixture
def published(settings):
    return publish_one_file(settings)


NOTHING_NEW_VERDICT = re.compile(
    r"cxw run: done in \d+s; nothing new since the last publish; the published warehouse is "
    r"unchanged\n"
)


def test_a_deployment_with_nothing_new_finishes_with_the_jobs_verdict(published, capsys):
    assert why_the_job_runs(published) is None
    # the job's dbt step would skip, and with it the publish
    assert plan_transform(published, transform_fingerprint(published)).action == SKIP
    # what a killed publish left is removed, as the job's run removes it
    leftover = releases_dir(published) / "release-0123456789ab"
    leftover.mkdir()
    published_file = published.warehouse_path.resolve()
    stat_before = published_file.stat()

    assert finish_if_nothing_new(published) == 0

    assert NOTHING_NEW_VERDICT.fullmatch(capsys.readouterr().out)
    assert not leftover.exists()
    assert published.warehouse_path.resolve() == published_file
    assert published_file.stat().st_mtime_ns == stat_before.st_mtime_ns


def test_a_deleted_landing_file_changes_nothing(published):
    """The job ignores a file gone from the landing zone (withdrawing is explicit)."""
    (published.landing_dir / DAY_FILE).unlink()
    assert why_the_job_runs(published) is None


def test_the_job_runs_when_the_job_has_something_to_do(published, capsys):
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    assert finish_if_nothing_new(published) is None
    assert capsys.readouterr().out == ""


def _touch(day: Path) -> None:
    os.utime(day, ns=(time.time_ns(), day.stat().st_mtime_ns + 1_000_000_000))


def _correct(day: Path) -> None:
    day.write_text(CALLS.replace("280,0,10", "281,0,10"))  # same size, new content


def _deliver_again(day: Path) -> None:
    """Removed, then delivered again with the same content (a new mtime)."""
    mtime = day.stat().st_mtime_ns
    day.unlink()
    day.write_text(CALLS)
    os.utime(day, ns=(mtime + 1_000_000, mtime + 1_000_000))


def _add_next_day(day: Path) -> None:
    day.with_name("calls_2026-03-06.csv").write_text(CALLS.replace("CL", "CM"))


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (_add_next_day, "calls/calls_2026-03-06.csv"),
        (_touch, DAY_FILE),
        (_correct, DAY_FILE),
        (_deliver_again, DAY_FILE),
    ],
    ids=["new", "touched", "corrected", "delivered again"],
)
def test_a_landing_file_the_loader_would_read_runs_the_job(published, change, path):
    change(published.landing_dir / DAY_FILE)
    assert why_the_job_runs(published) == f"{path} is new or changed since it was read"


def test_a_file_loaded_since_the_last_publish_runs_the_job(published):
    """A night whose check failed loaded files that no publish passed on."""
    _add_next_day(published.landing_dir / DAY_FILE)
    load(published, "calls", "run-2")
    assert why_the_job_runs(published) == (
        "1 landing file(s) recorded or withdrawn since the last publish"
    )


def test_a_withdrawal_since_the_last_publish_runs_the_job(published):
    with connect(published.build_path, published) as con:
        withdraw_files(con, published.landing_dir, [DAY_FILE])
    # the withdrawal took the file's keys out of raw: the next build is a full refresh
    assert why_the_job_runs(published) == (
        f"{DAY_FILE} took keys out of raw or remapped vendor records since the last build"
    )


def test_changed_dbt_vars_run_the_job(published, tmp_path):
    other_scale = load_settings(deployment_env(tmp_path, CXW_SURVEY_SCALES="csat=1..7"))
    assert why_the_job_runs(other_scale) == (
        "the dbt project or its settings changed since the last publish"
    )


def test_a_dbt_build_that_was_not_published_runs_the_job(published):
    record_build(published, "run-2")
    assert why_the_job_runs(published) == "a dbt build since the last publish was not published"


@pytest.mark.parametrize(
    ("taking_out", "path"),
    [
        (
            lambda s: in_build(
                s,
                "insert into meta.retractions values ('calls', ?, 'corrected', 2, 1, ?, 'run-1')",
                [DAY_FILE, utc_now()],
            ),
            DAY_FILE,
        ),
        (
            lambda s: (land(s, "queues/queues.csv", QUEUES), load(s, "queues", "run-1")),
            "queues/queues.csv",
        ),
    ],
    ids=["keys dropped", "mapping source"],
)
def test_what_makes_the_next_build_a_full_refresh_runs_the_job(settings, taking_out, path):
    """Keys taken out of raw, or a mapping source loaded, after the last dbt build (here
    between it and the publish, so that nothing else gives it away)."""
    built(settings)
    taking_out(settings)
    publish_warehouse(settings, run_id="run-1")
    assert why_the_job_runs(settings) == (
        f"{path} took keys out of raw or remapped vendor records since the last build"
    )


def test_another_or_no_landing_zone_runs_the_job(published):
    landing = published.landing_dir.resolve()
    with connect(published.build_path, published) as con:
        ledger.adopt_landing_zone(con, "/srv/another/landing")
    reason = f"the build database is not bound to the landing zone {landing}"
    assert why_the_job_runs(published) == reason  # the job refuses it, in its own words
    in_build(published, "delete from meta.landing_zone")
    assert why_the_job_runs(published) == reason  # the job binds it


def test_a_build_database_never_published_runs_the_job(settings):
    assert why_the_job_runs(settings) == "no build database yet"
    built(settings)
    assert why_the_job_runs(settings) == "nothing published from this build database yet"


def test_a_build_database_left_by_an_interrupted_run_runs_the_job(published):
    wal = published.build_path.with_name(published.build_path.name + ".wal")
    wal.write_bytes(b"")
    assert why_the_job_runs(published) == (
        "the build database has the write-ahead log of an interrupted run"
    )


@pytest.mark.parametrize(
    "older_release",
    [
        "drop table meta.retractions",
        "create table raw.ingest_manifest (file_path varchar)",
        "alter table raw.calls drop column wrap_code",
    ],
    ids=["ledger table missing", "ledger left in raw", "raw column missing"],
)
def test_a_build_database_of_an_older_release_runs_the_job(published, older_release):
    in_build(published, older_release)
    assert why_the_job_runs(published) == (
        "the ledger or a raw table lacks a table or column this release creates"
    )


def test_raw_rows_that_do_not_reconcile_run_the_job(published):
    """The job's blocking reconcile check would fail: the job must say so."""
    in_build(published, "delete from raw.calls where _file_row = 1")
    assert why_the_job_runs(published) == (
        f"raw.calls does not reconcile with the manifest: {DAY_FILE}: manifest says "
        "2 loaded / 0 rejected, tables hold 1 / 0"
    )


def test_published_files_that_are_not_the_last_publish_run_the_job(published):
    not_last = "the published files are not the last publish of this build database"
    publish_warehouse(published, run_id="run-2")
    # a publish killed after its switch, before the ledger recorded it
    in_build(published, "delete from meta.publish_history where run_id = 'run-2'")
    assert why_the_job_runs(published) == not_last
    in_build(published, "update meta.publish_history set run_id = 'run-2'")
    assert why_the_job_runs(published) is None
    published.parquet_dir.unlink()  # the Parquet copy gone
    assert why_the_job_runs(published) == not_last
    published.warehouse_path.unlink()
    assert why_the_job_runs(published) == "no published warehouse"


def test_an_unreadable_build_database_runs_the_job(published):
    published.build_path.write_bytes(b"not a duckdb file" * 100)
    assert why_the_job_runs(published).startswith(
        "the build database or the published files could not be read: "
    )


def test_a_run_holding_the_build_lock_is_refused_with_exit_3(published, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); os.pwrite(fd, b'another run', 0); "
            "print('held', flush=True); time.sleep(60)",
            str(lock_path(published)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        assert finish_if_nothing_new(published) == 3
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().err == (
        "cxw run: refused: another CX Warehouse run is writing the build database "
        "(another run); try again when it has finished\n"
    )
