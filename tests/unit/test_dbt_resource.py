"""The dbt resource overrides two private methods of dagster-dbt's DbtCliResource, to spare
every dbt invocation an in-process adapter and a `dbt --version` subprocess. dagster and
dagster-dbt are pinned exactly; these tests fail loudly when an upgrade changes what is
overridden, instead of the override silently doing nothing."""

from __future__ import annotations

import importlib.metadata
import inspect
from functools import cached_property

from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.assets.transform import (
    PARSED_PROJECTS_DIR,
    NightlyDbtCliResource,
    build_dbt_project,
    parsed_project_path,
)
from orchestration.settings import load_settings


def test_the_overridden_methods_still_exist_with_the_same_shape():
    adapter = inspect.getattr_static(DbtCliResource, "_initialize_dbt_core_adapter")
    assert list(inspect.signature(adapter).parameters) == ["self", "args"]
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"), cached_property)


def test_cli_still_calls_what_is_overridden():
    source = inspect.getsource(DbtCliResource.cli)
    assert "self._initialize_dbt_core_adapter(args)" in source
    assert "self._cli_version" in source


def test_the_override_reports_the_installed_dbt_core_and_opens_no_adapter():
    resource = NightlyDbtCliResource(project_dir=build_dbt_project())
    assert resource._cli_version == version.parse(importlib.metadata.version("dbt-core"))
    assert resource._cli_version.major == 1  # dbt-core, not the fusion engine
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_each_build_database_has_its_own_dbt_target_and_each_vars_their_parse(tmp_path):
    """Two deployments run from one checkout at once never share dbt's working folder, and
    other vars are parsed into another folder (never overwriting a manifest in use)."""
    first = load_settings({"CXW_BUILD_PATH": str(tmp_path / "a" / "cxw_build.duckdb")})
    second = load_settings(
        {
            "CXW_BUILD_PATH": str(tmp_path / "b" / "cxw_build.duckdb"),
            "CXW_SOURCE_TIMEZONES": "calls=Europe/Berlin",
        }
    )
    assert first.dbt_target_dir == tmp_path / "a" / "cxw_build_dbt"
    assert second.dbt_target_dir == tmp_path / "b" / "cxw_build_dbt"
    assert parsed_project_path(first) != parsed_project_path(second)
    same_vars = load_settings({"CXW_BUILD_PATH": str(tmp_path / "b" / "cxw_build.duckdb")})
    assert parsed_project_path(first) == parsed_project_path(same_vars)
    assert parsed_project_path(first).parent == PARSED_PROJECTS_DIR
