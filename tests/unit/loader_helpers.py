"""The landing zone and build database of the loader tests (test_loader_reading.py,
test_loader_versions.py): a calls header and one good call, a build database file in a
test's temporary folder (the fixture ``con``), a landing file written (gzip-compressed or not), a source ingested
and a query's rows (helpers, not tests)."""

import gzip
from pathlib import Path

import duckdb
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.landing.loader import ingest_source

CALLS_HEADER = "call_id,client_id,direction,offered_at,ended_at,answered_at,agent_id,talk_seconds"
GOOD_CALL = "c1,acme,inbound,2026-01-05T10:00:00Z,2026-01-05T10:05:00Z,2026-01-05T10:00:12Z,a1,280"


@pytest.fixture
def con(tmp_path: Path):
    """A connection to a new build database file under the test's temporary folder."""
    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        yield connection


def _write(landing, relative, text, *, compress=False):
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _ingest(con, landing, source="calls", **kwargs):
    return ingest_source(con, SOURCES[source], landing, **kwargs)


def _rows(con, sql):
    return con.execute(sql).fetchall()
