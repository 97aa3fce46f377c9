"""The not_null_columns data test (dbt_project/tests/generic/not_null_columns.sql) on a real
build: every model's required columns in one dbt test, which fails on a NULL in any of them,
counts each NULL, and names the columns that hold them."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.integration


def test_one_test_counts_the_nulls_of_every_required_column_and_names_them(sample_copy, tmp_path):
    deployment, _ = sample_copy
    with duckdb.connect(str(deployment.build_path)) as con:
        # three calls lose their client, two others their direction: five NULLs in two of
        # fct_calls' eleven required columns; talk_seconds may be NULL and is not checked
        con.execute(
            "update marts.fct_calls set client_id = null where call_id in "
            "(select call_id from marts.fct_calls order by call_id limit 3)"
        )
        con.execute(
            "update marts.fct_calls set direction = null, talk_seconds = null where call_id in "
            "(select call_id from marts.fct_calls order by call_id limit 2 offset 3)"
        )

    target = tmp_path / "target"
    returncode, results = deployment.dbt_test(
        "not_null_columns_fct_calls not_null_columns_dim_client", target
    )

    assert returncode == 1
    outcome = {r["unique_id"].split(".")[2]: (r["status"], r["failures"]) for r in results}
    assert outcome == {
        "not_null_columns_fct_calls": ("fail", 5),
        "not_null_columns_dim_client": ("pass", 0),
    }
    # the test's rows: one per column holding NULLs, with its count
    [compiled] = target.glob("compiled/**/not_null_columns_fct_calls.sql")
    with duckdb.connect(str(deployment.build_path), read_only=True) as con:
        rows = con.execute(f"{compiled.read_text()} order by column_name").fetchall()
    assert rows == [("client_id", 3), ("direction", 2)]
