"""Corrections, withdrawals, re-deliveries and float-written scores: a night ends exactly
where a full refresh of the same landing zone ends, and nothing is lost on the way.

Every test starts from a copy of the session's sample build (7 days from 2026-03-05) and
changes its landing zone the way real exports do, then runs the real `cxw`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil

import polars as pl

from tests.integration.conftest import Deployment, copy_deployment
from tests.integration.test_incremental import _compared_tables, _table_rows

CORRECTED_CALLS = "calls/calls_2026-03-05.csv.gz"
REDELIVERY = "calls/calls_2026-03-05_zz_redelivery.csv"
WITHDRAWN_TICKETS = "tickets/tickets_2026-03-08.jsonl"
FLOAT_NPS = "surveys/surveys_2026-03-10_floats.parquet"
FLOAT_CSAT = "surveys/surveys_2026-03-10_floats.jsonl"

# 39 answered NPS scores written as floats, and one NaN (an empty score)
NPS_FLOATS = [float([10, 9, 8, 7, 6, 3, 0][i % 7]) for i in range(39)] + [float("nan")]


def _read_gzip_csv(path) -> list[list[str]]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write_gzip_csv(path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(buffer.getvalue())


def _survey(survey_id: str, survey_type: str, score) -> dict:
    return {
        "survey_id": survey_id,
        "survey_type": survey_type,
        "client_id": "C001",
        "sent_at": "2026-03-10T09:00:00Z",
        "responded_at": "2026-03-10T10:00:00Z",
        "score": score,
    }


def _land_the_faults(deployment: Deployment) -> dict[str, str]:
    """Correct a calls file (drop one call, rename another), re-deliver a third call with a
    new talk time in a later file, and add surveys whose scores are written as floats."""
    landing = deployment.landing_dir
    # three calls that this file alone delivered (the generator re-delivers some elsewhere)
    only_here = [
        key
        for (key,) in deployment.query(
            "select call_id from raw.calls where _file_path = ? and call_id not in "
            "(select call_id from raw.calls where _file_path <> ?) order by _file_row limit 3",
            [CORRECTED_CALLS, CORRECTED_CALLS],
        )
    ]
    rows = _read_gzip_csv(landing / CORRECTED_CALLS)
    header = rows[0]
    call_id, talk = header.index("call_id"), header.index("talk_seconds")
    dropped, renamed, redelivered = (next(r for r in rows if r[call_id] == k) for k in only_here)
    new_key = renamed[call_id] + "-NEW"
    _write_gzip_csv(
        landing / CORRECTED_CALLS,
        [
            [new_key if r is renamed and i == call_id else v for i, v in enumerate(r)]
            for r in rows
            if r is not dropped
        ],
    )
    (landing / REDELIVERY).write_text(
        ",".join(header) + "\n" + ",".join("999" if i == talk else v
                                           for i, v in enumerate(redelivered)) + "\n"
    )  # fmt: skip
    pl.DataFrame(
        [_survey(f"SVFLOAT{i:03d}", "nps", score) for i, score in enumerate(NPS_FLOATS)],
        schema_overrides={"score": pl.Float64},
    ).write_parquet(landing / FLOAT_NPS)
    (landing / FLOAT_CSAT).write_text(
        "\n".join(
            json.dumps(_survey(f"SVFLOATC{i}", "csat", score))
            for i, score in enumerate([5.0, 4.0, 2.0, 1.0])
        )
        + "\n"
    )
    return {
        "dropped": dropped[call_id],
        "renamed": renamed[call_id],
        "new_key": new_key,
        "redelivered": redelivered[call_id],
    }


def test_a_night_of_corrections_and_a_withdrawal_equals_a_full_refresh(sample_copy, tmp_path):
    night, _ = sample_copy
    (calls_loaded_before,) = night.query(
        "select rows_loaded from meta.ingest_manifest where file_path = ?", [CORRECTED_CALLS]
    )[0]
    keys = _land_the_faults(night)
    withdrawn_ids = [
        json.loads(line)["ticket_id"]
        for line in (night.landing_dir / WITHDRAWN_TICKETS).read_text().splitlines()
        if line.strip()
    ]
    (loaded_before,) = night.query(
        "select rows_loaded from meta.ingest_manifest where file_path = ?", [WITHDRAWN_TICKETS]
    )[0]
    assert loaded_before == len(withdrawn_ids) > 0

    withdrawal = night.cxw("withdraw", WITHDRAWN_TICKETS)
    assert f"withdrew {WITHDRAWN_TICKETS}: {loaded_before} rows removed from raw" in (
        withdrawal.stdout
    )
    night.cxw("run")

    calls = dict(night.query("select call_id, talk_seconds from marts.fct_calls"))
    assert keys["dropped"] not in calls, "a call the corrected file no longer holds is gone"
    assert keys["renamed"] not in calls, "a call whose key changed is gone under its old key"
    assert keys["new_key"] in calls
    assert calls[keys["redelivered"]] == 999.0, "the later file's row wins"
    # the withdrawn file's tickets fall back to an earlier file's row, or leave the facts
    (earlier,) = night.query(
        "select count(distinct ticket_id) from raw.tickets where ticket_id in "
        "(select unnest(?::varchar[]))",
        [withdrawn_ids],
    )[0]
    (in_fact,) = night.query(
        "select count(*) from marts.fct_tickets where ticket_id in (select unnest(?::varchar[]))",
        [withdrawn_ids],
    )[0]
    assert in_fact == earlier
    assert night.query(
        "select count(*) from raw.tickets where _file_path = ?", [WITHDRAWN_TICKETS]
    ) == [(0,)]
    # what the withdrawn file contributed stays listed, with its rows counted
    assert night.query(
        "select status, rows_loaded from meta.ingest_manifest where file_path = ?",
        [WITHDRAWN_TICKETS],
    ) == [("withdrawn", loaded_before)]
    # the corrected file lost its old rows and two keys (dropped, renamed); the withdrawn
    # file all of its rows and keys
    assert night.query(
        "select file_path, reason, rows_removed, keys_dropped from meta.retractions "
        "order by file_path"
    ) == [
        (CORRECTED_CALLS, "corrected", calls_loaded_before, 2),
        (WITHDRAWN_TICKETS, "withdrawn", loaded_before, len(set(withdrawn_ids))),
    ]

    # Scores written as floats (Parquet) and as 9.0 in JSON: whole numbers are valid,
    # NaN is an empty score. 39 NPS scores: five each of 10, 9, 8, 7, 6, 3, 0 and one more
    # of 10, 9, 8, 7: sum 5 x 43 + 34 = 249.
    assert night.query(
        "select count(*) filter (where has_valid_score), sum(score), "
        "count(*) filter (where invalid_score_reason = 'empty_score'), "
        "count(*) filter (where invalid_score_reason = 'not_an_integer') "
        "from marts.fct_survey_responses where survey_id like 'SVFLOAT%' and survey_type = 'nps'"
    ) == [(39, 249, 1, 0)]
    assert night.query(
        "select count(*) filter (where has_valid_score), sum(score), "
        "count(*) filter (where is_satisfied) "
        "from marts.fct_survey_responses where survey_id like 'SVFLOATC%'"
    ) == [(4, 12, 2)]

    # The same landing zone rebuilt from scratch (the withdrawal carried into it): equal.
    rebuilt = copy_deployment(night, tmp_path / "rebuilt")
    rebuilt.cxw("run", "--full-refresh")
    assert rebuilt.query(
        "select status from meta.ingest_manifest where file_path = ?", [WITHDRAWN_TICKETS]
    ) == [("withdrawn",)]
    tables = _compared_tables(night)
    assert tables == _compared_tables(rebuilt)
    for table in tables:
        assert _table_rows(night, table) == _table_rows(rebuilt, table), table
        assert _table_rows(night, table, published=True) == _table_rows(
            rebuilt, table, published=True
        ), table


def test_another_landing_zone_is_refused(sample_copy, tmp_path):
    deployment, _ = sample_copy
    other = tmp_path / "other_zone"
    shutil.copytree(deployment.landing_dir / "clients", other / "clients")
    (files_before,) = deployment.query("select count(*) from meta.ingest_manifest")[0]

    result = deployment.cxw("run", check=False, CXW_LANDING_DIR=str(other))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"cxw run: refused: this build database belongs to the landing zone "
        f"{deployment.landing_dir.resolve()}, not {other.resolve()}: set CXW_LANDING_DIR back "
        f"to it, or run `cxw run --full-refresh` to rebuild from {other.resolve()}"
    ]
    assert deployment.query("select count(*) from meta.ingest_manifest") == [(files_before,)]


def test_an_nps_scale_other_than_0_to_10_is_a_configuration_error(sample_copy):
    deployment, _ = sample_copy
    result = deployment.cxw("run", check=False, CXW_SURVEY_SCALES="nps=1..10")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "cxw: configuration error: CXW_SURVEY_SCALES: nps is a net promoter score, defined "
        "on 0..10 only (promoters 9-10, detractors 0-6); got 1..10"
    )
