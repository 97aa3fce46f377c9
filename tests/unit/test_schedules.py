"""The landing sensor starts the job once per new state of the landing zone; freshness."""

import datetime as dt

import dagster as dg

from orchestration.assets.ingestion import _freshness_result
from orchestration.schedules import build_landing_sensor, build_nightly_schedule
from orchestration.settings import load_settings


def _settings(tmp_path, **env):
    return load_settings({"CXW_LANDING_DIR": str(tmp_path / "landing"), **env})


def test_sensor_requests_a_run_only_when_landing_files_change(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    monkeypatch.setenv("CXW_LANDING_DIR", str(settings.landing_dir))
    sensor = build_landing_sensor(settings)
    (settings.landing_dir / "calls").mkdir(parents=True)
    (settings.landing_dir / "calls" / "calls_2026-03-01.csv").write_text("call_id\n1\n")

    first = sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.RunRequest)
    cursor = first.run_key

    same = sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(same, dg.SkipReason)
    assert "no new or changed landing files (1 files)" in same.skip_message

    (settings.landing_dir / "calls" / "upload.csv.part").write_text("partial")  # ignored
    assert isinstance(sensor(dg.build_sensor_context(cursor=cursor)), dg.SkipReason)

    (settings.landing_dir / "calls" / "calls_2026-03-02.csv").write_text("call_id\n2\n")
    second = sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(second, dg.RunRequest)
    assert second.run_key != cursor


def test_sensor_can_be_switched_off_and_schedule_is_configurable(tmp_path):
    settings = _settings(
        tmp_path,
        CXW_LANDING_SENSOR="off",
        CXW_NIGHTLY_CRON="30 1 * * 1-5",
        CXW_NIGHTLY_TIMEZONE="Asia/Manila",
    )
    assert build_landing_sensor(settings).default_status == dg.DefaultSensorStatus.STOPPED
    schedule = build_nightly_schedule(settings)
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 1 * * 1-5", "Asia/Manila")


def test_freshness_flags_a_source_without_a_new_file_for_too_long():
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fresh = _freshness_result("calls", now - dt.timedelta(days=1), 2)
    stale = _freshness_result("calls", now - dt.timedelta(days=3), 2)
    never = _freshness_result("calls", None, 2)
    unlimited = _freshness_result("clients", None, None)
    assert (fresh.passed, stale.passed, never.passed, unlimited.passed) == (
        True,
        False,
        False,
        True,
    )
    assert stale.severity == dg.AssetCheckSeverity.WARN
    assert stale.description == "calls: no new file for more than 2 days"
