"""The release a publish replaces stays as ``previous``, and the next delta publish starts
from its file, one publish behind, instead of copying the current one: it applies the rows
written since that older publish and writes its Parquet copy from the current one's
(orchestration/releases.py, take_starting_release; orchestration/assets/publish.py). A
previous release a reader holds open, one that is not the publish before the last, one
DuckDB cannot open, or one whose publish was killed is never used: the publish copies the
current file, as before."""

import datetime as dt
import os
import subprocess
import sys

import duckdb
import pytest

from orchestration import ledger
from orchestration.assets import publish
from orchestration.assets.publish import publish_warehouse
from orchestration.published_tables import IncrementalTable
from orchestration.releases import (
    CURRENT_RELEASE,
    PREVIOUS_RELEASE,
    prepare_release_copy,
    releases_dir,
)
from tests.unit.publish_helpers import _build, _published, parquet_calls, publish_settings

CALLS = IncrementalTable("marts.fct_calls", key="call_id", month_column="report_date")
NIGHT_1, NIGHT_2, NIGHT_3 = "2026-03-01 02:00:00", "2026-03-02 02:00:00", "2026-04-02 02:00:00"
SCOPED_TO_CALLS = frozenset({"marts.fct_calls", "marts.kpi_metrics"})
FROM_PREVIOUS = "rows written since the previous release's publish"
FROM_CURRENT = "rows written since the last publish"


def _write(settings, *statements):
    con = duckdb.connect(str(settings.build_path))
    for sql in statements:
        con.execute(sql).fetchall()
    con.close()


def _release(settings, link: str) -> str | None:
    path = releases_dir(settings) / link
    return os.readlink(path) if path.is_symlink() else None


def _folders(settings) -> set[str]:
    links = (CURRENT_RELEASE, PREVIOUS_RELEASE)
    return {p.name for p in releases_dir(settings).iterdir() if p.name not in links}


@pytest.fixture
def settings(tmp_path):
    """Two nights published: night 1 (20 calls in January and February, dim_site CLT)
    whole, night 2 (K01 restated, K20 new in March, dim_site CLT-2, kpi_metrics 9) by
    delta; night 1's release is now the previous one. Night 3 then writes K21 (April) and
    K22 (March) and restates K00 (January)."""
    settings = publish_settings(tmp_path)
    _build(
        settings,
        "create table marts.fct_calls as select 'K' || lpad(i::varchar, 2, '0') as call_id, "
        "date '2026-01-10' + cast(i * 2 as integer) as report_date, i * 10 as talk_seconds, "
        f"timestamp '{NIGHT_1}' as _built_at from range(20) as t(i)",
        "create table marts.kpi_metrics as select 'handled_calls' as metric, 20 as value",
        "create table marts.dim_site as select 'CLT' as site_id",
    )
    publish_warehouse(settings, run_id="run-1", incremental_tables=[CALLS])
    _write(
        settings,
        f"update marts.fct_calls set talk_seconds = 99, _built_at = '{NIGHT_2}' "
        "where call_id = 'K01'",
        f"insert into marts.fct_calls values ('K20', date '2026-03-02', 200, '{NIGHT_2}')",
        "update marts.kpi_metrics set value = 9",
        "update marts.dim_site set site_id = 'CLT-2'",
    )
    second = publish_warehouse(settings, run_id="run-2", incremental_tables=[CALLS])
    assert (second.method, second.reason) == ("delta", FROM_CURRENT)  # no previous yet
    _write(
        settings,
        f"insert into marts.fct_calls values ('K21', date '2026-04-01', 210, '{NIGHT_3}')",
        f"insert into marts.fct_calls values ('K22', date '2026-03-20', 220, '{NIGHT_3}')",
        f"update marts.fct_calls set talk_seconds = 7, _built_at = '{NIGHT_3}' "
        "where call_id = 'K00'",
        "update marts.kpi_metrics set value = 10",
    )
    return settings


