"""When the nightly job runs: a schedule, and a sensor on the landing zone."""

import hashlib

import dagster as dg

from orchestration.landing.contract import SOURCES
from orchestration.landing.files import discover_files
from orchestration.names import NIGHTLY_JOB_NAME
from orchestration.run_lock import BRIEF_HOLDERS, RunInProgress, exclusive_build
from orchestration.run_scope import SCOPE_TAG, run_scope, scoped_asset_keys
from orchestration.settings import Settings, load_settings

LANDING_SENSOR_NAME = "landing_files_sensor"
LANDING_SENSOR_HOLDER = BRIEF_HOLDERS[0]  # how the sensor names itself in the build lock


def build_nightly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="cxw_nightly_schedule",
        job_name=NIGHTLY_JOB_NAME,
        cron_schedule=settings.nightly_cron,
        execution_timezone=settings.nightly_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="The whole job every night: ingest, dbt, checks, publish "
        "(CXW_NIGHTLY_CRON in CXW_NIGHTLY_TIMEZONE).",
    )


def landing_fingerprint(settings: Settings) -> tuple[str, int]:
    """A digest of every accepted landing file's path, size and mtime, and the file count."""
    digest = hashlib.sha256()
    count = 0
    for source, spec in SOURCES.items():
        files, _ = discover_files(settings.landing_dir, source, spec.vendor_format)
        for f in files:
            digest.update(f"{f.relative_path}\0{f.size_bytes}\0{f.modified_ns}\n".encode())
            count += 1
    return digest.hexdigest(), count


def build_landing_sensor(settings: Settings) -> dg.SensorDefinition:
    @dg.sensor(
        name=LANDING_SENSOR_NAME,
        job_name=NIGHTLY_JOB_NAME,
        minimum_interval_seconds=300,
        default_status=(
            dg.DefaultSensorStatus.RUNNING
            if settings.landing_sensor_enabled
            else dg.DefaultSensorStatus.STOPPED
        ),
        description="Starts the nightly job when landing files are added or changed "
        "(CXW_LANDING_SENSOR=off to switch off), for the sources with new files and what "
        "depends on them. Reads the directory listing, and when it changed, the build "
        "database's ledger for a moment under the build lock; never the warehouse.",
    )
    def landing_files_sensor(context: dg.SensorEvaluationContext):
        settings = load_settings()
        fingerprint, count = landing_fingerprint(settings)
        if fingerprint == context.cursor:
            return dg.SkipReason(f"no new or changed landing files ({count} files)")
        try:
            # a moment's read of the build (a run that starts meanwhile waits for it)
            with exclusive_build(settings, LANDING_SENSOR_HOLDER):
                scope = run_scope(settings)
        except RunInProgress:
            return dg.SkipReason(
                "a run is writing the build database; the new files wait for the next look"
            )
        context.update_cursor(fingerprint)
        selection = None
        if scope.sources is not None:
            selection = scoped_asset_keys(context.repository_def.asset_graph, scope)
        return dg.RunRequest(
            run_key=fingerprint,
            asset_selection=selection,
            tags={"cxw/trigger": "landing_files", SCOPE_TAG: scope.describe()},
        )

    return landing_files_sensor
