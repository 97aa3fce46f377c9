"""`cxw run` over generated exports: raw tables, rejects and manifest, through a real Dagster run."""

import os

from orchestration.landing.contract import MAPPING_SOURCES, SOURCES
from tests.integration.conftest import FIRST_RUN_STDERR, Deployment

PARSE_REASONS = {"bad_timestamp", "bad_number", "negative_duration", "empty_key", "unknown_enum"}
NOTHING_NEW = "; nothing new since the last publish; the published warehouse is unchanged"
# The stack a run imports to run the nightly job; a run with nothing new imports none of it.
STACK = {"dagster", "dagster_dbt", "dbt", "great_expectations"}


def test_every_generated_row_is_read_and_loaded_or_rejected(sample_build):
    deployment, summary = sample_build
    manifest = dict(
        (source, (read, loaded, rejected))
        for source, read, loaded, rejected in deployment.query(
            "select source, sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
            "from meta.ingest_manifest group by source"
        )
    )
    # the sample zone is canonical: every canonical source, no vendor folder
    assert set(manifest) == {s for s, spec in SOURCES.items() if not spec.is_vendor} - set(
        MAPPING_SOURCES
    )
    for source, written in summary.rows_by_source.items():
        if source not in manifest:  # a vendor or mapping folder the canonical zone leaves out
            assert written == 0, source
            continue
        read, loaded, rejected = manifest[source]
        assert read == written, source
        assert read == loaded + rejected, source
        (in_raw,) = deployment.query(f"select count(*) from raw.{source}")[0]
        assert in_raw == loaded, source


def test_rejects_match_the_bad_input_the_generator_wrote(sample_build):
    deployment, summary = sample_build
    rejected = dict(
        deployment.query("select reason, count(*) from meta.rejected_rows group by reason")
    )
    injected = {k: v for k, v in summary.bad_rows_by_reason.items() if k in PARSE_REASONS}
    assert rejected == injected
    file_rejects = deployment.query(
        "select file_path, error_reason, rows_rejected from meta.ingest_manifest "
        "where status = 'rejected'"
    )
    assert [reason for _, reason, _ in file_rejects] == ["missing_required_column"]
    assert file_rejects[0][2] == summary.bad_rows_by_reason["missing_required_column"]
    # the run's last lines name the file, for the operator to fix and land it again
    stderr = (deployment.root / FIRST_RUN_STDERR).read_text()
    warnings = [line for line in stderr.splitlines() if "rejected whole" in line]
    assert warnings == [
        "cxw run: WARNING: file rejected whole, none of its rows loaded: "
        f"{file_rejects[0][0]}: missing required column 'channel'"
    ]


def test_second_run_changes_nothing(sample_copy):
    """A night with nothing new neither rebuilds nor republishes: the file a reader opens
    is the same file (inode, modification time), and the ledger records no dbt build and
    no publish."""
    deployment, _ = sample_copy
    tables = [*(f"raw.{s}" for s in SOURCES), "meta.rejected_rows", "meta.ingest_manifest"]
    ledger = ["meta.transform_history", "meta.publish_history"]
    before = {t: deployment.query(f"select * from {t} order by all") for t in tables + ledger}
    opened = deployment.warehouse_path.resolve()
    stat_before = opened.stat()
    published_before = deployment.published("select * from quality.publish_log")
    assert len(before["meta.transform_history"]) == len(before["meta.publish_history"]) == 1

    result, imported = _run_listing_imports(deployment)
    assert result.stdout.splitlines()[-1].startswith("cxw run: done in ")
    assert result.stdout.splitlines()[-1].endswith(NOTHING_NEW)
    assert imported & STACK == set()  # finished before the stack: no Dagster run
    after = {t: deployment.query(f"select * from {t} order by all") for t in tables + ledger}
    assert after == before  # no new transform_history or publish_history row
    assert deployment.warehouse_path.resolve() == opened
    stat_after = opened.stat()
    assert (stat_after.st_ino, stat_after.st_mtime_ns, stat_after.st_size) == (
        stat_before.st_ino,
        stat_before.st_mtime_ns,
        stat_before.st_size,
    )
    assert deployment.published("select * from quality.publish_log") == published_before


def _run_listing_imports(deployment: Deployment):
    """``cxw run``, and the top-level packages its process imported (``-X importtime``)."""
    result = deployment.cxw("run", PYTHONPROFILEIMPORTTIME="1")
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return result, imported


def test_a_touched_landing_file_runs_the_job_then_nothing_is_new_again(sample_copy):
    """A file whose mtime changed is read again by the job (same content: nothing loaded,
    its new mtime recorded); the next run finds nothing new before importing the stack."""
    deployment, _ = sample_copy
    day = sorted((deployment.landing_dir / "calls").iterdir())[0]
    stat = day.stat()
    os.utime(day, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    published_before = deployment.published("select * from quality.publish_log")

    touched, imported = _run_listing_imports(deployment)
    assert touched.stdout.splitlines()[-1].endswith(NOTHING_NEW)
    assert imported >= {"dagster", "dagster_dbt"}  # the nightly job ran
    relative = day.relative_to(deployment.landing_dir).as_posix()
    assert deployment.query(
        "select modified_ns, ingested_at < (select max(published_at) from meta.publish_history) "
        "from meta.ingest_manifest where file_path = ?",
        [relative],
    ) == [(stat.st_mtime_ns + 1_000_000_000, True)]

    again, imported = _run_listing_imports(deployment)
    assert again.stdout.splitlines()[-1].endswith(NOTHING_NEW)
    assert imported & STACK == set()
    assert deployment.published("select * from quality.publish_log") == published_before
