"""Data-quality checks: the Great Expectations suites of ``data_quality/`` as asset checks.

Two checks per validated asset: ``expectations`` (blocking: a failure stops everything
downstream, so nothing is published) and ``expectation_warnings`` (a few bad rows: shown,
not blocking). Each validates only what is new in the run:

* a raw source: the rows of the files ingested since the last publish (this night's, and
  any earlier night's that a failed check kept from being published);
* ``kpi_metrics``: the rows that differ from the last published ones (the publish step
  keeps a copy of what it published in the build database).

The failed expectations, with unexpected counts and example values, are in the checks'
metadata; GX data docs of the run are written under ``CXW_DATA_DOCS_DIR``.

The checks read the rows here and GX validates them in worker processes (the resource
``validation``, see ``data_quality.workers``): GX is imported there while the run
ingests, and a large validation uses every core.
"""

from collections.abc import Callable, Iterator
from typing import Any

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from data_quality.config import QualityConfig
from data_quality.runner import SuiteOutcome
from data_quality.suites.kpi_metrics import KEY as KPI_KEY
from data_quality.workers import CHUNK_ROWS, DocsRequest
from orchestration.ingestion import raw_asset_key
from orchestration.landing.contract import FILE_PATH_COLUMN, RAW_SCHEMA, SOURCES
from orchestration.landing.loader import (
    MANIFEST_TABLE,
    PENDING_FILES_SQL,
    PUBLISHED_KPI_METRICS_TABLE,
    rows_of_files,
)
from orchestration.run_lock import exclusive_build
from orchestration.settings import Settings, load_settings
from orchestration.validation import ValidationWorkersResource
from orchestration.warehouse import connect

# A function of a build-database connection yielding (sql, params), one query per chunk.
ChunkQueries = Callable[[Any], Iterator[tuple[str, list]]]

EXPECTATIONS_CHECK = "expectations"
WARNINGS_CHECK = "expectation_warnings"
KPI_METRICS_MODEL = "kpi_metrics"  # the contract table of metrics.md
# The kpi_metrics rows a check validates: a temporary table of its connection.
_CHANGED_KPI_ROWS = "cxw_changed_kpi_rows"
_KEY_HASH = "cxw_key_hash"


def _quality_config(settings: Settings) -> QualityConfig:
    return QualityConfig.from_settings(
        settings,
        max_invalid_share=settings.max_invalid_share,
        min_blocking_rows=settings.min_blocking_rows,
    )


def _check_results(outcome: SuiteOutcome, docs: str | None) -> Iterator[dg.AssetCheckResult]:
    def described(outcomes) -> dict:
        return {
            o.name: {
                "expectation": o.expectation,
                "column": o.column,
                "unexpected_count": o.unexpected_count,
                "unexpected_percent": o.unexpected_percent,
                "examples": o.examples[:5],
            }
            for o in outcomes
        }

    common = {"suite": outcome.suite_name, "rows_validated": outcome.rows}
    if docs:
        common["data_docs"] = dg.MetadataValue.path(docs)
    yield dg.AssetCheckResult(
        check_name=EXPECTATIONS_CHECK,
        passed=not outcome.failed_blocking,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if not outcome.failed_blocking else outcome.summary(),
        metadata={**common, "failed": dg.MetadataValue.json(described(outcome.failed_blocking))},
    )
    yield dg.AssetCheckResult(
        check_name=WARNINGS_CHECK,
        passed=not outcome.warnings,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={**common, "warnings": dg.MetadataValue.json(described(outcome.warnings))},
    )


def _validate(
    context: dg.AssetCheckExecutionContext,
    table: str,
    chunk_queries: ChunkQueries,
    validation: ValidationWorkersResource,
) -> Iterator[dg.AssetCheckResult]:
    """Run the suite over the chunks the queries read from the build database."""
    settings = load_settings()
    with (
        exclusive_build(settings, f"checks of {table}"),
        connect(settings.build_path, settings) as con,
    ):
        chunks = (
            con.sql(sql, params=params).to_arrow_table() for sql, params in chunk_queries(con)
        )
        outcome, docs = validation.workers.validate(
            table,
            _quality_config(settings),
            chunks,
            DocsRequest(str(settings.data_docs_dir), run_name=context.run.run_id),
        )
    context.log.info(outcome.summary())
    if docs is not None:
        context.log.info(f"GX data docs: {docs}")
    yield from _check_results(outcome, None if docs is None else str(docs))


