"""A publish of the build database: only the marts and quality tables reach the
published warehouse and its Parquet copy; a mart or quality table carrying personal data, or
a build without marts, is refused; and a publish is never half-written: each writes a new
release beside the published names and switches them together by one rename of the
``current`` link, so a failure or a reader holding the published file sees the last release
whole, and the next publish removes what a killed one left and turns the earlier layout (a
file and a folder) into links (orchestration/assets/publish.py, orchestration/releases.py).
The delta publish is tested in test_publish_delta.py."""

import os
import re
import shutil

import duckdb
import pytest

from orchestration.assets.publish import PublishRefused, publish_warehouse
from orchestration.releases import remove_publish_leftovers
from orchestration.settings import load_settings
from tests.unit.publish_helpers import _build, _published, publish_settings


@pytest.fixture
def settings(tmp_path):
    return publish_settings(tmp_path)


def published_layout(settings) -> list[str]:
    """The published names, as links through the one ``current`` link to the release
    published last (named ``release-1`` here), and the release it replaced, when there is
    one, kept as ``previous`` (``release-0``); raises when the layout is anything else."""
    releases = settings.warehouse_path.with_name(".warehouse.duckdb.releases")
    assert sorted(p.name for p in settings.warehouse_path.parent.iterdir()) == [
        ".warehouse.duckdb.releases",
        "warehouse.duckdb",
    ]
    assert os.readlink(settings.warehouse_path) == (
        ".warehouse.duckdb.releases/current/warehouse.duckdb"
    )
    assert (
        os.readlink(settings.parquet_dir) == "published/.warehouse.duckdb.releases/current/parquet"
    )
    links = {"current": "release-1", "previous": "release-0"}
    named = {
        os.readlink(releases / link): name
        for link, name in links.items()
        if (releases / link).is_symlink()
    }
    found = [p.name for p in releases.iterdir() if p.name not in links]
    assert sorted(found) == sorted(named)
    for release in found:
        assert re.fullmatch(r"release-[0-9a-f]{12}", release)
        assert sorted(p.name for p in (releases / release).iterdir()) == [
            "parquet",
            "warehouse.duckdb",
        ]
    return sorted(named.get(p.name, p.name) for p in releases.iterdir())


def test_publishes_marts_and_quality_only(settings):
    _build(
        settings,
        "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value",
        "create view marts.kpi_client_monthly as select metric, value from marts.kpi_metrics",
        "create table quality.rejected_rows_summary as select 'calls' as source, 3 as rows",
    )
    report = publish_warehouse(settings, run_id="run-1")
    assert report.rows_by_table == {
        "marts.kpi_client_monthly": 1,
        "marts.kpi_metrics": 1,
        "quality.rejected_rows_summary": 1,
    }
    assert _published(settings, "select metric, value from marts.kpi_client_monthly") == [
        ("nps", 42.0)
    ]
    schemas = _published(
        settings,
        "select distinct table_schema from information_schema.tables order by 1",
    )
    assert schemas == [("marts",), ("quality",)]  # no raw layer
    assert _published(settings, "select run_id, tables_published from quality.publish_log") == [
        ("run-1", 3)
    ]
    assert published_layout(settings) == ["current", "release-1"]
    parquet = sorted(
        p.relative_to(settings.parquet_dir).as_posix()
        for p in settings.parquet_dir.rglob("*.parquet")
    )
    assert parquet == [
        "marts/kpi_client_monthly.parquet",
        "marts/kpi_metrics.parquet",
        "quality/publish_log.parquet",
        "quality/rejected_rows_summary.parquet",
    ]
    assert duckdb.sql(
        f"select metric, value from '{settings.parquet_dir}/marts/kpi_metrics.parquet'"
    ).fetchall() == [("nps", 42.0)]
    assert sorted(p.name for p in settings.parquet_dir.parent.iterdir()) == [
        "build.duckdb",
        "parquet",
        "published",
    ]


def test_every_night_publishes_beside_the_published_names_not_inside_a_release(tmp_path):
    """Each run reads its settings anew, when the published names are already links into
    the current release: the next release goes beside it, never inside it."""
    env = {
        "CXW_BUILD_PATH": str(tmp_path / "build.duckdb"),
        "CXW_WAREHOUSE_PATH": str(tmp_path / "published" / "warehouse.duckdb"),
        "CXW_PARQUET_DIR": str(tmp_path / "published" / "parquet"),
    }
    _build(
        load_settings(env), "create table marts.kpi_metrics as select 'nps' as metric, 1.0 as value"
    )
    for night in range(3):
        settings = load_settings(env)
        assert settings.warehouse_path == tmp_path / "published" / "warehouse.duckdb"
        con = duckdb.connect(str(settings.build_path))
        con.execute(f"update marts.kpi_metrics set value = {night}").fetchall()
        con.close()
        publish_warehouse(settings)
    releases = tmp_path / "published" / ".warehouse.duckdb.releases"
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == [
        ".warehouse.duckdb.releases",
        "parquet",
        "warehouse.duckdb",
    ]
    assert not list(releases.glob("*/.warehouse.duckdb.releases"))
    assert _published(load_settings(env), "select value from marts.kpi_metrics") == [(2.0,)]


