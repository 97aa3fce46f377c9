"""The semantic layer (dbt_project/models/marts/semantic) on the shared sample build.

Every MetricFlow metric named like a catalogue KPI equals ``marts.kpi_metrics`` per period
(day, week, month, as the catalogue has them) and client and per period over all clients;
a cut kpi_metrics does not precompute (NPS by sourcing and interaction) equals plain SQL
over the fact rows; the saved queries are published as tables of schema ``metrics``;
``mf validate-configs`` passes. MetricFlow compiles in-process (orchestration.semantic_layer) and its SQL runs on a
read-only connection to the finished sample build: nothing writes into the shared build.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from data_quality.suites.kpi_metrics import KPI_CATALOGUE
from orchestration.assets.publish import saved_queries_cache
from orchestration.assets.transform import parsed_project_path
from orchestration.semantic_layer import (
    SEMANTIC_MANIFEST_FILE,
    compile_saved_queries,
    query_metrics,
    semantic_engine,
)
from orchestration.settings import DBT_PROJECT_DIR, load_settings

pytestmark = pytest.mark.integration

# The catalogue's KPIs that are MetricFlow metrics (docs/bi.md lists the four that are not:
# frt_median_minutes, customer_retention_pct, esat_pct, enps).
SEMANTIC_KPIS = [
    "calls_offered",
    "calls_handled",
    "calls_abandoned",
    "abandon_rate_pct",
    "service_level_pct",
    "aht_seconds",
    "asa_seconds",
    "calls_outbound",
    "outbound_talk_seconds",
    "tickets_created",
    "frt_avg_minutes",
    "frt_within_target_pct",
    "nps",
    "csat_pct",
    "csat_avg",
    "ces_avg",
    "ces_low_effort_pct",
    "survey_response_rate_pct",
    "referral_rate_pct",
]
# Credited to the site that staffs the call's queue (queues.site_id), not the agent's.
QUEUE_STAFFED_KPIS = {
    "calls_offered",
    "calls_abandoned",
    "abandon_rate_pct",
    "service_level_pct",
    "asa_seconds",
}
KPI_ONLY_IN_KPI_METRICS = {
    "frt_median_minutes",
    "customer_retention_pct",
    "esat_pct",
    "enps",
}


def _semantic_manifest(deployment) -> Path:
    """The semantic manifest the deployment's publish reads: its parsed project's."""
    return parsed_project_path(load_settings(deployment.env())) / SEMANTIC_MANIFEST_FILE


@pytest.fixture(scope="module")
def semantic(sample_build):
    """The MetricFlow engine of the sample build's semantic manifest and a read-only
    connection to its build database."""
    deployment, _ = sample_build
    engine = semantic_engine(_semantic_manifest(deployment))
    con = duckdb.connect(str(deployment.build_path), read_only=True)
    try:
        yield engine, con
    finally:
        con.close()


def _kpi_metrics(con, level: str, grain: str = "month") -> dict[tuple, float | None]:
    rows = con.execute(
        """
        select cast(period_start as date), entity_id, metric, value
        from marts.kpi_metrics
        where period_grain = ? and level = ?
        """,
        [grain, level],
    ).fetchall()
    return {(period, entity, metric): value for period, entity, metric, value in rows}


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def _compare_with_kpi_metrics(engine, con, grain: str, level: str) -> None:
    """MetricFlow's value of every semantic KPI the catalogue has at ``grain`` and
    ``level``, per period and entity of the level (client, team, site: MetricFlow's entity
    of that name) or per period (level all), equals kpi_metrics' value."""
    metrics = [
        m
        for m in SEMANTIC_KPIS
        if grain in KPI_CATALOGUE[m].grains and level in KPI_CATALOGUE[m].levels
    ]
    time = f"metric_time__{grain}"
    rows = query_metrics(engine, con, metrics, [time] if level == "all" else [time, level])
    got = {
        (
            row[time].date() if hasattr(row[time], "date") else row[time],
            row.get(level, "all"),
            metric,
        ): row[metric]
        for row in rows
        if row[time] is not None and row.get(level, "all") is not None
        for metric in metrics
    }
    expected = {k: v for k, v in _kpi_metrics(con, level, grain).items() if k[2] in metrics}
    # every metric has rows, but for the site of the queue-staffed ones: the sample's
    # landing zone maps no queue to a site
    missing = set(metrics) - {metric for _, _, metric in expected}
    assert missing == (QUEUE_STAFFED_KPIS if level == "site" else set())
    differing = {
        key: (value, got.get(key))
        for key, value in expected.items()
        if key not in got or not _same(value, got[key])
    }
    assert differing == {}
    # and MetricFlow has no value where the catalogue has no row
    extra = {key: value for key, value in got.items() if value is not None and key not in expected}
    assert extra == {}


@pytest.mark.parametrize("grain", ["month", "week", "day"])
def test_every_kpi_metric_equals_kpi_metrics_per_period_and_client(semantic, grain):
    _compare_with_kpi_metrics(*semantic, grain, "client")


@pytest.mark.parametrize("grain", ["month", "week", "day"])
def test_every_kpi_metric_equals_kpi_metrics_per_period_over_all_clients(semantic, grain):
    _compare_with_kpi_metrics(*semantic, grain, "all")


@pytest.mark.parametrize("level", ["team", "site"])
def test_every_kpi_metric_equals_kpi_metrics_per_month_and_team_or_site(semantic, level):
    """Team and site as kpi_metrics credits them: a call's queue site for the queue
    metrics, the agent's team and site of the work's date for the others, of the sent date
    for the response rate."""
    _compare_with_kpi_metrics(*semantic, "month", level)


