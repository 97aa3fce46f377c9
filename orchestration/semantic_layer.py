"""The semantic layer (dbt-metricflow) in-process, read-only on a build database.

``mf query`` opens the build database through dbt-duckdb, i.e. for writing, and pays dbt's
start-up on every call. Here MetricFlow only compiles: its engine turns a metric query into
DuckDB SQL, and that SQL runs on a read-only connection, so it can read a build another
process holds open for reading (a finished test build, the nightly's build after its run).

The semantic manifest is the one dbt writes beside the build (``<build>_dbt/``), parsed
with the build's own vars.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

SEMANTIC_MANIFEST_FILE = "semantic_manifest.json"


class DuckDbSqlCompiler:
    """What MetricFlow's engine needs of a SQL client to compile (``explain``) a query:
    the engine type and its renderer. It never runs SQL: the caller runs the compiled SQL
    on its own (read-only) connection, so the execution methods refuse."""

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return DuckDbSqlPlanRenderer()

    def _refuse(self, *args, **kwargs):
        raise NotImplementedError("compile only: run the compiled SQL on your own connection")

    query = execute = dry_run = _refuse

    def close(self) -> None:
        return None

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def semantic_engine(dbt_target_dir: Path) -> MetricFlowEngine:
    """A MetricFlow engine over the semantic manifest dbt wrote into ``dbt_target_dir``."""
    manifest = parse_manifest_from_dbt_generated_manifest(
        manifest_json_string=(dbt_target_dir / SEMANTIC_MANIFEST_FILE).read_text()
    )
    return MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(manifest),
        sql_client=DuckDbSqlCompiler(),
    )


def compile_metric_query(
    engine: MetricFlowEngine, metrics: Sequence[str], group_by: Sequence[str] = ()
) -> str:
    """The DuckDB SQL of a metric query (``mf query --explain``)."""
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
