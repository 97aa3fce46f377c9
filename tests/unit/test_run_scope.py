"""What a `cxw run` loads and builds, judged before the job starts, on a real small build
database (one calls file loaded and published): the sources with new files when the build
can be judged source by source, every source otherwise. The selection of assets it makes
is tested on the real definitions in tests/integration/test_definitions.py, and a run of
it end to end in tests/integration/test_incremental.py."""

from __future__ import annotations

import pytest

from orchestration.landing.retractions import withdraw_files
from orchestration.run_scope import run_scope
from orchestration.warehouse import connect
from tests.unit.one_file_deployment import (
    CALLS,
    DAY_FILE,
    QUEUES,
    deployment_settings,
    land,
    load,
    publish_one_file,
    record_build,
)

TICKETS = (
    "ticket_id,client_id,customer_id,channel,created_at,first_response_at,resolved_at,"
    "agent_id,status\n"
    "T1,C001,C001-1,email,2026-03-06T09:00:00Z,2026-03-06T09:30:00Z,,A00001,open\n"
)


def _withdraw(settings, path: str) -> None:
    with connect(settings.build_path, settings) as con:
        withdraw_files(con, settings.landing_dir, [path])


@pytest.fixture
def published(tmp_path):
    return publish_one_file(deployment_settings(tmp_path))


def test_a_new_calls_export_scopes_the_run_to_calls(published):
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    scope = run_scope(published)
    assert scope.sources == frozenset({"calls"})
    assert scope.describe() == "sources calls and what depends on them (the only new files)"


def test_new_files_of_two_sources_scope_the_run_to_both(published):
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    land(published, "tickets/tickets_2026-03-06.csv", TICKETS)
    assert run_scope(published).sources == frozenset({"calls", "tickets"})


def test_files_loaded_but_not_published_stay_in_scope(published):
    """A night whose check failed loaded a calls file no publish passed on: the next run,
    brought by a tickets file, builds the calls again."""
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    load(published, "calls", "run-2")
    land(published, "tickets/tickets_2026-03-06.csv", TICKETS)
    assert run_scope(published).sources == frozenset({"calls", "tickets"})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda s: (s.landing_dir / DAY_FILE).write_text(CALLS.replace("280,", "281,")),
            f"{DAY_FILE} changed since it was read",
        ),
        (
            lambda s: land(s, "queues/queues.csv", QUEUES),
            "new files of queues, which maps other sources' records",
        ),
        (
            lambda s: record_build(s, "run-2"),
            "a dbt build since the last publish was not published",
        ),
        (
            lambda s: _withdraw(s, DAY_FILE),
            f"{DAY_FILE} took keys out of raw or remapped vendor records since the last build",
        ),
    ],
    ids=["a read file changed", "a mapping source", "an unpublished build", "a withdrawal"],
)
def test_what_cannot_be_judged_source_by_source_takes_every_source(published, change, reason):
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    change(published)
    scope = run_scope(published)
    assert scope.sources is None
    assert scope.reason == reason
    assert scope.describe() == f"every source ({reason})"


def test_changed_dbt_settings_take_every_source(published, tmp_path):
    land(published, "calls/calls_2026-03-06.csv", CALLS.replace("CL", "CM"))
    other_scale = deployment_settings(tmp_path, CXW_SURVEY_SCALES="csat=1..7")
    assert run_scope(other_scale).reason == (
        "the dbt project or its settings changed since the last publish"
    )


def test_a_first_run_takes_every_source(tmp_path):
    settings = deployment_settings(tmp_path)
    land(settings, DAY_FILE, CALLS)
    assert run_scope(settings).reason == "no build database yet"
