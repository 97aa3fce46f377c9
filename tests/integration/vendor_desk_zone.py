"""The hand-made landing zones of ``test_vendor_desk.py`` (helpers, not tests).

Zendesk tickets, ticket metrics and satisfaction ratings, and Qualtrics response exports, as
the vendors export them (``write_vendor_zone``), and the same interactions as canonical files,
the mapping done by hand (``write_canonical_zone``).

The world (March 2026, client ``ACM`` reporting in UTC, so a UTC day is its report day):

* site ``S1``, team ``ACM-S1``, agents ``A1`` and ``A2``;
* queues: Zendesk group ``360001`` and brand ``9001`` are ACM's, Qualtrics survey ``SV_abc``
  is ACM's (``SV_nomap`` has no row); agent identities: Zendesk users ``111`` = A1 and
  ``222`` = A2; survey questions of ``SV_abc``: ``QID1`` = nps, ``QID2`` = csat;
* the Qualtrics zone is configured as Asia/Tokyo (CXW_SOURCE_TIMEZONES, ``SOURCE_TIMEZONES``);
  the first export names America/Los_Angeles (PDT, UTC-7 since 03-08) for its dates in its
  third header row, the second names none.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

D = dt.date
MARCH = D(2026, 3, 1)
SOURCE_TIMEZONES = "qualtrics_responses=Asia/Tokyo"

# personal data written into the vendor records: none may reach a published table
PERSONAL_DATA = (
    "petra.privat@example.org",
    "Petra Privat",
    "Lukas Leak",
    "lukas.leak@example.org",
    "203.0.113.77",
    "47.3769",
    "8.5417",
    "+41 44 555 01 23",
)

# ---------------------------------------------------------------------------------------
# Canonical dimensions and mapping sources (both zones)
# ---------------------------------------------------------------------------------------

DIMENSIONS: dict[str, list[tuple]] = {
    "clients/clients.csv": [
        ("client_id", "client_name", "reporting_timezone", "industry"),
        ("ACM", "Acme Desk", "UTC", "retail"),
    ],
    "sites/sites.csv": [
        ("site_id", "site_name", "country_code", "timezone", "sourcing", "location_type"),
        ("S1", "Lisbon", "PT", "Europe/Lisbon", "in_house", "onshore"),
    ],
    "teams/teams.csv": [
        ("team_id", "team_name", "site_id", "client_id", "supervisor_name"),
        ("ACM-S1", "Acme Lisbon", "S1", "ACM", "Rita"),
    ],
    "agent_roster/agent_roster_2026-03-01.csv": [
        ("as_of_date", "agent_id", "team_id", "hire_date", "full_name", "email", "role",
         "termination_date"),
        ("2026-03-01", "A1", "ACM-S1", "2025-01-06", "Ann One", "a1@example.com", "agent", ""),
        ("2026-03-01", "A2", "ACM-S1", "2025-02-03", "Bob Two", "a2@example.com", "agent", ""),
    ],
}  # fmt: skip

MAPPING_SOURCES: dict[str, list[tuple]] = {
    "queues/queues.csv": [
        ("system", "queue_ref", "client_id", "site_id", "queue_name"),
        ("zendesk", "360001", "ACM", "S1", "Support"),
        ("zendesk", "9001", "ACM", "", "Acme brand"),
        ("qualtrics", "SV_abc", "ACM", "", "After-contact survey"),
    ],
    "agent_identities/agent_identities.csv": [
        ("system", "external_id", "agent_id"),
        ("zendesk", "111", "A1"),
        ("zendesk", "222", "A2"),
    ],
    "survey_questions/survey_questions.csv": [
        ("system", "survey_ref", "question_ref", "survey_type"),
        ("qualtrics", "SV_abc", "QID1", "nps"),
        ("qualtrics", "SV_abc", "QID2", "csat"),
    ],
}

# ---------------------------------------------------------------------------------------
# Zendesk (JSON Lines and an API page)
# ---------------------------------------------------------------------------------------


def _ticket(ticket_id, channel, created, updated, status, *, group=360001, brand=9001,
            assignee=111, priority="normal"):  # fmt: skip
    return {
        "id": ticket_id,
        "url": f"https://acme.zendesk.com/api/v2/tickets/{ticket_id}.json",
        "created_at": created,
        "updated_at": updated,
        "status": status,
        "priority": priority,
        "group_id": group,
        "brand_id": brand,
        "assignee_id": assignee,
        "requester_id": 70001,
        "subject": "Order help for Petra Privat",
        "via": {
            "channel": channel,
            "source": {"from": {"address": "petra.privat@example.org", "name": "Petra Privat"}},
        },
        "tags": ["vip"],
    }


# export_1.jsonl: first versions; page_2.json: later versions and the rest
TICKETS_JSONL = [
    # Z1 email, first version (open); the page's version (solved, later updated_at) wins
    _ticket(1, "email", "2026-03-10T10:00:00Z", "2026-03-10T10:05:00Z", "open"),
    # Z2 chat, no group: its brand 9001 is ACM's; assignee 999 has no identity (unknown)
    _ticket(2, "chat", "2026-03-10T11:00:00Z", "2026-03-10T11:10:00Z", "hold", group=None,
            assignee=999),
    # Z4 voice: skipped
    _ticket(4, "voice", "2026-03-10T12:00:00Z", "2026-03-10T12:00:00Z", "solved"),
    # Z5 deleted: skipped
    _ticket(5, "email", "2026-03-10T12:30:00Z", "2026-03-10T12:40:00Z", "deleted"),
    # Z6 group 777 and brand 888 have no queue row: rejected
    _ticket(6, "email", "2026-03-10T13:00:00Z", "2026-03-10T13:00:00Z", "open", group=777,
            brand=888),
]  # fmt: skip
TICKETS_PAGE = {
    "tickets": [
        _ticket(1, "email", "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z", "solved"),
        # Z3 web (twice with the same updated_at: the later row wins, priority high)
        _ticket(3, "web", "2026-03-11T09:00:00Z", "2026-03-11T09:30:00Z", "open",
                assignee=222, priority="low"),
        _ticket(3, "web", "2026-03-11T09:00:00Z", "2026-03-11T09:30:00Z", "open",
                assignee=222, priority="high"),
        # Z7 native_messaging -> messaging; Z8 twitter -> social
        _ticket(7, "native_messaging", "2026-03-11T10:00:00Z", "2026-03-11T10:20:00Z", "solved"),
        _ticket(8, "twitter", "2026-03-11T11:00:00Z", "2026-03-11T12:00:00Z", "pending",
                assignee=222),
    ],
    "next_page": None,
    "end_of_stream": True,
}  # fmt: skip


def _metrics(ticket_id, updated, reply_minutes, solved=None):
    return {
        "id": 80000 + ticket_id,
        "ticket_id": ticket_id,
        "updated_at": updated,
        "solved_at": solved,
        "reply_time_in_minutes": {"calendar": reply_minutes, "business": reply_minutes},
        "replies": 1,
    }


TICKET_METRICS = [
    # Z1: an older version (60 min) and the current one (30 min)
    _metrics(1, "2026-03-10T11:00:00Z", 60),
    _metrics(1, "2026-03-10T12:00:00Z", 30, "2026-03-10T12:00:00Z"),
    _metrics(2, "2026-03-10T11:10:00Z", 3),
    _metrics(3, "2026-03-11T09:30:00Z", None),  # no reply yet
    _metrics(7, "2026-03-11T10:20:00Z", 20, "2026-03-11T10:20:00Z"),
    _metrics(8, "2026-03-11T12:00:00Z", 45),
]


def _rating(rating_id, ticket_id, score, created, updated, *, assignee=111, group=360001):
    return {
        "id": rating_id,
        "url": f"https://acme.zendesk.com/api/v2/satisfaction_ratings/{rating_id}.json",
        "assignee_id": assignee,
        "group_id": group,
        "requester_id": 70001,
        "ticket_id": ticket_id,
        "score": score,
        "comment": "Lukas Leak here, call me on +41 44 555 01 23",
        "created_at": created,
        "updated_at": updated,
    }


RATINGS_PAGE = {
    "satisfaction_ratings": [
        _rating(5001, 1, "good", "2026-03-10T13:00:00Z", "2026-03-10T14:00:00Z"),
        _rating(5002, 7, "bad", "2026-03-11T11:00:00Z", "2026-03-11T12:00:00Z"),
        _rating(5003, 8, "good", "2026-03-11T12:00:00Z", "2026-03-11T13:00:00Z", assignee=222),
        # offered: an invitation without an answer
        _rating(5004, 3, "offered", "2026-03-11T10:00:00Z", "2026-03-11T10:00:00Z",
                assignee=222),
        _rating(5005, 2, "unoffered", "2026-03-10T11:30:00Z", "2026-03-10T11:30:00Z"),
        _rating(5006, 6, "good", "2026-03-10T14:00:00Z", "2026-03-10T15:00:00Z", group=777),
    ],
    "next_page": None,
}  # fmt: skip

# ---------------------------------------------------------------------------------------
# Qualtrics (three header rows; ImportIds; embedded data agent_id, call_id, ticket_id)
# ---------------------------------------------------------------------------------------

QUALTRICS_COLUMNS = [
    # (export tag, question text, ImportId)
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
    ("Q_NPS", "How likely are you to recommend us?", "QID1"),
    ("Q_NPS_NPS_GROUP", "How likely are you to recommend us? - Group", "QID1_NPS_GROUP"),
    ("Q_CSAT", "How satisfied were you?", "QID2"),
    ("agent_id", "agent_id", "agent_id"),
    ("call_id", "call_id", "call_id"),
    ("ticket_id", "ticket_id", "ticket_id"),
]
ZONED = {"startDate", "endDate", "recordedDate"}


def _response(response_id, start, recorded, *, status="0", finished="1", nps="", group="",
              csat="", agent="", ticket="", external=""):  # fmt: skip
    return [
        start, recorded, status, "203.0.113.77", "100" if finished == "1" else "40", "120",
        finished, recorded, response_id, "Leak", "Lukas", "lukas.leak@example.org", external,
        "47.3769", "8.5417", "email", "EN", nps, group, csat, agent, "", ticket,
    ]  # fmt: skip


# export 1: dates in America/Los_Angeles (PDT, UTC-7)
QUALTRICS_EXPORT_1 = [
    # R_1: 03-11 23:30 PDT = 03-12 06:30 UTC (report day 03-12, not 03-11); NPS 10, CSAT 5;
    # agent A1 (a roster id); about Zendesk ticket 1
    _response("R_1", "2026-03-11 23:20:00", "2026-03-11 23:30:00", nps="10", group="Promoter",
              csat="5", agent="A1", ticket="1"),
    # R_2: 03-12 09:00 PDT = 16:00 UTC; NPS 6, CSAT 4; agent q.agent.two: no identity, no
    # roster row: kept as agent_id, an unknown agent
    _response("R_2", "2026-03-12 08:50:00", "2026-03-12 09:00:00", nps="6", group="Detractor",
              csat="4", agent="q.agent.two"),
    # R_3: imported (Status 4); NPS 9, CSAT left empty: one survey only
    _response("R_3", "2026-03-12 09:50:00", "2026-03-12 10:00:00", status="4", nps="9",
              group="Promoter", agent="A2"),
    # R_4 preview, R_5 spam, R_6 unfinished: skipped
    _response("R_4", "2026-03-12 10:50:00", "2026-03-12 11:00:00", status="1", nps="0",
              agent="A2"),
    _response("R_5", "2026-03-12 10:50:00", "2026-03-12 11:00:00", status="8", nps="0",
              agent="A2"),
    _response("R_6", "2026-03-12 10:50:00", "2026-03-12 11:00:00", finished="0", nps="0",
              agent="A2"),
    # R_7 offline (Status 16): NPS 3 (its NPS group column says Promoter: ignored), CSAT 2;
    # no embedded interaction: the ExternalReference
    _response("R_7", "2026-03-12 11:50:00", "2026-03-12 12:00:00", status="16", nps="3",
              group="Promoter", csat="2", agent="A2", external="EXT-9"),
]  # fmt: skip
# export 2 (no zone in its header): the configured Asia/Tokyo; 03-13 08:30 JST = 03-12 23:30 UTC
QUALTRICS_EXPORT_2 = [
    _response("R_9", "2026-03-13 08:20:00", "2026-03-13 08:30:00", nps="10", group="Promoter",
              agent="A1"),
]  # fmt: skip
# a survey with no queue row: rejected
QUALTRICS_UNMAPPED = [
    _response("R_8", "2026-03-12 10:50:00", "2026-03-12 11:00:00", nps="10", agent="A1"),
]


def _qualtrics_csv(rows: list[list[str]], zone: str | None) -> list[list[str]]:
    import_ids = []
    for _, _, import_id in QUALTRICS_COLUMNS:
        described = {"ImportId": import_id}
        if zone and import_id in ZONED:
            described["timeZone"] = zone
        import_ids.append(json.dumps(described))
    return [
        [tag for tag, _, _ in QUALTRICS_COLUMNS],
        [text for _, text, _ in QUALTRICS_COLUMNS],
        import_ids,
        *rows,
    ]


def write_vendor_zone(landing_dir: Path) -> None:
    _write_csvs(landing_dir, {**DIMENSIONS, **MAPPING_SOURCES})
    _write_text(
        landing_dir / "zendesk_tickets/2026/03/export_1.jsonl",
        "\n".join(json.dumps(t) for t in TICKETS_JSONL) + "\n",
    )
    _write_text(landing_dir / "zendesk_tickets/2026/03/page_2.json", json.dumps(TICKETS_PAGE))
    _write_text(
        landing_dir / "zendesk_ticket_metrics/metrics.jsonl",
        "\n".join(json.dumps(m) for m in TICKET_METRICS) + "\n",
    )
    _write_text(
        landing_dir / "zendesk_satisfaction_ratings/ratings_page_1", json.dumps(RATINGS_PAGE)
    )
    _write_csvs(landing_dir, {
        "qualtrics_responses/SV_abc/export_1.csv":
            _qualtrics_csv(QUALTRICS_EXPORT_1, "America/Los_Angeles"),
        "qualtrics_responses/SV_abc/export_2.csv": _qualtrics_csv(QUALTRICS_EXPORT_2, None),
        "qualtrics_responses/SV_nomap/export_1.csv":
            _qualtrics_csv(QUALTRICS_UNMAPPED, "America/Los_Angeles"),
    })  # fmt: skip


# ---------------------------------------------------------------------------------------
# The same interactions as canonical files (the mapping done by hand)
# ---------------------------------------------------------------------------------------

CANONICAL_TICKETS = [
    ("ticket_id", "client_id", "channel", "created_at", "customer_id", "agent_id", "priority",
     "status", "first_response_at", "solved_at"),
    # created_at + reply_time_in_minutes.calendar
    ("1", "ACM", "email", "2026-03-10T10:00:00Z", "", "A1", "normal", "solved",
     "2026-03-10T10:30:00Z", "2026-03-10T12:00:00Z"),
    ("2", "ACM", "chat", "2026-03-10T11:00:00Z", "", "999", "normal", "pending",
     "2026-03-10T11:03:00Z", ""),
    ("3", "ACM", "web", "2026-03-11T09:00:00Z", "", "A2", "high", "open", "", ""),
    ("7", "ACM", "messaging", "2026-03-11T10:00:00Z", "", "A1", "normal", "solved",
     "2026-03-11T10:20:00Z", "2026-03-11T10:20:00Z"),
    ("8", "ACM", "social", "2026-03-11T11:00:00Z", "", "A2", "normal", "pending",
     "2026-03-11T11:45:00Z", ""),
]  # fmt: skip
# good = 5 and bad = 1 on the configured 1..5 scale: satisfied alike (csat_pct), but a mean
# exists (csat_avg), which the two-point answers do not have
CANONICAL_SURVEYS = [
    ("survey_id", "survey_type", "client_id", "sent_at", "customer_id", "interaction_type",
     "interaction_id", "agent_id", "responded_at", "score", "comment"),
    ("zendesk:5001", "csat", "ACM", "2026-03-10T13:00:00Z", "", "ticket", "1", "A1",
     "2026-03-10T14:00:00Z", "5", ""),
    ("zendesk:5002", "csat", "ACM", "2026-03-11T11:00:00Z", "", "ticket", "7", "A1",
     "2026-03-11T12:00:00Z", "1", ""),
    ("zendesk:5003", "csat", "ACM", "2026-03-11T12:00:00Z", "", "ticket", "8", "A2",
     "2026-03-11T13:00:00Z", "5", ""),
    ("zendesk:5004", "csat", "ACM", "2026-03-11T10:00:00Z", "", "ticket", "3", "A2", "", "",
     ""),
    ("R_1:nps", "nps", "ACM", "2026-03-12T06:20:00Z", "", "ticket", "1", "A1",
     "2026-03-12T06:30:00Z", "10", ""),
    ("R_1:csat", "csat", "ACM", "2026-03-12T06:20:00Z", "", "ticket", "1", "A1",
     "2026-03-12T06:30:00Z", "5", ""),
    ("R_2:nps", "nps", "ACM", "2026-03-12T15:50:00Z", "", "", "", "q.agent.two",
     "2026-03-12T16:00:00Z", "6", ""),
    ("R_2:csat", "csat", "ACM", "2026-03-12T15:50:00Z", "", "", "", "q.agent.two",
     "2026-03-12T16:00:00Z", "4", ""),
    ("R_3:nps", "nps", "ACM", "2026-03-12T16:50:00Z", "", "", "", "A2",
     "2026-03-12T17:00:00Z", "9", ""),
    ("R_7:nps", "nps", "ACM", "2026-03-12T18:50:00Z", "", "", "EXT-9", "A2",
     "2026-03-12T19:00:00Z", "3", ""),
    ("R_7:csat", "csat", "ACM", "2026-03-12T18:50:00Z", "", "", "EXT-9", "A2",
     "2026-03-12T19:00:00Z", "2", ""),
    ("R_9:nps", "nps", "ACM", "2026-03-12T23:20:00Z", "", "", "", "A1",
     "2026-03-12T23:30:00Z", "10", ""),
]  # fmt: skip


def write_canonical_zone(landing_dir: Path) -> None:
    _write_csvs(landing_dir, {
        **DIMENSIONS,
        "tickets/tickets_2026-03.csv": CANONICAL_TICKETS,
        "surveys/surveys_2026-03.csv": CANONICAL_SURVEYS,
    })  # fmt: skip


def _write_csvs(landing_dir: Path, files: dict[str, list]) -> None:
    for relative, rows in files.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
