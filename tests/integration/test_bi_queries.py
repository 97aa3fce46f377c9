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


def test_the_agent_example_lists_each_team_of_the_month(sample_build):
    """An agent who changed team during the month is listed with both teams (the work is
    credited to the team of its day, never moved to today's team)."""
    deployment, _ = sample_build
    (agent_example,) = [sql for sql in SQL_BLOCKS if "teams_in_month" in sql]
    movers = deployment.published(
        "select agent_id, count(distinct team_id) from marts.dim_agent_team_history "
        "where valid_from <= date '2026-03-31' and (valid_to is null or valid_to > date '2026-03-01') "
        "group by agent_id having count(distinct team_id) > 1"
    )
    listed = {agent: teams for agent, teams, _, _ in deployment.published(agent_example)}
    listed_movers = [(agent, n) for agent, n in movers if agent in listed]
    assert listed_movers, "the sample has an agent who moved team in March and took calls"
    for agent, team_count in listed_movers:
        assert len(listed[agent].split(", ")) == team_count, agent
