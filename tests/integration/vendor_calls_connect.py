"""The Amazon Connect contact records of `test_vendor_calls.py` (helpers, not tests).

Contact records as Firehose writes them (a gzip file, a file of objects back to back with no
delimiter, date sub-folders, no extension): `CONNECT_FILES`, written by
`vendor_calls_zone.py`. The world they live in is `vendor_calls_world.py`.
"""

from __future__ import annotations

import gzip
import json

from tests.integration.vendor_calls_world import AGENT_ARN, PHONE_NUMBERS, QUEUE_ARN


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


def _firehose_lines(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _back_to_back(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, separators=(",", ":")) for r in records).encode()


CONNECT_FILES: dict[str, bytes] = {
    # Firehose: date sub-folders, no extension; gzip recognised by its content
    "amazon_connect_contacts/2026/03/10/cx-stream-1-2026-03-10-23-00-00-a1": gzip.compress(
        _firehose_lines([K1_FINAL, K2, K3, K4A, K4B, K7_CHAT, K8_TASK])
    ),
    # objects back to back with no delimiter; K1's first version is re-delivered here
    "amazon_connect_contacts/2026/03/11/cx-stream-1-2026-03-11-05-00-00-b2": _back_to_back(
        [K1_FIRST, K5, K6, K9_MONITOR, K10_IVR, K11_UNMAPPED, K12_NO_QUEUE]
    ),
}
