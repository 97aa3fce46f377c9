"""The suites of the Great Expectations layer (data_quality/) beyond the survey scores,
on real GX validations of small hand-made frames: the registry (a suite per validated
source and one for kpi_metrics), what no suite validates again (the parser's guarantees)
and the columns each suite reads; the raw.calls and raw.tickets suites (implausible or
inconsistent values warn, and block when systemic); and the marts.kpi_metrics suite (every
invariant blocks and names its offending rows; its KPI catalogue mirrors the dbt macro)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from data_quality.runner import validate_frame
from data_quality.suites import VALIDATED_SOURCES, all_suites, suite_for
from data_quality.suites._raw_contract import MAX_DURATION_SECONDS
from data_quality.suites.kpi_metrics import (
    ALL_LEVELS,
    EMPLOYEE_LEVELS,
    KPI_CATALOGUE,
    LEVELS,
    QUEUE_LEVELS,
)
from orchestration.landing.contract import (
    LINEAGE_COLUMNS,
    MAPPING_SOURCES,
    SOURCES,
    VENDOR_SOURCES,
    Kind,
)
from orchestration.settings import DBT_PROJECT_DIR
from tests.unit import data_quality_helpers as quality
from tests.unit.data_quality_helpers import (
    clean_surveys,
    failed,
    lineage,
    raw_surveys,
    surveys,
)

# the quality configuration (a fixture), bound here so that pytest finds it
config = quality.config


# --- the registry, and what every suite checks and reads --------------------------------


def test_registry_has_a_suite_per_validated_source_and_kpi_metrics(config):
    suites = all_suites(config)
    # clients, sites, teams and the mapping sources: the parser checks all there is to
    # check in them; vendor records are validated once mapped (the canonical facts' tests)
    assert set(SOURCES) - set(VALIDATED_SOURCES) == {
        "clients",
        "sites",
        "teams",
        *MAPPING_SOURCES,
        *VENDOR_SOURCES,
    }
    assert set(suites) == {f"raw_{s}" for s in VALIDATED_SOURCES} | {"kpi_metrics"}
    import great_expectations.expectations as gxe

    for table, suite in suites.items():
        assert suite.name == f"{table}__suite"
        assert suite.table == table
        for e in suite.expectations:
            assert re.fullmatch(r"[a-z0-9_]+", e.name), e.name
            assert hasattr(gxe, e.expectation), e.expectation


def test_what_the_parser_guarantees_is_not_validated_again(config):
    """Required values, enumerations, negative durations and the lineage columns are the
    loader's (orchestration.landing.parsing rejects such rows): no suite names them."""
    for source in VALIDATED_SOURCES:
        suite = suite_for(f"raw_{source}", config)
        spec = SOURCES[source]
        names = {e.name for e in suite.expectations}
        assert not {n for n in names if n.endswith(("_not_null", "_in_set", "_not_negative"))}
        assert {"columns_present", "lineage_unique"}.isdisjoint(names)
        lineage = {name for name, _ in LINEAGE_COLUMNS}
        assert lineage.isdisjoint(suite.columns)
        assert set(suite.columns) <= set(spec.column_names)
        for e in suite.expectations:
            if e.expectation == "ExpectColumnValuesToBeInSet":
                assert spec.column(e.kwargs["column"]).kind is not Kind.ENUM, e.name
    # a survey type the parser would have rejected is not this suite's business
    rows = clean_surveys()
    rows[0] = ("nss", "5")
    assert validate_frame(surveys(rows), raw_surveys(config)).success


def test_each_suite_reads_only_the_columns_it_needs(config):
    suites = all_suites(config)
    assert suites["raw_surveys"].columns == ("survey_type", "sent_at", "responded_at", "score")
    assert suites["raw_employee_surveys"].columns == ("survey_date", "esat_score", "enps_score")
    assert suites["raw_tickets"].columns == ("created_at", "first_response_at", "solved_at")
    assert suites["raw_calls"].columns == (
        "offered_at",
        "ended_at",
        "answered_at",
        "talk_seconds",
        "hold_seconds",
        "acw_seconds",
    )
    assert suites["kpi_metrics"].columns[:5] == (
        "period_grain",
        "period_start",
        "level",
        "entity_id",
        "metric",
    )
    assert len(suites["kpi_metrics"].columns) == 13  # with is_complete
    # a suite validates its columns alone, as the orchestration reads them
    frame = surveys(clean_surveys())[list(suites["raw_surveys"].columns)]
    assert failed(validate_frame(frame, suites["raw_surveys"])) == set()


