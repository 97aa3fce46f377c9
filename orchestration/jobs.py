"""The nightly job: every asset, in one process, so the build database has one writer."""

from __future__ import annotations

import dagster as dg

from orchestration.names import NIGHTLY_JOB_NAME


def build_nightly_job() -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        NIGHTLY_JOB_NAME,
        selection=dg.AssetSelection.all(),
        executor_def=dg.in_process_executor,
        description="Landing files -> raw -> dbt (staging, intermediate, marts) with checks.",
    )
