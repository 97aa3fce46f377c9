"""Write-audit-publish: copy the audited marts to the published warehouse, atomically.

The build database is where everything is written and checked. Only when every blocking
check has passed does this step write a new *release* beside the published warehouse: a
folder holding a new DuckDB file of the ``marts`` and ``quality`` schemas and its Parquet
copy. One rename then switches the ``current`` link of the releases folder to it.

The published names never change: ``CXW_WAREHOUSE_PATH`` is a link to
``.<name>.releases/current/<name>`` and ``CXW_PARQUET_DIR`` a link to
``.<name>.releases/current/parquet``. Both resolve through the one ``current`` link, so
whoever opens either sees the same release, before or after that single rename, never one
of each. A BI tool that has the old file open keeps reading the old, complete file (and
never blocks this step). A failure anywhere before the rename leaves the published
warehouse exactly as it was; what a killed publish leaves (its unfinished release) is
removed by the next run.
"""

import dataclasses
import datetime as dt
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import ledger
from orchestration.delta_publish import (
    PUBLISHED_SCHEMAS,
    DeltaMismatch,
    apply_delta,
    attach_delta_basis,
    copy_whole,
    count_rows,
    kept_from_last_publish,
    published_relations,
)
from orchestration.landing.contract import PERSONAL_DATA_COLUMNS, VENDOR_PERSONAL_FIELDS
from orchestration.names import (
    BUILD_DB_POOL,
    KPI_METRICS_MODEL,
    PUBLISHED_WAREHOUSE_KEY,
    RUN_LAST,
)
from orchestration.publish_gate import expectations_stopping_the_publish
from orchestration.published_tables import (
    IncrementalTable,
    export_parquet,
)
from orchestration.releases import (
    CURRENT_RELEASE,
    RELEASE_PARQUET,
    new_release,
    release_token,
    remove_publish_leftovers,
    switch_release,
    take_starting_release,
)
from orchestration.run_lock import exclusive_build
from orchestration.semantic_layer import (
    export_saved_queries,
    finish_saved_queries,
    saved_queries_cache,
)
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import (
    PUBLISH_LOG_TABLE,
    column_names_by_table,
    connect,
    sql_text,
)

PERSONAL_COLUMN_NAMES = frozenset(
    (*(c for cols in PERSONAL_DATA_COLUMNS.values() for c in cols), *VENDOR_PERSONAL_FIELDS)
)
# BI tools read the published file with the DuckDB they bundle, often a 1.x release (the
# Metabase driver's 1.4, for one). DuckDB 2.0 writes its newest storage format unless told
# otherwise, and no 1.x release opens that; every DuckDB since 1.0 reads this one.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


class PublishRefused(RuntimeError):
    """The build holds something that must never reach the published warehouse."""


@dataclass(frozen=True)
class PublishReport:
    path: Path
    published_at: dt.datetime
    rows_by_table: dict[str, int] = field(default_factory=dict)
    method: str = "full"  # full: every table copied; delta: the facts' new rows only
    reason: str = ""

    @property
    def tables(self) -> int:
        return len(self.rows_by_table)


def _refuse_without_marts(relations: list[tuple[str, str]]) -> None:
    if not any(schema == "marts" for schema, _ in relations):
        raise PublishRefused("the build database has no marts to publish")


def _refuse_personal_data(con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]) -> None:
    columns = column_names_by_table(con)
    for schema, name in relations:
        personal = sorted(columns.get((schema, name), set()) & PERSONAL_COLUMN_NAMES)
        if personal:
            raise PublishRefused(
                f"refusing to publish {schema}.{name}: column {personal[0]!r} carries personal data"
            )


FULL, DELTA = "full", "delta"


def _sync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def publish_warehouse(
    settings: Settings,
    *,
    run_id: str | None = None,
    incremental_tables: Sequence[IncrementalTable] = (),
    semantic_manifest: Path | None = None,
    rebuilt: frozenset[str] | None = None,
) -> PublishReport:
    """Copy ``marts``, ``quality`` and ``metrics`` from the build database and swap the
    published file.

    A Parquet copy of every published table (for BI tools without a DuckDB driver) is
    written into the same release, and switched in with the DuckDB file by one rename.

    When the published files are the last publish of this build, the new file starts as a
    copy of the last one and only the rows of ``incremental_tables`` written since are
    replaced (a delta publish); row counts are then compared with the build, and any
    difference falls back to a full copy. A delta publish of a run that rebuilt only some
    relations (``rebuilt``, as "schema.table"; None: every one) keeps the others as the
    last publish has them (``kept_from_last_publish``).

    With a ``semantic_manifest`` (dbt's semantic_manifest.json), the semantic layer's saved
    queries are first computed from the build's marts into its schema ``metrics``, once
    (a delta that falls back to a full copy publishes the same tables), and published like
    the marts.
    """
    # computed while the checks ran (start_saved_queries, after the dbt build), or now
    if semantic_manifest is not None and not finish_saved_queries(settings):
        with connect(settings.build_path, settings, read_only=False) as con:
            _refuse_without_marts(published_relations(con))  # the saved queries read them
            export_saved_queries(con, semantic_manifest, cache=saved_queries_cache(settings))
    try:
        return _publish(settings, run_id, incremental_tables, rebuilt, try_delta=True)
    except DeltaMismatch as mismatch:
        report = _publish(settings, run_id, incremental_tables, rebuilt, try_delta=False)
        return dataclasses.replace(report, reason=f"delta publish did not match: {mismatch}")


