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
from orchestration.landing.contract import PERSONAL_DATA_COLUMNS, VENDOR_PERSONAL_FIELDS
from orchestration.names import (
    BUILD_DB_POOL,
    KPI_METRICS_MODEL,
    PUBLISHED_WAREHOUSE_KEY,
    RUN_LAST,
)
from orchestration.publish_gate import expectations_stopping_the_publish
from orchestration.published_tables import (
    BUILT_AT_COLUMN,
    IncrementalTable,
    MonthChanges,
    all_months,
    export_parquet,
    last_built_at_in_parquet,
    month_expression,
    months_of_parquet_rows,
    replace_rows_by_key,
    rows_written_since,
)
from orchestration.releases import (
    CURRENT_RELEASE,
    RELEASE_PARQUET,
    StartingRelease,
    new_release,
    release_token,
    remove_publish_leftovers,
    switch_release,
    take_starting_release,
)
from orchestration.run_lock import exclusive_build
from orchestration.semantic_layer import (
    METRICS_SCHEMA,
    export_saved_queries,
    finish_saved_queries,
    saved_queries_cache,
)
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import (
    PUBLISH_LOG_TABLE,
    column_names_by_table,
    connect,
    published_runs,
    single_value,
    sql_text,
)

PUBLISHED_SCHEMAS = ("marts", "quality", "metrics")
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


