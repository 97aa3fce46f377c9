"""A nightly incremental run over one new day equals a full refresh of the same landing zone."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from orchestration.sample_exports import generate_sample_exports
from tests.integration.conftest import SMALL_SAMPLE, Deployment

# Load-time lineage: the only columns allowed to differ between two builds of the same files.
LOAD_TIME_COLUMNS = {"_loaded_at", "_built_at"}
# the latest day's calls come in 30-minute exports, named by the UTC instant they start
CALLS_SLICE = r"calls/calls_\d{4}-\d{2}-\d{2}_\d{8}T\d{4}Z\.csv\.gz"


def _land_day(deployment: Deployment, scratch, days_after: int, *, only: str = ".*") -> list[str]:
    """Copy into the landing zone the files of the ``days_after``-th day after the sample's
    last day (whose paths match the regular expression ``only``).

    The generator is deterministic: the same seed over a range that many days longer
    writes the same world and the same facts; only the files named with the new date are
    new to the deployment (the latest day's calls as 30-minute exports). The days are
    generated ``clean`` (their facts, re-deliveries, roster snapshot and corrections are
    the same, without the injected bad rows): on a one-day batch a single injected empty
    CSAT score is 1 of ~10 answers, more than the 5% the BLOCKING ``scale_drift__csat``
    check tolerates, and the night would not publish.
    """
    day = SMALL_SAMPLE["start"] + dt.timedelta(days=SMALL_SAMPLE["days"] - 1 + days_after)
    generated = generate_sample_exports(
        scratch, **{**SMALL_SAMPLE, "days": SMALL_SAMPLE["days"] + days_after, "clean": True}
    )
    landed = []
    for path in generated.files:
        relative = path.relative_to(scratch)
        if day.isoformat() in path.name and re.fullmatch(only, relative.as_posix()):
            target = deployment.landing_dir / relative
            assert not target.exists(), f"{relative} is not new"
            shutil.copy2(path, target)
            landed.append(relative.as_posix())
    return sorted(landed)


def _compared_tables(deployment: Deployment) -> list[str]:
    rows = deployment.query(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_type = 'BASE TABLE' "
        "and (table_name like 'fct\\_%' escape '\\' or table_name like 'dim\\_%' escape '\\' "
        "or table_name like 'kpi\\_%' escape '\\') "
        "order by table_name"
    )
    return [name for (name,) in rows]


def _table_rows(deployment: Deployment, table: str, *, published: bool = False) -> list[tuple]:
    """The rows of marts.<table> without load-time lineage, of the build database or (with
    ``published``) of the published warehouse."""
    query = deployment.published if published else deployment.query
    columns = [
        name
        for (name,) in query(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        )
        if name not in LOAD_TIME_COLUMNS
    ]
    column_list = ", ".join(f'"{c}"' for c in columns)
    return query(f"select {column_list} from marts.{table} order by all")


def test_incremental_runs_equal_a_full_refresh(sample_copy, tmp_path):
    """Three runs on the sample build, which together equal a full refresh of the landing
    zone:
    1. the next day (with a roster snapshot, team and customer changes: every source's
       new files are loaded, and the KPI marts are rebuilt whole);
    2. the day after's 30-minute calls exports but the last: only the calls and what
       depends on them are loaded and built, and the clients' partial day moves, so the
       KPI marts are rebuilt from the first day whose rows become complete;
    3. that last export alone (a run during the day): the KPI marts are rebuilt from its
       day."""
    incremental, _ = sample_copy
    next_day = SMALL_SAMPLE["start"] + dt.timedelta(days=SMALL_SAMPLE["days"])
    landed = _land_day(incremental, tmp_path / "next_day", 1)
    # the new day brings facts of every kind plus a roster snapshot (team changes)
    assert {path.split("/")[0] for path in landed} >= {
        "calls",
        "tickets",
        "surveys",
        "agent_roster",
    }
    (facts_before,) = incremental.query("select count(*) from marts.fct_calls")[0]
    night = incremental.cxw("run")
    assert "loading and building sources agent_roster, calls, " in night.stdout
    (night_built,) = incremental.query("select max(_built_at) from marts.kpi_metrics")[0]
    assert incremental.query(
        "select count(*) from marts.kpi_metrics where _built_at < ?", [night_built]
    ) == [(0,)], "a roster snapshot rebuilds the KPI marts whole"

    exports = _land_day(incremental, tmp_path / "day_after", 2, only=CALLS_SLICE)
    assert len(exports) > 1
    held_back = tmp_path / "held_back.csv.gz"
    shutil.move(incremental.landing_dir / exports[-1], held_back)
    day_after = incremental.cxw("run")
    assert "loading and building sources calls and what depends on them" in day_after.stdout
    # a client with calls the day after: its rows of the next day are complete now
    (client,) = incremental.query(
        "select min(client_id) from marts.fct_calls where report_date = ?",
        [next_day + dt.timedelta(days=1)],
    )[0]
    assert incremental.query(
        "select is_complete from marts.kpi_metrics where level = 'client' and entity_id = ? "
        "and period_grain = 'day' and period_start = ? group by all",
        [client, next_day],
    ) == [(True,)]
    # rebuilt from that day: the days before it are the night's rows, as it wrote them
    ((earlier_days, as_the_night_wrote),) = incremental.query(
        "select count(*), count(*) filter (_built_at = ?) from marts.kpi_metrics "
        "where period_grain = 'day' and period_start < ?",
        [night_built, next_day],
    )
    assert as_the_night_wrote == earlier_days > 0
    # and so is a wide mart: its days before that day are the night's rows
    ((earlier_agent_days, as_the_night_wrote),) = incremental.query(
        "select count(*), count(*) filter (_built_at = ?) from marts.kpi_agent_daily "
        "where period_start < ?",
        [night_built, next_day],
    )
    assert as_the_night_wrote == earlier_agent_days > 0

    shutil.move(held_back, incremental.landing_dir / exports[-1])
    (calls_before_the_export,) = incremental.query("select count(*) from marts.fct_calls")[0]
    during_the_day = incremental.cxw("run")
    assert (
        "loading and building sources calls and what depends on them (the only new files)"
        in during_the_day.stdout
    )
    (calls_after_the_export,) = incremental.query("select count(*) from marts.fct_calls")[0]
    (export_rows,) = incremental.query(
        "select rows_loaded from meta.ingest_manifest where file_path = ?", [exports[-1]]
    )[0]
    assert calls_after_the_export == calls_before_the_export + export_rows > calls_before_the_export

    rebuilt = Deployment(tmp_path / "rebuilt")
    shutil.copytree(incremental.landing_dir, rebuilt.landing_dir)
    rebuilt.cxw("run", "--full-refresh")

    (facts_after,) = incremental.query("select count(*) from marts.fct_calls")[0]
    assert facts_after > facts_before, "the new day's calls reached the fact"
    tables = _compared_tables(incremental)
    assert tables == _compared_tables(rebuilt)
    assert {"fct_calls", "fct_tickets", "fct_survey_responses", "kpi_metrics"} <= set(tables)
    assert {"kpi_intervals", "kpi_scorecard", "kpi_agent_daily", "kpi_client_weekly"} <= set(tables)
    assert {"dim_agent", "dim_agent_team_history", "dim_client", "dim_team"} <= set(tables)
    for table in tables:
        incremental_rows = _table_rows(incremental, table)
        assert incremental_rows, table
        assert incremental_rows == _table_rows(rebuilt, table), table

    # The night published by delta (the facts' new rows into a copy of the last published
    # file), the full refresh by copying everything: both publish the same warehouse.
    assert incremental.published("select method from quality.publish_log") == [("delta",)]
    assert rebuilt.published("select method from quality.publish_log") == [("full",)]
    published = [
        name
        for (name,) in incremental.published(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        )
    ]
    assert published == [
        name
        for (name,) in rebuilt.published(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        )
    ]
    for table in published:
        assert _table_rows(incremental, table, published=True) == _table_rows(
            rebuilt, table, published=True
        ), table
    # the Parquet copy of each fact and KPI mart rebuilt from a floor (unchanged months
    # linked, changed months rewritten)
    for table in (
        "fct_calls",
        "fct_tickets",
        "fct_survey_responses",
        "kpi_metrics",
        "kpi_intervals",
        "kpi_scorecard",
        "kpi_agent_daily",
    ):
        assert incremental.parquet_rows("marts", table) == incremental.published(
            f"select * from marts.{table} order by all"
        ), table
