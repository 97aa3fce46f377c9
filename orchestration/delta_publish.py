"""The delta publish: a release starts from a published file (the last publish's copy, or
the previous release one publish behind), gets the rows of the incremental tables written
since and every other table whole, and is checked against the build by row counts. Which
relations are published, and how each incremental table's months changed for its Parquet
copy (orchestration/published_tables.py), are decided here; the release's folder, its
switch and the publish step are orchestration/releases.py and orchestration/assets/publish.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from orchestration import ledger
from orchestration.published_tables import (
    BUILT_AT_COLUMN,
    IncrementalTable,
    MonthChanges,
    all_months,
    last_built_at_in_parquet,
    month_expression,
    months_of_parquet_rows,
    replace_rows_by_key,
    rows_written_since,
)
from orchestration.releases import StartingRelease
from orchestration.semantic_layer import METRICS_SCHEMA
from orchestration.settings import Settings
from orchestration.warehouse import PUBLISH_LOG_TABLE, published_runs, single_value, sql_text

PUBLISHED_SCHEMAS = ("marts", "quality", "metrics")


def published_relations(
    con: duckdb.DuckDBPyConnection, catalog: str | None = None
) -> list[tuple[str, str]]:
    """The relations of ``marts`` and ``quality`` (of the build database by default)."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = coalesce(?, current_database()) "
        f"and table_schema in {PUBLISHED_SCHEMAS} order by table_schema, table_name",
        [catalog],
    ).fetchall()
    return [(schema, name) for schema, name in rows]


# A delta publish rewrites rows in a copy of the last published file. Above this share of
# changed rows (a full refresh rewrites them all) a new file is as quick and compact.
MAX_DELTA_SHARE = 0.25


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[tuple]:
    schema, name = relation.split(".")
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, name],
    ).fetchall()


def _why_not_delta(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    tables: list[IncrementalTable],
    *,
    one_publish_behind: bool = False,
) -> str | None:
    """Why the published file attached as ``published`` cannot be the basis of this
    publish (None: it can).

    It must be the last publish of this build database (or, ``one_publish_behind``, the
    publish before it: the previous release's file), the Parquet copy the last publish, the
    facts' columns the build's, and the rows written since it few.
    """
    if not tables:
        return "no incremental tables"
    last_run = (ledger.last_publish(con) or (None, None))[0]
    file_run = ledger.publish_before_last(con) if one_publish_behind else last_run
    expected = (file_run, last_run)  # the runs of the file's and the Parquet copy's logs
    if None in expected or published_runs(con, settings.parquet_dir) != expected:
        which = "the publish before the last" if one_publish_behind else "the last publish"
        return f"the published files are not {which} of this build database"
    (build_catalog,) = con.execute("select current_database()").fetchall()[0]
    changed = total = 0
    for table in tables:
        if _columns(con, "published", table.relation) != _columns(
            con, build_catalog, table.relation
        ):
            return f"{table.relation} is new or has other columns"
        since = single_value(con, f"select max({BUILT_AT_COLUMN}) from published.{table.relation}")
        (rows, written) = con.execute(
            f"select count(*), count(*) filter ({BUILT_AT_COLUMN} > ?) from {table.relation}",
            [since],
        ).fetchall()[0]
        if table.is_fact:  # a KPI mart written again whole is replaced whole (apply_delta)
            changed += written if since is not None else rows
            total += rows
    if total and changed > MAX_DELTA_SHARE * total:
        return f"{changed:,} of {total:,} fact rows were rewritten"
    return None


def attach_delta_basis(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    starting: StartingRelease | None,
    staging_file: Path,
    tables: list[IncrementalTable],
) -> tuple[str | None, bool]:
    """Attach as ``published`` the file a delta publish writes: the previous release's,
    one publish behind, when it qualifies; else a copy of the current file (the one this
    run prepared, or one made now). Returns why no delta can be made (None: it can; the
    file then stays attached) and whether the file is one publish behind."""
    if starting is not None and starting.one_publish_behind:
        try:
            con.execute(f"attach {sql_text(staging_file)} as published").fetchall()
        except duckdb.IOException:  # a reader opened it since it was checked
            pass
        else:
            if _why_not_delta(con, settings, tables, one_publish_behind=True) is None:
                return None, True
            con.execute("detach published").fetchall()
        staging_file.unlink()
    if starting is None or starting.one_publish_behind:
        shutil.copyfile(settings.warehouse_path, staging_file)
    con.execute(f"attach {sql_text(staging_file)} as published").fetchall()
    reason = _why_not_delta(con, settings, tables)
    if reason is not None:
        con.execute("detach published").fetchall()
    return reason, False


