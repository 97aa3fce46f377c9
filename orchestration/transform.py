"""Transform assets: the dbt project, every model an asset and every dbt test an asset check."""

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.ingestion import BUILD_DB_POOL
from orchestration.run_lock import exclusive_build
from orchestration.settings import DBT_PROJECT_DIR, Settings, load_settings

# Our own dbt target folder: an analyst's plain `dbt` (target/) never races the nightly run
# for manifest.json, and every nightly dbt call reuses it (partial parsing, no pile-up of
# per-invocation folders).
DBT_TARGET_PATH = Path("target") / "cxw"


class LayeredDbtTranslator(DagsterDbtTranslator):
    """Groups dbt assets by their layer folder (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props.get("resource_type") == "seed":
            return "seeds"
        return fqn[1] if len(fqn) > 2 else super().get_group_name(dbt_resource_props)


def dbt_settings_args(settings: Settings) -> list[str]:
    """dbt arguments carrying the effective KPI settings; sets dbt's environment.

    dbt runs in a subprocess that inherits this environment, in ``dbt_project/``; the build
    path is made absolute here so a relative CXW_BUILD_PATH means the same file to both.
    Parse and build get the same vars and environment, so dbt's partial parsing holds.
    """
    os.environ.update(settings.dbt_env())
    # dbt is installed beside this interpreter; a scheduler calling `.venv/bin/cxw` directly
    # may not have that folder on PATH.
    interpreter_bin = str(Path(sys.executable).parent)
    if interpreter_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([interpreter_bin, os.environ.get("PATH", "")])
    return ["--vars", json.dumps(settings.dbt_vars(), sort_keys=True)]


def build_dbt_project() -> DbtProject:
    return DbtProject(
        project_dir=DBT_PROJECT_DIR,
        profiles_dir=DBT_PROJECT_DIR,
        target_path=DBT_TARGET_PATH,
        prepare_project_cli_args=["parse", "--quiet", *dbt_settings_args(load_settings())],
    )


def dbt_build_args() -> list[str]:
    """The nightly ``dbt build``: models, seeds and data tests. The SQL unit tests prove the
    code, not the data, so they run in the test suite (``make test``), not every night."""
    return ["build", "--exclude-resource-type", "unit_test", *dbt_settings_args(load_settings())]


def build_transform_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=LayeredDbtTranslator(),
        pool=BUILD_DB_POOL,
    )
    def cx_warehouse_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        with exclusive_build(load_settings(), "dbt build"):
            yield from dbt.cli(
                dbt_build_args(), context=context, target_path=project.target_path
            ).stream()

    return cx_warehouse_dbt


def build_dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, profiles_dir=str(DBT_PROJECT_DIR))
