"""Running the nightly job in this process, as ``cxw run`` and the demo do; a night that
publishes refreshes the KPI report.

The schedule runs the same job; here it runs in-process with the run storage of
``DAGSTER_HOME`` when that is set, and an ephemeral instance otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from orchestration import ledger
from orchestration.assets.transform import build_dbt_project
from orchestration.landing.contract import RAW_SCHEMA
from orchestration.names import (
    NIGHTLY_JOB_NAME,
    PUBLISHED_WAREHOUSE_KEY,
    REJECTED_FILES_METADATA,
)
from orchestration.releases import prepare_release_copy, remove_publish_leftovers
from orchestration.run_lock import RunInProgress, exclusive_build
from orchestration.run_outcome import (
    EXIT_CONFIGURATION,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_RUN_IN_PROGRESS,
    NOTHING_NEW,
    done,
    refused,
)
from orchestration.run_scope import SCOPE_TAG, RunScope, run_scope, scoped_asset_keys
from orchestration.semantic_layer import finish_saved_queries
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import connect

if TYPE_CHECKING:
    from orchestration.report import ReportSummary

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DBT_ERRORS_HEADER = "Errors parsed from dbt logs:"
_DBT_ERROR_STARTS = ("Failure in", "Database Error", "Compilation Error", "Runtime Error")


def _first_line(text: str) -> str:
    """The line that says what failed: for dbt, its first error rather than the command."""
    lines = [_ANSI.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if _DBT_ERRORS_HEADER in lines:
        dbt_lines = lines[lines.index(_DBT_ERRORS_HEADER) + 1 :]
        named = [line for line in dbt_lines if line.startswith(_DBT_ERROR_STARTS)]
        if named or dbt_lines:
            return "dbt: " + (named or dbt_lines)[0]
    return lines[0] if lines else text.strip()


def _failure_summary(result: dg.ExecuteInProcessResult) -> str | None:
    """One line: the failed blocking check (named; a raw source's first, the cause the
    marts' failed tests follow from), else the failed step, else None."""
    evaluations = sorted(
        result.get_asset_check_evaluations(),
        key=lambda evaluation: evaluation.asset_key.path[0] != RAW_SCHEMA,
    )
    for evaluation in evaluations:
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            why = f": {evaluation.description}" if evaluation.description else ""
            return (
                f"check {evaluation.check_name} on "
                f"{evaluation.asset_key.to_user_string()} failed{why}"
            )
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        message = error.message if error else "unknown error"
        while error is not None and error.cause is not None and "dagster" in error.cls_name.lower():
            error = error.cause
            message = error.message
        return f"step {event.step_key} failed: {_first_line(message)}"
    if not result.success:
        return "the run did not succeed (see the Dagster log above)"
    return None


def _files_rejected_whole(result: dg.ExecuteInProcessResult) -> list[str]:
    """The landing files this run rejected whole, each with why (what the ingestion steps
    recorded as ``rejected_files``): the operator must fix and land them again."""
    rejected: list[str] = []
    for event in result.get_asset_materialization_events():
        entry = event.materialization.metadata.get(REJECTED_FILES_METADATA)
        if entry is not None and isinstance(entry.value, list):
            rejected += [str(error) for error in entry.value]
    return sorted(rejected)


# Parsed projects kept besides the newest (one per dbt code and vars a run used).
KEPT_PARSED_PROJECTS = 8


def prepare_dbt_manifest(settings: Settings | None = None) -> None:
    """Parse the dbt project so the Dagster definitions see every model (about 5 s);
    skipped when it was parsed from the same dbt code and vars. The parse is written to a
    private folder and moved into place whole: a run started meanwhile finds a complete
    manifest or none."""
    settings = settings or load_settings()
    project = build_dbt_project(settings)
    if project.manifest_path.exists():
        return
    parsed = project.manifest_path.parent
    parsed.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".parsing-", dir=parsed.parent))
    try:
        private = build_dbt_project(settings, target_path=scratch)
        private.preparer.prepare(private)
        try:
            scratch.rename(parsed)
        except OSError:  # another run parsed the same code and vars first
            if not project.manifest_path.exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _prune_parsed_projects(parsed.parent)


def _prune_parsed_projects(folder: Path) -> None:
    parsed = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in parsed[KEPT_PARSED_PROJECTS:]:
        shutil.rmtree(old, ignore_errors=True)


def _withdrawals_of_this_zone(settings: Settings):
    """The withdrawn files of the build database when it belongs to ``CXW_LANDING_DIR``
    (a full refresh of the same zone keeps them out), else None."""
    with connect(settings.build_path, settings) as con:
        ledger.ensure_ledger(con)
        if ledger.landing_zone(con) != str(settings.landing_dir.resolve()):
            return None
        return ledger.withdrawn_files(con)


def execute_nightly_job(
    settings: Settings, *, full_refresh: bool = False
) -> dg.ExecuteInProcessResult:
    if full_refresh and settings.build_path.exists():
        withdrawn = _withdrawals_of_this_zone(settings)
        settings.build_path.unlink()
        settings.build_path.with_name(settings.build_path.name + ".wal").unlink(missing_ok=True)
        if withdrawn is not None:
            with connect(settings.build_path, settings) as con:
                ledger.ensure_ledger(con)
                ledger.restore_withdrawals(con, withdrawn)
    scope = RunScope(None, "a full refresh") if full_refresh else run_scope(settings)
    print(f"cxw run: loading and building {scope.describe()}")
    prepare_dbt_manifest(settings)
    from orchestration.definitions import defs

    definitions = defs()
    job = definitions.resolve_job_def(NIGHTLY_JOB_NAME)
    instance = (
        dg.DagsterInstance.get()
        if os.environ.get("DAGSTER_HOME")
        else dg.DagsterInstance.ephemeral()
    )
    with instance:
        return job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            asset_selection=scoped_asset_keys(definitions.resolve_asset_graph(), scope),
            tags={SCOPE_TAG: scope.describe()},
        )