def _publish(
    settings: Settings,
    run_id: str | None,
    incremental_tables: Sequence[IncrementalTable],
    rebuilt: frozenset[str] | None,
    *,
    try_delta: bool,
) -> PublishReport:
    target = settings.warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    # a copy of the published file made while the run built, or the previous release
    starting = take_starting_release(settings) if try_delta else None
    remove_publish_leftovers(settings, keep=starting.folder if starting else None)
    release = starting.folder if starting is not None else new_release(settings)
    token = release_token(release)
    staging_file = release / target.name
    parquet_dir = settings.parquet_dir
    staging_parquet = release / RELEASE_PARQUET
    published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    method, reason = FULL, "no published warehouse yet"
    try:
        with connect(settings.build_path, settings, read_only=False) as con:
            ledger.ensure_ledger(con)
            relations = published_relations(con)
            _refuse_without_marts(relations)
            _refuse_personal_data(con, relations)
            built = {f"{schema}.{name}" for schema, name in relations}
            incremental = {t.relation: t for t in incremental_tables if t.relation in built}
            changed_months, kept = None, frozenset()
            if try_delta and target.exists() and parquet_dir.is_dir():
                reason, behind = attach_delta_basis(
                    con, settings, starting, staging_file, list(incremental.values())
                )
                if reason is None:
                    since = "the previous release's publish" if behind else "the last publish"
                    method, reason = DELTA, f"rows written since {since}"
                    for schema in PUBLISHED_SCHEMAS:  # a schema newer than the last publish
                        con.execute(f"create schema if not exists published.{schema}").fetchall()
                    kept = kept_from_last_publish(con, relations, rebuilt, run_id)
                    changed_months = apply_delta(
                        con,
                        relations,
                        incremental,
                        frozenset() if behind else kept,  # the file misses the last publish
                        parquet_dir if behind else None,
                    )
            if method == FULL:
                staging_file.unlink(missing_ok=True)  # the copy (made or prepared) no delta used
                con.execute(
                    f"attach {sql_text(staging_file)} as published "
                    f"(storage_version '{PUBLISHED_STORAGE_VERSION}')"
                ).fetchall()
                for schema in PUBLISHED_SCHEMAS:
                    con.execute(f"create schema if not exists published.{schema}").fetchall()
                for schema, name in relations:
                    copy_whole(con, schema, name)
            try:
                rows_by_table = count_rows(con, relations, verify=method == DELTA)
                con.execute(
                    f"create or replace table published.{PUBLISH_LOG_TABLE} as "
                    "select ?::timestamp as published_at, ?::varchar as run_id, "
                    "?::bigint as tables_published, ?::varchar as method",
                    [published_at, run_id, len(relations), method],
                ).fetchall()
                export_parquet(
                    con,
                    [*relations, tuple(PUBLISH_LOG_TABLE.split("."))],
                    staging_parquet,
                    incremental,
                    changed_months,
                    parquet_dir if method == DELTA else None,
                    kept,
                )
            finally:
                con.execute("detach published").fetchall()
        _sync(staging_file)
        switch_release(settings, release, token)
        remove_publish_leftovers(settings)  # the release it replaced
        with connect(settings.build_path, settings) as con:
            ledger.ensure_ledger(con)
            kpi_metrics = f"marts.{KPI_METRICS_MODEL}"
            published_kpi = kpi_metrics if ("marts", KPI_METRICS_MODEL) in relations else None
            ledger.record_publish(con, published_at, run_id, published_kpi)
    finally:
        current = release.parent / CURRENT_RELEASE
        if not (current.is_symlink() and os.readlink(current) == release.name):
            shutil.rmtree(release, ignore_errors=True)  # never the published release
    return PublishReport(target, published_at, rows_by_table, method, reason)


def build_publish_asset(
    upstream: Sequence[dg.AssetKey],
    incremental_tables: Sequence[IncrementalTable] = (),
    semantic_manifest: Path | None = None,
) -> dg.AssetsDefinition:
    """The publish step, downstream of every mart: it runs only when their checks and the
    raw sources' suites allow."""

    @dg.asset(
        key=PUBLISHED_WAREHOUSE_KEY,
        deps=list(upstream),
        group_name="publish",
        pool=BUILD_DB_POOL,
        op_tags=RUN_LAST,
        kinds={"duckdb"},
        description="The published warehouse BI tools read (CXW_WAREHOUSE_PATH): the marts "
        "and quality schemas of the audited build and the semantic layer's saved queries "
        "(metrics), swapped in atomically.",
    )
    def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        # the raw suites' gate (the marts' checks are Dagster's blocking checks)
        stopping = expectations_stopping_the_publish(context.instance, context.run.run_id)
        if stopping:
            raise dg.Failure(description="not published: " + "; ".join(stopping))
        settings = load_settings()
        selection = context.run.asset_selection  # a run scoped to some sources (run_scope)
        rebuilt = None if selection is None else frozenset(".".join(k.path) for k in selection)
        with exclusive_build(settings, "publish"):
            report = publish_warehouse(
                settings,
                run_id=context.run.run_id,
                incremental_tables=incremental_tables,
                semantic_manifest=semantic_manifest,
                rebuilt=rebuilt,
            )
        context.log.info(
            f"published {report.tables} tables to {report.path} ({report.method}: {report.reason})"
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(report.path)),
                "tables": report.tables,
                "rows_by_table": dg.MetadataValue.json(report.rows_by_table),
                "published_at": report.published_at.isoformat(),
                "method": report.method,
                "reason": report.reason,
            }
        )

    return published_warehouse
