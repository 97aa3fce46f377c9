"""The semantic layer (dbt-metricflow) in-process, read-only on a build database.

``mf query`` opens the build database through dbt-duckdb, i.e. for writing, and pays dbt's
start-up on every call. Here MetricFlow only compiles: its engine turns a metric query into
DuckDB SQL, and that SQL runs on a read-only connection, so it can read a build another
process holds open for reading (a finished test build, the nightly's build after its run).

The semantic manifest is the ``semantic_manifest.json`` dbt writes with its manifest. Its
relations are read as the connected database's (``marts.fct_calls``, not
``cxw_build.marts.fct_calls``): the SQL means the same on any build file it runs on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

# MetricFlow is imported where it is used (about 1.5 s): every `cxw run` loads this module
# with the definitions, and only the publish step needs MetricFlow.
if TYPE_CHECKING:
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer

    from orchestration.settings import Settings

SEMANTIC_MANIFEST_FILE = "semantic_manifest.json"
METRICS_SCHEMA = "metrics"


class DuckDbSqlCompiler:
    """What MetricFlow's engine needs of a SQL client to compile (``explain``) a query:
    the engine type and its renderer. It never runs SQL: the caller runs the compiled SQL
    on its own (read-only) connection, so the execution methods refuse."""

    @property
    def sql_engine_type(self) -> SqlEngine:
        from metricflow.protocols.sql_client import SqlEngine

        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        return DuckDbSqlPlanRenderer()

    def _refuse(self, *args, **kwargs):
        raise NotImplementedError("compile only: run the compiled SQL on your own connection")

    query = execute = dry_run = _refuse

    def close(self) -> None:
        return None

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def semantic_engine(semantic_manifest: Path) -> MetricFlowEngine:
    """A MetricFlow engine over a ``semantic_manifest.json`` written by dbt."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = json.loads(semantic_manifest.read_text())
    for model in manifest["semantic_models"]:
        relation = model["node_relation"]
        relation["database"] = None
        relation["relation_name"] = f'"{relation["schema_name"]}"."{relation["alias"]}"'
    return MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(
            parse_manifest_from_dbt_generated_manifest(manifest_json_string=json.dumps(manifest))
        ),
        sql_client=DuckDbSqlCompiler(),
    )


def compile_metric_query(
    engine: MetricFlowEngine, metrics: Sequence[str], group_by: Sequence[str] = ()
) -> str:
    """The DuckDB SQL of a metric query (``mf query --explain``)."""
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    request = MetricFlowQueryRequest.create(
        metric_names=list(metrics), group_by_names=list(group_by)
    )
    return engine.explain(request).sql_statement.sql


def query_metrics(
    engine: MetricFlowEngine,
    connection: duckdb.DuckDBPyConnection,
    metrics: Sequence[str],
    group_by: Sequence[str] = (),
) -> list[dict]:
    """Rows of a metric query run on ``connection``, one dict per row keyed by column."""
    cursor = connection.execute(compile_metric_query(engine, metrics, group_by))
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def compile_saved_queries(semantic_manifest: Path, cache: Path | None = None) -> dict[str, str]:
    """The DuckDB SQL of every saved query, by name. With a ``cache`` file, the SQL is
    compiled once per semantic manifest (by its digest) and read from the file after:
    MetricFlow takes about 1.5 s to plan the saved queries of every publish."""
    digest = hashlib.sha256(semantic_manifest.read_bytes()).hexdigest()
    if cache is not None and cache.is_file():
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}
        if cached.get("semantic_manifest_sha256") == digest:
            return dict(cached["saved_queries"])
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    engine = semantic_engine(semantic_manifest)
    compiled = {
        saved_query.name: engine.explain(
            MetricFlowQueryRequest.create(saved_query_name=saved_query.name)
        ).sql_statement.sql
        for saved_query in engine.list_saved_queries()
    }
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")
        partial.write_text(
            json.dumps({"semantic_manifest_sha256": digest, "saved_queries": compiled}),
            encoding="utf-8",
        )
        partial.replace(cache)
    return compiled


