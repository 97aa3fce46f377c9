"""Vendor folders read as delivered: any file name, gzip by content, JSON objects one per
line, back to back or in API pages; each record kept whole; a broken record rejected alone."""

import gzip
import json

import duckdb
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.landing.files import discover_files, read_text_frame
from orchestration.landing.loader import ingest_source
from orchestration.landing.raw_tables import reconcile

CONNECT = "amazon_connect_contacts"
GENESYS = "genesys_conversations"


def _contact(contact_id: str, **fields) -> dict:
    return {"ContactId": contact_id, "Channel": "VOICE", **fields}


def test_firehose_files_any_name_gzip_by_content_objects_back_to_back(tmp_path):
    folder = tmp_path / CONNECT / "2026" / "03" / "01" / "10"
    folder.mkdir(parents=True)
    back_to_back = "".join(json.dumps(_contact(c)) for c in ("c-1", "c-2", "c-3"))
    (folder / "cxw-stream-1-2026-03-01-10-00-00-abc").write_bytes(
        gzip.compress(back_to_back.encode())
    )
    lines = "\n".join(json.dumps(_contact(c, Queue={"Name": "}{"})) for c in ("c-4", "c-5"))
    (folder / "cxw-stream-1-2026-03-01-10-05-00-def").write_text(lines + "\n")
    (folder / ".hidden").write_text("{}")
    (folder / "upload.part").write_text("{}")

    files, ignored = discover_files(tmp_path, CONNECT, SOURCES[CONNECT].vendor_format)

    assert [f.relative_path.rsplit("-", 1)[1] for f in files] == ["abc", "def"]
    assert sorted(i.rsplit("/", 1)[1] for i in ignored) == [".hidden", "upload.part"]
    first, bad_first = read_text_frame(files[0])
    second, bad_second = read_text_frame(files[1])
    assert (bad_first, bad_second) == ([], [])
    assert first.get_column("contact_id").to_list() == ["c-1", "c-2", "c-3"]
    assert second.get_column("contact_id").to_list() == ["c-4", "c-5"]
    # the record is kept whole, nested objects included
    assert json.loads(second.get_column("record")[0])["Queue"] == {"Name": "}{"}


def test_api_pages_give_their_elements_numbered_across_pages(tmp_path):
    folder = tmp_path / GENESYS
    folder.mkdir()
    pages = [
        {"conversations": [{"conversationId": "g-1"}, {"conversationId": "g-2"}], "cursor": "x"},
        {"conversations": [{"conversationId": "g-3"}]},
        {"cursor": None},  # the last page: the API leaves the empty array out
    ]
    (folder / "job-results.json").write_text("\n".join(json.dumps(p) for p in pages))

    (file,), _ = discover_files(tmp_path, GENESYS, SOURCES[GENESYS].vendor_format)
    frame, bad = read_text_frame(file)

    assert bad == []
    assert frame.get_column("conversation_id").to_list() == ["g-1", "g-2", "g-3"]


def test_a_broken_record_is_rejected_alone_and_the_counts_add_up(tmp_path):
    folder = tmp_path / CONNECT
    folder.mkdir()
    (folder / "part-0001").write_text(
        json.dumps(_contact("c-1"))
        + json.dumps(_contact("c-2"))
        + '\n{"ContactId": "c-3", "Channel": \n'  # cut off mid-record
        + json.dumps(_contact("c-4"))
        + "\n[1, 2]\n"  # JSON, but not a record
        + json.dumps({"Channel": "VOICE"})  # no ContactId
        + "\n"
    )
    con = duckdb.connect()

    report = ingest_source(con, SOURCES[CONNECT], tmp_path)

    (result,) = report.results
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 3, 3)
    assert result.rejects_by_reason == {"bad_json": 1, "empty_key": 1, "not_a_json_object": 1}
    assert con.execute(
        f"select contact_id, _file_row, record->>'$.Channel' from raw.{CONNECT} order by 2"
    ).fetchall() == [("c-1", 1, "VOICE"), ("c-2", 2, "VOICE"), ("c-4", 4, "VOICE")]
    assert con.execute(
        "select file_row, reason from meta.rejected_rows order by file_row"
    ).fetchall() == [(3, "bad_json"), (5, "not_a_json_object"), (6, "empty_key")]
    assert reconcile(con, CONNECT) == []


def test_a_corrupt_gzip_rejects_the_file_with_its_reason(tmp_path):
    folder = tmp_path / CONNECT
    folder.mkdir()
    (folder / "part-0001").write_bytes(gzip.compress(b'{"ContactId": "c-1"}')[:12])
    con = duckdb.connect()

    (result,) = ingest_source(con, SOURCES[CONNECT], tmp_path).results

    assert (result.status, result.rows_loaded) == ("rejected", 0)
    assert "gzip" in result.error


def _qualtrics_export(zone: str) -> str:
    return (
        "StartDate,RecordedDate,ResponseId,Q1\n"
        "Start Date,Recorded Date,Response ID,How likely are you to recommend us?\n"
        f'"{{""ImportId"":""startDate"",""timeZone"":""{zone}""}}",'
        f'"{{""ImportId"":""recordedDate"",""timeZone"":""{zone}""}}",'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\n'
        "2026-03-02 09:30:00,2026-03-02 09:31:10,R_1,9\n"
    )


@pytest.mark.parametrize(("named", "kept"), [("Z", "UTC"), ("America/Denver", "America/Denver")])
def test_qualtrics_time_zones_of_the_third_header_row(tmp_path, named, kept):
    """Qualtrics' API names UTC ``Z``: read as UTC, like any IANA zone it names."""
    folder = tmp_path / "qualtrics_responses" / "SV_1"
    folder.mkdir(parents=True)
    (folder / "export.csv").write_text(_qualtrics_export(named))
    (file,), _ = discover_files(
        tmp_path, "qualtrics_responses", SOURCES["qualtrics_responses"].vendor_format
    )

    frame, bad = read_text_frame(file)

    assert bad == []
    assert json.loads(frame.get_column("time_zones")[0]) == {
        "recordedDate": kept,
        "startDate": kept,
    }


def test_a_qualtrics_export_naming_an_unknown_zone_is_rejected_whole(tmp_path):
    folder = tmp_path / "qualtrics_responses" / "SV_1"
    folder.mkdir(parents=True)
    (folder / "export.csv").write_text(_qualtrics_export("Mars/Olympus"))
    con = duckdb.connect()

    (result,) = ingest_source(con, SOURCES["qualtrics_responses"], tmp_path).results

    assert result.status == "rejected"
    assert result.error.endswith("unknown time zone 'Mars/Olympus' for startDate")
