"""A deployment of one calls file, loaded by the loader and published by the publish step
(dbt's stand-in: one mart), for the tests of what a ``cxw run`` decides before the job
starts (helpers and fixtures, not tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from orchestration import ledger
from orchestration.assets.publish import publish_warehouse
from orchestration.fingerprint import transform_fingerprint
from orchestration.landing.contract import SOURCES
from orchestration.landing.loader import ingest_source
from orchestration.landing.raw_tables import ensure_raw_tables
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import connect

DAY_FILE = "calls/calls_2026-03-05.csv"
CALLS = (
    "call_id,client_id,direction,offered_at,ended_at,queue,customer_id,agent_id,answered_at,"
    "talk_seconds,hold_seconds,acw_seconds,wrap_code\n"
    "CL1,C001,inbound,2026-03-05T09:00:00Z,2026-03-05T09:05:00Z,billing,C001-1,A00001,"
    "2026-03-05T09:00:10Z,280,0,10,resolved\n"
    "CL2,C001,inbound,2026-03-05T09:10:00Z,2026-03-05T09:12:00Z,billing,C001-2,A00002,"
    "2026-03-05T09:10:05Z,100,0,15,resolved\n"
)
QUEUES = "system,queue_ref,client_id,site_id,queue_name\namazon_connect,billing,C001,,billing\n"


def deployment_env(root: Path, **extra: str) -> dict[str, str]:
    return {
        "CXW_LANDING_DIR": str(root / "landing"),
        "CXW_BUILD_PATH": str(root / "build" / "build.duckdb"),
        "CXW_WAREHOUSE_PATH": str(root / "warehouse.duckdb"),
        "CXW_PARQUET_DIR": str(root / "warehouse_parquet"),
        **extra,
    }


def deployment_settings(root: Path, **extra: str) -> Settings:
    return load_settings(deployment_env(root, **extra))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def land(settings, relative: str, text: str) -> Path:
    path = settings.landing_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def load(settings, source: str, run_id: str) -> None:
    """A night's ingestion of ``source``: the loader, at the time it is called."""
    with connect(settings.build_path, settings) as con:
        ingest_source(con, SOURCES[source], settings.landing_dir, run_id=run_id, now=utc_now())


def built(settings) -> None:
    """A build database of one calls file, loaded and built (dbt's stand-in: one mart)."""
    land(settings, DAY_FILE, CALLS)
    with connect(settings.build_path, settings) as con:
        ensure_raw_tables(con)
        ledger.bind_landing_zone(con, str(settings.landing_dir.resolve()))
    load(settings, "calls", "run-1")
    record_build(settings, "run-1")


def record_build(settings, run_id: str) -> None:
    with connect(settings.build_path, settings) as con:
        con.execute("create schema if not exists marts").fetchall()
        con.execute("create or replace table marts.dim_client as select 'C001' as client_id")
        ledger.record_transform(con, transform_fingerprint(settings), run_id)


def in_build(settings, sql: str, params: list | None = None) -> None:
    with connect(settings.build_path, settings) as con:
        con.execute(sql, params or []).fetchall()


def publish_one_file(settings: Settings) -> Settings:
    """A deployment whose last night loaded, built and published one calls file."""
    built(settings)
    publish_warehouse(settings, run_id="run-1")
    return settings