# --- raw.calls and raw.tickets ----------------------------------------------------------


def calls(n: int, ended_before_offered: int = 0) -> pd.DataFrame:
    offered = pd.Timestamp("2026-03-02 09:00") + pd.to_timedelta(np.arange(n), unit="min")
    ended = offered + pd.Timedelta(minutes=5)
    ended = ended.where(np.arange(n) >= ended_before_offered, offered - pd.Timedelta(seconds=30))
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(n)],
            "client_id": "acme",
            "direction": ["inbound", "outbound"] * (n // 2),
            "offered_at": offered.astype("datetime64[us]"),  # as DuckDB hands TIMESTAMP
            "ended_at": ended.astype("datetime64[us]"),
            "queue": "billing",
            "customer_id": "cu1",
            "agent_id": "ag1",
            "answered_at": offered + pd.Timedelta(seconds=12),
            "talk_seconds": 200.0,
            "hold_seconds": 0.0,
            "acw_seconds": np.nan,
            "wrap_code": None,
            **lineage(n),
        }
    )


def test_clean_calls_pass(config):
    outcome = validate_frame(calls(100), suite_for("raw_calls", config))
    assert outcome.success
    assert failed(outcome) == set()


def test_a_call_ending_before_it_was_offered_fails(config):
    outcome = validate_frame(calls(100, ended_before_offered=1), suite_for("raw_calls", config))
    assert failed(outcome) == {"ended_at_not_before_offered_at", "ended_at_not_before_answered_at"}
    warning = outcome.outcome("ended_at_not_before_offered_at")
    assert not warning.blocking
    assert warning.unexpected_count == 1
    assert warning.examples == [["2026-03-02T08:59:30", "2026-03-02T09:00:00"]]

    outcome = validate_frame(calls(100, ended_before_offered=10), suite_for("raw_calls", config))
    assert [o.name for o in outcome.failed_blocking] == ["ended_at_not_before_offered_at__systemic"]


def test_implausible_call_values_warn_then_block_when_systemic(config):
    frame = calls(10)
    frame.loc[0, "talk_seconds"] = MAX_DURATION_SECONDS + 1.0  # more than a day
    frame.loc[3, "offered_at"] = pd.Timestamp("1970-01-01")
    outcome = validate_frame(frame, suite_for("raw_calls", config))
    assert outcome.success  # one row of 10 is 10%, but a single row only warns
    assert failed(outcome) == {
        "talk_seconds_plausible",
        "offered_at_plausible",
    }
    assert outcome.outcome("offered_at_plausible__systemic").details["below_block_minimum"] == 10
    assert outcome.outcome("offered_at_plausible").examples == ["1970-01-01T00:00:00"]
    assert outcome.outcome("talk_seconds_plausible").examples == [86401.0]

    frame = calls(100)  # a vendor exporting milliseconds: every call blocks
    frame["talk_seconds"] = 200_000.0
    outcome = validate_frame(frame, suite_for("raw_calls", config))
    assert [o.name for o in outcome.failed_blocking] == ["talk_seconds_plausible__systemic"]
    assert outcome.outcome("talk_seconds_plausible__systemic").unexpected_count == 100


def test_a_reply_before_ticket_creation_only_warns(config):
    n = 20
    created = pd.Timestamp("2026-03-02 09:00") + pd.to_timedelta(np.arange(n), unit="h")
    first_response = created + pd.Timedelta(minutes=3)
    first_response = first_response.where(np.arange(n) >= 5, created - pd.Timedelta(minutes=1))
    frame = pd.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(n)],
            "client_id": "acme",
            "channel": "chat",
            "created_at": created,
            "customer_id": None,
            "agent_id": "ag1",
            "priority": "normal",
            "status": "solved",
            "first_response_at": first_response,
            "solved_at": created + pd.Timedelta(hours=1),
            **lineage(n),
        }
    )
    outcome = validate_frame(frame, suite_for("raw_tickets", config))
    assert outcome.success  # 25% of the tickets, and still only a warning
    assert failed(outcome) == {"first_response_at_not_before_created_at"}
    assert outcome.outcome("first_response_at_not_before_created_at").unexpected_count == 5