def _specs(asset_key: dg.AssetKey, what: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            EXPECTATIONS_CHECK,
            asset=asset_key,
            blocking=True,
            description=f"The blocking expectations of {what}: when one fails, nothing "
            "downstream runs and the published warehouse stays as it was.",
        ),
        dg.AssetCheckSpec(
            WARNINGS_CHECK,
            asset=asset_key,
            description=f"The warning expectations of {what} (a few bad rows).",
        ),
    ]


def _new_rows_in_chunks(source: str) -> ChunkQueries:
    """The rows still to be validated, whole files per chunk (file-level keys stay exact)."""

    def queries(con) -> Iterator[tuple[str, list]]:
        files = con.execute(
            f"select m.file_path, m.rows_loaded from {MANIFEST_TABLE} as m "
            f"where m.file_path in ({PENDING_FILES_SQL}) order by m.file_path",
            [source],
        ).fetchall()
        group: list[str] = []
        rows = 0
        for path, loaded in [*files, (None, 0)]:
            if group and (path is None or rows + loaded > CHUNK_ROWS):
                in_group, params = rows_of_files(FILE_PATH_COLUMN, group)
                yield f"select * from {RAW_SCHEMA}.{source} where {in_group}", params
                group, rows = [], 0
            if path is not None:
                group.append(path)
                rows += loaded

    return queries


def build_raw_quality_checks(source: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        specs=_specs(raw_asset_key(source), f"raw_{source}__suite on the unpublished files"),
        name=f"raw_{source}_expectations",
    )
    def _raw_checks(context: dg.AssetCheckExecutionContext, validation: ValidationWorkersResource):
        yield from _validate(context, f"raw_{source}", _new_rows_in_chunks(source), validation)

    return _raw_checks


def _changed_kpi_rows_in_chunks() -> ChunkQueries:
    """The kpi_metrics rows the publish would change: those not in the copy of the last
    published kpi_metrics (all rows when there is none, or its columns differ). Chunks are
    cut by a hash of the key, so that the key stays unique within each chunk.

    The rows are compared, and their keys hashed, once, into a temporary table of the
    connection: cut from the comparison itself, every chunk would compare and hash the
    whole table again (9 chunks of a year: 5 s)."""

    def queries(con) -> Iterator[tuple[str, list]]:
        table = f"marts.{KPI_METRICS_MODEL}"
        columns = {
            relation: con.execute(
                "select list(column_name order by ordinal_position) from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                list(relation.split(".")),
            ).fetchall()[0][0]
            for relation in (table, PUBLISHED_KPI_METRICS_TABLE)
        }
        if columns[PUBLISHED_KPI_METRICS_TABLE] == columns[table]:
            rows = f"select * from {table} except select * from {PUBLISHED_KPI_METRICS_TABLE}"
        else:
            rows = f"select * from {table}"
        con.execute(
            f"create or replace temp table {_CHANGED_KPI_ROWS} as "
            f"select *, hash({', '.join(KPI_KEY)}) as {_KEY_HASH} from ({rows})"
        ).fetchall()
        (count,) = con.execute(f"select count(*) from {_CHANGED_KPI_ROWS}").fetchall()[0]
        parts = -(-count // CHUNK_ROWS)
        for part in range(parts):
            yield (
                f"select * exclude ({_KEY_HASH}) from {_CHANGED_KPI_ROWS} "
                f"where {_KEY_HASH} % {parts} = {part}",
                [],
            )

    return queries


def build_kpi_quality_checks(transform_assets: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    kpi_key = get_asset_key_for_model([transform_assets], KPI_METRICS_MODEL)

    @dg.multi_asset_check(
        specs=_specs(kpi_key, "kpi_metrics__suite on the rows that differ from the published ones"),
        name="kpi_metrics_expectations",
    )
    def _kpi_checks(context: dg.AssetCheckExecutionContext, validation: ValidationWorkersResource):
        yield from _validate(context, KPI_METRICS_MODEL, _changed_kpi_rows_in_chunks(), validation)

    return _kpi_checks


def build_quality_checks(transform_assets: dg.AssetsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        *(build_raw_quality_checks(source) for source in SOURCES),
        build_kpi_quality_checks(transform_assets),
    ]
