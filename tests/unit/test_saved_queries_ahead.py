"""The semantic layer's saved queries computed while the checks run
(orchestration/semantic_layer.py: start_saved_queries, finish_saved_queries) and the SQL
they run (MetricFlow's CTEs inlined), on a real DuckDB build database."""

from __future__ import annotations

import hashlib
import json

import duckdb

from orchestration.semantic_layer import (
    _inlined_ctes,
    finish_saved_queries,
    saved_queries_cache,
    start_saved_queries,
)
from tests.unit.publish_helpers import _build, publish_settings


def compiled(settings, tmp_path, queries: dict[str, str]):
    """A semantic manifest and the compiled saved queries cached for it (so no MetricFlow)."""
    manifest = tmp_path / "semantic_manifest.json"
    manifest.write_text('{"saved_queries": []}')
    cache = saved_queries_cache(settings)
    cache.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    cache.write_text(json.dumps({"semantic_manifest_sha256": digest, "saved_queries": queries}))
    return manifest


def test_saved_queries_started_ahead_are_in_the_build_when_the_publish_asks(tmp_path):
    settings = publish_settings(tmp_path)
    _build(settings, "create table marts.calls as select 1 as handled union all select 2")
    manifest = compiled(
        settings, tmp_path, {"handled": "select sum(handled) as n from marts.calls"}
    )

    start_saved_queries(settings, manifest)
    assert finish_saved_queries(settings) is True

    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        assert con.execute("select n from metrics.handled").fetchall() == [(3,)]
    assert finish_saved_queries(settings) is False  # taken: nothing is waiting any more


def test_saved_queries_that_failed_ahead_are_left_to_the_publish(tmp_path):
    settings = publish_settings(tmp_path)
    _build(settings)
    manifest = compiled(settings, tmp_path, {"broken": "select * from marts.no_such_table"})

    start_saved_queries(settings, manifest)

    assert finish_saved_queries(settings) is False


def test_metricflow_ctes_are_read_where_they_are_used():
    sql = (
        "WITH sma_10002_cte AS (\n  SELECT a FROM t\n)\n, rss_10006_cte AS (\n  SELECT b FROM u\n)\n"
        "SELECT CAST(x AS (VARCHAR)) FROM sma_10002_cte"
    )
    assert _inlined_ctes(sql) == (
        "WITH sma_10002_cte AS NOT MATERIALIZED (\n  SELECT a FROM t\n)\n"
        ", rss_10006_cte AS NOT MATERIALIZED (\n  SELECT b FROM u\n)\n"
        "SELECT CAST(x AS (VARCHAR)) FROM sma_10002_cte"
    )