def _built(settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.build_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


CALLS_SQL = "select * exclude (_built_at) from marts.fct_calls order by call_id"


def _month_inode(settings, month: str) -> int:
    path = settings.parquet_dir / "marts" / "fct_calls" / f"month={month}" / "data_0.parquet"
    return path.stat().st_ino


def test_the_third_night_starts_from_the_release_before_the_current_one(settings):
    night_1, night_2 = _release(settings, PREVIOUS_RELEASE), _release(settings, CURRENT_RELEASE)
    assert _folders(settings) == {night_1, night_2}
    february = _month_inode(settings, "2026-02")  # written by night 1 alone
    march = _month_inode(settings, "2026-03")  # written by night 2 (K20)
    with prepare_release_copy(settings):
        assert _folders(settings) == {night_1, night_2}  # no copy of the current file
        report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert (report.method, report.reason) == ("delta", FROM_PREVIOUS)
    night_3 = _release(settings, CURRENT_RELEASE)
    assert night_3 not in (night_1, night_2)  # night 1's folder, under a new name
    assert _release(settings, PREVIOUS_RELEASE) == night_2
    assert _folders(settings) == {night_2, night_3}
    # Both nights' rows reached the file that held night 1's.
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)
    assert _published(
        settings,
        "select call_id, talk_seconds from marts.fct_calls "
        "where call_id in ('K00', 'K01', 'K02', 'K20', 'K21', 'K22') order by 1",
    ) == [("K00", 7), ("K01", 99), ("K02", 20), ("K20", 200), ("K21", 210), ("K22", 220)]
    assert _published(settings, "select value from marts.kpi_metrics") == [(10,)]
    assert _published(settings, "select site_id from marts.dim_site") == [("CLT-2",)]
    assert _published(settings, "select run_id, method from quality.publish_log") == [
        ("run-3", "delta")
    ]
    assert _published(
        settings, "select tags from duckdb_databases() where database_name = current_database()"
    ) == [({"storage_version": "v1.0.0+"},)]
    # The Parquet copy, against the current release's: January written again (K00
    # restated), February linked, March linked with a file of night 3's K22 beside it
    # (night 2's K20 once), April new.
    assert parquet_calls(settings) == _built(settings, CALLS_SQL)
    assert _month_inode(settings, "2026-02") == february
    assert _month_inode(settings, "2026-03") == march
    march_3 = settings.parquet_dir / "marts" / "fct_calls" / "month=2026-03" / "data_1.parquet"
    assert duckdb.sql(f"select call_id from '{march_3}'").fetchall() == [("K22",)]
    assert sorted(
        p.parent.name for p in (settings.parquet_dir / "marts" / "fct_calls").rglob("*.parquet")
    ) == ["month=2026-01", "month=2026-02", "month=2026-03", "month=2026-03", "month=2026-04"]


