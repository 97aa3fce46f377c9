"""Transform assets: the dbt project, every model an asset and every dbt test an asset check."""

import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from data_quality.runner import import_great_expectations_in_background
from orchestration import lake, ledger
from orchestration.fingerprint import transform_fingerprint
from orchestration.landing.contract import MAPPING_SOURCES
from orchestration.names import BUILD_DB_POOL, NIGHTLY_JOB_NAME
from orchestration.run_lock import exclusive_build
from orchestration.semantic_layer import SEMANTIC_MANIFEST_FILE, start_saved_queries
from orchestration.settings import DBT_PROJECT_DIR, Settings, load_settings
from orchestration.standby_dbt import PARTIAL_PARSE_FILE
from orchestration.warehouse import connect

# dbt's folders, apart from an analyst's plain `dbt` (dbt_project/target/):
# - the parsed project, one folder per dbt code and vars under target/cxw/ (named by
#   their fingerprint), written whole and never changed after: what the Dagster definitions
#   load, shared by every deployment run from this checkout;
# - the build's own target folder beside each build database (<build>_dbt/), which its
#   build lock guards: two deployments (two landing zones, other settings) built at once
#   never write or read each other's manifest, and every night of a deployment reuses its
#   folder (partial parsing, no pile-up of per-invocation folders).
PARSED_PROJECTS_DIR = DBT_PROJECT_DIR / "target" / "cxw"
STANDBY_DBT_EXECUTABLE = "cxw-dbt"  # orchestration/standby_dbt.py:launch


def parsed_project_path(settings: Settings) -> Path:
    return PARSED_PROJECTS_DIR / transform_fingerprint(settings)[:16]


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
    return ["--vars", settings.dbt_vars_json()]


def build_dbt_project(
    settings: Settings | None = None, target_path: Path | None = None
) -> DbtProject:
    """The dbt project as the definitions load it: parsed with these settings' vars."""
    settings = settings or load_settings()
    return DbtProject(
        project_dir=DBT_PROJECT_DIR,
        profiles_dir=DBT_PROJECT_DIR,
        target_path=target_path or parsed_project_path(settings),
        prepare_project_cli_args=["parse", "--quiet", *dbt_settings_args(settings)],
    )


def build_target(settings: Settings, parsed: Path) -> Path:
    """The build's target folder, started from the parsed project's partial-parsing state
    (so its first build does not parse the project again)."""
    target = settings.dbt_target_dir
    target.mkdir(parents=True, exist_ok=True)
    state = parsed / PARTIAL_PARSE_FILE
    if not (target / PARTIAL_PARSE_FILE).exists() and state.exists():
        shutil.copy2(state, target / PARTIAL_PARSE_FILE)
    return target


def dbt_build_args(settings: Settings) -> list[str]:
    """The nightly ``dbt build``: models, seeds and data tests, on the engine's target. The
    SQL unit tests prove the code, not the data, so they run in the test suite
    (``make test``), not every night."""
    return [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--target",
        settings.dbt_target(),
        # No JSON artifacts in the build's target folder (no reader: Dagster's event log
        # keeps each node's result), and its debug log as text: both cost dbt's one
        # Python thread about 0.7 s per run.
        "--no-write-json",
        "--log-format-file",
        "text",
        *dbt_settings_args(settings),
    ]


SKIP, INCREMENTAL, FULL_REFRESH = "skip", "incremental", "full_refresh"


@dataclass(frozen=True)
class TransformPlan:
    action: str  # skip | incremental | full_refresh
    reason: str


def plan_transform(settings: Settings, fingerprint: str) -> TransformPlan:
    """What the nightly dbt build has to do, judged against the last publish.

    * skip: no landing file was recorded since the last publish and the dbt code and vars
      are those it was built with; the published warehouse is already this build's.
    * full_refresh: the dbt code or vars changed since the last publish. Incremental
      tables (staging of the large sources, the facts) only recompute new rows, so a
      changed rule (a survey scale, a model's SQL) must rebuild them all. Likewise when a
      corrected or withdrawn file took keys out of raw since the last build: incremental
      models revisit only the keys that arrive, so a key that vanished would stay. And
      when a mapping source (queues, agent identities, survey questions) changed: it re-maps
      vendor records that did not arrive again (a queue mapped today credits last month's
      rejected contacts).
    * incremental: anything else.
    """
    with connect(settings.build_path, settings) as con:
        ledger.ensure_ledger(con)
        last = ledger.last_publish(con)
        files_since_publish = ledger.files_since_last_publish(con)
        dropping_keys = ledger.files_dropping_keys_since_last_transform(con)
        mappings = ledger.files_of_sources_since_last_transform(con, MAPPING_SOURCES)
        built_before = ledger.last_built_fingerprint(con) is not None
    if dropping_keys and built_before:
        more = f" and {len(dropping_keys) - 1} more" if len(dropping_keys) > 1 else ""
        return TransformPlan(
            FULL_REFRESH,
            f"{dropping_keys[0]}{more} took keys out of raw (corrected or withdrawn)",
        )
    if mappings and built_before:
        more = f" and {len(mappings) - 1} more" if len(mappings) > 1 else ""
        return TransformPlan(
            FULL_REFRESH, f"{mappings[0]}{more} changed how vendor records map (mapping source)"
        )
    if not settings.warehouse_path.exists():
        return TransformPlan(INCREMENTAL, "no published warehouse yet")
    if last is None:
        return TransformPlan(INCREMENTAL, "nothing published from this build database yet")
    _, published_fingerprint = last
    if published_fingerprint is not None and published_fingerprint != fingerprint:
        return TransformPlan(
            FULL_REFRESH, "the dbt project or its settings changed since the last publish"
        )
    if files_since_publish == 0 and published_fingerprint == fingerprint:
        return TransformPlan(
            SKIP, "no landing file since the last publish and the dbt project is unchanged"
        )
    return TransformPlan(
        INCREMENTAL, f"{files_since_publish} landing file(s) since the last publish"
    )