# --- marts.kpi_metrics ------------------------------------------------------------------


def kpi_rows() -> pd.DataFrame:
    """A clean kpi_metrics: one suppressed esat group, intervals around their values."""
    rows = [
        # grain, start, level, entity, metric, value, num, den, n, ci_low, ci_high, suppressed
        ("day", "2026-03-02", "all", "all", "calls_offered", 40, None, None, 40, None, None, False),
        ("day", "2026-03-02", "agent", "ag1", "nps", 20.0, 2, 10, 10, -30.5, 70.5, False),
        ("week", "2026-03-02", "team", "t1", "csat_pct", 100.0, 8, 8, 8, 67.6, 100.0, False),
        ("month", "2026-03-01", "client", "acme", "csat_avg", 4.5, 36, 8, 8, None, None, False),
        ("month", "2026-03-01", "team", "t1", "esat_pct", None, None, None, 3, None, None, True),
        ("month", "2026-03-01", "site", "s1", "enps", -100.0, -6, 6, 6, -100.0, -60.0, False),
        ("month", "2026-03-01", "all", "all", "customer_retention_pct", 0.0, 0, 5, 5, None, None, False),
        # a first month: S = 0, so metrics.md gives value NULL and sample_size 0
        ("month", "2026-02-01", "client", "acme", "customer_retention_pct", None, 0, 0, 0, None, None, False),
        # a day with calls but no abandon: the count 0 is shown, sample_size is the count
        ("day", "2026-03-02", "client", "acme", "calls_abandoned", 0, None, None, 0, None, None, False),
    ]  # fmt: skip
    columns = [
        "period_grain", "period_start", "level", "entity_id", "metric", "value", "numerator",
        "denominator", "sample_size", "ci_low", "ci_high", "suppressed",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["period_start"] = [date.fromisoformat(d) for d in frame["period_start"]]
    for c in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        frame[c] = frame[c].astype("float64")
    # March is not over in the data; nullable, as a table's BOOLEAN column reads
    frame["is_complete"] = pd.array([r[1] != "2026-03-01" for r in rows], dtype="boolean")
    return frame


def test_clean_kpi_metrics_pass(config):
    outcome = validate_frame(kpi_rows(), suite_for("kpi_metrics", config))
    assert failed(outcome) == set()
    assert outcome.success


def _set(frame: pd.DataFrame, row: int, **values) -> pd.DataFrame:
    for column, value in values.items():
        frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("row", "changes", "expected_failures"),
    [
        (1, {"value": 120.0, "ci_high": 130.0}, {"net_score_in_range"}),  # nps 120
        (2, {"value": 101.0, "ci_high": 101.0}, {"pct_in_range"}),  # csat_pct 101
        (1, {"ci_low": 25.0}, {"ci_low_not_above_value"}),  # ci_low > value
        (4, {"value": 66.7}, {"suppressed_has_no_value"}),
        (
            5,
            {"level": "agent", "entity_id": "ag1"},  # an agent-level enps
            {"no_agent_level_employee_metric", "metric_level_in_catalogue"},
        ),
    ],
)
def test_broken_kpi_invariants_block(config, row, changes, expected_failures):
    outcome = validate_frame(_set(kpi_rows(), row, **changes), suite_for("kpi_metrics", config))
    assert not outcome.success
    assert failed(outcome) == expected_failures
    assert {o.name for o in outcome.failed_blocking} == expected_failures
    assert all(outcome.outcome(name).unexpected_count == 1 for name in expected_failures)


