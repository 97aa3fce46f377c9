"""The runner of the Great Expectations layer (data_quality/runner.py), on real GX
validations of small hand-made frames: one GX context serves the whole process (the
runner caches it), GX neither fingerprints nor keeps the validated frame, importing
data_quality does not import GX, an empty frame passes without validating, validating
in chunks (pandas frames or Arrow batches) gives the outcome of the whole table, and
the background import of GX is started once and waited for, its error surfacing in the
first validation."""

from __future__ import annotations

import subprocess
import sys
import threading

import pandas as pd
import pyarrow as pa
import pytest

from data_quality import runner
from data_quality.definitions import SuiteDefinition
from data_quality.outcomes import SuiteOutcome
from data_quality.runner import validate_chunks, validate_frame, validate_frames
from data_quality.suites import SUITES, suite_for
from tests.unit import data_quality_helpers as quality
from tests.unit.data_quality_helpers import clean_surveys, failed, raw_surveys, surveys

# the quality configuration (a fixture), bound here so that pytest finds it
config = quality.config


# --- runner, imports --------------------------------------------------------------------


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


@pytest.mark.parametrize("table", sorted(SUITES))
def test_an_empty_frame_passes(config, table):
    outcome = validate_frame(pd.DataFrame(), suite_for(table, config))
    assert outcome.success
    assert outcome.rows == 0
    assert outcome.failed_blocking == [] and outcome.warnings == []
    assert len(outcome.outcomes) == len(suite_for(table, config).expectations)


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