def test_a_scoped_night_copies_what_the_last_publish_changed_into_the_older_file(settings):
    """Night 3 rebuilt the calls only: dim_site is kept as the last publish has it. The
    previous release's file has night 1's dim_site, so it gets night 2's copied in; the
    Parquet file stays a link to night 2's."""
    con = duckdb.connect(str(settings.build_path))
    ledger.record_transform(con, "fingerprint", "run-3")
    con.close()
    site_file = settings.parquet_dir / "marts" / "dim_site.parquet"
    night_2_site = site_file.stat().st_ino
    report = publish_warehouse(
        settings, run_id="run-3", incremental_tables=[CALLS], rebuilt=SCOPED_TO_CALLS
    )
    assert (report.method, report.reason) == ("delta", FROM_PREVIOUS)
    assert _published(settings, "select site_id from marts.dim_site") == [("CLT-2",)]
    assert site_file.stat().st_ino == night_2_site
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
sys.stdin.readline()
print(con.execute(
    "select run_id, (select count(*) from marts.fct_calls) from quality.publish_log"
).fetchall(), flush=True)
"""


def test_a_previous_release_a_reader_holds_open_is_left_to_the_reader(settings):
    """A BI tool that opened night 1's file before night 2's switch still reads it: the
    run copies the current file for its publish instead, and the reader keeps night 1."""
    night_1 = _release(settings, PREVIOUS_RELEASE)
    path = releases_dir(settings) / night_1 / settings.warehouse_path.name
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline() == "open\n"
        with prepare_release_copy(settings):
            assert len(_folders(settings)) == 3  # the current file copied while the run builds
            report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
        out, _ = reader.communicate("go\n", timeout=60)
    finally:
        reader.kill()
    assert (report.method, report.reason) == ("delta", FROM_CURRENT)
    assert out.strip() == "[('run-1', 20)]"
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)
    assert _folders(settings) == {
        _release(settings, CURRENT_RELEASE),
        _release(settings, PREVIOUS_RELEASE),
    }


def test_a_previous_release_that_is_not_the_publish_before_the_last_is_not_used(settings):
    night_1 = _release(settings, PREVIOUS_RELEASE)
    path = releases_dir(settings) / night_1 / settings.warehouse_path.name
    con = duckdb.connect(str(path))
    con.execute("update quality.publish_log set run_id = 'run-elsewhere'").fetchall()
    con.close()
    report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert (report.method, report.reason) == ("delta", FROM_CURRENT)
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)
    assert _published(settings, "select value from marts.kpi_metrics") == [(10,)]


def test_a_publish_killed_while_it_writes_the_previous_release_leaves_no_previous(
    settings, monkeypatch
):
    """The previous release is renamed before it is written: a publish that fails half way
    leaves the current release published and nothing named ``previous``, and the next
    publish copies the current file."""
    night_2 = _release(settings, CURRENT_RELEASE)

    def killed(*_args, **_kwargs):
        raise RuntimeError("killed half way")

    monkeypatch.setattr(publish, "apply_delta", killed)
    with pytest.raises(RuntimeError, match="killed half way"):
        publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    monkeypatch.undo()
    assert _release(settings, CURRENT_RELEASE) == night_2
    assert _release(settings, PREVIOUS_RELEASE) is None
    assert _folders(settings) == {night_2}
    assert _published(settings, "select run_id from quality.publish_log") == [("run-2",)]
    report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert (report.method, report.reason) == ("delta", FROM_CURRENT)
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)


def test_a_row_the_last_publish_wrote_and_this_run_restates_is_in_the_parquet_copy_once(
    settings,
):
    """K20 came with night 2 (March, in the current release's Parquet copy, not in the
    previous release's file): night 3 restates it, so March is written again, not added to."""
    _write(
        settings,
        f"update marts.fct_calls set talk_seconds = 5, _built_at = '{NIGHT_3}' "
        "where call_id = 'K20'",
    )
    report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert (report.method, report.reason) == ("delta", FROM_PREVIOUS)
    march = settings.parquet_dir / "marts" / "fct_calls" / "month=2026-03"
    assert sorted(p.name for p in march.iterdir()) == ["data_0.parquet"]
    assert parquet_calls(settings) == _built(settings, CALLS_SQL)
    assert ("K20", dt.date(2026, 3, 2), 5) in parquet_calls(settings)


def test_a_previous_release_whose_file_is_damaged_is_not_used(settings):
    """A previous release's file that DuckDB cannot open (damaged on disk, half copied by
    hand) costs the run its copy of the current file, nothing else."""
    night_1 = _release(settings, PREVIOUS_RELEASE)
    path = releases_dir(settings) / night_1 / settings.warehouse_path.name
    with open(path, "r+b") as fh:
        fh.write(b"not a DuckDB file" * 300)
    report = publish_warehouse(settings, run_id="run-3", incremental_tables=[CALLS])
    assert (report.method, report.reason) == ("delta", FROM_CURRENT)
    assert _published(settings, CALLS_SQL) == _built(settings, CALLS_SQL)
    assert parquet_calls(settings) == _built(settings, CALLS_SQL)
    assert night_1 not in _folders(settings)
