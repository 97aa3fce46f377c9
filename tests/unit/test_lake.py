"""The Spark engine's lake: the raw layer written as Parquet folders, and Parquet tables (as
Spark writes them) read back into the build database with the build's own types."""

import datetime as dt

import duckdb
import pytest

from orchestration.assets.transform import spark_result_tables
from orchestration.lake import read_spark_tables, spark_table_folder, write_lake_sources


@pytest.fixture
def build():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("create schema raw; create schema meta; create schema staging")
    con.execute(
        "create table raw.calls as select * from (values ('C1', timestamp '2026-03-01 10:00:00'),"
        " ('C2', null)) as t(call_id, offered_at)"
    )
    con.execute("create table raw.tickets (ticket_id varchar, created_at timestamp)")  # empty
    con.execute("create table meta.ingest_manifest as select 'calls/a.csv' as file_path")
    con.execute("create table staging.not_a_source as select 1 as x")
    yield con
    con.close()


def test_every_raw_and_meta_table_becomes_a_parquet_folder(build, tmp_path):
    written = write_lake_sources(build, tmp_path)
    assert written == ["meta.ingest_manifest", "raw.calls", "raw.tickets"]
    assert build.execute(
        f"select call_id, offered_at from read_parquet('{tmp_path}/raw/calls/*.parquet')"
        " order by call_id"
    ).fetchall() == [("C1", dt.datetime(2026, 3, 1, 10)), ("C2", None)]
    # an empty table keeps its columns, so Spark can read its schema
    assert build.execute(
        f"describe select * from read_parquet('{tmp_path}/raw/tickets/*.parquet')"
    ).fetchall()[1][:2] == ("created_at", "TIMESTAMP")
    assert not (tmp_path / "staging").exists()


def test_a_second_write_replaces_the_folder(build, tmp_path):
    write_lake_sources(build, tmp_path)
    build.execute("delete from raw.calls where call_id = 'C2'")
    write_lake_sources(build, tmp_path)
    assert build.execute(
        f"select count(*) from read_parquet('{tmp_path}/raw/calls/*.parquet')"
    ).fetchone() == (1,)
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["calls", "tickets"]


def test_spark_tables_replace_the_build_tables_with_naive_utc_timestamps(build, tmp_path):
    folder = spark_table_folder(tmp_path, "marts", "fct_calls")
    folder.mkdir(parents=True)
    # Spark writes a timestamp as a UTC instant (TIMESTAMP_MICROS, adjusted to UTC)
    build.execute("set TimeZone = 'America/New_York'")
    build.execute(
        "copy (select 'C1' as call_id, timestamptz '2026-03-01 10:00:00+00' as offered_at,"
        f" 2::bigint as n) to '{folder}/part-00000.parquet' (format parquet)"
    )
    build.execute("set TimeZone = 'UTC'")
    build.execute("create schema marts; create table marts.fct_calls as select 'old' as call_id")
    read_spark_tables(build, tmp_path, [("marts", "fct_calls")])
    assert build.execute("select * from marts.fct_calls").fetchall() == [
        ("C1", dt.datetime(2026, 3, 1, 10), 2)
    ]
    assert [c[1] for c in build.execute("describe marts.fct_calls").fetchall()] == [
        "VARCHAR",
        "TIMESTAMP",
        "BIGINT",
    ]


def test_a_table_spark_did_not_write_fails_and_changes_nothing(build, tmp_path):
    build.execute("create schema marts; create table marts.dim_site as select 'S1' as site_id")
    sites = spark_table_folder(tmp_path, "marts", "dim_site")
    sites.mkdir(parents=True)
    build.execute(f"copy (select 'S2' as site_id) to '{sites}/part-0.parquet' (format parquet)")
    spark_table_folder(tmp_path, "marts", "dim_client").mkdir(parents=True)  # no file in it
    with pytest.raises(FileNotFoundError, match="Spark wrote no table marts.dim_client"):
        read_spark_tables(build, tmp_path, [("marts", "dim_site"), ("marts", "dim_client")])
    assert build.execute("select * from marts.dim_site").fetchall() == [("S1",)]


def test_the_tables_read_back_are_the_marts_and_quality_tables_and_seeds():
    def node(schema, name, materialized, resource_type="model"):
        return {
            "resource_type": resource_type,
            "schema": schema,
            "name": name,
            "config": {"materialized": materialized},
        }

    manifest = {
        "nodes": {
            "a": node("marts", "kpi_metrics", "table"),
            "b": node("marts", "fct_calls", "incremental"),
            "c": node("quality", "quality_summary", "table"),
            "d": node("staging", "stg_telephony__calls", "incremental"),
            "e": node("marts", "some_view", "view"),
            "f": node("marts", "kpi_targets", "seed", resource_type="seed"),
        }
    }
    assert spark_result_tables(manifest) == [
        ("marts", "fct_calls"),
        ("marts", "kpi_metrics"),
        ("marts", "kpi_targets"),
        ("quality", "quality_summary"),
    ]
