"""What the hand-made landing zone's bad input leaves in the published warehouse, on DuckDB
and on Spark: a call in another client's queue, invalid survey scores, a row that cannot be
parsed, a survey delivered again (tests/integration/hand_made_world.py says which)."""

from __future__ import annotations

import pytest


@pytest.mark.integration
def test_a_queue_of_another_client_is_a_quality_warning(hand_made_build):
    flagged = hand_made_build.published(
        "select call_id, client_id, queue, queue_site_id from marts.fct_calls"
        " where is_queue_of_other_client"
    )
    assert flagged == [("C05", "NWA", "billing", None)]


@pytest.mark.integration
def test_invalid_scores_are_counted_in_quality(hand_made_build):
    invalid = hand_made_build.published(
        "select source, file_path, score_type, reason, invalid_scores "
        "from quality.quality_invalid_scores order by all"
    )
    assert invalid == [
        ("surveys", "surveys/surveys_2026-03-20.csv", "ces", "empty_score", 1),  # E2
        ("surveys", "surveys/surveys_2026-03-20.csv", "nps", "off_scale", 1),  # N7 '11'
    ]
    summary = hand_made_build.published(
        "select source, kind, reason, files, affected_rows from quality.quality_summary "
        "order by all"
    )
    assert summary == [
        ("calls", "row_rejected", "bad_timestamp", 1, 1),  # C10
        ("surveys", "score_invalid", "ces:empty_score", 1, 1),
        ("surveys", "score_invalid", "nps:off_scale", 1, 1),
        ("tickets", "value_invalid", "first_response_before_creation", 1, 1),  # T4
    ]


@pytest.mark.integration
def test_a_row_that_cannot_be_parsed_is_rejected_and_counted(hand_made_build):
    rejected = hand_made_build.published(
        "select source, file_path, reason, column_name, rejected_rows "
        "from quality.quality_rejected_rows"
    )
    assert rejected == [("calls", "calls/calls_2026-03.csv", "bad_timestamp", "offered_at", 1)]
    # the other 10 calls are loaded; C10 is in no metric (SKR offered only C09)
    files = hand_made_build.published(
        "select rows_read, rows_loaded, rows_rejected from quality.quality_ingested_files "
        "where file_path = 'calls/calls_2026-03.csv'"
    )
    assert files == [(11, 10, 1)]


@pytest.mark.integration
def test_the_later_file_wins_for_a_redelivered_survey(hand_made_build):
    (score,) = hand_made_build.published(
        "select score from marts.fct_survey_responses where survey_id = 'N6'"
    )[0]
    assert score == 9  # surveys_2026-03-20_correction.csv, not 6 from surveys_2026-03-20.csv