def _published_relations(
    con: duckdb.DuckDBPyConnection, catalog: str | None = None
) -> list[tuple[str, str]]:
    """The relations of ``marts`` and ``quality`` (of the build database by default)."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = coalesce(?, current_database()) "
        f"and table_schema in {PUBLISHED_SCHEMAS} order by table_schema, table_name",
        [catalog],
    ).fetchall()
    return [(schema, name) for schema, name in rows]


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


# A delta publish rewrites rows in a copy of the last published file. Above this share of
# changed rows (a full refresh rewrites them all) a new file is as quick and compact.
MAX_DELTA_SHARE = 0.25
FULL, DELTA = "full", "delta"


def _sync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[tuple]:
    schema, name = relation.split(".")
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, name],
    ).fetchall()


def _why_not_delta(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    tables: list[IncrementalTable],
    *,
    one_publish_behind: bool = False,
) -> str | None:
    """Why the published file attached as ``published`` cannot be the basis of this
    publish (None: it can).

    It must be the last publish of this build database (or, ``one_publish_behind``, the
    publish before it: the previous release's file), the Parquet copy the last publish, the
    facts' columns the build's, and the rows written since it few.
    """
    if not tables:
        return "no incremental tables"
    last_run = (ledger.last_publish(con) or (None, None))[0]
    file_run = ledger.publish_before_last(con) if one_publish_behind else last_run
    expected = (file_run, last_run)  # the runs of the file's and the Parquet copy's logs
    if None in expected or published_runs(con, settings.parquet_dir) != expected:
        which = "the publish before the last" if one_publish_behind else "the last publish"
        return f"the published files are not {which} of this build database"
    (build_catalog,) = con.execute("select current_database()").fetchall()[0]
    changed = total = 0
    for table in tables:
        if _columns(con, "published", table.relation) != _columns(
            con, build_catalog, table.relation
        ):
            return f"{table.relation} is new or has other columns"
        since = single_value(con, f"select max({BUILT_AT_COLUMN}) from published.{table.relation}")
        (rows, written) = con.execute(
            f"select count(*), count(*) filter ({BUILT_AT_COLUMN} > ?) from {table.relation}",
            [since],
        ).fetchall()[0]
        if table.is_fact:  # a KPI mart written again whole is replaced whole (_apply_delta)
            changed += written if since is not None else rows
            total += rows
    if total and changed > MAX_DELTA_SHARE * total:
        return f"{changed:,} of {total:,} fact rows were rewritten"
    return None


def _attach_delta_basis(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    starting: StartingRelease | None,
    staging_file: Path,
    tables: list[IncrementalTable],
) -> tuple[str | None, bool]:
    """Attach as ``published`` the file a delta publish writes: the previous release's,
    one publish behind, when it qualifies; else a copy of the current file (the one this
    run prepared, or one made now). Returns why no delta can be made (None: it can; the
    file then stays attached) and whether the file is one publish behind."""
    if starting is not None and starting.one_publish_behind:
        try:
            con.execute(f"attach {sql_text(staging_file)} as published").fetchall()
        except duckdb.IOException:  # a reader opened it since it was checked
            pass
        else:
            if _why_not_delta(con, settings, tables, one_publish_behind=True) is None:
                return None, True
            con.execute("detach published").fetchall()
        staging_file.unlink()
    if starting is None or starting.one_publish_behind:
        shutil.copyfile(settings.warehouse_path, staging_file)
    con.execute(f"attach {sql_text(staging_file)} as published").fetchall()
    reason = _why_not_delta(con, settings, tables)
    if reason is not None:
        con.execute("detach published").fetchall()
    return reason, False


def _copy_whole(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """A build relation as a table of the attached ``published`` database (replacing it)."""
    con.execute(
        f'create or replace table published.{schema}."{name}" as select * from {schema}."{name}"'
    ).fetchall()


def _kept_from_last_publish(
    con: duckdb.DuckDBPyConnection,
    relations: list[tuple[str, str]],
    rebuilt: frozenset[str] | None,
    run_id: str | None,
) -> frozenset[str]:
    """The published relations a delta publish keeps as the last publish has them: those
    this run's dbt build did not select (``rebuilt``: the relations it selected; None:
    every one), when its build is the only one since the last publish. The saved queries'
    tables are computed by every publish: never kept. (A file one publish behind keeps
    none: the last publish may have changed them; its Parquet copy keeps these.)"""
    if rebuilt is None or ledger.runs_built_since_last_publish(con) != {run_id}:
        return frozenset()
    return frozenset(
        relation
        for relation in (f"{schema}.{name}" for schema, name in relations)
        if relation not in rebuilt and not relation.startswith(f"{METRICS_SCHEMA}.")
    )


def _apply_delta(
    con: duckdb.DuckDBPyConnection,
    relations: list[tuple[str, str]],
    incremental: dict[str, IncrementalTable],
    kept: frozenset[str],
    last_parquet: Path | None = None,
) -> dict[str, MonthChanges]:
    """Bring the attached published file to this build: the rows of each incremental table
    written since, every other relation whole but those ``kept`` (as the file has them).

    Returns how each incremental table's months changed against the last publish. For a
    file one publish behind, ``last_parquet`` is the last publish's Parquet copy: the rows
    that publish wrote are applied first, and the months are those of the rows written
    after it, and of the rows of that copy they replace.
    """
    changed_months: dict[str, MonthChanges] = {}
    for schema, name in relations:
        relation = f"{schema}.{name}"
        target = f'published.{schema}."{name}"'
        table = incremental.get(relation)
        if table is None:
            if relation not in kept:
                _copy_whole(con, schema, name)
            continue
        (since,) = con.execute(f"select max({BUILT_AT_COLUMN}) from {target}").fetchall()[0]
        if not table.is_fact:
            (rows, written) = con.execute(
                f"select count(*), count(*) filter ({BUILT_AT_COLUMN} > ?) from {relation}",
                [since],
            ).fetchall()[0]
            if written > MAX_DELTA_SHARE * rows:  # rebuilt whole (a roster, a correction)
                before = all_months(con, table, target)
                _copy_whole(con, schema, name)
                changed_months[relation] = MonthChanges(before | all_months(con, table, target))
                continue
        month = month_expression(table)
        last = since
        if last_parquet is not None:
            last = last_built_at_in_parquet(con, last_parquet, table)
            if last is None or since is None or last < since:
                # the last publish's rows cannot be told apart: its changed months rewritten
                with rows_written_since(con, relation, since) as written:
                    removed = replace_rows_by_key(con, target, written, table.key_columns, month)
                    added = con.execute(f"select distinct {month} from {written}").fetchall()
                changed_months[relation] = MonthChanges(frozenset(removed | {m for (m,) in added}))
                continue
            # the rows of the last publish still as it wrote them (in its Parquet copy)
            with rows_written_since(con, relation, since, until=last) as written:
                replace_rows_by_key(con, target, written, table.key_columns)
        with rows_written_since(con, relation, last) as written:
            # the months of the rows replaced (as the delete returns them) and of the new
            removed = replace_rows_by_key(con, target, written, table.key_columns, month)
            if last_parquet is not None and last != since:
                # and those of the last publish's rows written again since, which the
                # file one publish behind never held
                removed |= months_of_parquet_rows(con, last_parquet, table, since, last, written)
            added = {
                m for (m,) in con.execute(f"select distinct {month} from {written}").fetchall()
            }
        changed_months[relation] = MonthChanges(
            frozenset(removed), frozenset(added - removed), since=last
        )
    built = set(relations)  # a table the build no longer has leaves the published file
    for schema, name in _published_relations(con, catalog="published"):
        if (schema, name) not in built and f"{schema}.{name}" != PUBLISH_LOG_TABLE:
            con.execute(f'drop table published.{schema}."{name}"').fetchall()
    return changed_months


class _DeltaMismatch(RuntimeError):
    """A delta publish did not reproduce the build: publish the whole build instead."""


def _count_rows(
    con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]], *, verify: bool
) -> dict[str, int]:
    """Rows per published table; with ``verify``, each equals its build relation's."""
    rows_by_table = {}
    for schema, name in relations:
        (count,) = con.execute(f'select count(*) from published.{schema}."{name}"').fetchall()[0]
        if verify:
            (expected,) = con.execute(f'select count(*) from {schema}."{name}"').fetchall()[0]
            if count != expected:
                raise _DeltaMismatch(f"{schema}.{name}: {count} rows published, {expected} built")
        rows_by_table[f"{schema}.{name}"] = count
    return rows_by_table


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
    last publish has them (``_kept_from_last_publish``).

    With a ``semantic_manifest`` (dbt's semantic_manifest.json), the semantic layer's saved
    queries are first computed from the build's marts into its schema ``metrics``, once
    (a delta that falls back to a full copy publishes the same tables), and published like
    the marts.
    """
    # computed while the checks ran (start_saved_queries, after the dbt build), or now
    if semantic_manifest is not None and not finish_saved_queries(settings):
        with connect(settings.build_path, settings, read_only=False) as con:
            _refuse_without_marts(_published_relations(con))  # the saved queries read them
            export_saved_queries(con, semantic_manifest, cache=saved_queries_cache(settings))
    try:
        return _publish(settings, run_id, incremental_tables, rebuilt, try_delta=True)
    except _DeltaMismatch as mismatch:
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
            relations = _published_relations(con)
            _refuse_without_marts(relations)
            _refuse_personal_data(con, relations)
            built = {f"{schema}.{name}" for schema, name in relations}
            incremental = {t.relation: t for t in incremental_tables if t.relation in built}
            changed_months, kept = None, frozenset()
            if try_delta and target.exists() and parquet_dir.is_dir():
                reason, behind = _attach_delta_basis(
                    con, settings, starting, staging_file, list(incremental.values())
                )
                if reason is None:
                    since = "the previous release's publish" if behind else "the last publish"
                    method, reason = DELTA, f"rows written since {since}"
                    for schema in PUBLISHED_SCHEMAS:  # a schema newer than the last publish
                        con.execute(f"create schema if not exists published.{schema}").fetchall()
                    kept = _kept_from_last_publish(con, relations, rebuilt, run_id)
                    changed_months = _apply_delta(
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
                    _copy_whole(con, schema, name)
            try:
                rows_by_table = _count_rows(con, relations, verify=method == DELTA)
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