def test_every_kpi_invariant_names_its_offending_rows(config):
    clean = kpi_rows()
    corruptions = [  # (row copied from the clean frame, changes)
        (1, {"value": 120.0, "ci_high": 130.0}),  # net_score_in_range
        (2, {"value": 101.0, "ci_high": 101.0}),  # pct_in_range
        (1, {"ci_low": 25.0}),  # ci_low_not_above_value
        (1, {"ci_high": 19.0}),  # ci_high_not_below_value
        (4, {"value": 66.7}),  # suppressed_has_no_value
        (5, {"level": "agent"}),  # no_agent_level_employee_metric, metric_level_in_catalogue
        (0, {"sample_size": 0}),  # sample_size_positive (row 0 shows a value)
        (5, {"sample_size": 4}),  # small_groups_suppressed
        (6, {"period_grain": "day"}),  # metric_grain_in_catalogue (retention: month only)
        (2, {"period_start": date(2026, 3, 4)}),  # period_start_aligned (a Wednesday)
        (3, {"metric": "csat_mean"}),  # metric_in_catalogue, level and grain pairs
        (3, {"value": 5.5}),  # csat_avg_on_scale
        (0, {"is_complete": None}),  # is_complete_not_null
    ]
    bad = []
    for i, (row, changes) in enumerate(corruptions):
        copy = clean.iloc[[row]].reset_index(drop=True)
        bad.append(_set(copy, 0, entity_id=f"bad{i}", **changes))
    duplicate = clean.iloc[[1]]  # key_unique: both copies are unexpected
    frame = pd.concat([clean, *bad, duplicate], ignore_index=True)
    outcome = validate_frame(frame, suite_for("kpi_metrics", config))
    counts = {o.name: o.unexpected_count for o in outcome.outcomes if not o.success}
    assert counts == {
        "net_score_in_range": 1,
        "pct_in_range": 1,
        "ci_low_not_above_value": 1,
        "ci_high_not_below_value": 1,
        "suppressed_has_no_value": 1,
        "no_agent_level_employee_metric": 1,
        "metric_level_in_catalogue": 2,
        "sample_size_positive": 1,
        "small_groups_suppressed": 1,
        "metric_grain_in_catalogue": 2,
        "period_start_aligned": 1,
        "metric_in_catalogue": 1,
        "csat_avg_on_scale": 1,
        "key_unique": 2,
        "is_complete_not_null": 1,
    }
    assert {o.name for o in outcome.failed_blocking} == set(counts)
    assert outcome.outcome("net_score_in_range").examples == [120.0]
    assert outcome.outcome("pct_in_range").examples == [101.0]
    assert outcome.outcome("no_agent_level_employee_metric").examples == ["enps"]
    assert sorted(outcome.outcome("metric_level_in_catalogue").examples) == [
        "csat_mean@client",
        "enps@agent",
    ]
    assert outcome.outcome("period_start_aligned").examples == ["week 2026-03-04"]
    assert outcome.outcome("suppressed_has_no_value").examples == [66.7]


def test_wilson_rounding_at_100_percent_does_not_block(config):
    frame = _set(kpi_rows(), 2, ci_high=99.99999999999999)
    assert validate_frame(frame, suite_for("kpi_metrics", config)).success


def test_kpi_catalogue_mirrors_the_dbt_macro():
    macro = (DBT_PROJECT_DIR / "macros" / "kpi" / "kpi_catalogue.sql").read_text(encoding="utf-8")
    every = {
        "every_level": LEVELS,
        "every_level_and_queue": ALL_LEVELS,
        "queue_levels": QUEUE_LEVELS,
        "employee_levels": EMPLOYEE_LEVELS,
        "every_grain": ("day", "week", "month"),
    }

    def names(text: str) -> tuple[str, ...]:
        return every[text] if text in every else tuple(re.findall(r"'(\w+)'", text))

    entries = re.findall(
        r"'metric': '(\w+)', 'levels': (\w+|\[[^\]]*\]), 'grains': "
        r"(every_grain|\[[^\]]*\]).*?'is_anonymized': (true|false)",
        macro,
        flags=re.DOTALL,
    )
    in_dbt = {m: (names(lv), names(gr), anon == "true") for m, lv, gr, anon in entries}
    in_suite = {m: (k.levels, k.grains, k.is_anonymized) for m, k in KPI_CATALOGUE.items()}
    assert len(in_dbt) == 23
    assert in_suite == in_dbt
