"""The same dbt project on Spark (``CXW_ENGINE=spark``): the hand-made landing zone built
by dbt-spark in session mode publishes the warehouse that DuckDB's build publishes.

The hand-made world (hand_made_world.py: two time zones, a daylight-saving day, local
midnight, queues without a site, calls without a queue, outbound calls, invalid scores, a
row that cannot be parsed, employee groups under the anonymity threshold) is built once per
session by each engine (tests/integration/conftest.py); test_kpi_values.py and its
neighbours check its hand-computed values on both, and this file checks that the two
published warehouses are the same, table by table and row by row.
"""

from __future__ import annotations

import math

import pytest

from tests.integration.conftest import Deployment, hand_made_deployment

KPI_KEY = ("period_grain", "period_start", "level", "entity_id", "metric")
KPI_VALUES = ("value", "numerator", "denominator", "sample_size", "ci_low", "ci_high")
KPI_FLAGS = ("suppressed", "is_complete")


@pytest.fixture(scope="module")
def builds(tmp_path_factory, worker_id) -> tuple[Deployment, Deployment]:
    """(DuckDB's build of the hand-made world, Spark's build of it)."""
    return tuple(
        hand_made_deployment(tmp_path_factory, worker_id, engine) for engine in ("duckdb", "spark")
    )


def kpi_rows(deployment: Deployment) -> dict[tuple, tuple]:
    columns = (*KPI_KEY, *KPI_VALUES, *KPI_FLAGS)
    rows = deployment.published(f"select {', '.join(columns)} from marts.kpi_metrics")
    by_key = {row[: len(KPI_KEY)]: row[len(KPI_KEY) :] for row in rows}
    assert len(by_key) == len(rows), "kpi_metrics has one row per key"
    return by_key


def same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_spark_publishes_the_kpi_metrics_of_duckdb_row_for_row(builds):
    duckdb_build, spark_build = builds
    expected, actual = kpi_rows(duckdb_build), kpi_rows(spark_build)
    assert len(expected) > 1000  # the world's every level, grain and metric
    assert sorted(actual) == sorted(expected)
    differences = [
        (key, name, expected[key][i], actual[key][i])
        for key in expected
        for i, name in enumerate(KPI_VALUES)
        if not same_number(expected[key][i], actual[key][i])
    ] + [
        (key, name, expected[key][i], actual[key][i])
        for key in expected
        for i, name in enumerate(KPI_FLAGS, start=len(KPI_VALUES))
        if expected[key][i] != actual[key][i]
    ]
    assert differences == []


def published_columns(deployment: Deployment) -> list[tuple]:
    return deployment.published(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
        " where table_catalog = current_database() order by table_schema, table_name,"
        " ordinal_position"
    )


def test_bi_sees_the_same_tables_columns_and_types(builds):
    duckdb_build, spark_build = builds
    assert published_columns(spark_build) == published_columns(duckdb_build)


def test_every_published_table_has_the_same_rows(builds):
    duckdb_build, spark_build = builds
    tables = duckdb_build.published(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database() and table_schema in ('marts', 'metrics')"
        " order by 1, 2"
    )
    assert len(tables) > 20
    for schema, table in tables:
        # the lineage columns (_loaded_at, _built_at) hold each build's own clock
        columns = [
            f'"{name}"'
            for (name,) in duckdb_build.published(
                "select column_name from information_schema.columns where table_schema = ?"
                " and table_name = ? and column_name not like '\\_%' escape '\\'"
                " order by ordinal_position",
                [schema, table],
            )
        ]
        query = f'select {", ".join(columns)} from {schema}."{table}" order by all'
        expected, actual = duckdb_build.published(query), spark_build.published(query)
        assert len(actual) == len(expected), f"{schema}.{table}"
        for want, got in zip(expected, actual, strict=True):
            assert all(
                same_number(w, g) if isinstance(w, float) else w == g
                for w, g in zip(want, got, strict=True)
            ), f"{schema}.{table}: {want} != {got}"


def test_the_raw_layer_is_parquet_in_the_lake(builds):
    _, spark_build = builds
    lake = spark_build.root / "lake"
    calls = spark_build.query("select count(*) from raw.calls")[0][0]
    assert calls == 10  # C01..C12 but the unparseable C10 (test_bad_input_counted.py)
    assert spark_build.published(
        f"select count(*) from read_parquet('{lake}/raw/calls/*.parquet')"
    ) == [(calls,)]
    # the marts Spark built, as Parquet tables of its warehouse folder
    assert any((lake / "warehouse" / "marts.db" / "kpi_metrics").glob("*.parquet"))


def test_the_anonymity_rounds_leave_no_table_behind(builds):
    """int_kpi_employee_anonymity is built from one round table per round on Spark; its
    post-hook drops them once the model is written."""
    _, spark_build = builds
    warehouse = spark_build.root / "lake" / "warehouse"
    assert any((warehouse / "intermediate.db" / "int_kpi_employee_anonymity").glob("*.parquet"))
    assert sorted(p.name for p in warehouse.glob("*.db/cxw_anonymity_*")) == []
