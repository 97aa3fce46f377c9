"""``cxw run`` refreshes the KPI report after a night that published, and only then.

The Dagster job is replaced by a stand-in result (publishing or not); the warehouse is
the hand-made one of test_report.py, so the report written is a real one.
"""

from __future__ import annotations

import ast
import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from orchestration import nightly
from orchestration.names import PUBLISHED_WAREHOUSE_KEY
from orchestration.settings import Settings, load_settings
from tests.unit.test_report import build_published_warehouse


@dataclass(frozen=True)
class Materialization:
    """A materialization event, and (as Dagster's event holds) its materialization, whose
    metadata names no rejected file."""

    asset_key: object
    metadata: dict = field(default_factory=dict)

    @property
    def materialization(self) -> Materialization:
        return self


@dataclass(frozen=True)
class JobResult:
    """What run_night reads of Dagster's result: no failed check or step, and the assets
    materialized (the published warehouse among them, or not)."""

    materialized: tuple[object, ...]
    success: bool = True

    def get_asset_check_evaluations(self) -> list:
        return []

    def get_step_failure_events(self) -> list:
        return []

    def get_asset_materialization_events(self) -> list[Materialization]:
        return [Materialization(key) for key in self.materialized]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(
        load_settings({}),
        warehouse_path=build_published_warehouse(tmp_path / "warehouse.duckdb"),
        report_path=tmp_path / "site" / "kpi_report.html",
        build_path=tmp_path / "build.duckdb",
        min_anonymity_n=5,
    )


def night_with(monkeypatch: pytest.MonkeyPatch, result: JobResult) -> None:
    """The job and its guards replaced: the night returns ``result``."""
    monkeypatch.setattr(nightly, "exclusive_build", lambda *_: contextlib.nullcontext())
    monkeypatch.setattr(nightly, "check_landing_zone", lambda _: None)
    monkeypatch.setattr(nightly, "remove_publish_leftovers", lambda _: None)
    monkeypatch.setattr(nightly, "execute_nightly_job", lambda *_, **__: result)


def test_a_night_that_publishes_writes_the_report(monkeypatch, settings, capsys) -> None:
    night_with(monkeypatch, JobResult((PUBLISHED_WAREHOUSE_KEY,)))

    outcome = nightly.run_night(settings)

    assert (outcome.exit_code, outcome.published) == (0, True)
    assert outcome.report is not None and outcome.report.path == settings.report_path
    assert "<h1>CX Warehouse KPI report</h1>" in settings.report_path.read_text()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("cxw run: done in ")
    # the hand-made warehouse: March 2026, 15 charts
    assert lines[1] == f"KPI report (March 2026, 15 charts): {settings.report_path}"


def test_a_night_with_nothing_new_writes_no_report(monkeypatch, settings, capsys) -> None:
    night_with(monkeypatch, JobResult(()))

    outcome = nightly.run_night(settings)

    assert (outcome.exit_code, outcome.published, outcome.report) == (0, False, None)
    assert not settings.report_path.exists()
    assert "KPI report" not in capsys.readouterr().out


def test_a_report_that_fails_warns_and_the_night_stays_done(monkeypatch, settings, capsys) -> None:
    """The report's folder is a file: the report cannot be written, the publish stands."""
    settings.report_path.parent.write_text("not a folder")
    night_with(monkeypatch, JobResult((PUBLISHED_WAREHOUSE_KEY,)))

    assert nightly.run_nightly(settings) == 0
    out, err = capsys.readouterr()
    assert out.startswith("cxw run: done in ") and "KPI report (" not in out
    assert err.startswith(
        f"cxw run: WARNING: the KPI report {settings.report_path} was not refreshed "
        "(FileExistsError: "
    )
    assert err.rstrip().endswith("; the warehouse is published")


def test_the_report_is_imported_only_after_the_night() -> None:
    """``cxw run`` starts without the report module: nightly.py imports it inside
    refresh_report, never at the top of the module."""
    tree = ast.parse(Path(nightly.__file__).read_text())
    top_level = {
        node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(m.startswith("orchestration.report") for m in top_level)
