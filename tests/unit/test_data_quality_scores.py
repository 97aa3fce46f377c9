"""Survey scores in the Great Expectations layer (data_quality/), on real GX validations
of small hand-made frames: the score scales (dbt vars and settings overrides), the reason
an answer is an invalid score (as the dbt macro decides it), and the raw.surveys and
raw.employee_surveys suites: a few invalid scores only warn, a share above the tolerated
one blocks as scale drift; CSAT labels are valid scores, unanswered invitations are not
scored."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data_quality.config import QualityConfig
from data_quality.runner import validate_frame
from data_quality.scales import (
    EMPTY_SCORE,
    NOT_AN_INTEGER,
    OFF_SCALE,
    invalid_score_reasons,
    score_scales,
)
from data_quality.suites import suite_for
from orchestration.settings import load_settings
from tests.unit import data_quality_helpers as quality
from tests.unit.data_quality_helpers import (
    WINDOW,
    clean_surveys,
    failed,
    lineage,
    raw_surveys,
    surveys,
)

# the quality configuration (a fixture), bound here so that pytest finds it
config = quality.config


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