def check_landing_zone(settings: Settings) -> None:
    """Raise :class:`ledger.LandingZoneMismatch` when the build database belongs to another
    landing zone than ``CXW_LANDING_DIR`` (a new build database belongs to none yet)."""
    if not settings.build_path.exists():
        return
    with connect(settings.build_path, settings) as con:
        ledger.ensure_ledger(con)
        ledger.check_landing_zone(con, str(settings.landing_dir.resolve()))


@dataclass(frozen=True)
class NightOutcome:
    exit_code: int
    published: bool  # a new warehouse was published
    report: ReportSummary | None = None  # the report written after the publish


def refresh_report(settings: Settings) -> ReportSummary | None:
    """Write the KPI report of the published warehouse to ``CXW_REPORT_PATH``; print where,
    or a warning line when it could not be written. The warehouse is published by then:
    a report that fails does not fail the night (exit 0, see DECISIONLOG.md)."""
    from orchestration.report import write_report  # after the run: `cxw run` starts faster

    try:
        report = write_report(
            settings.warehouse_path, settings.report_path, min_anonymity_n=settings.min_anonymity_n
        )
    except Exception as exc:  # whatever failed, the publish stands: a warning, not a failure
        print(
            f"cxw run: WARNING: the KPI report {settings.report_path} was not refreshed "
            f"({type(exc).__name__}: {_first_line(str(exc))}); the warehouse is published",
            file=sys.stderr,
        )
        return None
    print(report.describe())
    return report


def run_nightly(settings: Settings, *, full_refresh: bool = False) -> int:
    """Run the job; print a one-line verdict; return the process exit code."""
    return run_night(settings, full_refresh=full_refresh).exit_code


def run_night(settings: Settings, *, full_refresh: bool = False) -> NightOutcome:
    """Run the job, print a one-line verdict and, after a publish, refresh the KPI report."""
    started = time.monotonic()
    try:
        with exclusive_build(settings, "cxw run"):
            if not full_refresh:
                check_landing_zone(settings)
            # What a killed publish left, even on a night that will not publish.
            remove_publish_leftovers(settings)
            # the published file copied for the publish while the run builds (a full
            # refresh publishes a new file)
            prepared = nullcontext() if full_refresh else prepare_release_copy(settings)
            with prepared:
                try:
                    result = execute_nightly_job(settings, full_refresh=full_refresh)
                finally:
                    # saved queries computed ahead for a publish a failed check stopped
                    finish_saved_queries(settings)
    except RunInProgress as refusal:
        return NightOutcome(refused("cxw run", refusal, EXIT_RUN_IN_PROGRESS), published=False)
    except ledger.LandingZoneMismatch as refusal:
        return NightOutcome(refused("cxw run", refusal, EXIT_CONFIGURATION), published=False)
    for rejected in _files_rejected_whole(result):
        print(
            f"cxw run: WARNING: file rejected whole, none of its rows loaded: {rejected}",
            file=sys.stderr,
        )
    failure = _failure_summary(result)
    if failure:
        elapsed = time.monotonic() - started
        print(f"cxw run: FAILED after {elapsed:.0f}s: {failure}", file=sys.stderr)
        return NightOutcome(EXIT_FAILED, published=False)
    published = any(
        event.asset_key == PUBLISHED_WAREHOUSE_KEY
        for event in result.get_asset_materialization_events()
    )
    code = done(started, f"published {settings.warehouse_path}" if published else NOTHING_NEW)
    report = refresh_report(settings) if published else None
    return NightOutcome(code, published=published, report=report)


def withdraw_landing_files(settings: Settings, paths: list[str]) -> int:
    """``cxw withdraw``: take the rows of landing files out of raw now, and out of every fact
    and KPI at the next run (a full refresh of the dbt models); print one line per file."""
    from orchestration.landing.retractions import withdraw_files

    landing = settings.landing_dir.resolve()
    relative = []
    for path in paths:
        candidate = Path(path)
        if candidate.is_absolute():
            try:
                candidate = candidate.resolve().relative_to(landing)
            except ValueError:
                print(f"cxw withdraw: {path} is not in the landing zone {landing}", file=sys.stderr)
                return EXIT_CONFIGURATION
        relative.append(candidate.as_posix())
    if not settings.build_path.exists():
        print(f"cxw withdraw: no build database at {settings.build_path}", file=sys.stderr)
        return EXIT_CONFIGURATION
    try:
        with exclusive_build(settings, "cxw withdraw"):
            check_landing_zone(settings)
            with connect(settings.build_path, settings) as con:
                removed = withdraw_files(con, landing, relative)
    except RunInProgress as refusal:
        return refused("cxw withdraw", refusal, EXIT_RUN_IN_PROGRESS)
    except (ledger.LandingZoneMismatch, ValueError) as refusal:
        return refused("cxw withdraw", refusal, EXIT_CONFIGURATION)
    for path, rows in removed:
        print(f"withdrew {path}: {rows} rows removed from raw")
    print("the next `cxw run` rebuilds the facts and KPIs without them")
    return EXIT_OK
