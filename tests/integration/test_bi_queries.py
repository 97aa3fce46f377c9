"""Every SQL example of docs/bi.md runs on a real published warehouse and returns rows.

The examples are what a BI user copies first: one that no longer matches the marts'
columns, or returns nothing on a normal month of data, is a broken promise.
"""

from __future__ import annotations

import re

import pytest

from orchestration.settings import DBT_PROJECT_DIR

BI_DOC = DBT_PROJECT_DIR.parent / "docs" / "bi.md"
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", BI_DOC.read_text(), flags=re.DOTALL)


def test_the_bi_guide_has_its_examples():
    assert len(SQL_BLOCKS) >= 8


@pytest.mark.parametrize(
    "sql", SQL_BLOCKS, ids=[f"example_{i + 1}" for i in range(len(SQL_BLOCKS))]
)
def test_a_bi_example_returns_rows_from_the_published_warehouse(sample_build, sql):
    deployment, _ = sample_build
    rows = deployment.published(sql)
    assert rows, f"no rows from:\n{sql}"
