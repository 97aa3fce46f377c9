"""The hand-made landing zones of `test_vendor_calls.py`, as delivered (helpers, not tests).

One small landing zone, written by hand, holds every case: the canonical dimensions, the
mapping sources (queues, agent_identities), Connect contact records as Firehose writes them
(a gzip file, a file of objects back to back with no delimiter, date sub-folders, no
extension) and Genesys job-result pages (`write_vendor_zone`). A second zone holds the same
interactions as canonical calls CSV (`write_canonical_zone`).

The world, Tuesday 2026-03-10:

* client ``BLU`` (America/New_York, EDT = UTC-4 since 03-08) runs on Amazon Connect,
  team ``BLU-T`` (agents A1, A2 at site ``CLT``);
* client ``GRN`` (Europe/Berlin, CET = UTC+1) runs on Genesys Cloud, team ``GRN-T``
  (agents G1, G2 at site ``BER``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

DAY = dt.date(2026, 3, 10)

CLIENTS = [
    ("client_id", "client_name", "reporting_timezone", "industry"),
    ("BLU", "Blue Rail", "America/New_York", "travel"),
    ("GRN", "Gruen Energie", "Europe/Berlin", "utilities"),
]
SITES = [
    ("site_id", "site_name", "country_code", "timezone", "sourcing", "location_type"),
    ("CLT", "Charlotte", "US", "America/New_York", "in_house", "onshore"),
    ("BER", "Berlin", "DE", "Europe/Berlin", "outsourced", "nearshore"),
]
TEAMS = [
    ("team_id", "team_name", "site_id", "client_id", "supervisor_name"),
    ("BLU-T", "Blue Charlotte", "CLT", "BLU", "Dana"),
    ("GRN-T", "Gruen Berlin", "BER", "GRN", "Jonas"),
]
ROSTER = [
    ("as_of_date", "agent_id", "team_id", "hire_date", "full_name", "email", "role",
     "termination_date"),
    ("2026-03-01", "A1", "BLU-T", "2025-01-06", "Ann One", "a1@example.com", "agent", ""),
    ("2026-03-01", "A2", "BLU-T", "2025-02-03", "Bob Two", "a2@example.com", "agent", ""),
    ("2026-03-01", "G1", "GRN-T", "2025-03-03", "Gerd Eins", "g1@example.com", "agent", ""),
    ("2026-03-01", "G2", "GRN-T", "2025-04-07", "Gila Zwei", "g2@example.com", "agent", ""),
]  # fmt: skip

QUEUE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/i-1/queue"
AGENT_ARN = "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent"
QUEUES = [
    ("system", "queue_ref", "client_id", "site_id", "queue_name"),
    # Connect: by queue name, or (when the name has no row) by ARN
    ("amazon_connect", "BLU-Sales", "BLU", "CLT", "BLU-Sales"),
    ("amazon_connect", f"{QUEUE_ARN}/q-support", "BLU", "CLT", "Support"),
    # Genesys: by queue id
    ("genesys", "q-grn-billing", "GRN", "BER", "Billing"),
]
AGENT_IDENTITIES = [
    ("system", "external_id", "agent_id"),
    ("amazon_connect", "ann.one", "A1"),
    # bob.two's login has no row: his ARN has
    ("amazon_connect", f"{AGENT_ARN}/agent-b", "A2"),
    ("genesys", "u-g1", "G1"),
    ("genesys", "u-g2", "G2"),
]

# The personal data of the hand-made records: none of it may reach the published warehouse.
PHONE_NUMBERS = ["+15550100001", "+15550100002", "+15550100003", "+4930555000111"]
CUSTOMER_NAME = "Erika Mustermann"


# --- Amazon Connect contact records ---------------------------------------------------------


def contact(
    contact_id: str,
    *,
    last_update: str,
    channel: str = "VOICE",
    method: str = "INBOUND",
    initiated: str,
    disconnected: str,
    queue: dict | None = None,
    agent: dict | None = None,
    attributes: dict | None = None,
    previous: str | None = None,
) -> dict:
    """A contact record as Connect writes it, with the fields the mapping ignores."""
    return {
        "AWSAccountId": "111122223333",
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "ContactId": contact_id,
        "InitialContactId": previous,
        "PreviousContactId": previous,
        "Channel": channel,
        "InitiationMethod": method,
        "InitiationTimestamp": initiated,
        "DisconnectTimestamp": disconnected,
        "DisconnectReason": "CUSTOMER_DISCONNECT",
        "LastUpdateTimestamp": last_update,
        "CustomerEndpoint": {"Address": PHONE_NUMBERS[0], "Type": "TELEPHONE_NUMBER"},
        "SystemEndpoint": {"Address": "+18005550199", "Type": "TELEPHONE_NUMBER"},
        "Queue": queue,
        "Agent": agent,
        "Attributes": attributes or {},
        "Recordings": None,
    }


def queued(name: str, enqueued: str | None, arn: str = f"{QUEUE_ARN}/q-sales") -> dict:
    return {"ARN": arn, "Name": name, "EnqueueTimestamp": enqueued, "Duration": 0}


def agent(username: str, connected: str, talk: int, hold: int, acw: int, arn: str) -> dict:
    return {
        "ARN": arn,
        "Username": username,
        "ConnectedToAgentTimestamp": connected,
        "AgentInteractionDuration": talk,
        "CustomerHoldDuration": hold,
        "AfterContactWorkDuration": acw,
        "NumberOfHolds": 1 if hold else 0,
        "RoutingProfile": {"Name": "Basic"},
    }


ANN = {"username": "ann.one", "arn": f"{AGENT_ARN}/agent-a"}
BOB = {"username": "bob.two", "arn": f"{AGENT_ARN}/agent-b"}
TEMP = {"username": "temp.agent", "arn": f"{AGENT_ARN}/agent-t"}

# K1, handled with hold and after-contact work. Delivered twice: the version updated after
# ACW (LastUpdateTimestamp 14:07:10) sits in the EARLIER file and still wins over the first
# version (14:06:05, no ACW yet, no wrap code) delivered in the later file.
K1_FINAL = contact(
    "K1", last_update="2026-03-10T14:07:10Z", initiated="2026-03-10T13:59:40Z",
    disconnected="2026-03-10T14:06:00Z", queue=queued("BLU-Sales", "2026-03-10T14:00:00Z"),
    agent=agent(ANN["username"], "2026-03-10T14:00:15Z", 300, 45, 60, ANN["arn"]),
    attributes={"customer_id": "CUST-1", "wrap_code": "sold"},
)  # fmt: skip
K1_FIRST = contact(
    "K1", last_update="2026-03-10T14:06:05Z", initiated="2026-03-10T13:59:40Z",
    disconnected="2026-03-10T14:06:00Z", queue=queued("BLU-Sales", "2026-03-10T14:00:00Z"),
    agent=agent(ANN["username"], "2026-03-10T14:00:15Z", 300, 45, 0, ANN["arn"]),
    attributes={"customer_id": "CUST-1"},
)  # fmt: skip
# K2 abandoned after 40 s; K3 abandoned after 3 s (a short abandon)
K2 = contact(
    "K2", last_update="2026-03-10T15:00:41Z", initiated="2026-03-10T14:59:50Z",
    disconnected="2026-03-10T15:00:40Z", queue=queued("BLU-Sales", "2026-03-10T15:00:00Z"),
)  # fmt: skip
K3 = contact(
    "K3", last_update="2026-03-10T16:00:04Z", initiated="2026-03-10T15:59:50Z",
    disconnected="2026-03-10T16:00:03Z", queue=queued("BLU-Sales", "2026-03-10T16:00:00Z"),
)  # fmt: skip
# K4a answered after 30 s by A1, transferred to the support queue: the transfer leg K4b is a
# contact of its own (TRANSFER, queue known by ARN only), answered after 10 s by bob.two
# (known by ARN only -> A2)
K4A = contact(
    "K4a", last_update="2026-03-10T17:02:45Z", initiated="2026-03-10T16:59:50Z",
    disconnected="2026-03-10T17:02:30Z", queue=queued("BLU-Sales", "2026-03-10T17:00:00Z"),
    agent=agent(ANN["username"], "2026-03-10T17:00:30Z", 120, 0, 10, ANN["arn"]),
    attributes={"wrap_code": "transferred"},
)  # fmt: skip
K4B = contact(
    "K4b", method="TRANSFER", previous="K4a", last_update="2026-03-10T17:06:40Z",
    initiated="2026-03-10T17:02:30Z", disconnected="2026-03-10T17:06:00Z",
    queue=queued("Support (renamed)", "2026-03-10T17:02:30Z", f"{QUEUE_ARN}/q-support"),
    agent=agent(BOB["username"], "2026-03-10T17:02:40Z", 200, 20, 30, BOB["arn"]),
    attributes={"wrap_code": "fixed"},
)  # fmt: skip
# K5 near midnight: 2026-03-11 03:59:50 UTC = 03-10 23:59:50 in New York; answered after 15 s
# by a login without an identity row (kept as agent 'temp.agent', counted unknown)
K5 = contact(
    "K5", last_update="2026-03-11T04:02:30Z", initiated="2026-03-11T03:59:30Z",
    disconnected="2026-03-11T04:02:00Z", queue=queued("BLU-Sales", "2026-03-11T03:59:50Z"),
    agent=agent(TEMP["username"], "2026-03-11T04:00:05Z", 100, 0, 20, TEMP["arn"]),
)  # fmt: skip
# K6 an outbound call (no offered, handled or abandoned call)
K6 = contact(
    "K6", method="OUTBOUND", last_update="2026-03-10T18:04:40Z",
    initiated="2026-03-10T18:00:00Z", disconnected="2026-03-10T18:04:20Z",
    queue=queued("BLU-Sales", None),
    agent=agent(ANN["username"], "2026-03-10T18:00:10Z", 240, 0, 15, ANN["arn"]),
)  # fmt: skip
# skipped: a chat, a task, a supervisor's monitor leg, an inbound call that never queued (IVR)
K7_CHAT = contact(
    "K7", channel="CHAT", last_update="2026-03-10T12:10:00Z", initiated="2026-03-10T12:00:00Z",
    disconnected="2026-03-10T12:09:00Z", queue=queued("BLU-Sales", "2026-03-10T12:00:05Z"),
)  # fmt: skip
K8_TASK = contact(
    "K8", channel="TASK", method="API", last_update="2026-03-10T12:30:00Z",
    initiated="2026-03-10T12:20:00Z", disconnected="2026-03-10T12:29:00Z",
    queue=queued("BLU-Sales", "2026-03-10T12:20:05Z"),
)  # fmt: skip
K9_MONITOR = contact(
    "K9", method="MONITOR", previous="K4a", last_update="2026-03-10T17:03:00Z",
    initiated="2026-03-10T17:01:00Z", disconnected="2026-03-10T17:02:30Z",
    agent=agent("sup.visor", "2026-03-10T17:01:00Z", 90, 0, 0, f"{AGENT_ARN}/sup"),
)  # fmt: skip
K10_IVR = contact(
    "K10", last_update="2026-03-10T13:01:00Z", initiated="2026-03-10T13:00:00Z",
    disconnected="2026-03-10T13:00:50Z",
)  # fmt: skip
# rejected (unmapped_queue): a queue with no row by name or ARN; an API (outbound) call with
# no queue at all, which no client can be credited with
K11_UNMAPPED = contact(
    "K11", last_update="2026-03-10T19:01:00Z", initiated="2026-03-10T18:59:50Z",
    disconnected="2026-03-10T19:00:50Z",
    queue=queued("Nobody's queue", "2026-03-10T19:00:00Z", f"{QUEUE_ARN}/q-unknown"),
)  # fmt: skip
K12_NO_QUEUE = contact(
    "K12", method="API", last_update="2026-03-10T19:31:00Z", initiated="2026-03-10T19:30:00Z",
    disconnected="2026-03-10T19:30:50Z",
)  # fmt: skip

for record, number in ((K2, 1), (K5, 2), (K10_IVR, 2), (K12_NO_QUEUE, 3)):
    record["CustomerEndpoint"]["Address"] = PHONE_NUMBERS[number]


# --- Genesys Cloud conversation details -----------------------------------------------------


def segment(kind: str, start: str, end: str | None, **extra) -> dict:
    return {"segmentStart": start, "segmentEnd": end, "segmentType": kind, **extra}


def metric(name: str, value: int, emitted: str) -> dict:
    return {"name": name, "value": value, "emitDate": emitted}


def voice(*segments: dict, metrics: tuple = ()) -> dict:
    return {
        "mediaType": "voice",
        "sessionId": "s",
        "segments": list(segments),
        "metrics": list(metrics),
    }


def customer(start: str, end: str, number: str = PHONE_NUMBERS[3]) -> dict:
    return {
        "participantId": "p-cust",
        "participantName": CUSTOMER_NAME,
        "purpose": "customer",
        "sessions": [
            {
                "mediaType": "voice",
                "ani": f"tel:{number}",
                "dnis": "tel:+498005550100",
                "direction": "inbound",
                "segments": [segment("interact", start, end)],
                "metrics": [],
            }
        ],
    }


def acd(queue_id: str, start: str, end: str, metrics: tuple = ()) -> dict:
    return {
        "participantId": "p-acd",
        "participantName": "Billing",
        "purpose": "acd",
        "sessions": [voice(segment("interact", start, end, queueId=queue_id), metrics=metrics)],
    }


def agent_participant(user_id: str, *sessions: dict) -> dict:
    return {
        "participantId": f"p-{user_id}",
        "purpose": "agent",
        "userId": user_id,
        "sessions": list(sessions),
    }


def conversation(
    conversation_id: str, direction: str, start: str, end: str | None, *participants
) -> dict:
    return {
        "conversationId": conversation_id,
        "conversationStart": start,
        "conversationEnd": end,
        "originatingDirection": direction,
        "divisionIds": ["d-1"],
        "participants": list(participants),
    }


# G1 handled with hold and ACW: offered 09:00:00.000, answered 18 s later by u-g1 (G1)
G1 = conversation(
    "G1", "inbound", "2026-03-10T08:59:30.000Z", "2026-03-10T09:05:33.000Z",
    customer("2026-03-10T08:59:30.000Z", "2026-03-10T09:04:48.000Z"),
    {"purpose": "ivr", "sessions": [voice(segment("ivr", "2026-03-10T08:59:30.000Z", "2026-03-10T09:00:00.000Z"))]},
    acd("q-grn-billing", "2026-03-10T09:00:00.000Z", "2026-03-10T09:00:18.000Z"),
    agent_participant("u-g1", voice(
        segment("alert", "2026-03-10T09:00:12.000Z", "2026-03-10T09:00:18.000Z", queueId="q-grn-billing"),
        segment("interact", "2026-03-10T09:00:18.000Z", "2026-03-10T09:02:00.000Z", queueId="q-grn-billing"),
        segment("hold", "2026-03-10T09:02:00.000Z", "2026-03-10T09:02:30.000Z", queueId="q-grn-billing"),
        segment("interact", "2026-03-10T09:02:30.000Z", "2026-03-10T09:04:48.000Z", queueId="q-grn-billing"),
        segment("wrapup", "2026-03-10T09:04:48.000Z", "2026-03-10T09:05:33.000Z", wrapUpCode="paid"),
        metrics=(
            metric("tAnswered", 6000, "2026-03-10T09:00:18.000Z"),
            metric("tTalkComplete", 240000, "2026-03-10T09:04:48.000Z"),
            metric("tHeldComplete", 30000, "2026-03-10T09:02:30.000Z"),
            metric("tAcw", 45000, "2026-03-10T09:05:33.000Z"),
        ),
    )),
)  # fmt: skip
# G2 an alert not taken: u-g2 lets it ring 15 s (tNotResponding); u-g1 answers 25 s after
# the offer; no hold metric
G2 = conversation(
    "G2", "inbound", "2026-03-10T09:59:50.000Z", "2026-03-10T10:03:45.000Z",
    customer("2026-03-10T09:59:50.000Z", "2026-03-10T10:03:25.000Z"),
    acd("q-grn-billing", "2026-03-10T10:00:00.000Z", "2026-03-10T10:00:25.000Z"),
    agent_participant("u-g2", voice(
        segment("alert", "2026-03-10T10:00:05.000Z", "2026-03-10T10:00:20.000Z", queueId="q-grn-billing"),
        metrics=(
            metric("tAlert", 15000, "2026-03-10T10:00:20.000Z"),
            metric("tNotResponding", 15000, "2026-03-10T10:00:20.000Z"),
        ),
    )),
    agent_participant("u-g1", voice(
        segment("alert", "2026-03-10T10:00:22.000Z", "2026-03-10T10:00:25.000Z", queueId="q-grn-billing"),
        segment("interact", "2026-03-10T10:00:25.000Z", "2026-03-10T10:03:25.000Z", queueId="q-grn-billing"),
        segment("wrapup", "2026-03-10T10:03:25.000Z", "2026-03-10T10:03:45.000Z", wrapUpCode="info"),
        metrics=(
            metric("tAnswered", 3000, "2026-03-10T10:00:25.000Z"),
            metric("tTalkComplete", 180000, "2026-03-10T10:03:25.000Z"),
            metric("tAcw", 20000, "2026-03-10T10:03:45.000Z"),
        ),
    )),
)  # fmt: skip
# G3 abandoned in queue after 90 s
G3 = conversation(
    "G3", "inbound", "2026-03-10T10:59:40.000Z", "2026-03-10T11:01:30.000Z",
    customer("2026-03-10T10:59:40.000Z", "2026-03-10T11:01:30.000Z"),
    acd("q-grn-billing", "2026-03-10T11:00:00.000Z", "2026-03-10T11:01:30.000Z",
        metrics=(metric("tAbandon", 90000, "2026-03-10T11:01:30.000Z"),)),
)  # fmt: skip


# G4 near midnight: offered 22:59:55 UTC = 23:59:55 in Berlin on 03-10, answered 15 s later by
# a user without an identity row (u-temp). Delivered twice: in progress (no end, no ACW yet)
# in the LATER page, complete in the earlier one; the complete one has the latest activity.
def _g4(complete: bool) -> dict:
    agent_segments = [
        segment("alert", "2026-03-10T23:00:05.000Z", "2026-03-10T23:00:10.000Z", queueId="q-grn-billing"),
        segment("interact", "2026-03-10T23:00:10.000Z",
                "2026-03-10T23:01:10.000Z" if complete else None, queueId="q-grn-billing"),
    ]  # fmt: skip
    metrics = [metric("tAnswered", 5000, "2026-03-10T23:00:10.000Z")]
    if complete:
        agent_segments.append(
            segment(
                "wrapup", "2026-03-10T23:01:10.000Z", "2026-03-10T23:01:15.000Z", wrapUpCode="late"
            )
        )
        metrics += [
            metric("tTalkComplete", 60000, "2026-03-10T23:01:10.000Z"),
            metric("tAcw", 5000, "2026-03-10T23:01:15.000Z"),
        ]
    return conversation(
        "G4", "inbound", "2026-03-10T22:59:40.000Z", "2026-03-10T23:01:20.000Z" if complete else None,
        customer("2026-03-10T22:59:40.000Z", "2026-03-10T23:01:10.000Z" if complete else None),
        acd("q-grn-billing", "2026-03-10T22:59:55.000Z", "2026-03-10T23:00:10.000Z"),
        agent_participant("u-temp", voice(*agent_segments, metrics=tuple(metrics))),
    )  # fmt: skip


# G5 an inbound call that ended in the IVR (no acd participant): skipped, not_queued
G5 = conversation(
    "G5", "inbound", "2026-03-10T12:00:00.000Z", "2026-03-10T12:01:00.000Z",
    customer("2026-03-10T12:00:00.000Z", "2026-03-10T12:01:00.000Z"),
    {"purpose": "ivr", "sessions": [voice(segment("ivr", "2026-03-10T12:00:00.000Z", "2026-03-10T12:01:00.000Z"))]},
)  # fmt: skip
# G6 a chat: skipped, chat_conversation
G6 = conversation(
    "G6", "inbound", "2026-03-10T12:10:00.000Z", "2026-03-10T12:20:00.000Z",
    {"purpose": "customer", "sessions": [{"mediaType": "chat", "segments": [
        segment("interact", "2026-03-10T12:10:00.000Z", "2026-03-10T12:20:00.000Z")]}]},
    acd("q-grn-billing", "2026-03-10T12:10:01.000Z", "2026-03-10T12:10:30.000Z") | {
        "sessions": [{"mediaType": "chat", "segments": [segment(
            "interact", "2026-03-10T12:10:01.000Z", "2026-03-10T12:10:30.000Z", queueId="q-grn-billing")]}]},
)  # fmt: skip
# G7 a queue with no queues row: rejected, unmapped_queue
G7 = conversation(
    "G7", "inbound", "2026-03-10T13:00:00.000Z", "2026-03-10T13:02:00.000Z",
    customer("2026-03-10T13:00:00.000Z", "2026-03-10T13:02:00.000Z"),
    acd("q-somebody-else", "2026-03-10T13:00:10.000Z", "2026-03-10T13:02:00.000Z"),
)  # fmt: skip
# G8 an outbound call u-g2 places on behalf of the billing queue: mapped (outbound), offered
# at conversationStart
G8 = conversation(
    "G8", "outbound", "2026-03-10T14:00:00.000Z", "2026-03-10T14:03:30.000Z",
    agent_participant("u-g2", voice(
        segment("dialing", "2026-03-10T14:00:00.000Z", "2026-03-10T14:00:08.000Z", queueId="q-grn-billing"),
        segment("interact", "2026-03-10T14:00:08.000Z", "2026-03-10T14:03:08.000Z", queueId="q-grn-billing"),
        segment("wrapup", "2026-03-10T14:03:08.000Z", "2026-03-10T14:03:30.000Z", wrapUpCode="callback"),
        metrics=(
            metric("tTalkComplete", 180000, "2026-03-10T14:03:08.000Z"),
            metric("tAcw", 22000, "2026-03-10T14:03:30.000Z"),
        ),
    )),
    {"purpose": "external", "participantName": CUSTOMER_NAME, "sessions": [voice(
        segment("interact", "2026-03-10T14:00:08.000Z", "2026-03-10T14:03:08.000Z"))
        | {"dnis": f"tel:{PHONE_NUMBERS[3]}"}]},
)  # fmt: skip
# G9 an outbound call on no queue's behalf (a private dial): skipped, not_queued
G9 = conversation(
    "G9", "outbound", "2026-03-10T15:00:00.000Z", "2026-03-10T15:01:00.000Z",
    agent_participant("u-g1", voice(
        segment("interact", "2026-03-10T15:00:05.000Z", "2026-03-10T15:01:00.000Z"),
        metrics=(metric("tTalkComplete", 55000, "2026-03-10T15:01:00.000Z"),),
    )),
)  # fmt: skip


def _firehose_lines(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _back_to_back(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, separators=(",", ":")) for r in records).encode()


def _page(conversations: list[dict], cursor: str | None) -> bytes:
    return json.dumps({"conversations": conversations, "cursor": cursor}).encode()


VENDOR_FILES: dict[str, bytes] = {
    # Firehose: date sub-folders, no extension; gzip recognised by its content
    "amazon_connect_contacts/2026/03/10/cx-stream-1-2026-03-10-23-00-00-a1": gzip.compress(
        _firehose_lines([K1_FINAL, K2, K3, K4A, K4B, K7_CHAT, K8_TASK])
    ),
    # objects back to back with no delimiter; K1's first version is re-delivered here
    "amazon_connect_contacts/2026/03/11/cx-stream-1-2026-03-11-05-00-00-b2": _back_to_back(
        [K1_FIRST, K5, K6, K9_MONITOR, K10_IVR, K11_UNMAPPED, K12_NO_QUEUE]
    ),
    "genesys_conversations/job-1/page-0001.json": _page(
        [G1, G2, G3, _g4(complete=True), G5], "c-2"
    ),
    "genesys_conversations/job-1/page-0002.json": gzip.compress(
        _page([_g4(complete=False), G6, G7, G8, G9], None)
    ),
}

# The same interactions as canonical calls: the mapped current version of each record.
CANONICAL_CALLS = [
    ("call_id", "client_id", "direction", "offered_at", "answered_at", "ended_at", "queue",
     "customer_id", "agent_id", "talk_seconds", "hold_seconds", "acw_seconds", "wrap_code"),
    ("K1", "BLU", "inbound", "2026-03-10T14:00:00Z", "2026-03-10T14:00:15Z",
     "2026-03-10T14:06:00Z", "BLU-Sales", "CUST-1", "A1", "300", "45", "60", "sold"),
    ("K2", "BLU", "inbound", "2026-03-10T15:00:00Z", "", "2026-03-10T15:00:40Z",
     "BLU-Sales", "", "", "", "", "", ""),
    ("K3", "BLU", "inbound", "2026-03-10T16:00:00Z", "", "2026-03-10T16:00:03Z",
     "BLU-Sales", "", "", "", "", "", ""),
    ("K4a", "BLU", "inbound", "2026-03-10T17:00:00Z", "2026-03-10T17:00:30Z",
     "2026-03-10T17:02:30Z", "BLU-Sales", "", "A1", "120", "0", "10", "transferred"),
    ("K4b", "BLU", "inbound", "2026-03-10T17:02:30Z", "2026-03-10T17:02:40Z",
     "2026-03-10T17:06:00Z", "Support (renamed)", "", "A2", "200", "20", "30", "fixed"),
    ("K5", "BLU", "inbound", "2026-03-11T03:59:50Z", "2026-03-11T04:00:05Z",
     "2026-03-11T04:02:00Z", "BLU-Sales", "", "temp.agent", "100", "0", "20", ""),
    ("K6", "BLU", "outbound", "2026-03-10T18:00:00Z", "2026-03-10T18:00:10Z",
     "2026-03-10T18:04:20Z", "BLU-Sales", "", "A1", "240", "0", "15", ""),
    ("G1", "GRN", "inbound", "2026-03-10T09:00:00Z", "2026-03-10T09:00:18Z",
     "2026-03-10T09:05:33Z", "Billing", "", "G1", "240", "30", "45", "paid"),
    ("G2", "GRN", "inbound", "2026-03-10T10:00:00Z", "2026-03-10T10:00:25Z",
     "2026-03-10T10:03:45Z", "Billing", "", "G1", "180", "", "20", "info"),
    ("G3", "GRN", "inbound", "2026-03-10T11:00:00Z", "", "2026-03-10T11:01:30Z",
     "Billing", "", "", "", "", "", ""),
    ("G4", "GRN", "inbound", "2026-03-10T22:59:55Z", "2026-03-10T23:00:10Z",
     "2026-03-10T23:01:20Z", "Billing", "", "u-temp", "60", "", "5", "late"),
    ("G8", "GRN", "outbound", "2026-03-10T14:00:00Z", "2026-03-10T14:00:08Z",
     "2026-03-10T14:03:30Z", "Billing", "", "G2", "180", "", "22", "callback"),
]  # fmt: skip

DIMENSION_FILES = {
    "clients/clients.csv": CLIENTS,
    "sites/sites.csv": SITES,
    "teams/teams.csv": TEAMS,
    "agent_roster/agent_roster_2026-03-01.csv": ROSTER,
    "queues/queues.csv": QUEUES,
    "agent_identities/agent_identities.csv": AGENT_IDENTITIES,
}


def _write_csv_files(landing_dir: Path, files: dict[str, list[tuple]]) -> None:
    for relative, rows in files.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def write_vendor_zone(landing_dir: Path) -> None:
    _write_csv_files(landing_dir, DIMENSION_FILES)
    for relative, content in VENDOR_FILES.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# the same queues as canonical calls name them, staffed by the same sites
CANONICAL_QUEUES = [
    *QUEUES,
    ("canonical", "BLU-Sales", "BLU", "CLT", "BLU-Sales"),
    ("canonical", "Support (renamed)", "BLU", "CLT", "Support"),
    ("canonical", "Billing", "GRN", "BER", "Billing"),
]


def write_canonical_zone(landing_dir: Path) -> None:
    _write_csv_files(
        landing_dir,
        {
            **DIMENSION_FILES,
            "queues/queues.csv": CANONICAL_QUEUES,
            "calls/calls_2026-03-10.csv": CANONICAL_CALLS,
        },
    )