def copy_whole(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """A build relation as a table of the attached ``published`` database (replacing it)."""
    con.execute(
        f'create or replace table published.{schema}."{name}" as select * from {schema}."{name}"'
    ).fetchall()


def kept_from_last_publish(
    con: duckdb.DuckDBPyConnection,
    relations: list[tuple[str, str]],
    rebuilt: frozenset[str] | None,
    run_id: str | None,
) -> frozenset[str]:
    """The published relations a delta publish keeps as the last publish has them: those
    this run's dbt build did not select (``rebuilt``: the relations it selected; None:
    every one), when its build is the only one since the last publish. The saved queries'
    tables are computed by every publish: never kept. (A file one publish behind keeps
    none: the last publish may have changed them; its Parquet copy keeps these.)"""
    if rebuilt is None or ledger.runs_built_since_last_publish(con) != {run_id}:
        return frozenset()
    return frozenset(
        relation
        for relation in (f"{schema}.{name}" for schema, name in relations)
        if relation not in rebuilt and not relation.startswith(f"{METRICS_SCHEMA}.")
    )


def apply_delta(
    con: duckdb.DuckDBPyConnection,
    relations: list[tuple[str, str]],
    incremental: dict[str, IncrementalTable],
    kept: frozenset[str],
    last_parquet: Path | None = None,
) -> dict[str, MonthChanges]:
    """Bring the attached published file to this build: the rows of each incremental table
    written since, every other relation whole but those ``kept`` (as the file has them).

    Returns how each incremental table's months changed against the last publish. For a
    file one publish behind, ``last_parquet`` is the last publish's Parquet copy: the rows
    that publish wrote are applied first, and the months are those of the rows written
    after it, and of the rows of that copy they replace.
    """
    changed_months: dict[str, MonthChanges] = {}
    for schema, name in relations:
        relation = f"{schema}.{name}"
        target = f'published.{schema}."{name}"'
        table = incremental.get(relation)
        if table is None:
            if relation not in kept:
                copy_whole(con, schema, name)
            continue
        (since,) = con.execute(f"select max({BUILT_AT_COLUMN}) from {target}").fetchall()[0]
        if not table.is_fact:
            (rows, written) = con.execute(
                f"select count(*), count(*) filter ({BUILT_AT_COLUMN} > ?) from {relation}",
                [since],
            ).fetchall()[0]
            if written > MAX_DELTA_SHARE * rows:  # rebuilt whole (a roster, a correction)
                before = all_months(con, table, target)
                copy_whole(con, schema, name)
                changed_months[relation] = MonthChanges(before | all_months(con, table, target))
                continue
        month = month_expression(table)
        last = since
        if last_parquet is not None:
            last = last_built_at_in_parquet(con, last_parquet, table)
            if last is None or since is None or last < since:
                # the last publish's rows cannot be told apart: its changed months rewritten
                with rows_written_since(con, relation, since) as written:
                    removed = replace_rows_by_key(con, target, written, table.key_columns, month)
                    added = con.execute(f"select distinct {month} from {written}").fetchall()
                changed_months[relation] = MonthChanges(frozenset(removed | {m for (m,) in added}))
                continue
            # the rows of the last publish still as it wrote them (in its Parquet copy)
            with rows_written_since(con, relation, since, until=last) as written:
                replace_rows_by_key(con, target, written, table.key_columns)
        with rows_written_since(con, relation, last) as written:
            # the months of the rows replaced (as the delete returns them) and of the new
            removed = replace_rows_by_key(con, target, written, table.key_columns, month)
            if last_parquet is not None and last != since:
                # and those of the last publish's rows written again since, which the
                # file one publish behind never held
                removed |= months_of_parquet_rows(con, last_parquet, table, since, last, written)
            added = {
                m for (m,) in con.execute(f"select distinct {month} from {written}").fetchall()
            }
        changed_months[relation] = MonthChanges(
            frozenset(removed), frozenset(added - removed), since=last
        )
    built = set(relations)  # a table the build no longer has leaves the published file
    for schema, name in published_relations(con, catalog="published"):
        if (schema, name) not in built and f"{schema}.{name}" != PUBLISH_LOG_TABLE:
            con.execute(f'drop table published.{schema}."{name}"').fetchall()
    return changed_months


class DeltaMismatch(RuntimeError):
    """A delta publish did not reproduce the build: publish the whole build instead."""


def count_rows(
    con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]], *, verify: bool
) -> dict[str, int]:
    """Rows per published table; with ``verify``, each equals its build relation's."""
    rows_by_table = {}
    for schema, name in relations:
        (count,) = con.execute(f'select count(*) from published.{schema}."{name}"').fetchall()[0]
        if verify:
            (expected,) = con.execute(f'select count(*) from {schema}."{name}"').fetchall()[0]
            if count != expected:
                raise DeltaMismatch(f"{schema}.{name}: {count} rows published, {expected} built")
        rows_by_table[f"{schema}.{name}"] = count
    return rows_by_table
