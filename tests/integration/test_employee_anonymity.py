"""Employee anonymity against subtraction (docs/metrics.md, "Employees") on a real build.

The published check, computed here a second way from what BI reads (marts.kpi_metrics and
the team -> site / client mapping of marts.dim_team), over every parent, split, month and
employee metric of the session's generated sample; and the dbt data test that blocks the
publish, shown to catch a row published against the rule.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

EMPLOYEE_METRICS = ("esat_pct", "enps")
MIN_N = 5  # the default min_anonymity_n; the sample build does not change it
# every split of a parent level into a child level (kpi_anonymity_splits)
SPLITS = (
    ("site", "team"),
    ("client", "team"),
    ("sourcing", "site"),
    ("location_type", "site"),
    ("all", "client"),
    ("all", "site"),
    ("all", "sourcing"),
    ("all", "location_type"),
)

Key = tuple  # (metric, period_grain, period_start, level, entity_id)


def employee_rows(con: duckdb.DuckDBPyConnection) -> dict[Key, dict]:
    rows = con.execute(
        "select metric, period_grain, period_start, level, entity_id, denominator, "
        "sample_size, suppressed from marts.kpi_metrics where metric in ('esat_pct', 'enps')"
    ).fetchall()
    columns = ("period_grain", "denominator", "sample_size", "suppressed")
    return {row[:5]: dict(zip(columns, row[1:2] + row[5:], strict=True)) for row in rows}


def children_of(con: duckdb.DuckDBPyConnection, rows: dict[Key, dict]) -> dict[tuple, set]:
    """(metric, month, parent level, parent id, child level) -> the child ids with a row.
    A team's parents are its site and client (dim_team), a site's its sourcing and
    location type (dim_site)."""
    parents_of = {
        ("team", team): {"site": site, "client": client}
        for team, site, client in con.execute(
            "select team_id, site_id, client_id from marts.dim_team"
        ).fetchall()
    } | {
        ("site", site): {"sourcing": sourcing, "location_type": location_type}
        for site, sourcing, location_type in con.execute(
            "select site_id, sourcing, location_type from marts.dim_site"
        ).fetchall()
    }
    children: dict[tuple, set] = defaultdict(set)
    for metric, grain, month, level, entity in rows:
        for parent_level, child_level in SPLITS:
            if grain != "month" or level != child_level:
                continue
            parent = (
                "all"
                if parent_level == "all"
                else parents_of.get((level, entity), {}).get(parent_level)
            )
            if parent is not None:
                children[(metric, month, parent_level, parent, child_level)].add(entity)
    return children


def violations(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], int]:
    """Every breach of the published check, and how many (parent, split, month) it saw."""
    rows = employee_rows(con)
    children = children_of(con, rows)
    found = []
    for key, row in rows.items():
        if row["period_grain"] != "month" and not row["suppressed"]:
            found.append(("not_month_grain", *key))
        if not row["suppressed"] and row["sample_size"] < MIN_N:
            found.append(("published_below_minimum", *key))
    checked = 0
    for (metric, _, month, level, entity), parent in rows.items():
        if parent["suppressed"] or parent["period_grain"] != "month":
            continue
        for parent_level, child_level in SPLITS:
            if parent_level != level:
                continue
            checked += 1
            kids = [rows[(metric, "month", month, child_level, child)] for child in
                    children.get((metric, month, level, entity, child_level), ())]  # fmt: skip
            published = sum(kid["denominator"] for kid in kids if not kid["suppressed"])
            unpublished = parent["denominator"] - published
            if 0 < unpublished < MIN_N:
                found.append(("recoverable_by_subtraction", metric, month, level, entity))
            elif len(kids) == 1 and kids[0]["suppressed"]:
                found.append(("only_responding_child_hidden", metric, month, level, entity))
    return found, checked


@pytest.mark.integration
def test_no_published_parent_reveals_a_small_group_by_subtraction(sample_build):
    deployment, _ = sample_build
    con = duckdb.connect(str(deployment.warehouse_path), read_only=True)
    try:
        rows = employee_rows(con)
        found, checked = violations(con)
    finally:
        con.close()
    assert found == []
    # the check saw every published parent of every split: the sample's March has, per
    # metric, all (4 splits) and its published sites, clients, sourcing values and location
    # types (1 split each)
    published_parents = {
        (metric, level, entity)
        for (metric, _, _, level, entity), row in rows.items()
        if level != "team" and not row["suppressed"]
    }
    assert {metric for metric, _, _ in published_parents} == set(EMPLOYEE_METRICS)
    assert checked == sum(4 if level == "all" else 1 for _, level, _ in published_parents)
    # monthly only: no week or day rows of an employee metric
    assert {row["period_grain"] for row in rows.values()} == {"month"}
    # not vacuous: the sample hides groups of at least min_anonymity_n to protect smaller ones
    complementary = [k for k, r in rows.items() if r["suppressed"] and r["sample_size"] >= MIN_N]
    assert complementary, "the sample should exercise complementary suppression"
    for key in complementary:
        assert rows[key]["denominator"] is None, key


@pytest.mark.integration
def test_the_dbt_check_fails_on_a_group_published_against_the_rule(sample_copy, tmp_path):
    deployment, _ = sample_copy
    # publish one group that complementary suppression hid, as a wrong build would
    with duckdb.connect(str(deployment.build_path)) as con:
        hidden = con.execute(
            "select metric, period_start, level, entity_id from marts.kpi_metrics "
            "where metric in ('esat_pct', 'enps') and suppressed and sample_size >= ? "
            "order by all limit 1",
            [MIN_N],
        ).fetchone()
        assert hidden is not None
        con.execute(
            "update marts.kpi_metrics set suppressed = false, value = 0, numerator = 0, "
            "denominator = sample_size "
            "where metric = ? and period_start = ? and level = ? and entity_id = ?",
            list(hidden),
        )
        expected, _ = violations(con)
    assert expected, "un-hiding a complementary row must break the rule"

    returncode, results = deployment.dbt_test(
        "test_name:kpi_anonymity_not_recoverable", tmp_path / "target"
    )

    assert returncode != 0
    (result,) = results
    assert result["status"] == "fail"
    assert result["failures"] == len(expected)