def test_the_semantic_metrics_and_the_kpi_only_ones_are_the_catalogue(semantic):
    """A KPI added to the catalogue is added here, or listed as kept in kpi_metrics."""
    engine, _ = semantic
    assert set(SEMANTIC_KPIS) | KPI_ONLY_IN_KPI_METRICS == set(KPI_CATALOGUE)
    metric_names = {metric.name for metric in engine.list_metrics()}
    assert set(SEMANTIC_KPIS) <= metric_names
    assert not KPI_ONLY_IN_KPI_METRICS & metric_names


def test_nps_by_sourcing_and_interaction_equals_the_fact_rows(semantic):
    """A cut kpi_metrics does not have: NPS per staffing sourcing and interaction type."""
    engine, con = semantic
    rows = query_metrics(
        engine, con, ["nps"], ["site__sourcing", "survey_response__interaction_type"]
    )
    got = {(r["site__sourcing"], r["survey_response__interaction_type"]): r["nps"] for r in rows}
    # Stated independently of the semantic layer and of the facts' flags: a valid NPS score
    # of 9-10 promotes, 0-6 detracts; NPS = 100 (promoters - detractors) / responses.
    # On the sample (seed 7), the calls' surveys of the in-house sites: 59 valid answers,
    # 29 promoters, 15 detractors: 100 * (29 - 15) / 59 = 23.7288...
    by_hand = con.execute(
        """
        select
            sites.sourcing,
            responses.interaction_type,
            100.0 * (count(*) filter (where responses.score >= 9)
                - count(*) filter (where responses.score <= 6)) / count(*) as nps
        from marts.fct_survey_responses as responses
        left join marts.dim_site as sites on responses.site_id = sites.site_id
        where responses.survey_type = 'nps' and responses.has_valid_score
        group by all
        """
    ).fetchall()
    expected = {(sourcing, interaction): nps for sourcing, interaction, nps in by_hand}
    assert len(expected) >= 2
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert _same(got[key], value), key


def test_mf_validate_configs_passes(tmp_path):
    """The mf CLI's own validation of the semantic models and metrics (the warehouse
    checks skipped: they open the build database for writing; the queries above run every
    metric on a real build).

    mf reads ``target/semantic_manifest.json`` of the project it runs in, which only an
    analyst's ``dbt parse`` writes: it runs in a copy of the project given the semantic
    manifest of the parse every run uses (``make setup`` writes it), so a fresh clone
    validates too."""
    mf = Path(sys.executable).with_name("mf")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXW_")}
    env["CXW_BUILD_PATH"] = str(tmp_path / "unused.duckdb")
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    (project / "target").mkdir()
    parsed = parsed_project_path(load_settings(env)) / SEMANTIC_MANIFEST_FILE
    shutil.copy2(parsed, project / "target" / SEMANTIC_MANIFEST_FILE)
    result = subprocess.run(
        [str(mf if mf.exists() else shutil.which("mf")), "validate-configs", "--skip-dw"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "ERRORS: 0" in result.stdout


def test_the_saved_queries_are_published_in_schema_metrics(sample_build, semantic):
    """Every publish exports each saved query as a table of schema ``metrics``; its counts
    add up to kpi_metrics' per client and month (a count is additive, unlike its ratios)."""
    deployment, _ = sample_build
    engine, con = semantic
    saved_queries = sorted(saved_query.name for saved_query in engine.list_saved_queries())
    published = deployment.published(
        "select table_name from information_schema.tables where table_schema = 'metrics' "
        "order by table_name"
    )
    assert [name for (name,) in published] == saved_queries
    counts = deployment.published(
        "select metric_time__month, client, sum(calls_handled)::bigint, "
        "sum(tickets_created)::bigint from metrics.operations_by_sourcing_monthly "
        "where metric_time__month is not null and client is not null group by all"
    )
    expected = _kpi_metrics(con, "client")
    assert counts
    for month, client, calls_handled, tickets_created in counts:
        assert calls_handled == expected.get((month, client, "calls_handled")), (month, client)
        assert tickets_created == expected.get((month, client, "tickets_created")), (month, client)


def test_the_saved_queries_sql_is_compiled_once_per_semantic_manifest(sample_build, tmp_path):
    """The publish keeps the saved queries' SQL in the build's dbt folder, by the digest of
    the semantic manifest: the sample build's publish wrote it, the same manifest reads it
    back, and another manifest compiles anew."""
    deployment, _ = sample_build
    manifest = _semantic_manifest(deployment)
    cache = saved_queries_cache(load_settings(deployment.env()))
    compiled = compile_saved_queries(manifest, cache)
    assert sorted(compiled) == sorted(
        saved_query.name for saved_query in semantic_engine(manifest).list_saved_queries()
    )
    assert compiled == compile_saved_queries(manifest)  # what MetricFlow compiles now
    # read back: a cache entry under this manifest's digest is used as it stands
    stored = json.loads(cache.read_text())
    assert stored["semantic_manifest_sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    marked = tmp_path / "cache.json"
    marked.write_text(json.dumps({**stored, "saved_queries": {"marked": "select 1"}}))
    assert compile_saved_queries(manifest, marked) == {"marked": "select 1"}
    # another manifest (one more newline) is compiled anew and replaces the entry
    other = tmp_path / SEMANTIC_MANIFEST_FILE
    other.write_bytes(manifest.read_bytes() + b"\n")
    assert compile_saved_queries(other, marked) == compiled
    assert json.loads(marked.read_text())["saved_queries"] == compiled
