"""The Dagster code location of CX Warehouse: assembles definitions, does nothing else."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.ingestion import build_ingestion_assets
from orchestration.assets.publish import build_publish_asset
from orchestration.assets.quality import build_quality_checks
from orchestration.assets.transform import (
    build_dbt_project,
    build_dbt_resource,
    build_transform_assets,
)
from orchestration.jobs import build_nightly_job
from orchestration.published_tables import incremental_tables_from_manifest
from orchestration.schedules import build_landing_sensor, build_nightly_schedule
from orchestration.semantic_layer import SEMANTIC_MANIFEST_FILE
from orchestration.settings import load_settings


@dg.definitions
def defs() -> dg.Definitions:
    settings = load_settings()
    project = build_dbt_project(settings)
    project.prepare_if_dev()
    transform_assets = build_transform_assets(project)
    return dg.Definitions(
        assets=[
            *build_ingestion_assets(),
            transform_assets,
            build_publish_asset(
                upstream=list(transform_assets.keys),
                incremental_tables=incremental_tables_from_manifest(project.manifest_path),
                semantic_manifest=project.manifest_path.with_name(SEMANTIC_MANIFEST_FILE),
            ),
        ],
        asset_checks=build_quality_checks(transform_assets),
        jobs=[build_nightly_job()],
        schedules=[build_nightly_schedule(settings)],
        sensors=[build_landing_sensor(settings)],
        resources={"dbt": build_dbt_resource(project)},
    )
