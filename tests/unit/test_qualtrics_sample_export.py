"""The Qualtrics reader on a real public export (tests/fixtures/vendor/qualtrics, MIT)."""

import json
import shutil
from pathlib import Path

from orchestration.landing.files import discover_files
from orchestration.landing.vendor_files import read_vendor_frame

FIXTURE = Path(__file__).parents[1] / "fixtures" / "vendor" / "qualtrics" / "sample.csv"


def test_a_real_qualtrics_export_is_read_by_import_id(tmp_path):
    landing = tmp_path / "landing"
    folder = landing / "qualtrics_responses" / "SV_sample"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "sample.csv")
    (file,) = discover_files(landing, "qualtrics_responses", "qualtrics_csv")[0]

    frame, bad = read_vendor_frame(file)

    assert bad == []
    # one response: the German question-text row (row 2) is a header, not a response
    assert frame.height == 1
    row = frame.row(0, named=True)
    assert row["survey_ref"] == "SV_sample"
    assert row["response_id"] == "R_2YPOQ602ER1jkf1"
    record = json.loads(row["record"])
    # keys are the ImportIds of row 3, not the export tags of row 1 (ResponseId, Q1, Q2)
    assert record["_recordId"] == "R_2YPOQ602ER1jkf1"
    assert record["QID1"] == "2"
    assert record["QID2_TEXT"] == "Hello World!"
    assert record["startDate"] == "2017-07-18 08:28:09"
    assert record["recordedDate"] == "2017-07-18 08:28:48"
    assert record["status"] == "0"
    assert record["finished"] == "1"
    # empty cells are omitted: no recipient name or e-mail, no external reference
    assert "recipientEmail" not in record and "externalDataReference" not in record
    assert "Q1" not in record and "ResponseId" not in record
    assert not any("Anfangsdatum" in str(value) for value in record.values())
    # row 3 names no time zone: the configured zone of the source applies in dbt
    assert row["time_zones"] is None
