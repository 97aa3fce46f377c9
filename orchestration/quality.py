"""Data-quality checks: the Great Expectations suites of ``data_quality/`` as asset checks.

Two checks per validated asset: ``expectations`` (blocking: a failure stops everything
downstream, so nothing is published) and ``expectation_warnings`` (a few bad rows: shown,
not blocking). Each validates only what is new in the run:

* a raw source: the rows of the files ingested since the last publish (this night's, and
  any earlier night's that a failed check kept from being published);
* ``kpi_metrics``: the periods that contain an anchor date of those rows.

The failed expectations, with unexpected counts and example values, are in the checks'
metadata; GX data docs of the run are written under ``CXW_DATA_DOCS_DIR``.
"""

from collections.abc import Callable, Iterator
from typing import Any

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from data_quality.config import QualityConfig
from data_quality.runner import SuiteOutcome, validate_frames
from data_quality.suites import suite_for
from orchestration.ingestion import raw_asset_key
from orchestration.landing.contract import RAW_SCHEMA, SOURCES
from orchestration.landing.loader import MANIFEST_TABLE, PENDING_FILES_SQL
from orchestration.run_lock import exclusive_build
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import connect

# GX works on pandas frames in memory, so a large night (a full build of a year) is
# validated chunk by chunk and the outcomes are added up.
CHUNK_ROWS = 250_000

# A function of a build-database connection yielding (sql, params), one query per chunk.
ChunkQueries = Callable[[Any], Iterator[tuple[str, list]]]

EXPECTATIONS_CHECK = "expectations"
WARNINGS_CHECK = "expectation_warnings"
KPI_METRICS_MODEL = "kpi_metrics"  # the contract table of metrics.md

# The anchor dates of metrics.md per source: new rows of a source touch the KPI periods
# that contain these dates. A new file of any other source (clients, sites, teams) can
# change every period, so the whole table is validated.
_ANCHORS: dict[str, tuple[str, ...]] = {
    "calls": ("offered_at",),
    "tickets": ("created_at",),
    "surveys": ("sent_at", "responded_at"),
    "employee_surveys": ("survey_date",),
    "customers": ("signup_date", "churn_date"),
    "agent_roster": ("as_of_date",),
}


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
    context: dg.AssetCheckExecutionContext, table: str, chunk_queries: ChunkQueries
) -> Iterator[dg.AssetCheckResult]:
    """Run the suite over the chunks the queries read from the build database."""
    settings = load_settings()
    with (
        exclusive_build(settings, f"checks of {table}"),
        connect(settings.build_path, settings) as con,
    ):
        frames = (
            con.sql(sql, params=params).to_arrow_table().to_pandas()
            for sql, params in chunk_queries(con)
        )
        outcome = validate_frames(frames, suite_for(table, _quality_config(settings)))
    context.log.info(outcome.summary())
    docs = None
    if outcome.gx_result is not None:
        from data_quality.data_docs import build_data_docs

        docs = str(build_data_docs([outcome], settings.data_docs_dir, run_name=context.run.run_id))
        context.log.info(f"GX data docs: {docs}")
    yield from _check_results(outcome, docs)


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


def _new_rows_sql(source: str) -> str:
    return f"select * from {RAW_SCHEMA}.{source} where _file_path in ({PENDING_FILES_SQL})"


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
                yield (
                    f"select * from {RAW_SCHEMA}.{source} "
                    "where _file_path in (select unnest(?::varchar[]))",
                    [group],
                )
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
    def _raw_checks(context: dg.AssetCheckExecutionContext):
        yield from _validate(context, f"raw_{source}", _new_rows_in_chunks(source))

    return _raw_checks


def _touched_periods_sql() -> tuple[str, list[str]]:
    """The earliest period start the unpublished rows can change (NULL: none), and its params."""
    anchors = [
        f"select min(least({', '.join(f'cast({c} as date)' for c in columns)})) as d "
        f"from ({_new_rows_sql(source)})"
        for source, columns in _ANCHORS.items()
    ]
    dimensions = [s for s in SOURCES if s not in _ANCHORS]
    any_dimension = " union all ".join(f"({PENDING_FILES_SQL})" for _ in dimensions)
    sql = f"""
        with touched as ({" union all ".join(anchors)}),
        earliest as (select min(d) - 1 as d from touched)
        select
            case when exists ({any_dimension}) then date '0001-01-01'
            else least(date_trunc('month', d), date_trunc('week', d)) end as since
        from earliest
    """
    return sql, [*_ANCHORS, *dimensions]


def _touched_kpi_rows_in_chunks() -> ChunkQueries:
    """The kpi_metrics rows of the periods the unpublished rows touch, cut by grain, level
    and a hash of the entity, so that the key stays unique within each chunk."""

    def queries(con) -> Iterator[tuple[str, list]]:
        sql, params = _touched_periods_sql()
        (since,) = con.execute(sql, params).fetchall()[0]
        if since is None:
            return
        table = f"marts.{KPI_METRICS_MODEL}"
        groups = con.execute(
            f"select period_grain, level, count(*) from {table} "
            "where period_start >= ? group by all order by all",
            [since],
        ).fetchall()
        for grain, level, count in groups:
            parts = -(-count // CHUNK_ROWS)
            for part in range(parts):
                yield (
                    f"select * from {table} where period_start >= ? and period_grain = ? "
                    "and level = ? and hash(entity_id) % ? = ?",
                    [since, grain, level, parts, part],
                )

    return queries


def build_kpi_quality_checks(transform_assets: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    kpi_key = get_asset_key_for_model([transform_assets], KPI_METRICS_MODEL)

    @dg.multi_asset_check(
        specs=_specs(kpi_key, "kpi_metrics__suite on the periods unpublished rows change"),
        name="kpi_metrics_expectations",
    )
    def _kpi_checks(context: dg.AssetCheckExecutionContext):
        yield from _validate(context, KPI_METRICS_MODEL, _touched_kpi_rows_in_chunks())

    return _kpi_checks


def build_quality_checks(transform_assets: dg.AssetsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        *(build_raw_quality_checks(source) for source in SOURCES),
        build_kpi_quality_checks(transform_assets),
    ]
