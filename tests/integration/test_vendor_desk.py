"""Zendesk tickets, ticket metrics and satisfaction ratings, and Qualtrics response exports,
as the vendors export them, through `cxw run`: hand-computed KPIs, outcome counts per reason,
the same interactions as canonical files, and no personal data in the published warehouse.

The world (March 2026, client ``ACM`` reporting in UTC, so a UTC day is its report day):

* site ``S1``, team ``ACM-S1``, agents ``A1`` and ``A2``;
* queues: Zendesk group ``360001`` and brand ``9001`` are ACM's, Qualtrics survey ``SV_abc``
  is ACM's (``SV_nomap`` has no row); agent identities: Zendesk users ``111`` = A1 and
  ``222`` = A2; survey questions of ``SV_abc``: ``QID1`` = nps, ``QID2`` = csat;
* the Qualtrics zone is configured as Asia/Tokyo (CXW_SOURCE_TIMEZONES); the first export
  names America/Los_Angeles (PDT, UTC-7 since 03-08) for its dates in its third header row,
  the second names none.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from tests.integration.conftest import Deployment, run_side_by_side

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


# ---------------------------------------------------------------------------------------
# One run of each zone
# ---------------------------------------------------------------------------------------

KPI_COLUMNS = (
    "period_grain", "period_start", "level", "entity_id", "metric", "value", "numerator",
    "denominator", "sample_size", "ci_low", "ci_high", "suppressed", "is_complete",
)  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deployment, Deployment]:
    """The vendor zone and its canonical twin, each run once by `cxw run` (side by side)."""
    vendor = Deployment(tmp_path_factory.mktemp("vendor_desk"))
    write_vendor_zone(vendor.landing_dir)
    canonical = Deployment(tmp_path_factory.mktemp("canonical_desk"))
    write_canonical_zone(canonical.landing_dir)
    run_side_by_side((vendor, {"CXW_SOURCE_TIMEZONES": SOURCE_TIMEZONES}), (canonical, {}))
    return vendor, canonical


@pytest.fixture(scope="module")
def vendor_build(builds) -> Deployment:
    return builds[0]


@pytest.fixture(scope="module")
def canonical_build(builds) -> Deployment:
    return builds[1]


def _kpis(deployment: Deployment) -> dict[tuple, dict]:
    rows = deployment.published(f"select {', '.join(KPI_COLUMNS)} from marts.kpi_metrics")
    by_key = {row[:5]: dict(zip(KPI_COLUMNS, row, strict=True)) for row in rows}
    assert len(by_key) == len(rows)
    return by_key


@pytest.fixture(scope="module")
def vendor_kpis(vendor_build: Deployment) -> dict[tuple, dict]:
    return _kpis(vendor_build)


@pytest.fixture(scope="module")
def canonical_kpis(canonical_build: Deployment) -> dict[tuple, dict]:
    return _kpis(canonical_build)


# ---------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------


def test_every_vendor_record_has_its_outcome_counted_by_reason(vendor_build):
    counts = vendor_build.query(
        """
        select 'zendesk_tickets', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__tickets group by all
        union all
        select 'zendesk_ticket_metrics', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__ticket_metrics group by all
        union all
        select 'zendesk_satisfaction_ratings', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__satisfaction_ratings group by all
        union all
        select 'qualtrics_responses', mapping_outcome, mapping_reason, count(*)
        from staging.stg_qualtrics__responses group by all
        """
    )
    assert {(s, o, r): n for s, o, r, n in counts} == {
        # 5 JSON lines + 5 page elements: Z1 twice, Z2, Z3 twice, Z7, Z8 mapped
        ("zendesk_tickets", "mapped", None): 7,
        ("zendesk_tickets", "skipped", "voice_ticket"): 1,  # Z4
        ("zendesk_tickets", "skipped", "deleted_ticket"): 1,  # Z5
        ("zendesk_tickets", "rejected", "unmapped_queue"): 1,  # Z6
        ("zendesk_ticket_metrics", "mapped", None): 6,
        ("zendesk_satisfaction_ratings", "mapped", None): 4,  # 5001..5004
        ("zendesk_satisfaction_ratings", "skipped", "unoffered_rating"): 1,  # 5005
        ("zendesk_satisfaction_ratings", "rejected", "unmapped_queue"): 1,  # 5006
        ("qualtrics_responses", "mapped", None): 5,  # R_1 R_2 R_3 R_7 R_9
        ("qualtrics_responses", "skipped", "survey_preview"): 1,  # R_4
        ("qualtrics_responses", "skipped", "spam_response"): 1,  # R_5
        ("qualtrics_responses", "skipped", "unfinished_response"): 1,  # R_6
        ("qualtrics_responses", "rejected", "unmapped_queue"): 1,  # R_8 (SV_nomap)
    }
    # every record read is in raw, one staging row each: read = loaded + rejected + skipped
    read = vendor_build.query(
        "select source, sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
        "from meta.ingest_manifest where source like 'zendesk%' or source like 'qualtrics%' "
        "group by source order by source"
    )
    assert read == [
        ("qualtrics_responses", 9, 9, 0),
        ("zendesk_satisfaction_ratings", 6, 6, 0),
        ("zendesk_ticket_metrics", 6, 6, 0),
        ("zendesk_tickets", 10, 10, 0),
    ]


def test_the_mapped_rows_are_the_canonical_ones(vendor_build):
    tickets = vendor_build.query(
        "select ticket_id, channel, status, priority, agent_id, first_response_at, solved_at "
        "from staging.stg_helpdesk__tickets order by ticket_id"
    )
    at = dt.datetime
    assert tickets == [
        # Z1: the page's solved version; 10:00 + 30 min of the current metrics (not 60)
        ("1", "email", "solved", "normal", "A1", at(2026, 3, 10, 10, 30), at(2026, 3, 10, 12)),
        # Z2: brand queue, hold -> pending, unknown assignee kept
        ("2", "chat", "pending", "normal", "999", at(2026, 3, 10, 11, 3), None),
        # Z3: same updated_at twice: the later row (high)
        ("3", "web", "open", "high", "A2", None, None),
        ("7", "messaging", "solved", "normal", "A1", at(2026, 3, 11, 10, 20),
         at(2026, 3, 11, 10, 20)),
        ("8", "social", "pending", "normal", "A2", at(2026, 3, 11, 11, 45), None),
    ]  # fmt: skip
    unknown = vendor_build.query(
        "select 'ticket', ticket_id from staging.stg_zendesk__tickets where is_unknown_agent "
        "union all select 'response', response_id from staging.stg_qualtrics__responses "
        "where is_unknown_agent order by all"
    )
    assert unknown == [("response", "R_2"), ("ticket", "2")]
    surveys = vendor_build.query(
        "select survey_id, score, score_scale, counts_in_response_rate, responded_at "
        "from marts.fct_survey_responses order by survey_id"
    )
    assert surveys == [
        # R_1: 23:30 PDT (America/Los_Angeles from row 3) = 06:30 UTC the next day
        ("R_1:csat", 5, "configured", False, at(2026, 3, 12, 6, 30)),
        ("R_1:nps", 10, "configured", False, at(2026, 3, 12, 6, 30)),
        ("R_2:csat", 4, "configured", False, at(2026, 3, 12, 16)),
        ("R_2:nps", 6, "configured", False, at(2026, 3, 12, 16)),
        # R_3 left the CSAT empty: its NPS only
        ("R_3:nps", 9, "configured", False, at(2026, 3, 12, 17)),
        ("R_7:csat", 2, "configured", False, at(2026, 3, 12, 19)),
        ("R_7:nps", 3, "configured", False, at(2026, 3, 12, 19)),
        # R_9: no zone in row 3: the configured Asia/Tokyo, 08:30 JST = 23:30 UTC the day before
        ("R_9:nps", 10, "configured", False, at(2026, 3, 12, 23, 30)),
        ("zendesk:5001", 2, "two_point", True, at(2026, 3, 10, 14)),
        ("zendesk:5002", 1, "two_point", True, at(2026, 3, 11, 12)),
        ("zendesk:5003", 2, "two_point", True, at(2026, 3, 11, 13)),
        ("zendesk:5004", None, "two_point", True, None),  # offered, not answered
    ]


# ---------------------------------------------------------------------------------------
# Hand-computed KPIs (client ACM, report days in UTC)
# ---------------------------------------------------------------------------------------

# (grain, period_start, metric, value, numerator, denominator, sample_size)
EXPECTED = [
    ("day", D(2026, 3, 10), "tickets_created", 2, None, None, 2),  # Z1 Z2
    ("day", D(2026, 3, 11), "tickets_created", 3, None, None, 3),  # Z3 Z7 Z8
    ("month", MARCH, "tickets_created", 5, None, None, 5),
    # first response = reply_time_in_minutes.calendar: Z1 30, Z2 3; Z7 20, Z8 45; Z3 none
    ("day", D(2026, 3, 10), "frt_avg_minutes", 16.5, 33, 2, 2),  # (30 + 3) / 2
    ("day", D(2026, 3, 11), "frt_avg_minutes", 32.5, 65, 2, 2),  # (20 + 45) / 2
    ("month", MARCH, "frt_avg_minutes", 24.5, 98, 4, 4),  # 98 / 4
    ("month", MARCH, "frt_median_minutes", 25.0, None, None, 4),  # (20 + 30) / 2
    # targets: email 240 (Z1 30 in), chat 5 (Z2 3 in), messaging 15 (Z7 20 out), social 60
    # (Z8 45 in): 100 * 3 / 4
    ("month", MARCH, "frt_within_target_pct", 75.0, 3, 4, 4),
    ("day", D(2026, 3, 11), "frt_within_target_pct", 50.0, 1, 2, 2),
    # CSAT: Zendesk good counts as satisfied, bad not; Qualtrics 5 and 4 satisfied, 2 not
    ("day", D(2026, 3, 10), "csat_pct", 100.0, 1, 1, 1),  # 5001 good
    ("day", D(2026, 3, 11), "csat_pct", 50.0, 1, 2, 2),  # 5002 bad, 5003 good
    ("day", D(2026, 3, 12), "csat_pct", 100 * 2 / 3, 2, 3, 3),  # R_1 5, R_2 4, R_7 2
    ("month", MARCH, "csat_pct", 100 * 4 / 6, 4, 6, 6),  # (1 + 1 + 2) / (1 + 2 + 3)
    # csat_avg over the configured 1..5 answers only: (5 + 4 + 2) / 3; no row on 03-10 and
    # 03-11 (two-point answers only)
    ("day", D(2026, 3, 12), "csat_avg", 11 / 3, 11, 3, 3),
    ("month", MARCH, "csat_avg", 11 / 3, 11, 3, 3),
    # NPS on 03-12 (UTC): R_1 10 P, R_2 6 D, R_3 9 P, R_7 3 D (its group column says
    # Promoter: ignored), R_9 10 P: 100 * (3 - 2) / 5
    ("day", D(2026, 3, 12), "nps", 20.0, 1, 5, 5),
    ("month", MARCH, "nps", 20.0, 1, 5, 5),
    # response rate over the Zendesk invitations only (sent day): 03-10 5001 answered;
    # 03-11 5002 5003 answered, 5004 offered: 100 * 2 / 3; month 100 * 3 / 4
    ("day", D(2026, 3, 10), "survey_response_rate_pct", 100.0, 1, 1, 1),
    ("day", D(2026, 3, 11), "survey_response_rate_pct", 100 * 2 / 3, 2, 3, 3),
    ("month", MARCH, "survey_response_rate_pct", 75.0, 3, 4, 4),
]


def _approx(expected):
    return None if expected is None else pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("grain", "start", "metric", "value", "numerator", "denominator", "n"), EXPECTED
)
def test_kpi_value(vendor_kpis, grain, start, metric, value, numerator, denominator, n):
    key = (grain, start, "client", "ACM", metric)
    assert key in vendor_kpis, f"no kpi_metrics row {key}"
    row = vendor_kpis[key]
    assert row["value"] == _approx(value)
    assert row["numerator"] == _approx(numerator)
    assert row["denominator"] == _approx(denominator)
    assert row["sample_size"] == n


def test_days_without_a_rule_s_inputs_have_no_row(vendor_kpis):
    client_days = {
        (start, metric)
        for grain, start, level, entity, metric in vendor_kpis
        if grain == "day" and level == "client" and entity == "ACM"
    }
    # two-point answers only: no csat_avg on 03-10 and 03-11
    assert (D(2026, 3, 10), "csat_avg") not in client_days
    assert (D(2026, 3, 11), "csat_avg") not in client_days
    # Qualtrics responses only on 03-12: no response rate that day
    assert (D(2026, 3, 12), "survey_response_rate_pct") not in client_days
    # R_1 (23:30 in Los Angeles on 03-11) and R_9 (08:30 in Tokyo on 03-13) are 03-12 in UTC
    assert {s for s, m in client_days if m == "nps"} == {D(2026, 3, 12)}


# ---------------------------------------------------------------------------------------
# Vendor zone == canonical zone
# ---------------------------------------------------------------------------------------

# Defined differently on purpose: the canonical twin writes good as 5 and bad as 1 on the
# configured 1..5 scale (satisfied alike, so csat_pct is equal) and then has a mean
# (csat_avg) the two-point answers do not have; its Qualtrics rows are ordinary invitations
# (in survey_response_rate_pct), the vendor's are not. Every other metric is defined the same.
DEFINED_DIFFERENTLY = {"csat_avg", "survey_response_rate_pct"}


def test_vendor_and_canonical_zones_give_the_same_kpis(vendor_kpis, canonical_kpis):
    def comparable(kpis):
        return {key: row for key, row in kpis.items() if key[4] not in DEFINED_DIFFERENTLY}

    vendor, canonical = comparable(vendor_kpis), comparable(canonical_kpis)
    assert {k[4] for k in vendor} >= {"csat_pct", "nps", "frt_avg_minutes", "tickets_created"}
    assert vendor == canonical


def test_the_metrics_defined_differently_differ_as_defined(vendor_kpis, canonical_kpis):
    # canonical 03-10: 5001 scored 5: csat_avg 5 / 1; the vendor has no row
    assert canonical_kpis[("day", D(2026, 3, 10), "client", "ACM", "csat_avg")]["value"] == 5
    assert ("day", D(2026, 3, 10), "client", "ACM", "csat_avg") not in vendor_kpis
    # canonical month: (5 + 1 + 5 + 5 + 4 + 2) / 6 = 22 / 6
    month_avg = canonical_kpis[("month", MARCH, "client", "ACM", "csat_avg")]
    assert month_avg["value"] == pytest.approx(22 / 6)
    # canonical month response rate: 3 of 4 Zendesk + 8 of 8 Qualtrics = 11 / 12
    month_rate = canonical_kpis[("month", MARCH, "client", "ACM", "survey_response_rate_pct")]
    assert (month_rate["numerator"], month_rate["denominator"]) == (11, 12)


# ---------------------------------------------------------------------------------------
# Personal data
# ---------------------------------------------------------------------------------------


def test_no_personal_data_of_the_vendor_records_is_published(vendor_build):
    # the records carry it in raw (the build database), so the scan looks for something real
    (in_raw,) = vendor_build.query(
        "select count(*) from raw.zendesk_tickets "
        "where contains(record::varchar, 'petra.privat@example.org')"
    )[0]
    assert in_raw == 10
    text_columns = vendor_build.published(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' or data_type like 'VARCHAR%' or data_type = 'JSON' "
        "order by all"
    )
    assert len(text_columns) > 50  # the published tables are there
    found = []
    for schema, table, column in text_columns:
        for value in PERSONAL_DATA:
            (hits,) = vendor_build.published(
                f'select count(*) from "{schema}"."{table}" '
                f'where contains(cast("{column}" as varchar), ?)',
                [value],
            )[0]
            if hits:
                found.append((schema, table, column, value))
    assert found == []
