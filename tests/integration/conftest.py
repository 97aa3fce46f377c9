"""One real pipeline per session: `cxw generate` (small) then `cxw run`, in subprocesses.

Every integration test reads the DuckDB files this build leaves; none rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration import ledger
from orchestration.sample_exports import GenerationSummary, generate_sample_exports
from orchestration.settings import DBT_PROJECT_DIR, load_settings
from tests.integration.hand_made_world import write_landing_zone

# Small, but with enough survey responses per type that the few bad scores the generator
# always writes stay under the 5% scale-drift gate.
SMALL_SAMPLE = {"start": dt.date(2026, 3, 5), "days": 7, "agents": 24, "seed": 7}


@dataclass(frozen=True)
class Deployment:
    """The paths of one CX Warehouse deployment living in a test's temporary directory."""

    root: Path

    @property
    def landing_dir(self) -> Path:
        return self.root / "landing"

    @property
    def build_path(self) -> Path:
        return self.root / "build" / "cxw_build.duckdb"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DAGSTER_"))}
        env.update(
            CXW_LANDING_DIR=str(self.landing_dir),
            CXW_BUILD_PATH=str(self.build_path),
            CXW_WAREHOUSE_PATH=str(self.warehouse_path),
            CXW_PARQUET_DIR=str(self.root / "warehouse_parquet"),
            CXW_REPORT_PATH=str(self.root / "kpi_report.html"),
            CXW_QUALITY_PAGE_DIR=str(self.root / "quality_docs"),
            CXW_LAKE_DIR=str(self.root / "lake"),
            CXW_LANDING_SENSOR="off",
        )
        env.update(extra)
        return env

    def cxw(self, *args: str, check: bool = True, **extra_env: str) -> subprocess.CompletedProcess:
        """Run the real `cxw` console script; on failure show what it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", *args],
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check and result.returncode != 0:
            pytest.fail(
                f"cxw {' '.join(args)} exited {result.returncode}\n"
                f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
            )
        return result

    def parquet_rows(self, schema: str, table: str) -> list[tuple]:
        """Every row of the Parquet copy of a published table, sorted: ``<table>.parquet``,
        or for an incremental fact its month files ``<table>/month=YYYY-MM/*.parquet``."""
        folder = self.root / "warehouse_parquet" / schema
        single = folder / f"{table}.parquet"
        path = single if single.exists() else folder / table / "*" / "*.parquet"
        assert single.exists() or (folder / table).is_dir(), f"no Parquet copy of {table}"
        return duckdb.sql(
            f"select * from read_parquet('{path}', hive_partitioning = false) order by all"
        ).fetchall()

    @contextmanager
    def build_db(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.build_path), read_only=True)
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of a query on the build database."""
        with self.build_db() as con:
            return con.execute(sql, params or []).fetchall()

    def dbt_test(self, select: str, target: Path) -> tuple[int, list[dict]]:
        """``dbt test --select <select>`` on the build database, with the settings' vars and
        the build's dbt environment: dbt's exit code and the results of run_results.json."""
        settings = load_settings(self.env())
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")), "test",
                "--select", select,
                "--profiles-dir", ".",
                "--target-path", str(target),
                "--vars", settings.dbt_vars_json(),
            ],
            cwd=DBT_PROJECT_DIR,
            env={**self.env(), **settings.dbt_env()},
            capture_output=True,
            text=True,
            timeout=600,
        )  # fmt: skip
        results = json.loads((target / "run_results.json").read_text())["results"]
        return result.returncode, results

    def query_arrow(self, sql: str, params: list | None = None):
        """A query on the build database as an Arrow table."""
        with self.build_db() as con:
            return con.sql(sql, params=params or []).to_arrow_table()

    def published(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of a query on the published warehouse (what BI reads)."""
        con = duckdb.connect(str(self.warehouse_path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def shared_deployment(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    name: str,
    build: Callable[[Deployment], bytes],
) -> tuple[Deployment, bytes]:
    """A deployment built once per test session and shared by the pytest-xdist workers.

    The first worker that needs it builds it under a file lock in the session's common
    folder (``build`` returns what the readers need to know of it, kept beside it); the
    others wait for it. Tests only read it.
    """
    session_dir = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # pytest-xdist: <session>/popen-gwN, shared: <session>
        session_dir = session_dir.parent
    deployment = Deployment(session_dir / name)
    built = session_dir / f"{name}.built"
    with (session_dir / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            shutil.rmtree(deployment.root, ignore_errors=True)  # a worker's failed attempt
            built.write_bytes(build(deployment))
    return deployment, built.read_bytes()


FIRST_RUN_STDERR = "first_run.stderr"


@pytest.fixture(scope="session")
def sample_build(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> tuple[Deployment, GenerationSummary]:
    """A small generated landing zone, run through the nightly job once by `cxw run`,
    shared by the whole session (what that run printed on stderr is kept beside it, in
    ``FIRST_RUN_STDERR``). A test that runs or changes the deployment takes
    ``sample_copy``."""

    def build(deployment: Deployment) -> bytes:
        summary = generate_sample_exports(deployment.landing_dir, **SMALL_SAMPLE)
        (deployment.root / FIRST_RUN_STDERR).write_text(deployment.cxw("run").stderr)
        return pickle.dumps(summary)

    deployment, summary = shared_deployment(tmp_path_factory, worker_id, "sample_build", build)
    return deployment, pickle.loads(summary)


def hand_made_deployment(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, engine: str
) -> Deployment:
    """The hand-made landing zone (hand_made_world.py) run once through the nightly job by
    `cxw run` on ``engine`` (CXW_ENGINE), shared by the session."""

    def build(deployment: Deployment) -> bytes:
        write_landing_zone(deployment.landing_dir)
        deployment.cxw("run", CXW_ENGINE=engine)
        return engine.encode()

    name = f"hand_made_build_{engine}"
    return shared_deployment(tmp_path_factory, worker_id, name, build)[0]


@pytest.fixture(scope="module", params=["duckdb", "spark"])
def hand_made_build(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Deployment:
    """The hand-made world's build on each engine: every hand-computed value of the tests
    that read it holds on DuckDB and on Spark."""
    return hand_made_deployment(tmp_path_factory, worker_id, request.param)


@pytest.fixture
def sample_copy(sample_build, tmp_path) -> tuple[Deployment, GenerationSummary]:
    """A private copy of the sample build (landing zone, build database, published warehouse).

    Tests that change the landing zone or run again start from the shared build instead of
    paying for a fresh one.
    """
    source, summary = sample_build
    return copy_deployment(source, tmp_path / "deployment"), summary


def run_side_by_side(*runs: tuple[Deployment, dict[str, str]]) -> None:
    """``cxw run`` in each of several small deployments, two at a time (each run's imports
    and dbt start-up leave a core idle); fails like ``Deployment.cxw`` if one fails."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(d.cxw, "run", **env) for d, env in runs]:
            future.result()


def copy_deployment(source: Deployment, root: Path) -> Deployment:
    """A copy of a deployment (landing zone, build database, published warehouse) at
    ``root``, whose build database belongs to the copy's landing zone (a moved deployment)."""
    copy = Deployment(root)
    shutil.copytree(source.root, copy.root, ignore=shutil.ignore_patterns("*.lock"))
    con = duckdb.connect(str(copy.build_path))
    try:
        ledger.adopt_landing_zone(con, str(copy.landing_dir.resolve()))
    finally:
        con.close()
    return copy
