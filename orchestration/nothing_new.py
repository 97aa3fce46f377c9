"""A ``cxw run`` with nothing to do, finished before Dagster, dbt and GX are imported.

Importing them takes about 13 s, most of a run that finds nothing new. So ``cxw run``
first asks, holding the build lock, with plain DuckDB (the build database read-only) and
the listing of the landing zone, whether the nightly job would change anything. It would
not exactly when each of its steps would do nothing:

* ingestion: every accepted landing file is in the manifest with its size and mtime
  (the loader's own ``new_or_changed_files`` finds none to read), and the ledger and the
  raw tables lack no table or column this release creates;
* the blocking raw checks: every raw table reconciles with the manifest, and the GX
  suites have no rows to validate (they read the files loaded since the last publish);
* dbt: the conditions under which ``plan_transform`` skips: a publish, no landing file
  recorded or withdrawn since, the dbt code and vars of its fingerprint, no key taken
  out of raw and no mapping source loaded since the last dbt build;
* publish: skipped with the dbt step.

It asks for more than the job does, never less: no dbt build since the last publish, no
write-ahead log left by an interrupted run, and the published file and its Parquet copy
both written by the last publish. Anything it cannot read sends the run to the job,
which then does what it always did (and refuses another landing zone, or fails, in its
own words). See DECISIONLOG.md, "A run with nothing new starts no Dagster run".
"""

from __future__ import annotations

import time

import duckdb

from orchestration import ledger
from orchestration.landing.contract import SOURCES
from orchestration.landing.files import discover_files
from orchestration.landing.raw_tables import new_or_changed_files, reconcile
from orchestration.releases import remove_publish_leftovers
from orchestration.run_lock import RunInProgress, exclusive_build
from orchestration.run_outcome import EXIT_RUN_IN_PROGRESS, NOTHING_NEW, done, refused
from orchestration.run_scope import why_every_model
from orchestration.settings import Settings
from orchestration.warehouse import connect, is_last_publish, sql_text


def finish_if_nothing_new(settings: Settings) -> int | None:
    """``cxw run`` when the nightly job would change nothing: its verdict, without it.

    Returns the exit code; None when the job is to run."""
    started = time.monotonic()
    try:
        with exclusive_build(settings, "cxw run"):
            if why_the_job_runs(settings) is not None:
                return None
            remove_publish_leftovers(settings)  # as the job does, even when it publishes nothing
    except RunInProgress as refusal:
        return refused("cxw run", refusal, EXIT_RUN_IN_PROGRESS)
    return done(started, NOTHING_NEW)


def why_the_job_runs(settings: Settings) -> str | None:
    """Why the nightly job may have something to do (the first reason found), or None
    when it would load nothing, build nothing and publish nothing."""
    build = settings.build_path
    if not build.exists():
        return "no build database yet"
    if build.with_name(build.name + ".wal").exists():
        return "the build database has the write-ahead log of an interrupted run"
    try:
        with connect(build, settings, read_only=True) as con:
            return (
                _why_in_ledger(con, settings)
                or _why_in_landing_zone(con, settings)
                or _why_in_raw(con)
                or _why_published(con, settings)
            )
    except (duckdb.Error, OSError) as error:
        return f"the build database or the published files could not be read: {error}"


def _why_in_ledger(con: duckdb.DuckDBPyConnection, settings: Settings) -> str | None:
    """What the ledger says is not published yet, or would be built again."""
    why = why_every_model(con, settings)
    if why is not None:
        return why
    files = ledger.files_since_last_publish(con)
    if files:
        return f"{files} landing file(s) recorded or withdrawn since the last publish"
    return None


def _why_in_landing_zone(con: duckdb.DuckDBPyConnection, settings: Settings) -> str | None:
    """The first landing file the loader would read (new, or changed since it was read)."""
    for spec in SOURCES.values():
        files, _ = discover_files(settings.landing_dir, spec.name, spec.vendor_format)
        changed = new_or_changed_files(files, ledger.known_files(con, spec.name))
        if changed:
            return f"{changed[0].relative_path} is new or changed since it was read"
    return None


def _why_in_raw(con: duckdb.DuckDBPyConnection) -> str | None:
    """The first raw table whose rows disagree with the manifest (a blocking check)."""
    for source in SOURCES:
        problems = reconcile(con, source)
        if problems:
            return f"raw.{source} does not reconcile with the manifest: {problems[0]}"
    return None


def _why_published(con: duckdb.DuckDBPyConnection, settings: Settings) -> str | None:
    """Why the published file or its Parquet copy may not be the last publish's."""
    if not settings.warehouse_path.exists():
        return "no published warehouse"
    con.execute(f"attach {sql_text(settings.warehouse_path)} as published (read_only)").fetchall()
    try:
        current = is_last_publish(con, settings.parquet_dir, ledger.last_publish(con)[0])
    finally:
        con.execute("detach published").fetchall()
    if not current:
        return "the published files are not the last publish of this build database"
    return None
