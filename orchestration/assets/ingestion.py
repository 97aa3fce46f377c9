"""Ingestion assets: one per landing source, landing files -> ``raw.<source>`` in the build DB.

Asset keys equal the dbt source names (``raw/calls``), so the asset graph reads as one
line from the landing zone to the marts.
"""

import datetime as dt

import dagster as dg

from orchestration import ledger
from orchestration.landing.contract import RAW_SCHEMA, SOURCES, SourceSpec
from orchestration.landing.loader import ingest_source
from orchestration.landing.raw_tables import reconcile
from orchestration.names import BUILD_DB_POOL, RAW_GROUP, REJECTED_FILES_METADATA, raw_asset_key
from orchestration.run_lock import exclusive_build
from orchestration.settings import load_settings
from orchestration.warehouse import connect

ROWS_RECONCILE_CHECK = "rows_reconcile"
REJECTED_FILES_CHECK = "no_rejected_files"
FRESHNESS_CHECK = "fresh_files"


def _freshness_result(
    source: str, last: dt.datetime | None, max_days: int | None
) -> dg.AssetCheckResult:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    age_days = None if last is None else (now - last).total_seconds() / 86400
    fresh = max_days is None or (age_days is not None and age_days <= max_days)
    return dg.AssetCheckResult(
        check_name=FRESHNESS_CHECK,
        passed=fresh,
        severity=dg.AssetCheckSeverity.WARN,
        description=None if fresh else f"{source}: no new file for more than {max_days} days",
        metadata={
            "last_new_file_at": last.isoformat() if last else "never",
            "age_days": round(age_days, 2) if age_days is not None else -1,
            "max_days": max_days if max_days is not None else -1,
        },
    )


def _run_started_at(context: dg.AssetExecutionContext) -> dt.datetime:
    """When the run started (UTC): the one ``_loaded_at`` of every source a run loads.

    One load time per run, not per source: an incremental fact compares the load times of
    several sources (a survey's with its call's) with its own watermark, and rows of one
    night must not look newer than each other.
    """
    record = context.instance.get_run_record_by_id(context.run_id)
    started = record.start_time if record is not None else None
    if started is None:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return dt.datetime.fromtimestamp(started, dt.UTC).replace(tzinfo=None)


def build_raw_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    key = raw_asset_key(spec.name)

    @dg.asset(
        key=key,
        group_name=RAW_GROUP,
        pool=BUILD_DB_POOL,
        kinds={"duckdb", "polars"},
        description=(
            f"{spec.description} Landing files of `{spec.name}/` loaded into "
            f"`{RAW_SCHEMA}.{spec.name}` (append log; key {', '.join(spec.key)})."
        ),
        check_specs=[
            dg.AssetCheckSpec(
                ROWS_RECONCILE_CHECK,
                asset=key,
                blocking=True,
                description="For every file: rows read = loaded + rejected, and the raw and "
                "rejects tables hold exactly those rows.",
            ),
            dg.AssetCheckSpec(
                FRESHNESS_CHECK,
                asset=key,
                description="A new file of this source arrived within CXW_FRESHNESS_DAYS "
                "(sources without a limit always pass).",
            ),
            dg.AssetCheckSpec(
                REJECTED_FILES_CHECK,
                asset=key,
                description="No landing file of this source is rejected whole "
                "(missing required column, unreadable).",
            ),
        ],
    )
    def _ingest(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = load_settings()
        with (
            exclusive_build(settings, f"ingestion of {spec.name}"),
            connect(settings.build_path, settings) as con,
        ):
            ledger.ensure_ledger(con)
            # a build belongs to one landing zone: another zone is refused, never mixed in
            ledger.bind_landing_zone(con, str(settings.landing_dir.resolve()))
            report = ingest_source(
                con,
                spec,
                settings.landing_dir,
                timezone=settings.timezone_of(spec.name),
                run_id=context.run.run_id,
                now=_run_started_at(context),
                log=context.log,
            )
            problems = reconcile(con, spec.name)
            rejected = ledger.rejected_files(con, spec.name)
            last_new_file_at = ledger.last_new_file_at(con, spec.name)
            raw_rows = con.execute(f"select count(*) from {RAW_SCHEMA}.{spec.name}").fetchall()[0][
                0
            ]
        return dg.MaterializeResult(
            metadata={
                "files_seen": report.files_seen,
                "files_loaded": len(report.files_loaded),
                "files_unchanged": report.files_unchanged,
                "files_rejected": len(report.files_rejected),
                "rows_read": report.rows_read,
                "rows_loaded": report.rows_loaded,
                "rows_rejected": report.rows_rejected,
                "rejects_by_reason": dg.MetadataValue.json(report.rejects_by_reason),
                "loaded_files": dg.MetadataValue.json(
                    [
                        {
                            "file": r.file_path,
                            "read": r.rows_read,
                            "loaded": r.rows_loaded,
                            "rejected": r.rows_rejected,
                        }
                        for r in report.files_loaded
                    ]
                ),
                REJECTED_FILES_METADATA: dg.MetadataValue.json(
                    [r.error for r in report.files_rejected]
                ),
                "ignored_files": dg.MetadataValue.json(report.ignored_files),
                "raw_table_rows": raw_rows,
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=ROWS_RECONCILE_CHECK,
                    passed=not problems,
                    metadata={"problems": dg.MetadataValue.json(problems[:50])},
                ),
                _freshness_result(
                    spec.name, last_new_file_at, settings.freshness_days.get(spec.name)
                ),
                dg.AssetCheckResult(
                    check_name=REJECTED_FILES_CHECK,
                    passed=not rejected,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={"rejected_files": dg.MetadataValue.json([e for _, e in rejected])},
                ),
            ],
        )

    return _ingest


def build_ingestion_assets() -> list[dg.AssetsDefinition]:
    return [build_raw_asset(spec) for spec in SOURCES.values()]
