"""`cxw-dbt` and the standby dbt process of a run (orchestration/standby_dbt.py): the same
output, exit codes and files as plain dbt, one command per standby, and a standby nobody
used is stopped with the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from orchestration.standby_dbt import (
    PARSED_AHEAD_MARK,
    SOCKET_ENV,
    remove_stale_folders,
    standby_dbt,
)

CXW_DBT = Path(sys.executable).parent / "cxw-dbt"


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory) -> Path:
    """A dbt project of one good model and one that fails, on its own DuckDB file."""
    project = tmp_path_factory.mktemp("tiny_dbt")
    (project / "models").mkdir()
    (project / "dbt_project.yml").write_text(
        "name: tiny\nversion: '1.0'\nprofile: tiny\nmodel-paths: [models]\n"
    )
    (project / "profiles.yml").write_text(
        "tiny:\n  target: local\n  outputs:\n    local:\n      type: duckdb\n"
        f"      path: {project / 'tiny.duckdb'}\n      threads: 1\n"
    )
    (project / "models" / "answer.sql").write_text("select 42 as answer\n")
    (project / "models" / "broken.sql").write_text("select * from no_such_table\n")
    (project / "models" / "slow.sql").write_text(  # runs for minutes, until interrupted
        "{{ config(materialized='table') }} select sum(i) as s from range(200000000000) t(i)\n"
    )
    return project


def _env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != SOCKET_ENV}
    if SOCKET_ENV in os.environ:  # inside standby_dbt(): what Dagster's subprocess inherits
        env[SOCKET_ENV] = os.environ[SOCKET_ENV]
    env["DBT_PROFILES_DIR"] = str(project)  # the environment reaches the standby's dbt
    return env


def _dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CXW_DBT), *args, "--target-path", str(project / "target")],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _listening(socket_path: Path) -> bool:
    """Whether the standby has bound its socket (it does so first thing, within moments
    of its start; a `cxw-dbt` that came sooner would run plain dbt)."""
    deadline = time.monotonic() + 30
    while not socket_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return socket_path.exists()


def _standbys() -> list[psutil.Process]:
    """This process's standby dbt processes still running (an ended one is a zombie until
    the run's context reaps it)."""
    running = []
    for child in psutil.Process().children():
        try:
            if "orchestration.standby_dbt" in " ".join(child.cmdline()):
                running.append(child)
        except psutil.ZombieProcess:
            continue
    return running


@pytest.mark.integration
def test_without_a_standby_cxw_dbt_is_plain_dbt(tiny_project):
    result = _dbt(tiny_project, "build", "--select", "answer")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Completed successfully" in result.stdout
    assert "PASS=1" in result.stdout


@pytest.mark.integration
def test_the_standby_runs_one_command_with_the_callers_folder_output_and_exit_code(
    tiny_project,
):
    with standby_dbt() as socket_path:
        assert socket_path is not None and _listening(socket_path)
        assert len(_standbys()) == 1
        failed = _dbt(tiny_project, "build", "--exclude", "slow")
        # the standby took the command (its socket is gone), has ended, and its database
        # is closed: the next step can open it for writing at once
        assert not socket_path.exists()
        assert _standbys() == []
        duckdb.connect(str(tiny_project / "tiny.duckdb")).close()
        # a second command in the same run: plain dbt
        passed = _dbt(tiny_project, "build", "--select", "answer")
    # dbt's own exit codes: 1 when a node failed; its log on the caller's output
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "no_such_table" in failed.stdout
    assert "PASS=1 WARN=0 ERROR=1" in failed.stdout
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "PASS=1" in passed.stdout
    # files where the caller's arguments and folder put them
    assert (tiny_project / "target" / "run_results.json").exists()
    assert (tiny_project / "logs" / "dbt.log").exists()


def _parsed_ahead(socket_path: Path) -> bool:
    deadline = time.monotonic() + 120
    mark = socket_path.parent / PARSED_AHEAD_MARK
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return mark.exists()


