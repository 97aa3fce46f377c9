"""Data-quality checks: the Great Expectations suites of ``data_quality/`` as asset checks.

Two checks per validated asset: ``expectations`` (blocking: when one fails, the run does
not publish) and ``expectation_warnings`` (a few bad rows: shown, not blocking). Each
validates only what is new in the run:

* a raw source: the rows of the files ingested since the last publish (this night's, and
  any earlier night's that a failed check kept from being published);
* ``kpi_metrics``: the rows that differ from the last published ones (the run ledger
  keeps a copy of what was published).

The raw suites do not hold the dbt build back: they run after it, while nothing else waits
on this process (Great Expectations imports meanwhile, see the dbt step), and the publish
step refuses when one failed or did not run (``orchestration/publish_gate.py``). The
``kpi_metrics`` suite blocks the publish as Dagster's blocking check.

The failed expectations, with unexpected counts and example values, are in the checks'
metadata and on the quality page (``CXW_QUALITY_PAGE_DIR``/index.html), which shows each
suite's last result. GX runs in this process, on chunks of rows read from DuckDB.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from data_quality.config import QualityConfig
from data_quality.outcomes import ExpectationOutcome, SuiteOutcome
from data_quality.results import record_outcome
from data_quality.runner import CHUNK_ROWS, validate_chunks
from data_quality.suites import VALIDATED_SOURCES, suite_for
from data_quality.suites.kpi_metrics import KEY as KPI_KEY
from orchestration import ledger
from orchestration.landing.contract import FILE_PATH_COLUMN, RAW_SCHEMA
from orchestration.names import (
    EXPECTATIONS_CHECK,
    KPI_METRICS_MODEL,
    RUN_AFTER_THE_BUILD,
    raw_asset_key,
)
from orchestration.published_tables import BUILT_AT_COLUMN
from orchestration.run_lock import exclusive_build
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import connect

# A function of a build-database connection yielding (sql, params), one query per chunk.
ChunkQueries = Callable[[Any], Iterator[tuple[str, list]]]

WARNINGS_CHECK = "expectation_warnings"
# The kpi_metrics rows a check validates: a temporary table of its connection.
_CHANGED_KPI_ROWS = "cxw_changed_kpi_rows"
_KEY_HASH = "cxw_key_hash"


def _quality_config(settings: Settings) -> QualityConfig:
    return QualityConfig.from_settings(
        settings,
        max_invalid_share=settings.max_invalid_share,
        min_blocking_rows=settings.min_blocking_rows,
    )


def _check_results(
    outcome: SuiteOutcome, page: str, behind: str = ""
) -> Iterator[dg.AssetCheckResult]:
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
    if page:
        common["quality_page"] = dg.MetadataValue.path(page)
    yield dg.AssetCheckResult(
        check_name=EXPECTATIONS_CHECK,
        passed=not outcome.failed_blocking,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if not outcome.failed_blocking else outcome.summary() + behind,
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
    source: str | None = None,
) -> Iterator[dg.AssetCheckResult]:
    """Run the suite over the chunks the queries read from the build database. For a raw
    ``source`` whose blocking expectations fail, name the files behind the failure."""
    settings = load_settings()
    config = _quality_config(settings)
    behind = ""
    try:
        with (
            exclusive_build(settings, f"checks of {table}"),
            connect(settings.build_path, settings) as con,
        ):
            ledger.ensure_ledger(con)
            chunks = (
                con.sql(sql, params=params).to_arrow_table() for sql, params in chunk_queries(con)
            )
            outcome = validate_chunks(table, config, chunks)
            if source is not None and outcome.failed_blocking:
                behind = _files_behind(con, source, table, config, outcome)
    except Exception as error:
        # the quality page must not go on showing the last good result of this suite
        _show_on_quality_page(context, settings, _validation_error(table, config, error))
        raise
    page = _show_on_quality_page(context, settings, outcome)
    context.log.info(outcome.summary() + behind)
    yield from _check_results(outcome, page, behind)


# At most this many files are named in a blocked run's message (all are on the quality page
# through their examples; the message stays one line).
_FILES_NAMED = 5


def _files_behind(
    con, source: str, table: str, config: QualityConfig, outcome: SuiteOutcome
) -> str:
    """The unpublished files of ``source`` holding rows that fail the blocking expectations
    of ``outcome``, each validated alone, and how to take them out: a suffix of the check's
    one-line description (empty when no single file holds such rows)."""
    failed = {o.name for o in outcome.failed_blocking}
    columns = ", ".join(f'"{c}"' for c in suite_for(table, config).columns)
    counts = []
    for path, _ in ledger.unpublished_files(con, source):
        in_file, params = ledger.rows_of_files(FILE_PATH_COLUMN, [path])
        rows = con.sql(
            f"select {columns} from {RAW_SCHEMA}.{source} where {in_file}", params=params
        ).to_arrow_table()
        alone = validate_chunks(table, config, [rows])
        unexpected = sum(o.unexpected_count for o in alone.outcomes if o.name in failed)
        if unexpected:
            counts.append((unexpected, path))
    if not counts:
        return ""
    worst = [path for _, path in sorted(counts, key=lambda c: (-c[0], c[1]))[:_FILES_NAMED]]
    named = ", ".join(f"{path} ({n} unexpected)" for n, path in counts if path in worst)
    more = f" and {len(counts) - len(worst)} more file(s)" if len(counts) > len(worst) else ""
    return (
        f"; files behind it: {named}{more}; to take a file out of the warehouse: "
        f"cxw withdraw {' '.join(worst)} (then cxw run)"
    )


def _validation_error(table: str, config: QualityConfig, error: Exception) -> SuiteOutcome:
    """A suite that could not be validated, as a blocking failure for the quality page."""
    failure = ExpectationOutcome(
        name="validation_error",
        expectation="validation",
        column=None,
        success=False,
        blocking=True,
        unexpected_count=0,
        unexpected_percent=None,
        examples=[],
        details={"exception": f"{type(error).__name__}: {error}"},
    )
    return SuiteOutcome(suite_for(table, config).name, table, False, 0, [failure])


def _show_on_quality_page(
    context: dg.AssetCheckExecutionContext, settings: Settings, outcome: SuiteOutcome
) -> str:
    """Record the outcome on the quality page; a page that cannot be written only warns
    (the checks' verdict stands either way)."""
    try:
        page = record_outcome(outcome, settings.quality_page_dir, run_id=context.run.run_id)
    except OSError as error:
        context.log.warning(f"the quality page could not be written: {error}")
        return ""
    return str(page)


def _specs(
    asset_key: dg.AssetKey, what: str, *, holds_back_the_build: bool
) -> list[dg.AssetCheckSpec]:
    """``holds_back_the_build``: Dagster's blocking, which keeps every asset downstream of
    ``asset_key`` from running; otherwise only the publish step waits for the check."""
    stops = "nothing downstream runs" if holds_back_the_build else "the publish step refuses"
    return [
        dg.AssetCheckSpec(
            EXPECTATIONS_CHECK,
            asset=asset_key,
            blocking=holds_back_the_build,
            description=f"The blocking expectations of {what}: when one fails, {stops} "
            "and the published warehouse stays as it was.",
        ),
        dg.AssetCheckSpec(
            WARNINGS_CHECK,
            asset=asset_key,
            description=f"The warning expectations of {what} (a few bad rows).",
        ),
    ]


def _new_rows_in_chunks(source: str, columns: Sequence[str] = ()) -> ChunkQueries:
    """The rows still to be validated (their ``columns``, all by default), whole files per
    chunk."""
    selected = ", ".join(f'"{c}"' for c in columns) or "*"

    def queries(con) -> Iterator[tuple[str, list]]:
        files = ledger.unpublished_files(con, source)
        group: list[str] = []
        rows = 0
        for path, loaded in [*files, (None, 0)]:
            if group and (path is None or rows + loaded > CHUNK_ROWS):
                in_group, params = ledger.rows_of_files(FILE_PATH_COLUMN, group)
                yield f"select {selected} from {RAW_SCHEMA}.{source} where {in_group}", params
                group, rows = [], 0
            if path is not None:
                group.append(path)
                rows += loaded

    return queries


def build_raw_quality_checks(source: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        specs=_specs(
            raw_asset_key(source),
            f"raw_{source}__suite on the unpublished files",
            holds_back_the_build=False,
        ),
        name=f"raw_{source}_expectations",
        op_tags=RUN_AFTER_THE_BUILD,
    )
    def _raw_checks(context: dg.AssetCheckExecutionContext):
        table = f"raw_{source}"
        columns = suite_for(table, _quality_config(load_settings())).columns
        yield from _validate(context, table, _new_rows_in_chunks(source, columns), source)

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
        (built_columns,) = con.execute(
            "select list(column_name order by ordinal_position) from information_schema.columns "
            "where table_catalog = current_database() and table_schema = 'marts' "
            "and table_name = ?",
            [KPI_METRICS_MODEL],
        ).fetchall()[0]
        # _built_at is the build that last wrote a row (macros/kpi/kpi_rebuild.sql): a row
        # written again with the same values is not a change
        has_built_at = BUILT_AT_COLUMN in built_columns
        rows_of = f"select * exclude ({BUILT_AT_COLUMN}) from" if has_built_at else "select * from"
        copy = ledger.PUBLISHED_KPI_METRICS
        if ledger.published_kpi_metrics_columns(con) != built_columns:
            rows = f"{rows_of} {table}"
        elif has_built_at:
            # a build writes whole periods again: the rows it did not write are the copy's
            period = ", ".join(ledger.KPI_PERIOD)
            written = (
                f"{table} where {BUILT_AT_COLUMN} > (select max({BUILT_AT_COLUMN}) from {copy})"
            )
            rows = (
                f"{rows_of} {written} except {rows_of} {copy} "
                f"where ({period}) in (select distinct {period} from {written})"
            )
        else:
            rows = f"{rows_of} {table} except {rows_of} {copy}"
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
        specs=_specs(
            kpi_key,
            "kpi_metrics__suite on the rows that differ from the published ones",
            holds_back_the_build=True,
        ),
        name="kpi_metrics_expectations",
    )
    def _kpi_checks(context: dg.AssetCheckExecutionContext):
        yield from _validate(context, KPI_METRICS_MODEL, _changed_kpi_rows_in_chunks())

    return _kpi_checks


def build_quality_checks(transform_assets: dg.AssetsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        *(build_raw_quality_checks(source) for source in VALIDATED_SOURCES),
        build_kpi_quality_checks(transform_assets),
    ]
