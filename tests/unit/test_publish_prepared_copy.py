"""The copy of the published file a run prepares while it builds
(orchestration/releases.py, prepare_release_copy): the delta publish starts from it instead
of copying the file then; a copy of a file that changed since is not used; a copy nobody
took is removed when the run ends."""

import os
import shutil

import duckdb
import pytest

from orchestration import releases
from orchestration.assets.publish import publish_warehouse
from orchestration.published_tables import IncrementalTable
from orchestration.releases import (
    CURRENT_RELEASE,
    PREVIOUS_RELEASE,
    prepare_release_copy,
    releases_dir,
)
from tests.unit.publish_helpers import _build, _published, publish_settings

CALLS = IncrementalTable("marts.fct_calls", key="call_id", month_column="report_date")


@pytest.fixture
def settings(tmp_path):
    """A build of three calls, published once (night 1); night 2 then writes a fourth."""
    settings = publish_settings(tmp_path)
    _build(
        settings,
        "create table marts.fct_calls as select 'K' || i as call_id, "
        "date '2026-01-10' + cast(i as integer) as report_date, "
        "timestamp '2026-03-01 02:00:00' as _built_at from range(3) as t(i)",
    )
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    con = duckdb.connect(str(settings.build_path))
    con.execute(
        "insert into marts.fct_calls values ('K3', date '2026-03-02', '2026-03-02 02:00:00')"
    ).fetchall()
    con.close()
    return settings


def _releases(settings) -> set[str]:
    links = (CURRENT_RELEASE, PREVIOUS_RELEASE)
    return {p.name for p in releases_dir(settings).iterdir() if p.name not in links}


def _current(settings) -> str:
    return os.readlink(releases_dir(settings) / CURRENT_RELEASE)


def test_the_delta_publish_starts_from_the_copy_prepared_while_the_run_built(settings):
    night_1 = _current(settings)
    with prepare_release_copy(settings):
        (prepared,) = _releases(settings) - {night_1}
        report = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert report.method == "delta"
    assert _current(settings) == prepared  # that release folder, now published
    assert _releases(settings) == {prepared, night_1}  # night 1's kept as the previous one
    assert _published(settings, "select count(*) from marts.fct_calls") == [(4,)]


def test_a_copy_of_a_published_file_that_changed_since_is_not_used(settings):
    night_1 = _current(settings)
    with prepare_release_copy(settings):
        (prepared,) = _releases(settings) - {night_1}
        published = settings.warehouse_path.resolve()
        os.utime(published, ns=(0, published.stat().st_mtime_ns + 1))
        report = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert report.method == "delta"
    assert _current(settings) not in (prepared, night_1)  # copied afresh
    assert _releases(settings) == {_current(settings), night_1}  # the stale copy removed
    assert _published(settings, "select count(*) from marts.fct_calls") == [(4,)]


def test_a_copy_nobody_took_is_removed_when_the_run_ends(settings):
    night_1 = _current(settings)
    with prepare_release_copy(settings):
        assert len(_releases(settings)) == 2
    assert _releases(settings) == {night_1}
    assert _current(settings) == night_1
    assert _published(settings, "select count(*) from marts.fct_calls") == [(3,)]


def test_nothing_is_prepared_without_room_for_the_copy_and_the_runs_writes(settings, monkeypatch):
    published = settings.warehouse_path.resolve().stat().st_size
    room = shutil.disk_usage(settings.warehouse_path.parent)._replace(free=2 * published - 1)
    monkeypatch.setattr(releases.shutil, "disk_usage", lambda _path: room)
    night_1 = _current(settings)
    with prepare_release_copy(settings):
        assert _releases(settings) == {night_1}
    monkeypatch.undo()
    report = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert report.method == "delta"  # the publish copies the file itself, as before
    assert _published(settings, "select count(*) from marts.fct_calls") == [(4,)]


def test_nothing_is_prepared_before_the_first_publish(tmp_path):
    settings = publish_settings(tmp_path)
    with prepare_release_copy(settings):
        assert not releases_dir(settings).exists()
