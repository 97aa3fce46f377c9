"""The Dagster code location: one line of assets from landing files to the published marts.

Asset keys are ``<schema>/<table>`` of the build database: ``raw/calls`` (the ingestion
asset and the dbt source), ``staging/stg_telephony__calls``, ..., ``marts/kpi_metrics``.
"""

import dagster as dg
import pytest

from data_quality.suites import VALIDATED_SOURCES
from orchestration.landing.contract import SOURCES


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    from orchestration.nightly import prepare_dbt_manifest

    prepare_dbt_manifest()  # what `make setup` and `cxw run` do before loading
    from orchestration.definitions import defs

    return defs()


def _graph(definitions):
    return definitions.resolve_asset_graph()


def test_raw_assets_are_the_dbt_sources_and_feed_staging(definitions):
    graph = _graph(definitions)
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"raw/{s}" for s in SOURCES} <= keys
    calls_children = {
        k.to_user_string() for k in graph.get(dg.AssetKey(["raw", "calls"])).child_keys
    }
    assert "staging/stg_telephony__calls" in calls_children


def test_layers_are_groups_and_publish_comes_last(definitions):
    graph = _graph(definitions)
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys() if graph.has(k)}
    assert {"raw", "staging", "intermediate", "marts", "quality", "publish"} <= groups
    publish = graph.get(dg.AssetKey(["published_warehouse"]))
    parents = {k.to_user_string() for k in publish.parent_keys}
    assert {
        "marts/kpi_metrics",
        "marts/kpi_scorecard",
        "quality/quality_summary",
        "marts/fct_calls",
    } <= parents


def test_checks_schedule_and_sensor_are_defined(definitions):
    graph = _graph(definitions)
    check_names = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for source in SOURCES:
        for name in ("rows_reconcile", "no_rejected_files", "fresh_files"):
            assert (f"raw/{source}", name) in check_names
    # GX validates the sources whose values the parser cannot judge alone
    assert {"surveys", "calls", "tickets", "employee_surveys"} <= set(VALIDATED_SOURCES)
    for source in VALIDATED_SOURCES:
        for name in ("expectations", "expectation_warnings"):
            assert (f"raw/{source}", name) in check_names
    assert ("marts/kpi_metrics", "expectations") in check_names
    assert any(
        asset == "marts/fct_calls" and name.startswith("unique_") for asset, name in check_names
    )
    schedule = definitions.resolve_schedule_def("cxw_nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "UTC")
    assert definitions.resolve_sensor_def("landing_files_sensor").job_name == "cxw_nightly"
    job = definitions.resolve_job_def("cxw_nightly")
    assert job.executor_def.name == "in_process"


def test_a_run_of_new_calls_takes_the_calls_and_what_depends_on_them(definitions):
    """The assets of a run scoped to new calls exports (orchestration/run_scope.py)."""
    from orchestration.run_scope import RunScope, scoped_asset_keys

    graph = _graph(definitions)
    assert scoped_asset_keys(graph, RunScope(None, "a full refresh")) is None
    keys = {
        k.to_user_string()
        for k in scoped_asset_keys(graph, RunScope(frozenset({"calls"}), "new calls"))
    }
    # the calls' ingestion, their models down to the marts, and the publish
    assert {
        "raw/calls",
        "staging/stg_telephony__calls",
        "marts/fct_calls",
        "marts/kpi_metrics",
        "marts/kpi_intervals",
        "marts/kpi_scorecard",
        "published_warehouse",
    } <= keys
    # surveys are credited to the agent of their call
    assert "marts/fct_survey_responses" in keys
    # the models of the run ledger: every run that loads a file writes it
    assert {"quality/quality_ingested_files", "quality/quality_rejected_rows"} <= keys
    # nothing of the other sources, nothing that is not an asset of the job
    assert not {"raw/tickets", "marts/fct_tickets", "marts/dim_agent", "marts/kpi_targets"} & keys
    assert not any(key.startswith("meta/") for key in keys)


def test_the_landing_sensor_requests_a_run_of_the_new_files_sources(
    definitions, sample_copy, monkeypatch
):
    """On the sample build with one more calls export, the sensor's run request selects the
    calls and what depends on them, as `cxw run` does (orchestration/run_scope.py)."""
    from orchestration.run_scope import SCOPE_TAG, RunScope, scoped_asset_keys

    deployment, _ = sample_copy
    for name, value in deployment.env().items():
        if name.startswith("CXW_"):
            monkeypatch.setenv(name, value)
    (deployment.landing_dir / "calls" / "calls_2026-03-12.csv").write_text(
        "call_id,client_id,direction,offered_at,ended_at\n"
        "NEW1,C001,inbound,2026-03-12T09:00:00Z,2026-03-12T09:05:00Z\n"
    )
    sensor = definitions.get_sensor_def("landing_files_sensor")
    request = sensor(dg.build_sensor_context(cursor=None, definitions=definitions))
    assert isinstance(request, dg.RunRequest)
    scope = RunScope(frozenset({"calls"}), "the only new files")
    assert request.asset_selection == scoped_asset_keys(_graph(definitions), scope)
    assert request.tags[SCOPE_TAG] == (
        "sources calls and what depends on them (the only new files)"
    )
