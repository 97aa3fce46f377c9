"""The publish step's gate: every planned `expectations` check must have passed."""

import dagster as dg

from orchestration.publish_gate import unpassed_expectations

CALLS = dg.AssetKey(["raw", "calls"])
SURVEYS = dg.AssetKey(["raw", "surveys"])
TICKETS = dg.AssetKey(["raw", "tickets"])
KPI = dg.AssetKey(["marts", "kpi_metrics"])


def _evaluation(key: dg.AssetKey, check: str, *, passed: bool, description=None):
    return dg.AssetCheckEvaluation(
        asset_key=key,
        check_name=check,
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=description,
    )


def test_failed_and_missing_expectations_stop_the_publish_warnings_do_not():
    planned = {
        dg.AssetCheckKey(CALLS, "expectations"),
        dg.AssetCheckKey(CALLS, "expectation_warnings"),
        dg.AssetCheckKey(SURVEYS, "expectations"),
        dg.AssetCheckKey(TICKETS, "expectations"),
        dg.AssetCheckKey(KPI, "expectations"),
    }
    evaluations = [
        _evaluation(CALLS, "expectations", passed=True),
        _evaluation(CALLS, "expectation_warnings", passed=False),  # a warning only
        _evaluation(SURVEYS, "expectations", passed=False, description="scale_drift__csat"),
        _evaluation(KPI, "expectations", passed=True),
        # an evaluation of a check the run did not plan changes nothing
        _evaluation(dg.AssetKey(["raw", "agents"]), "expectations", passed=False),
    ]

    assert unpassed_expectations(planned, evaluations) == [
        "check expectations on raw/surveys failed: scale_drift__csat",
        "check expectations on raw/tickets did not run",
    ]


def test_every_planned_expectation_passed_lets_the_publish_run():
    planned = {dg.AssetCheckKey(CALLS, "expectations"), dg.AssetCheckKey(KPI, "expectations")}
    evaluations = [
        _evaluation(CALLS, "expectations", passed=True),
        _evaluation(KPI, "expectations", passed=True),
    ]

    assert unpassed_expectations(planned, evaluations) == []
    assert unpassed_expectations(set(), []) == []