SAVED_QUERIES_CACHE = "saved_queries.json"


def saved_queries_cache(settings: Settings) -> Path:
    """Where the publish keeps the saved queries' compiled SQL, in the build's dbt folder."""
    return settings.dbt_target_dir / SAVED_QUERIES_CACHE


# The saved queries computed ahead of a publish, by build database: (thread, its error).
_AHEAD: dict[Path, tuple[threading.Thread, list[BaseException]]] = {}
_AHEAD_LOCK = threading.Lock()


def start_saved_queries(settings: Settings, semantic_manifest: Path) -> None:
    """Compute the saved queries into the build database in a thread, holding the build
    lock: the dbt build has just written the marts they read, and the checks that come
    before the publish only read. The publish takes them (finish_saved_queries)."""
    from orchestration.run_lock import exclusive_build
    from orchestration.warehouse import connect

    errors: list[BaseException] = []

    def compute() -> None:
        try:
            with (
                exclusive_build(settings, "saved queries"),
                connect(settings.build_path, settings) as con,
            ):
                export_saved_queries(con, semantic_manifest, cache=saved_queries_cache(settings))
        except BaseException as error:  # noqa: BLE001 (the publish computes them again)
            errors.append(error)

    with _AHEAD_LOCK:
        finish_saved_queries(settings)  # one at a time per build database
        thread = threading.Thread(target=compute, name="cxw-saved-queries")
        _AHEAD[settings.build_path] = (thread, errors)
        thread.start()


def finish_saved_queries(settings: Settings) -> bool:
    """Wait for the saved queries started ahead for this build database, if any. True when
    they were computed; False when none were started or they failed (the publish then
    computes them itself, and fails as it would have)."""
    ahead = _AHEAD.pop(settings.build_path, None)
    if ahead is None:
        return False
    thread, errors = ahead
    thread.join()
    return not errors


def export_saved_queries(
    connection: duckdb.DuckDBPyConnection, semantic_manifest: Path, cache: Path | None = None
) -> list[str]:
    """Every saved query of the semantic layer as a table ``metrics.<saved query>`` of the
    connected (build) database, computed from its marts; tables of saved queries no longer
    defined are dropped. Returns the tables' names. ``cache``: see compile_saved_queries."""
    compiled = compile_saved_queries(semantic_manifest, cache)
    names = sorted(compiled)
    connection.execute(f"create schema if not exists {METRICS_SCHEMA}").fetchall()
    existing = connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ?",
        [METRICS_SCHEMA],
    ).fetchall()
    for (name,) in existing:
        if name not in names:
            connection.execute(f'drop table {METRICS_SCHEMA}."{name}"').fetchall()
    for name in names:
        connection.execute(
            f'create or replace table {METRICS_SCHEMA}."{name}" as {_inlined_ctes(compiled[name])}'
        ).fetchall()
        _plain_column_types(connection, name)
    return names


# A common table expression of MetricFlow's SQL: `sma_10002_cte AS (`
_CTE = re.compile(r"\b(\w+_cte) AS \(")


def _inlined_ctes(sql: str) -> str:
    """MetricFlow's SQL with its CTEs read where they are used (``AS NOT MATERIALIZED``).
    DuckDB stores a CTE read twice before reading it; MetricFlow's read a fact's rows (every
    call of the year), where scanning the table twice, each time aggregated, is quicker."""
    return _CTE.sub(r"\1 AS NOT MATERIALIZED (", sql)


def _plain_column_types(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Sums as BIGINT (DuckDB sums integers to HUGEINT, which BI drivers and Parquet
    readers handle badly) and the metric_time periods as DATE, as kpi_metrics' period_start."""
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [METRICS_SCHEMA, table],
    ).fetchall()
    for column, data_type in columns:
        plain = {"HUGEINT": "bigint"}.get(data_type)
        if column.startswith("metric_time__") and data_type.startswith("TIMESTAMP"):
            plain = "date"
        if plain:
            connection.execute(
                f'alter table {METRICS_SCHEMA}."{table}" alter "{column}" type {plain}'
            ).fetchall()