def test_refuses_a_mart_with_a_personal_data_column_and_keeps_the_old_file(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    publish_warehouse(settings)
    con = duckdb.connect(str(settings.build_path))
    con.execute(
        "create table marts.dim_customer as select 'c1' as customer_id, 'a@b.c' as email"
    ).fetchall()
    con.close()
    with pytest.raises(
        PublishRefused, match="marts.dim_customer: column 'email' carries personal data"
    ):
        publish_warehouse(settings)
    assert _published(
        settings, "select table_schema, table_name from information_schema.tables order by all"
    ) == [("marts", "kpi_metrics"), ("quality", "publish_log")]


def test_refuses_a_build_without_marts_before_computing_the_saved_queries(settings, tmp_path):
    """The refusal names what is missing, not the first saved query that fails on it."""
    _build(settings)
    missing = tmp_path / "semantic_manifest.json"  # never read: the refusal comes first
    with pytest.raises(PublishRefused, match="the build database has no marts to publish"):
        publish_warehouse(settings, semantic_manifest=missing)
    assert not settings.warehouse_path.exists()


@pytest.mark.parametrize("column", ["record", "ani", "customer_endpoint", "ip_address"])
def test_refuses_a_vendor_record_or_its_personal_fields(settings, column):
    """A vendor record (kept whole in raw) or a personal field extracted from one never
    reaches the published warehouse, whichever model would carry it there."""
    _build(
        settings,
        "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value",
        f"create table quality.vendor_leak as select 'c-1' as contact_id, 'x' as {column}",
    )
    with pytest.raises(
        PublishRefused, match=f"quality.vendor_leak: column '{column}' carries personal data"
    ):
        publish_warehouse(settings)


def test_a_failure_while_copying_leaves_the_published_file_as_it_was(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    publish_warehouse(settings)
    before = settings.warehouse_path.read_bytes()
    con = duckdb.connect(str(settings.build_path))
    con.execute("create table marts.helper as select 1 as x").fetchall()
    con.execute("create view marts.broken as select x from marts.helper").fetchall()
    con.execute("drop table marts.helper").fetchall()  # the view can no longer be read
    con.close()
    with pytest.raises(duckdb.Error):
        publish_warehouse(settings)
    assert settings.warehouse_path.read_bytes() == before
    assert published_layout(settings) == ["current", "release-1"]


def test_a_reader_holding_the_published_file_neither_blocks_nor_sees_a_half_state(settings):
    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 1.0 as value")
    publish_warehouse(settings)
    reader = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        con = duckdb.connect(str(settings.build_path))
        con.execute("update marts.kpi_metrics set value = 2.0").fetchall()
        con.close()
        publish_warehouse(settings)  # does not wait for, or fail because of, the reader
        assert reader.execute("select value from marts.kpi_metrics").fetchall() == [(1.0,)]
    finally:
        reader.close()
    assert _published(settings, "select value from marts.kpi_metrics") == [(2.0,)]


def test_records_the_fingerprint_the_dbt_step_built_with(settings, tmp_path):
    """An edit of the dbt project between the dbt step and the publish is not taken as
    built: the publish records the fingerprint of the last dbt build, not of the files."""
    from orchestration.assets.transform import record_transform
    from orchestration.landing.raw_tables import ensure_raw_tables

    _build(settings, "create table marts.kpi_metrics as select 'nps' as metric, 42.0 as value")
    record_transform(settings, "fingerprint-of-an-older-build", run_id="run-0")
    record_transform(settings, "fingerprint-the-dbt-step-built", run_id="run-1")
    publish_warehouse(settings, run_id="run-1")
    con = duckdb.connect(str(settings.build_path))
    try:
        ensure_raw_tables(con, [])
        rows = con.execute(
            "select run_id, transform_fingerprint from meta.publish_history"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("run-1", "fingerprint-the-dbt-step-built")]


def _kpi_build(settings, value: float) -> None:
    if settings.build_path.exists():
        con = duckdb.connect(str(settings.build_path))
        con.execute(f"update marts.kpi_metrics set value = {value}").fetchall()
        con.close()
    else:
        _build(
            settings, f"create table marts.kpi_metrics as select 'nps' as metric, {value} as value"
        )


def _parquet_value(settings) -> list[tuple]:
    return duckdb.sql(
        f"select metric, value from '{settings.parquet_dir}/marts/kpi_metrics.parquet'"
    ).fetchall()


def test_the_next_publish_removes_what_a_killed_one_left_and_nothing_else(settings, tmp_path):
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    published, releases = (
        settings.warehouse_path.parent,
        settings.warehouse_path.parent / (".warehouse.duckdb.releases"),
    )
    # A publish killed while writing its release, and the names of an earlier release of
    # this code (which wrote beside the published file and swapped two names).
    unfinished = releases / "release-0123456789ab"
    (unfinished / "parquet" / "marts").mkdir(parents=True)
    (unfinished / "warehouse.duckdb").write_bytes(b"half")
    (unfinished / "warehouse.duckdb.wal").write_bytes(b"wal")
    (unfinished / "parquet" / "marts" / "kpi_metrics.parquet").write_bytes(b"half")
    os.symlink("release-0123456789ab", releases / ".current.0123456789ab.link")
    os.symlink("x", published / ".warehouse.duckdb.0123456789ab.link")
    (published / ".warehouse.duckdb.a1b2c3d4e5f6.publishing").write_bytes(b"half")
    (published / ".warehouse.duckdb.a1b2c3d4e5f6.publishing.wal").write_bytes(b"wal")
    (tmp_path / ".parquet.a1b2c3d4e5f6.publishing" / "marts").mkdir(parents=True)
    (tmp_path / ".parquet.retired" / "marts").mkdir(parents=True)
    # Files of the user's, with names alike: never touched.
    mine = [
        published / ".warehouse.duckdb.backup",
        published / ".warehouse.duckdb.1234.publishing",
        published / "warehouse.duckdb.a1b2c3d4e5f6.publishing",
        tmp_path / ".parquet.old",
        tmp_path / "parquet.retired",
    ]
    for path in mine:
        path.write_text("mine")

    removed = remove_publish_leftovers(settings)
    assert [p.relative_to(tmp_path).as_posix() for p in removed] == [
        ".parquet.a1b2c3d4e5f6.publishing",
        ".parquet.retired",
        "published/.warehouse.duckdb.0123456789ab.link",
        "published/.warehouse.duckdb.a1b2c3d4e5f6.publishing",
        "published/.warehouse.duckdb.a1b2c3d4e5f6.publishing.wal",
        "published/.warehouse.duckdb.releases/.current.0123456789ab.link",
        "published/.warehouse.duckdb.releases/release-0123456789ab",
    ]
    assert all(path.read_text() == "mine" for path in mine)
    assert _published(settings, "select run_id from quality.publish_log") == [("run-1",)]
    assert remove_publish_leftovers(settings) == []

    # The next publish also removes what a killed one left (here, before it runs).
    (unfinished / "parquet").mkdir(parents=True)
    (unfinished / "warehouse.duckdb").write_bytes(b"half")
    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    for path in mine:
        path.unlink()
    assert published_layout(settings) == ["current", "previous", "release-0", "release-1"]
    assert _published(settings, "select value from marts.kpi_metrics") == [(2.0,)]
    assert _parquet_value(settings) == [("nps", 2.0)]


def test_a_published_file_and_folder_of_the_earlier_layout_become_links_to_one_release(
    settings,
):
    # The layout of an earlier release of this code, or of a deployment copied without its
    # links: the published DuckDB file and the Parquet folder are a file and a folder.
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    for link in (settings.warehouse_path, settings.parquet_dir):
        real = link.resolve()
        link.unlink()
        if real.is_dir():
            shutil.copytree(real, link)
        else:
            shutil.copy2(real, link)
    assert not settings.warehouse_path.is_symlink() and not settings.parquet_dir.is_symlink()

    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    assert published_layout(settings) == ["current", "previous", "release-0", "release-1"]
    assert not (settings.parquet_dir.parent / ".parquet.retired").exists()
    assert _published(
        settings, "select run_id, value from quality.publish_log, marts.kpi_metrics"
    ) == [("run-2", 2.0)]
    assert _parquet_value(settings) == [("nps", 2.0)]


def test_one_rename_switches_the_duckdb_file_and_its_parquet_copy_together(settings):
    """Both published names resolve through the ``current`` link: its target decides what
    a reader of either opens. Until the switch, both give the last release; after it, both
    the new one."""
    _kpi_build(settings, 1.0)
    publish_warehouse(settings, run_id="run-1")
    releases = settings.warehouse_path.with_name(".warehouse.duckdb.releases")
    old = os.readlink(releases / "current")
    _kpi_build(settings, 2.0)
    publish_warehouse(settings, run_id="run-2")
    new = os.readlink(releases / "current")
    assert new != old
    assert settings.warehouse_path.resolve() == releases / new / "warehouse.duckdb"
    assert settings.parquet_dir.resolve() == releases / new / "parquet"
    assert os.readlink(releases / "previous") == old  # kept, for the next publish to start from
    # Put the old release back under the switch (a reader before the rename): both names
    # follow it at once.
    os.symlink(old, releases / ".current.0123456789ab.link")
    os.replace(releases / ".current.0123456789ab.link", releases / "current")
    assert _published(settings, "select value from marts.kpi_metrics") == [(1.0,)]
    assert _parquet_value(settings) == [("nps", 1.0)]