@pytest.mark.integration
def test_the_build_uses_the_parse_the_standby_made_ahead_when_its_inputs_are_the_same(
    tiny_project,
):
    target = str(tiny_project / "target")
    parse = {
        "argv": ["parse", "--target-path", target],
        "env": {"DBT_PROFILES_DIR": str(tiny_project)},
        "cwd": str(tiny_project),
    }
    # a parse ahead needs the target's partial-parsing state (a build has run there)
    assert _dbt(tiny_project, "parse").returncode == 0
    model = tiny_project / "models" / "answer.sql"
    hidden = model.with_suffix(".off")
    try:
        with standby_dbt(parse_ahead=parse) as socket_path:
            assert _parsed_ahead(socket_path)
            # the model leaves the project after the parse: only that parse still has it
            model.rename(hidden)
            used = _dbt(tiny_project, "run", "--select", "answer")
        with standby_dbt(parse_ahead=parse) as socket_path:
            assert _parsed_ahead(socket_path)
            # other vars than the parse's: dbt parses the project as it is now
            fresh = _dbt(tiny_project, "run", "--select", "answer", "--vars", "{x: 1}")
    finally:
        hidden.rename(model)
    assert used.returncode == 0, used.stdout + used.stderr
    assert "1 of 1 OK created sql view model main.answer" in used.stdout
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "does not match any enabled nodes" in fresh.stdout


@pytest.mark.integration
def test_an_interrupt_stops_the_standbys_dbt_as_it_stops_plain_dbt(tiny_project):
    """Dagster stops a run's dbt by interrupting its process (here `cxw-dbt`): dbt cancels
    its query and exits 2, and `cxw-dbt` exits once the standby has."""
    with standby_dbt() as socket_path:
        assert _listening(socket_path)
        run = subprocess.Popen(
            [str(CXW_DBT), "build", "--select", "slow", "--target-path", "target"],
            cwd=tiny_project,
            env=_env(tiny_project),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started = run.stdout.readline()
        while "START sql table model" not in started:
            assert started, "dbt ended before its model started"
            started = run.stdout.readline()
        # once the query runs: dbt-duckdb's cancel interrupts a running query only
        time.sleep(2)
        run.send_signal(signal.SIGINT)
        rest = run.communicate(timeout=60)[0]  # the model alone would run for minutes
        assert _standbys() == []
    assert run.returncode == 2
    assert "Exited because of keyboard interrupt" in rest


@pytest.mark.integration
def test_a_command_dbt_refuses_exits_2_as_with_plain_dbt(tiny_project):
    plain = _dbt(tiny_project, "build", "--no-such-option")
    with standby_dbt():
        standby = _dbt(tiny_project, "build", "--no-such-option")
    assert plain.returncode == standby.returncode == 2
    assert "no-such-option" in standby.stderr


@pytest.mark.integration
def test_a_standby_nobody_used_is_stopped_with_the_run():
    with standby_dbt() as socket_path:
        (standby,) = _standbys()
        assert os.environ[SOCKET_ENV] == str(socket_path)
    assert not standby.is_running()
    assert SOCKET_ENV not in os.environ
    assert not socket_path.parent.exists()


def test_no_standby_when_it_is_not_wanted():
    with standby_dbt(enabled=False) as socket_path:
        assert socket_path is None
        assert SOCKET_ENV not in os.environ


def test_the_folders_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    """A run killed outright leaves its standby's folder; the next run removes it, by the
    process id in its name."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    killed = tmp_path / f"cxw-dbt-{ended.pid}-abc123"
    live = tmp_path / f"cxw-dbt-{os.getpid()}-def456"
    other = tmp_path / "cxw-dbt-notapid"
    for folder in (killed, live, other):
        folder.mkdir()
    (killed / "dbt.sock").touch()
    assert remove_stale_folders(tmp_path) == [killed]
    assert not killed.exists()
    assert live.exists() and other.exists()
