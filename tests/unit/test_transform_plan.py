"""What the nightly dbt build does, judged against the last publish: skip, incremental or
full refresh; and the fingerprint of the dbt code and vars that decision rests on."""

import datetime as dt
import shutil

import duckdb
import pytest

from orchestration import ledger
from orchestration.assets.transform import (
    FULL_REFRESH,
    INCREMENTAL,
    SKIP,
    plan_transform,
)
from orchestration.fingerprint import transform_fingerprint
from orchestration.landing.raw_tables import ensure_raw_tables
from orchestration.settings import DBT_PROJECT_DIR, load_settings

PUBLISHED_AT = dt.datetime(2026, 3, 10, 2, 0)


@pytest.fixture
def settings(tmp_path):
    return load_settings(
        {
            "CXW_BUILD_PATH": str(tmp_path / "build.duckdb"),
            "CXW_WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb"),
        }
    )


def _build_db(settings, *, published_fingerprint=None, file_ingested_at=None):
    """A build database with one publish (when a fingerprint is given) and one file."""
    con = duckdb.connect(str(settings.build_path))
    ensure_raw_tables(con, [])
    if published_fingerprint is not None:
        con.execute(
            "insert into meta.publish_history values (?, 'run-1', ?)",
            [PUBLISHED_AT, published_fingerprint],
        ).fetchall()
    if file_ingested_at is not None:
        con.execute(
            "insert into meta.ingest_manifest values ('calls', 'calls/c.csv', 'abc', 1, 1, "
            "'csv', 'loaded', null, null, 1, 1, 0, [], ?, 'run-2')",
            [file_ingested_at],
        ).fetchall()
    con.close()
    settings.warehouse_path.write_bytes(b"published")


def test_nothing_new_and_same_code_skips(settings):
    fingerprint = transform_fingerprint(settings)
    _build_db(
        settings,
        published_fingerprint=fingerprint,
        file_ingested_at=PUBLISHED_AT - dt.timedelta(hours=1),
    )
    assert plan_transform(settings, fingerprint).action == SKIP


def test_a_file_since_the_last_publish_builds_incrementally(settings):
    fingerprint = transform_fingerprint(settings)
    _build_db(
        settings,
        published_fingerprint=fingerprint,
        file_ingested_at=PUBLISHED_AT + dt.timedelta(days=1),
    )
    plan = plan_transform(settings, fingerprint)
    assert plan.action == INCREMENTAL
    assert plan.reason == "1 landing file(s) since the last publish"


def test_changed_code_or_vars_rebuild_everything(settings):
    _build_db(settings, published_fingerprint="an-older-fingerprint")
    assert plan_transform(settings, transform_fingerprint(settings)).action == FULL_REFRESH


def test_never_published_or_no_warehouse_file_builds(settings):
    fingerprint = transform_fingerprint(settings)
    _build_db(settings)
    assert plan_transform(settings, fingerprint).action == INCREMENTAL
    settings.warehouse_path.unlink()
    plan = plan_transform(settings, fingerprint)
    assert (plan.action, plan.reason) == (INCREMENTAL, "no published warehouse yet")


def test_fingerprint_follows_the_dbt_code_and_the_vars(tmp_path, settings):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    first = transform_fingerprint(settings, project)
    assert transform_fingerprint(settings, project) == first
    # build output is no input: a new run's target folder changes nothing
    (project / "target").mkdir(exist_ok=True)
    (project / "target" / "run_results.json").write_text("{}")
    assert transform_fingerprint(settings, project) == first
    model = project / "models" / "marts" / "kpi" / "kpi_metrics.sql"
    model.write_text(model.read_text() + "\n-- an analyst's edit\n")
    edited = transform_fingerprint(settings, project)
    assert edited != first
    other_scale = load_settings(
        {"CXW_BUILD_PATH": str(settings.build_path), "CXW_SURVEY_SCALES": "csat=1..7"}
    )
    assert transform_fingerprint(other_scale, project) not in {first, edited}


def test_keys_taken_out_of_raw_since_the_last_build_rebuild_everything(settings):
    """A corrected file that no longer holds a key, or a withdrawn file: incremental models
    revisit only keys that arrive, so the night is a full refresh; once built, it is not."""
    fingerprint = transform_fingerprint(settings)
    _build_db(settings, published_fingerprint=fingerprint)
    con = duckdb.connect(str(settings.build_path))
    ledger.record_transform(con, fingerprint, "run-1")
    ledger.record_retraction(con, "calls", "calls/day.csv", ledger.CORRECTED, 2, 0, "run-2")
    con.close()
    assert plan_transform(settings, fingerprint).action == INCREMENTAL  # no key dropped

    con = duckdb.connect(str(settings.build_path))
    ledger.record_retraction(con, "calls", "calls/day.csv", ledger.CORRECTED, 2, 1, "run-2")
    ledger.record_retraction(con, "tickets", "tickets/x.csv", ledger.WITHDRAWN, 5, 5, None)
    con.close()
    plan = plan_transform(settings, fingerprint)
    assert (plan.action, plan.reason) == (
        FULL_REFRESH,
        "calls/day.csv and 1 more took keys out of raw (corrected or withdrawn)",
    )

    con = duckdb.connect(str(settings.build_path))
    ledger.record_transform(con, fingerprint, "run-2")
    con.close()
    assert plan_transform(settings, fingerprint).action == INCREMENTAL


def test_a_changed_mapping_source_remaps_every_vendor_record(settings):
    """A queue or agent identity added after the records arrived must reach the records
    already in the facts, which an incremental build would not revisit."""
    fingerprint = transform_fingerprint(settings)
    _build_db(settings, published_fingerprint=fingerprint)
    con = duckdb.connect(str(settings.build_path))
    ledger.record_transform(con, fingerprint, "run-1")
    con.execute(
        "insert into meta.ingest_manifest values ('queues', 'queues/q.csv', 'abc', 1, 1, "
        "'csv', 'loaded', null, null, 1, 1, 0, [], ?, 'run-2')",
        [dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    ).fetchall()
    con.close()
    plan = plan_transform(settings, fingerprint)
    assert (plan.action, plan.reason) == (
        FULL_REFRESH,
        "queues/q.csv changed how vendor records map (mapping source)",
    )

    con = duckdb.connect(str(settings.build_path))
    ledger.record_transform(con, fingerprint, "run-2")
    con.close()
    assert plan_transform(settings, fingerprint).action == INCREMENTAL
