"""The publish step's gate for the checks that are not Dagster's blocking checks.

The raw sources' Great Expectations suites run after the dbt build, not before it
(``orchestration/assets/quality.py``): Dagster's blocking would hold the build back until
they ran. Their ``expectations`` checks still decide whether the run publishes: the
publish step reads this run's checks from Dagster's event log and refuses while one that
was planned failed or did not run.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from orchestration.names import EXPECTATIONS_CHECK


def expectations_stopping_the_publish(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The ``expectations`` checks planned in the run that failed or did not run, one line
    each, as Dagster's event log of the run has them: the publish refuses unless the list
    is empty."""
    records = instance.get_records_for_run(
        run_id,
        of_type={
            dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
            dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        },
    ).records
    planned, evaluations = set(), []
    for record in records:
        event = record.event_log_entry.dagster_event
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
            planned.add(event.event_specific_data.asset_check_key)
        else:
            evaluations.append(event.event_specific_data)
    return unpassed_expectations(planned, evaluations)


def unpassed_expectations(
    planned: set[dg.AssetCheckKey], evaluations: Sequence[dg.AssetCheckEvaluation]
) -> list[str]:
    """Of the ``planned`` checks, the ``expectations`` checks without a passed evaluation."""
    passed = {e.asset_check_key for e in evaluations if e.passed}
    failed = {e.asset_check_key: e for e in evaluations if not e.passed}
    lines = []
    for key in sorted(planned, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        if key.name != EXPECTATIONS_CHECK or key in passed:
            continue
        where = f"check {key.name} on {key.asset_key.to_user_string()}"
        if key in failed:
            why = failed[key].description
            lines.append(f"{where} failed" + (f": {why}" if why else ""))
        else:
            lines.append(f"{where} did not run")
    return lines
