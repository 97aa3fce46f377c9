"""The Genesys Cloud conversation details of `test_vendor_calls.py` (helpers, not tests).

Conversations as Genesys job-result pages (a cursor to the next page; the last page
gzipped): `GENESYS_FILES`, written by `vendor_calls_zone.py`. The world they live in is
`vendor_calls_world.py`.
"""

from __future__ import annotations

import gzip
import json

from tests.integration.vendor_calls_world import CUSTOMER_NAME, PHONE_NUMBERS


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


def _page(conversations: list[dict], cursor: str | None) -> bytes:
    return json.dumps({"conversations": conversations, "cursor": cursor}).encode()


GENESYS_FILES: dict[str, bytes] = {
    "genesys_conversations/job-1/page-0001.json": _page(
        [G1, G2, G3, _g4(complete=True), G5], "c-2"
    ),
    "genesys_conversations/job-1/page-0002.json": gzip.compress(
        _page([_g4(complete=False), G6, G7, G8, G9], None)
    ),
}