def record_transform(settings: Settings, fingerprint: str, run_id: str | None) -> None:
    """Record a successful dbt build and the fingerprint it was built with."""
    with connect(settings.build_path, settings) as con:
        ledger.ensure_ledger(con)
        ledger.record_transform(con, fingerprint, run_id)


def prepare_spark_build(
    settings: Settings, project: DbtProject, context: dg.AssetExecutionContext, args: list[str]
) -> DbtCliResource:
    """Before a dbt build on Spark: the raw layer as Parquet in the lake
    (orchestration/lake.py), a full rebuild (Spark rebuilds every model anyway,
    macros/is_incremental.sql; recreating the tables means a changed column type never meets
    last night's table), and the dbt of the Spark engine's own environment (engines/spark:
    the project's environment has no pyspark, which Great Expectations would import)."""
    with connect(settings.build_path, settings) as con:
        written = lake.write_lake_sources(con, settings.lake_dir)
    context.log.info(f"wrote {len(written)} raw and meta tables to the lake {settings.lake_dir}")
    if "--full-refresh" not in args:
        args.append("--full-refresh")
    return NightlyDbtCliResource(
        project_dir=project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(settings.spark_dbt),
    )


def spark_result_tables(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (schema, table) of every table Spark writes (models, seeds) in the schemas the
    checks and the publish step read."""
    return sorted(
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["schema"] in lake.SPARK_RESULT_SCHEMAS
        and node["config"].get("materialized") in ("table", "incremental", "seed")
    )


def read_spark_results(
    settings: Settings, project: DbtProject, context: dg.AssetExecutionContext
) -> None:
    """Spark's marts and quality tables into the build database, for checks and publish."""
    manifest = json.loads(project.manifest_path.read_text(encoding="utf-8"))
    tables = spark_result_tables(manifest)
    with connect(settings.build_path, settings) as con:
        lake.read_spark_tables(con, settings.lake_dir, tables)
    context.log.info(f"read {len(tables)} tables built by Spark into {settings.build_path}")


def build_transform_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=LayeredDbtTranslator(),
        pool=BUILD_DB_POOL,
    )
    def cx_warehouse_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        # dbt builds in its own process while this one mostly waits for its output: Great
        # Expectations (seconds of imports) loads now, for the checks after the build
        import_great_expectations_in_background()
        settings = load_settings()
        with exclusive_build(settings, "dbt build"):
            args = dbt_build_args(settings)
            fingerprint = transform_fingerprint(settings)
            if context.job_name == NIGHTLY_JOB_NAME:
                plan = plan_transform(settings, fingerprint)
                context.log.info(f"dbt build: {plan.action} ({plan.reason})")
                if plan.action == SKIP:
                    return  # nothing materialized: publish and the mart checks are skipped
                if plan.action == FULL_REFRESH:
                    args.append("--full-refresh")
            target = build_target(settings, project.project_dir / project.target_path)
            if settings.engine == "spark":
                dbt = prepare_spark_build(settings, project, context, args)
            yield from dbt.cli(args, context=context, target_path=target).stream()
            if settings.engine == "spark":
                read_spark_results(settings, project, context)
            record_transform(settings, fingerprint, context.run.run_id)
            if context.job_name == NIGHTLY_JOB_NAME:
                # the publish's saved queries read the marts just built: computed while
                # the checks run, in a thread the publish waits for
                start_saved_queries(
                    settings, project.manifest_path.with_name(SEMANTIC_MANIFEST_FILE)
                )

    return cx_warehouse_dbt


class NightlyDbtCliResource(DbtCliResource):
    """dbt CLI without two fixed costs dagster-dbt adds to every invocation:

    * its in-process dbt adapter (about 5 s), opened only to fetch row counts or column
      metadata on request; we request neither, and the subprocess does the work;
    * a ``dbt --version`` subprocess (about 3 s) to learn the version of dbt: the dbt this
      resource runs is the dbt-core installed beside this interpreter
      (``build_dbt_resource``), so the package metadata tells it.

    Both are private methods of dagster-dbt: dagster and dagster-dbt are pinned exactly in
    pyproject.toml, and tests/unit/test_dbt_resource.py fails when an upgrade changes them.
    """

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 (dagster-dbt's signature)
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def build_dbt_resource(project: DbtProject) -> DbtCliResource:
    """dbt as ``cxw-dbt``: the run's standby dbt process when ``cxw run`` started one, else
    the dbt installed beside this interpreter (orchestration/standby_dbt.py); either way the
    dbt-core whose version ``_cli_version`` reads."""
    bin_dir = Path(sys.executable).parent
    for executable in (bin_dir / STANDBY_DBT_EXECUTABLE, bin_dir / "dbt"):
        if executable.exists():
            return NightlyDbtCliResource(
                project_dir=project,
                profiles_dir=str(DBT_PROJECT_DIR),
                dbt_executable=str(executable),
            )
    return NightlyDbtCliResource(
        project_dir=project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable="dbt"
    )
