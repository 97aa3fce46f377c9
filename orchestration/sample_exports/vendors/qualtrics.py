"""Qualtrics: survey responses as CSV with the three header rows."""

from __future__ import annotations

import csv
import io

import polars as pl

from orchestration.sample_exports.vendors.common import VendorState, compact, numeric_score

# Qualtrics question ImportIds of each client's post-contact survey
QUESTIONS = {"nps": "QID1", "csat": "QID2", "ces": "QID3"}
COMMENT_QUESTION = "QID4_TEXT"


def write_day(state: VendorState, day: int, c_idx: int, surveys: pl.DataFrame) -> None:
    """One client's answered surveys of the day as one response export."""
    client = state.world.clients[c_idx]
    zone = client.reporting_timezone
    survey = state.survey_ref(c_idx)
    answered = surveys.filter(pl.col("responded").is_not_null())
    local = answered.with_columns(
        start=_local_text("sent", zone),
        end=_local_text("responded", zone),
    )
    rows = []
    for row in local.iter_rows(named=True):
        rows.append(_row(state, row, status="0", finished=True))
    if rows:
        first = local.row(0, named=True)
        rows.append(_row(state, {**first, "survey_id": first["survey_id"] + "P"},
                                        status="1", finished=True))  # fmt: skip
        last = local.row(local.height - 1, named=True)
        rows.append(_row(state, {**last, "survey_id": last["survey_id"] + "U"},
                                        status="0", finished=False))  # fmt: skip
    if not rows:
        return
    header = [
        ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": zone}),
        ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": zone}),
        ("Status", "Response Type", {"ImportId": "status"}),
        ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
        ("Progress", "Progress", {"ImportId": "progress"}),
        ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
        ("Finished", "Finished", {"ImportId": "finished"}),
        ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": zone}),
        ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
        ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
        ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
        ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
        ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
        ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
        ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
        ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
        ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
        ("Q1", f"How likely are you to recommend {client.client_name} to a friend or colleague?",
         {"ImportId": "QID1"}),
        ("Q1_NPS_GROUP", f"How likely are you to recommend {client.client_name} to a friend or "
         "colleague? - Group", {"ImportId": "QID1_NPS_GROUP"}),
        ("Q2", "Overall, how satisfied are you with the service you received today?",
         {"ImportId": "QID2"}),
        ("Q3", "How easy was it to get your issue resolved?", {"ImportId": "QID3"}),
        ("Q4", "Anything else you would like to tell us?", {"ImportId": COMMENT_QUESTION}),
        ("agent_id", "agent_id", {"ImportId": "agent_id"}),
        ("call_id", "call_id", {"ImportId": "call_id"}),
        ("ticket_id", "ticket_id", {"ImportId": "ticket_id"}),
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h[0] for h in header])
    writer.writerow([h[1] for h in header])
    writer.writerow([compact(h[2]) for h in header])
    keys = [h[2]["ImportId"] for h in header]
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    data = buffer.getvalue().encode("utf-8")
    name = f"{survey}/{client.client_name} post-contact survey_{state.world.day(day)}.csv"
    state.land.raw("qualtrics_responses", name, data, len(rows))


def _row(state: VendorState, row: dict, *, status: str, finished: bool) -> dict[str, str]:
    c_idx = row["client_index"]
    kind = row["survey_type"]
    value = numeric_score(kind, row["score"])
    duration = row["responded"] - row["sent"]
    out = {
        "startDate": row["start"],
        "endDate": row["end"],
        "status": status,
        "ipAddress": "" if status == "1" else _ip(state, row["survey_id"]),
        "progress": "100" if finished else "45",
        "duration": str(duration),
        "finished": "1" if finished else "0",
        "recordedDate": row["end"],
        "_recordId": "R_" + state.ids.uuid("qualtrics-response", row["survey_id"]).replace("-", "")[:15],
        "distributionChannel": "preview" if status == "1" else "email",
        "userLanguage": "EN",
    }  # fmt: skip
    if row["customer_id"] is not None and status == "0":
        pii = state.person(c_idx, row["customer_id"])
        first, _, last = pii["full_name"].partition(" ")
        out |= {"recipientFirstName": first, "recipientLastName": last,
                "recipientEmail": pii["email"], "externalDataReference": row["customer_id"],
                "locationLatitude": "40.7128", "locationLongitude": "-74.0060"}  # fmt: skip
    if value is not None and (finished or kind == "nps"):
        out[QUESTIONS[kind]] = str(value)
        if kind == "nps":
            out["QID1_NPS_GROUP"] = "3" if value >= 9 else ("2" if value >= 7 else "1")
    if row["comment"] and finished:
        out[COMMENT_QUESTION] = row["comment"]
    if row["agent"] is not None:
        out["agent_id"] = str(state.wf.agent_ids[row["agent"]])
    out["call_id" if row["interaction_type"] == "call" else "ticket_id"] = row["interaction_id"]
    return out


def _ip(state: VendorState, key: str) -> str:
    n = state.ids.number("ip", key, 9)
    return f"203.0.{n % 256}.{(n // 256) % 254 + 1}"


def _local_text(col: str, zone: str) -> pl.Expr:
    """Qualtrics' ``YYYY-MM-DD HH:MM:SS`` wall clock in ``zone``."""
    return (
        pl.from_epoch(pl.col(col), time_unit="s")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(zone)
        .dt.strftime("%Y-%m-%d %H:%M:%S")
    )
