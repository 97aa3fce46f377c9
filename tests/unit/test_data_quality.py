"""The Great Expectations layer (data_quality/): real GX validations on small hand-made frames.

One GX context serves the whole module (the runner caches it per process).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from data_quality import runner
from data_quality.config import PlausibleWindow, QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.outcomes import SuiteOutcome
from data_quality.runner import validate_chunks, validate_frame, validate_frames
from data_quality.scales import (
    EMPTY_SCORE,
    NOT_AN_INTEGER,
    OFF_SCALE,
    invalid_score_reasons,
    score_scales,
)
from data_quality.suites import SUITES, VALIDATED_SOURCES, all_suites, suite_for
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
from orchestration.settings import DBT_PROJECT_DIR, load_settings

WINDOW = PlausibleWindow(earliest=date(2000, 1, 1), latest=date(2027, 1, 1))
SENT = pd.Timestamp("2026-03-02 09:00")
RESPONDED = pd.Timestamp("2026-03-02 10:00")


@pytest.fixture(scope="module")
def config() -> QualityConfig:
    return QualityConfig.from_settings(load_settings({}), window=WINDOW)


def failed(outcome: SuiteOutcome) -> set[str]:
    return {o.name for o in outcome.outcomes if not o.success}


def lineage(n: int) -> dict:
    return {
        "_file_path": "landing/file.csv",
        "_file_row": np.arange(1, n + 1),
        "_loaded_at": pd.Timestamp("2026-03-03 02:00"),
    }


def surveys(rows: list[tuple[str, str | None]], answered: bool = True) -> pd.DataFrame:
    """raw.surveys rows: (survey_type, score text); answered unless told otherwise."""
    n = len(rows)
    return pd.DataFrame(
        {
            "survey_id": [f"s{i}" for i in range(n)],
            "survey_type": [t for t, _ in rows],
            "client_id": "acme",
            "sent_at": SENT,
            "customer_id": "cu1",
            "interaction_type": "call",
            "interaction_id": "call1",
            "agent_id": "ag1",
            "responded_at": RESPONDED if answered else pd.NaT,
            "score": pd.Series([s for _, s in rows], dtype="object"),
            "comment": None,
            **lineage(n),
        }
    )


def clean_surveys() -> list[tuple[str, str]]:
    """100 valid answers of each type: nps 0..10, csat 1..5, ces 1..5."""
    return (
        [("nps", str(i % 11)) for i in range(100)]
        + [("csat", str(1 + i % 5)) for i in range(100)]
        + [("ces", str(1 + i % 5)) for i in range(100)]
    )


# --- scales: one configuration, parsed like the dbt macros -------------------------------


def test_scales_come_from_dbt_vars_and_settings_overrides():
    scales = score_scales(load_settings({}))
    assert {n: (s.min_score, s.max_score) for n, s in scales.items()} == {
        "nps": (0, 10),
        "csat": (1, 5),
        "ces": (1, 5),
        "esat": (1, 5),
        "enps": (0, 10),
    }
    assert scales["csat"].labels["very satisfied"] == 5
    assert scales["csat"].labels["not satisfied"] == 2
    assert scales["nps"].labels == {}
    moved = score_scales(load_settings({"CXW_SURVEY_SCALES": "csat=1..10"}))
    assert (moved["csat"].min_score, moved["csat"].max_score) == (1, 10)


@pytest.mark.parametrize(
    ("survey_type", "text", "reason"),
    [
        ("nps", "0", None),
        ("nps", "10", None),
        ("nps", "07", None),  # '-?[0-9]+' cast to 7, as dbt does
        ("nps", "11", OFF_SCALE),
        ("nps", "-1", OFF_SCALE),
        ("nps", "7.5", NOT_AN_INTEGER),
        ("nps", "great", NOT_AN_INTEGER),
        ("nps", "", EMPTY_SCORE),
        ("nps", None, EMPTY_SCORE),
        ("csat", "0", OFF_SCALE),
        ("csat", "5", None),
        ("csat", "Very Satisfied", None),
        ("csat", "  not SATISFIED ", None),
        ("csat", "Neutral", None),
        ("csat", "Satisfied-ish", NOT_AN_INTEGER),
        ("ces", "Satisfied", NOT_AN_INTEGER),  # labels are CSAT's only
        ("ces", "6", OFF_SCALE),
        ("esat", "4", None),
        ("enps", "10", None),
        ("unknown", "3", OFF_SCALE),  # no scale: as the dbt macro's `else false`
    ],
)
def test_invalid_score_reason_mirrors_the_dbt_macro(survey_type, text, reason):
    scales = score_scales(load_settings({}))
    reasons = invalid_score_reasons(pd.Series([text], dtype="object"), survey_type, scales)
    assert (None if pd.isna(reasons.iloc[0]) else reasons.iloc[0]) == reason


# --- raw.surveys ------------------------------------------------------------------------


def test_clean_surveys_pass_every_expectation(config):
    frame = surveys(clean_surveys())
    before = frame.copy()
    outcome = validate_frame(frame, raw_surveys(config))
    pd.testing.assert_frame_equal(frame, before)  # derived columns go to a copy
    assert outcome.success
    assert outcome.rows == 300
    assert failed(outcome) == set()
    assert outcome.summary() == "raw_surveys__suite on 300 rows: passed"


def test_gx_does_not_fingerprint_the_frame(config):
    """GX's md5 of every pandas batch cost about 30% of a validation; the runner turns it
    off (pandas_execution_engine.HASH_THRESHOLD), and this notices if GX renames it."""
    validate_frame(surveys(clean_surveys()), raw_surveys(config))
    batch = runner._batch_definition().get_batch(batch_parameters={"dataframe": surveys([])})
    try:
        markers = batch.batch_markers
        assert markers.get("ge_load_time")  # the batch markers are there, without the md5
        assert "pandas_data_fingerprint" not in markers
    finally:
        runner._forget_batch(batch)


def raw_surveys(config: QualityConfig) -> SuiteDefinition:
    return suite_for("raw_surveys", config)


def test_one_off_scale_score_in_100_only_warns(config):
    rows = clean_surveys()
    rows[42] = ("nps", "11")  # one nps answer of 100
    outcome = validate_frame(surveys(rows), raw_surveys(config))
    assert outcome.success
    assert failed(outcome) == {"score_on_scale__nps"}
    warning = outcome.outcome("score_on_scale__nps")
    assert not warning.blocking
    assert warning.unexpected_count == 1
    assert warning.unexpected_percent == pytest.approx(1.0)
    assert warning.examples == ["11"]
    assert [o.name for o in outcome.warnings] == ["score_on_scale__nps"]
    assert outcome.failed_blocking == []
    assert outcome.outcome("scale_drift__nps").success


def test_csat_moved_to_1_10_blocks_drift_for_csat_only(config):
    rows = clean_surveys()
    for i in range(10):  # 10 of the 100 csat answers on a 1..10 scale
        rows[100 + i] = ("csat", str(6 + i % 5))
    outcome = validate_frame(surveys(rows), raw_surveys(config))
    assert not outcome.success
    assert [o.name for o in outcome.failed_blocking] == ["scale_drift__csat"]
    assert failed(outcome) == {"scale_drift__csat", "score_on_scale__csat"}
    drift = outcome.outcome("scale_drift__csat")
    assert drift.blocking
    assert drift.unexpected_count == 10
    assert drift.unexpected_percent == pytest.approx(10.0)
    assert sorted(set(drift.examples)) == ["10", "6", "7", "8", "9"]
    assert drift.details["mostly"] == pytest.approx(0.95)
    assert outcome.summary().startswith("raw_surveys__suite on 300 rows: FAILED, blocking: ")
    assert "scale_drift__csat: 10 unexpected (10.00%)" in outcome.summary()


def test_exactly_the_tolerated_share_does_not_block(config):
    rows = clean_surveys()
    for i in range(5):  # 5% is tolerated, only more blocks
        rows[100 + i] = ("csat", "9")
    outcome = validate_frame(surveys(rows), raw_surveys(config))
    assert outcome.success
    assert failed(outcome) == {"score_on_scale__csat"}


def test_max_invalid_share_is_configurable(config):
    rows = clean_surveys()
    for i in range(3):
        rows[200 + i] = ("ces", "0")
    strict = QualityConfig(
        config.scales, max_invalid_share=0.02, window=WINDOW, min_blocking_rows=3
    )
    outcome = validate_frame(surveys(rows), raw_surveys(strict))
    assert [o.name for o in outcome.failed_blocking] == ["scale_drift__ces"]


def test_a_few_bad_rows_only_warn_whatever_their_share(config):
    """3 invalid CES answers are 3% of a night: a share gate alone would block a small night."""
    rows = clean_surveys()
    for i in range(3):
        rows[200 + i] = ("ces", "0")
    share_only = QualityConfig(config.scales, max_invalid_share=0.02, window=WINDOW)
    assert share_only.min_blocking_rows == 10  # the default (CXW_MIN_BLOCKING_ROWS)
    outcome = validate_frame(surveys(rows), raw_surveys(share_only))
    assert outcome.success
    assert failed(outcome) == {"score_on_scale__ces"}  # shown as a warning
    drift = outcome.outcome("scale_drift__ces")
    assert (drift.unexpected_count, drift.details["below_block_minimum"]) == (3, 10)


def test_csat_labels_are_valid_scores(config):
    labels = ["Very Unsatisfied", "unsatisfied", "Not Satisfied", "NEUTRAL", "Satisfied"]
    rows = clean_surveys()
    for i, label in enumerate(labels * 4):
        rows[100 + i] = ("csat", label)
    rows[120] = ("csat", " very satisfied ")
    outcome = validate_frame(surveys(rows), raw_surveys(config))
    assert outcome.success
    assert failed(outcome) == set()


def test_decimals_words_and_empty_answers_are_invalid(config):
    rows = clean_surveys()
    rows[3] = ("nps", "7.5")
    rows[4] = ("nps", "great")
    rows[5] = ("nps", None)  # answered without a score
    outcome = validate_frame(surveys(rows), raw_surveys(config))
    warning = outcome.outcome("score_on_scale__nps")
    assert warning.unexpected_count == 3
    assert sorted(warning.examples) == ["7.5", "<empty>", "great"]
    assert outcome.success  # 3 of 100: below the drift threshold


def test_unanswered_invitations_are_not_scored(config):
    unanswered = surveys([("csat", None)] * 50 + [("nps", None)] * 50, answered=False)
    outcome = validate_frame(unanswered, raw_surveys(config))
    assert outcome.success
    assert failed(outcome) == set()
    assert outcome.outcome("score_on_scale__csat").details["element_count"] == 0


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


# --- raw.employee_surveys ---------------------------------------------------------------


def employee_surveys(esat: list[str | None], enps: list[str | None]) -> pd.DataFrame:
    n = len(esat)
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "team_id": "t1",
            "survey_date": date(2026, 3, 2),  # DATE arrives as Python dates
            "agent_id": None,
            "esat_score": pd.Series(esat, dtype="object"),
            "enps_score": pd.Series(enps, dtype="object"),
            "comment": None,
            **lineage(n),
        }
    )


def test_employee_scores_warn_then_block_on_drift(config):
    esat = [str(1 + i % 5) for i in range(120)]
    enps = [str(i % 11) for i in range(120)]
    esat[0], esat[1] = None, "6"  # an empty esat is unanswered; '6' is off its 1..5 scale
    outcome = validate_frame(
        employee_surveys(esat, enps), suite_for("raw_employee_surveys", config)
    )
    assert outcome.success  # 1 of 119 answered
    assert failed(outcome) == {"score_on_scale__esat"}
    assert outcome.outcome("score_on_scale__esat").examples == ["6"]

    enps[:12] = ["11", "-1", "7.5", "great"] * 3  # 12 of 120 = 10%
    outcome = validate_frame(
        employee_surveys(esat, enps), suite_for("raw_employee_surveys", config)
    )
    assert [o.name for o in outcome.failed_blocking] == ["scale_drift__enps"]
    assert outcome.outcome("scale_drift__enps").unexpected_count == 12


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


# --- runner, registry, imports ----------------------------------------------------------


@pytest.mark.parametrize("table", sorted(SUITES))
def test_an_empty_frame_passes(config, table):
    outcome = validate_frame(pd.DataFrame(), suite_for(table, config))
    assert outcome.success
    assert outcome.rows == 0
    assert outcome.failed_blocking == [] and outcome.warnings == []
    assert len(outcome.outcomes) == len(suite_for(table, config).expectations)


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


def test_great_expectations_does_not_keep_the_validated_frame(config):
    validate_frame(surveys(clean_surveys()), raw_surveys(config))
    engine = runner._batch_definition().data_asset.datasource.get_execution_engine()
    assert engine.batch_manager.batch_data_cache == {}
    assert engine.batch_manager.batch_cache == {}


def test_importing_data_quality_does_not_import_great_expectations():
    code = (
        "import sys\n"
        "import data_quality.runner, data_quality.suites, data_quality.results\n"
        "from data_quality.suites import all_suites\n"
        "all_suites()\n"
        "print('great_expectations' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_validating_in_chunks_gives_the_outcome_of_the_whole_frame(config):
    rows = clean_surveys()
    for i in range(12):  # 12 of the answered csat: drift, judged on the totals
        rows[10 * i] = ("csat", str(6 + i % 5))
    rows[7] = ("nps", "11")  # one warning
    frame = surveys(rows)
    suite = raw_surveys(config)
    whole = validate_frame(frame, suite)
    chunks = [frame.iloc[i : i + 70] for i in range(0, len(frame), 70)]
    merged = validate_frames(chunks, suite)
    assert merged.rows == whole.rows == len(frame)
    assert merged.success == whole.success is False
    assert_same_counts(merged, whole)


def assert_same_counts(got: SuiteOutcome, expected: SuiteOutcome) -> None:
    """Every expectation of ``got`` has the verdict, count and share it has in ``expected``."""
    for want in expected.outcomes:
        have = got.outcome(want.name)
        assert (have.success, have.unexpected_count) == (
            want.success,
            want.unexpected_count,
        ), want.name
        if want.unexpected_percent is not None:
            assert have.unexpected_percent == pytest.approx(want.unexpected_percent), want.name


def arrow_chunks(frame: pd.DataFrame, size: int) -> list:
    return [
        pa.Table.from_pandas(frame.iloc[i : i + size], preserve_index=False)
        for i in range(0, len(frame), size)
    ]


def drifted_surveys() -> pd.DataFrame:
    rows = clean_surveys()
    for i in range(12):  # 12 of the answered csat off scale: drift, judged on the totals
        rows[10 * i] = ("csat", str(6 + i % 5))
    rows[7] = ("nps", "11")  # one warning
    return surveys(rows)


def test_validate_chunks_gives_the_outcome_of_the_whole_table(config):
    frame = drifted_surveys()
    whole = validate_frame(frame, raw_surveys(config))
    empty = pa.Table.from_pandas(frame.head(0), preserve_index=False)
    chunks = [empty, *arrow_chunks(frame, 70), empty]  # empty chunks are skipped
    outcome = validate_chunks("raw_surveys", config, iter(chunks))
    assert outcome.rows == whole.rows == 300
    assert outcome.success is whole.success is False
    assert failed(outcome) == {"scale_drift__csat", "score_on_scale__csat", "score_on_scale__nps"}
    assert_same_counts(outcome, whole)
    drift = outcome.outcome("scale_drift__csat")
    assert (drift.unexpected_count, drift.details["element_count"], drift.details["chunks"]) == (
        12,
        110,  # 10 nps answers became csat ones
        5,
    )
    assert drift.unexpected_percent == pytest.approx(100 * 12 / 110)
    # the first 10 off-scale answers in row order: the chunks were merged in their order
    assert drift.examples == ["6", "7", "8", "9", "10", "6", "7", "8", "9", "10"]
    assert outcome.summary().startswith(
        "raw_surveys__suite on 300 rows: FAILED, blocking: scale_drift__csat: 12 unexpected"
    )


def test_validate_chunks_reads_only_the_suites_columns(config):
    frame = drifted_surveys().assign(unrelated=pd.Series([object()] * 300).astype(str))
    chunks = arrow_chunks(frame, 1000)
    assert "unrelated" in chunks[0].column_names and "survey_id" in chunks[0].column_names
    seen: list[list[str]] = []
    original = raw_surveys(config)

    def prepare(rows: pd.DataFrame) -> pd.DataFrame:
        seen.append(list(rows.columns))
        return original.prepare(rows)

    suite = SuiteDefinition(
        original.name, original.table, original.expectations, original.columns, prepare
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("data_quality.suites.suite_for", lambda table, config: suite)
        outcome = validate_chunks("raw_surveys", config, chunks)
    assert seen == [["survey_type", "sent_at", "responded_at", "score"]]
    assert (outcome.rows, outcome.outcome("scale_drift__csat").unexpected_count) == (300, 12)


def test_validate_chunks_given_no_rows_passes_without_validating(config):
    outcome = validate_chunks("raw_calls", config, [])
    assert (outcome.success, outcome.rows) == (True, 0)
    assert {o.details.get("skipped") for o in outcome.outcomes} == {"empty frame"}
    assert len(outcome.outcomes) == len(suite_for("raw_calls", config).expectations)


def test_chunks_are_at_most_a_quarter_million_rows():
    assert runner.CHUNK_ROWS == 250_000


def test_the_background_import_starts_once_and_the_validation_waits_for_it(config, monkeypatch):
    monkeypatch.setattr(runner, "_background_import", runner._BackgroundImport())
    runner.import_great_expectations_in_background()
    thread = runner._background_import.thread
    runner.import_great_expectations_in_background()  # idempotent: the same thread
    callers = [
        threading.Thread(target=runner.import_great_expectations_in_background) for _ in range(4)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert runner._background_import.thread is thread
    assert thread.daemon and thread.name == "cxw-import-great-expectations"
    outcome = validate_chunks("raw_surveys", config, arrow_chunks(surveys(clean_surveys()), 1000))
    assert not thread.is_alive()  # the validation waited for it
    assert (outcome.success, outcome.rows) == (True, 300)
    assert runner._background_import.error is None


def test_an_error_of_the_background_import_surfaces_in_the_first_validation(config, monkeypatch):
    def broken():
        raise ImportError("No module named 'great_expectations'")

    monkeypatch.setattr(runner, "_background_import", runner._BackgroundImport())
    monkeypatch.setattr(runner, "_batch_definition", broken)
    runner.import_great_expectations_in_background()
    runner._background_import.thread.join()
    chunks = arrow_chunks(surveys(clean_surveys()), 1000)
    with pytest.raises(RuntimeError, match="importing Great Expectations failed") as raised:
        validate_chunks("raw_surveys", config, chunks)
    assert isinstance(raised.value.__cause__, ImportError)
    with pytest.raises(RuntimeError, match="No module named 'great_expectations'"):
        validate_frame(surveys(clean_surveys()), raw_surveys(config))  # every time, not once
    # no rows: nothing to validate, so no GX needed and no error
    assert validate_chunks("raw_surveys", config, []).success
