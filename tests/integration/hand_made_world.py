"""The hand-made landing zone of the KPI tests (test_kpi_values.py and its neighbours), as
delivered: every file the nightly job reads, written by hand, so that every KPI can be
computed by hand from it.

The world (March 2026):

* clients ``NWA`` (America/New_York; DST starts Sun 2026-03-08 02:00, UTC-5 -> UTC-4) and
  ``SKR`` (Asia/Tokyo, UTC+9: an evening in UTC is the next day there);
* sites ``CLT`` (in_house, onshore) and ``MNL`` (outsourced, offshore);
* teams ``NWA-CLT`` (NWA at CLT), ``NWA-MNL`` (NWA at MNL), ``SKR-MNL`` (SKR at MNL);
* agents ``A1`` (NWA-CLT), ``A2`` (NWA-CLT until the 2026-03-15 snapshot, then NWA-MNL),
  ``A3`` (NWA-MNL), ``A4`` (SKR-MNL).

SKR's 15 NPS and 20 CES answers are "bulk": besides the Tokyo dates they keep each survey
type's share of invalid scores (1 of 23 NPS, 1 of 23 CES answers) under the 5% that the
blocking ``scale_drift`` data-quality check tolerates.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

D = dt.date
MARCH = D(2026, 3, 1)  # the world's month

CLIENTS = [
    ("client_id", "client_name", "reporting_timezone", "industry"),
    ("NWA", "Northwind Air", "America/New_York", "airline"),
    ("SKR", "Sakura Mobile", "Asia/Tokyo", "telecom"),
]

SITES = [
    ("site_id", "site_name", "country_code", "timezone", "sourcing", "location_type"),
    ("CLT", "Charlotte", "US", "America/New_York", "in_house", "onshore"),
    ("MNL", "Manila", "PH", "Asia/Manila", "OUTSOURCED", "Offshore"),
]

TEAMS = [
    ("team_id", "team_name", "site_id", "client_id", "supervisor_name"),
    ("NWA-CLT", "Northwind Charlotte", "CLT", "NWA", "Dana"),
    ("NWA-MNL", "Northwind Manila", "MNL", "NWA", "Rico"),
    ("SKR-MNL", "Sakura Manila", "MNL", "SKR", "Mei"),
]

ROSTER_HEADER = (
    "as_of_date", "agent_id", "team_id", "hire_date", "full_name", "email", "role",
    "termination_date",
)  # fmt: skip
# full snapshots on 03-01 and 03-15; A2 moves from NWA-CLT to NWA-MNL on 03-15
ROSTER_0301 = [
    ROSTER_HEADER,
    ("2026-03-01", "A1", "NWA-CLT", "2025-01-06", "Ann One", "a1@example.com", "agent", ""),
    ("2026-03-01", "A2", "NWA-CLT", "2025-02-03", "Bob Two", "a2@example.com", "agent", ""),
    ("2026-03-01", "A3", "NWA-MNL", "2025-03-03", "Cy Three", "a3@example.com", "agent", ""),
    ("2026-03-01", "A4", "SKR-MNL", "2025-04-07", "Di Four", "a4@example.com", "agent", ""),
]
ROSTER_0315 = [
    ROSTER_HEADER,
    ("2026-03-15", "A1", "NWA-CLT", "2025-01-06", "Ann One", "a1@example.com", "agent", ""),
    ("2026-03-15", "A2", "NWA-MNL", "2025-02-03", "Bob Two", "a2@example.com", "agent", ""),
    ("2026-03-15", "A3", "NWA-MNL", "2025-03-03", "Cy Three", "a3@example.com", "agent", ""),
    ("2026-03-15", "A4", "SKR-MNL", "2025-04-07", "Di Four", "a4@example.com", "agent", ""),
]

CALLS = [
    (
        "call_id", "client_id", "direction", "offered_at", "answered_at", "ended_at",
        "queue", "customer_id", "agent_id", "talk_seconds", "hold_seconds", "acw_seconds",
        "wrap_code",
    ),
    # NWA, Sat 03-07 23:30 EST (UTC-5): report date 03-07, although 03-08 in UTC
    ("C01", "NWA", "inbound", "2026-03-08T04:30:00Z", "2026-03-08T04:30:10Z",
     "2026-03-08T04:36:00Z", "sales", "", "A1", "300", "30", "60", "sold"),
    # NWA, Mon 03-09 00:30 EDT (UTC-4, after the change): report date 03-09; hold missing
    ("C02", "NWA", "inbound", "2026-03-09T04:30:00Z", "2026-03-09T04:30:30Z",
     "2026-03-09T04:34:00Z", "sales", "", "A2", "200", "", "40", "info"),
    # NWA, 03-16: A2 is in NWA-MNL since the 03-15 snapshot
    ("C03", "NWA", "inbound", "2026-03-16T14:00:00Z", "2026-03-16T14:00:15Z",
     "2026-03-16T14:07:15Z", "care", "", "A2", "400", "20", "80", "fixed"),
    # NWA, abandoned after exactly 5 s: a short abandon
    ("C04", "NWA", "inbound", "2026-03-09T14:00:00Z", "", "2026-03-09T14:00:05Z",
     "care", "", "", "", "", "", ""),
    # NWA, abandoned after 60 s, on a queue whose `queues` row names SKR: no site
    ("C05", "NWA", "inbound", "2026-03-09T15:00:00Z", "", "2026-03-09T15:01:00Z",
     "billing", "", "", "", "", "", ""),
    # NWA, outbound: in no call metric
    ("C06", "NWA", "outbound", "2026-03-09T16:00:00Z", "2026-03-09T16:00:05Z",
     "2026-03-09T16:08:25Z", "care", "", "A1", "500", "0", "0", "callback"),
    # NWA, outbound by A1 that nobody answered: an attempt, its empty talk time counts 0
    ("C12", "NWA", "outbound", "2026-03-09T16:30:00Z", "", "2026-03-09T16:30:40Z",
     "care", "", "A1", "", "", "", "no_answer"),
    # NWA, answered by nobody on the roster (no agent): offered, neither handled nor
    # abandoned; no queue: counted at client and all only
    ("C07", "NWA", "inbound", "2026-03-09T17:00:00Z", "2026-03-09T17:00:05Z",
     "2026-03-09T17:01:45Z", "", "", "", "100", "", "", ""),
    # NWA, answered after 12 s
    ("C08", "NWA", "inbound", "2026-03-09T18:00:00Z", "2026-03-09T18:00:12Z",
     "2026-03-09T18:04:30Z", "sales", "", "A1", "250", "0", "50", "sold"),
    # SKR, Tue 03-10 15:30 UTC = Wed 03-11 00:30 in Tokyo; answered after exactly 20 s
    ("C09", "SKR", "inbound", "2026-03-10T15:30:00Z", "2026-03-10T15:30:20Z",
     "2026-03-10T15:32:20Z", "mobile", "", "A4", "120", "0", "30", "fixed"),
    # SKR, hour 25: rejected at parsing (bad_timestamp), in no metric
    ("C10", "SKR", "inbound", "2026-03-10T25:00:00Z", "", "2026-03-10T15:40:00Z",
     "mobile", "", "", "", "", "", ""),
]  # fmt: skip

# the sites staffing the canonical calls' queues: sales at CLT, care at MNL; mobile has no
# site; billing is SKR's queue (NWA's C05 on it keeps NWA and gets no site)
QUEUES = [
    ("system", "queue_ref", "client_id", "site_id", "queue_name"),
    ("canonical", "sales", "NWA", "CLT", "Sales"),
    ("canonical", " care ", "NWA", "MNL", "Care"),
    ("canonical", "mobile", "SKR", "", "Mobile"),
    ("canonical", "billing", "SKR", "MNL", "Billing"),
]

TICKETS = [
    (
        "ticket_id", "client_id", "channel", "created_at", "customer_id", "agent_id",
        "priority", "status", "first_response_at", "solved_at",
    ),
    # chat, answered after 4 min (target 5)
    ("T1", "NWA", "chat", "2026-03-10T14:00:00Z", "", "A1", "normal", "solved",
     "2026-03-10T14:04:00Z", "2026-03-10T14:30:00Z"),
    # email, answered after 300 min (target 240)
    ("T2", "NWA", "email", "2026-03-10T15:00:00Z", "", "A1", "low", "solved",
     "2026-03-10T20:00:00Z", "2026-03-11T09:00:00Z"),
    # messaging, answered after 10 min (target 15)
    ("T3", "NWA", "Messaging", "2026-03-11T14:00:00Z", "", "A3", "high", "solved",
     "2026-03-11T14:10:00Z", ""),
    # web, "answered" 30 min BEFORE creation: invalid for FRT, still created
    ("T4", "NWA", "web", "2026-03-11T15:00:00Z", "", "A3", "normal", "open",
     "2026-03-11T14:30:00Z", ""),
    # social, never answered
    ("T5", "NWA", "social", "2026-03-12T14:00:00Z", "", "A1", "urgent", "new", "", ""),
    # email, unassigned, answered after 60 min (target 240): client and all levels only
    ("T6", "NWA", "email", "2026-03-12T15:00:00Z", "", "", "normal", "pending",
     "2026-03-12T16:00:00Z", ""),
    # SKR chat, Wed 03-11 16:00 UTC = Thu 03-12 01:00 in Tokyo; answered after 6 min (target 5)
    ("T7", "SKR", "chat", "2026-03-11T16:00:00Z", "", "A4", "normal", "solved",
     "2026-03-11T16:06:00Z", ""),
]  # fmt: skip

SURVEY_HEADER = (
    "survey_id", "survey_type", "client_id", "sent_at", "customer_id", "interaction_type",
    "interaction_id", "agent_id", "responded_at", "score", "comment",
)  # fmt: skip
# NWA surveys: sent Sat 03-14 (A2 still in NWA-CLT), answered Tue 03-17 (A2 in NWA-MNL)
NWA_SENT, NWA_ANSWERED = "2026-03-14T15:00:00Z", "2026-03-17T15:00:00Z"
# SKR surveys: sent 03-10 14:59 UTC = 23:59 in Tokyo, answered 03-10 15:30 UTC = 03-11 00:30
SKR_SENT, SKR_ANSWERED = "2026-03-10T14:59:00Z", "2026-03-10T15:30:00Z"
SKR_NPS_SCORES = [10, 10, 10, 9, 9, 9, 8, 8, 7, 7, 7, 6, 6, 5, 0]  # 6 P, 5 passive, 4 D
SKR_CES_SCORES = [1] * 8 + [2] * 4 + [3] * 4 + [4] * 2 + [5] * 2  # sum 46, 12 low effort


def _nwa_survey(survey_id, survey_type, agent_id, score, *, interaction=("", ""), answered=True):
    return (
        survey_id, survey_type, "NWA", NWA_SENT, "", *interaction, agent_id,
        NWA_ANSWERED if answered else "", score, "",
    )  # fmt: skip


SURVEYS = [
    SURVEY_HEADER,
    _nwa_survey("N1", "nps", "A1", "10"),
    _nwa_survey("N2", "nps", "A1", "9"),
    _nwa_survey("N3", "nps", "A1", "8"),
    _nwa_survey("N4", "nps", "A1", "3"),
    # no agent on the survey: credited through call C03 to A2
    _nwa_survey("N5", "nps", "", "10", interaction=("call", "C03")),
    # a detractor here, re-delivered in the correction file as a promoter (9)
    _nwa_survey("N6", "nps", "A3", "6"),
    _nwa_survey("N7", "nps", "A3", "11"),  # off scale: invalid
    _nwa_survey("N8", "nps", "A3", "", answered=False),  # invitation never answered
    _nwa_survey("S1", "csat", "A1", "Very Satisfied"),  # 5
    _nwa_survey("S2", "csat", "A1", "satisfied"),  # 4
    _nwa_survey("S3", "csat", "A1", "Not Satisfied"),  # 2
    _nwa_survey("S4", "csat", "A2", " NEUTRAL "),  # 3
    _nwa_survey("S5", "csat", "A2", "1"),
    _nwa_survey("E1", "ces", "A1", "2"),
    _nwa_survey("E2", "ces", "A1", ""),  # answered with an empty score: invalid
    _nwa_survey("E3", "ces", "A3", "4"),
    *[
        (f"KN{i:02d}", "nps", "SKR", SKR_SENT, "", "", "", "A4", SKR_ANSWERED, str(s), "")
        for i, s in enumerate(SKR_NPS_SCORES)
    ],
    *[
        (f"KE{i:02d}", "ces", "SKR", SKR_SENT, "", "", "", "A4", SKR_ANSWERED, str(s), "")
        for i, s in enumerate(SKR_CES_SCORES)
    ],
]
SURVEY_CORRECTIONS = [SURVEY_HEADER, _nwa_survey("N6", "nps", "A3", "9")]

CUSTOMERS = [
    (
        "customer_id", "client_id", "signup_date", "churn_date", "referred_by_customer_id",
        "acquisition_channel", "full_name", "email", "phone",
    ),
    ("K1", "NWA", "2026-02-28", "", "", "web", "K One", "k1@example.com", "555-0101"),
    ("K2", "NWA", "2026-01-10", "2026-03-31", "", "web", "K Two", "", ""),
    ("K3", "NWA", "2026-01-15", "", "", "store", "K Three", "", ""),
    ("K4", "NWA", "2026-03-05", "", "K1", "referral", "K Four", "", ""),
    ("K5", "NWA", "2026-03-20", "", "Q1", "referral", "K Five", "", ""),  # Q1 is SKR's
    ("K6", "NWA", "2026-02-10", "2026-02-28", "", "web", "K Six", "", ""),
    ("Q1", "SKR", "2026-01-05", "", "", "shop", "Q One", "", ""),
    ("Q2", "SKR", "2026-03-10", "", "Q1", "referral", "Q Two", "", ""),
]  # fmt: skip

EMPLOYEE_SURVEYS = [
    ("response_id", "team_id", "survey_date", "agent_id", "esat_score", "enps_score", "comment"),
    # NWA-CLT: 4 responses (under min_anonymity_n = 5)
    ("R1", "NWA-CLT", "2026-03-15", "A1", "5", "10", ""),
    ("R2", "NWA-CLT", "2026-03-15", "", "4", "9", ""),
    ("R3", "NWA-CLT", "2026-03-15", "", "3", "6", ""),
    ("R4", "NWA-CLT", "2026-03-15", "", "2", "7", ""),
    # NWA-MNL: 5 responses (at the threshold)
    ("R5", "NWA-MNL", "2026-03-15", "A3", "5", "10", "great team"),
    ("R6", "NWA-MNL", "2026-03-15", "", "5", "9", ""),
    ("R7", "NWA-MNL", "2026-03-15", "", "4", "9", ""),
    ("R8", "NWA-MNL", "2026-03-15", "", "2", "7", ""),
    ("R9", "NWA-MNL", "2026-03-15", "", "1", "3", ""),
]

LANDING_FILES: dict[str, list[tuple]] = {
    "clients/clients.csv": CLIENTS,
    "sites/sites.csv": SITES,
    "teams/teams.csv": TEAMS,
    "agent_roster/agent_roster_2026-03-01.csv": ROSTER_0301,
    "agent_roster/agent_roster_2026-03-15.csv": ROSTER_0315,
    "queues/queues.csv": QUEUES,
    "calls/calls_2026-03.csv": CALLS,
    "tickets/tickets_2026-03.csv": TICKETS,
    "surveys/surveys_2026-03-20.csv": SURVEYS,
    # '_' sorts after '.': this file is applied after surveys_2026-03-20.csv
    "surveys/surveys_2026-03-20_correction.csv": SURVEY_CORRECTIONS,
    "customers/customers.csv": CUSTOMERS,
    "employee_surveys/employee_surveys_2026-03-15.csv": EMPLOYEE_SURVEYS,
}


def write_landing_zone(landing_dir: Path) -> None:
    for relative, rows in LANDING_FILES.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
