"""Genesys Cloud: the pages of an analytics conversation details job."""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.sample_exports import formats
from orchestration.sample_exports.platforms import GENESYS
from orchestration.sample_exports.vendors.common import VendorState, compact, iso_ms

GENESYS_PAGE_SIZE = 250
# the participants and sessions of a conversation, whose ids come from one digest
GENESYS_PARTS = ("customer", "customer session", "ivr", "ivr session", "acd", "acd session",
                 "missed agent", "missed session", "agent", "agent session")  # fmt: skip


def write_day(state: VendorState, day: int, calls: pl.DataFrame, rng: np.random.Generator) -> None:
    """The day's conversations as the pages of one conversation details job."""
    conversations = []
    division = state.ids.uuid("genesys-division", "home")
    for i, row in enumerate(calls.iter_rows(named=True)):
        conversations.append(_conversation(state, row, division, missed=(i % 23 == 5), rng=rng))
    job = state.ids.uuid("genesys-job", str(state.world.day(day)))
    pages = [
        conversations[k : k + GENESYS_PAGE_SIZE]
        for k in range(0, len(conversations), GENESYS_PAGE_SIZE)
    ]
    for n, page in enumerate(pages, start=1):
        body: dict = {"conversations": page}
        if n < len(pages):
            body["cursor"] = state.ids.uuid("genesys-cursor", f"{job}/{n}").replace("-", "")
        data = compact(body).encode()
        gz = (day + n) % 2 == 1
        name = f"{job}/page-{n:04d}.json" + (".gz" if gz else "")
        state.land.raw(
            "genesys_conversations", name, formats.gzipped(data) if gz else data, len(page)
        )


def _conversation(
    state: VendorState, row: dict, division: str, *, missed: bool, rng: np.random.Generator
) -> dict:
    c_idx = row["client_index"]
    cid = row["call_id"]
    part_ids = state.ids.uuids("genesys-parts", cid, len(GENESYS_PARTS))
    inbound = row["direction"] == "inbound"
    offered, ended, answered = row["offered"], row["ended"], row["answered"]
    start = offered - (20 if inbound else 2)
    phone = state.customer_phone(c_idx, row["customer_id"], cid)
    queue_id = state.queue_ref(GENESYS, c_idx, row["queue"])
    customer = {
        "participantId": part_ids[0],
        "participantName": _customer_name(state, c_idx, row["customer_id"]),
        "purpose": "customer" if inbound else "external",
        "sessions": [
            {
                "sessionId": part_ids[1],
                "mediaType": "voice",
                "direction": row["direction"],
                "ani": f"tel:{phone}" if inbound else f"tel:+1800555{c_idx:04d}",
                "dnis": f"tel:+1800555{c_idx:04d}" if inbound else f"tel:{phone}",
                "provider": "Edge",
                "segments": [
                    {
                        "segmentStart": iso_ms(start),
                        "segmentEnd": iso_ms(ended),
                        "segmentType": "interact",
                        "disconnectType": "client" if answered is None else "peer",
                    }
                ],  # fmt: skip
            }
        ],
    }
    if row["customer_id"] is not None:
        customer["attributes"] = {"customer_id": row["customer_id"]}
    participants = [customer]
    if inbound:
        participants.append(
            {
                "participantId": part_ids[2],
                "participantName": "Main Menu",
                "purpose": "ivr",
                "sessions": [
                    {
                        "sessionId": part_ids[3],
                        "mediaType": "voice",
                        "direction": "inbound",
                        "segments": [
                            {
                                "segmentStart": iso_ms(start),
                                "segmentEnd": iso_ms(offered),
                                "segmentType": "ivr",
                                "disconnectType": "transfer",
                            }
                        ],  # fmt: skip
                    }
                ],
            }
        )
    queue_end = answered if answered is not None else (ended if inbound else offered)
    acd_metrics = [
        {"name": "tAcd", "value": (queue_end - offered) * 1000, "emitDate": iso_ms(queue_end)}
    ]
    if inbound and answered is None:
        acd_metrics.append(
            {"name": "tAbandon", "value": (ended - offered) * 1000, "emitDate": iso_ms(ended)}
        )
    participants.append(
        {
            "participantId": part_ids[4],
            "participantName": row["queue"],
            "purpose": "acd",
            "sessions": [
                {
                    "sessionId": part_ids[5],
                    "mediaType": "voice",
                    "direction": row["direction"],
                    "segments": [
                        {
                            "segmentStart": iso_ms(offered),
                            "segmentEnd": iso_ms(queue_end),
                            "segmentType": "interact",
                            "queueId": queue_id,
                            "disconnectType": "transfer" if answered is not None else "peer",
                        }
                    ],  # fmt: skip
                    "metrics": acd_metrics,
                }
            ],
        }
    )
    agent = row["agent"]
    if agent is not None:
        if missed and answered is not None:
            participants.append(_alert_not_taken(state, row, queue_id, answered, part_ids))
        participants.append(_agent_participant(state, row, queue_id, part_ids))
    return {
        "conversationId": cid,
        "conversationStart": iso_ms(start),
        "conversationEnd": iso_ms(ended),  # the call's end; wrap-up segments run past it
        "divisionIds": [division],
        "mediaStatsMinConversationMos": round(4.2 + 0.5 * float(rng.random()), 6),
        "originatingDirection": row["direction"],
        "participants": participants,
    }


def _customer_name(state: VendorState, c_idx: int, customer_id: str | None) -> str:
    if customer_id is None:
        return "Unknown caller"
    row = int(customer_id.rsplit("-", 1)[1]) - 1
    return state.pii(c_idx)["full_name"][row]


def _alert_not_taken(
    state: VendorState, row: dict, queue_id: str, answered: int, part_ids: list[str]
) -> dict:
    """Another agent was alerted first and did not answer (tNotResponding)."""
    alert_start = row["offered"] + 1
    alert_end = max(alert_start + 1, answered - 2)
    other = (row["agent"] + 1) % state.wf.size
    return {
        "participantId": part_ids[6],
        "participantName": str(state.wf.full_names[other]),
        "purpose": "agent",
        "userId": state.genesys_user(other),
        "sessions": [
            {
                "sessionId": part_ids[7],
                "mediaType": "voice",
                "direction": row["direction"],
                "segments": [
                    {
                        "segmentStart": iso_ms(alert_start),
                        "segmentEnd": iso_ms(alert_end),
                        "segmentType": "alert",
                        "queueId": queue_id,
                        "disconnectType": "noAnswer",
                    }
                ],  # fmt: skip
                "metrics": [
                    {
                        "name": "tAlert",
                        "value": (alert_end - alert_start) * 1000,
                        "emitDate": iso_ms(alert_end),
                    },
                    {
                        "name": "tNotResponding",
                        "value": (alert_end - alert_start) * 1000,
                        "emitDate": iso_ms(alert_end),
                    },
                ],  # fmt: skip
            }
        ],
    }


def _agent_participant(state: VendorState, row: dict, queue_id: str, part_ids: list[str]) -> dict:
    agent = row["agent"]
    answered, ended, acw = row["answered"], row["ended"], row["acw"]
    hold, talk = row["hold"] or 0, row["talk"]
    segments: list[dict] = []
    metrics: list[dict] = []
    if answered is not None:
        alert = max(row["offered"], answered - 3)
        segments.append({"segmentStart": iso_ms(alert), "segmentEnd": iso_ms(answered),
                         "segmentType": "alert", "queueId": queue_id})  # fmt: skip
        if hold:
            middle = answered + talk // 2
            segments += [
                {"segmentStart": iso_ms(answered), "segmentEnd": iso_ms(middle), "segmentType": "interact", "queueId": queue_id},
                {"segmentStart": iso_ms(middle), "segmentEnd": iso_ms(middle + hold), "segmentType": "hold", "queueId": queue_id},
                {"segmentStart": iso_ms(middle + hold), "segmentEnd": iso_ms(ended), "segmentType": "interact", "queueId": queue_id},
            ]  # fmt: skip
        else:
            segments.append({"segmentStart": iso_ms(answered), "segmentEnd": iso_ms(ended),
                             "segmentType": "interact", "queueId": queue_id})  # fmt: skip
        metrics += [
            {"name": "tAlert", "value": (answered - alert) * 1000, "emitDate": iso_ms(answered)},
            {"name": "tAnswered", "value": (answered - row["offered"]) * 1000, "emitDate": iso_ms(answered)},
            {"name": "tTalk", "value": talk * 1000, "emitDate": iso_ms(ended)},
            {"name": "tTalkComplete", "value": talk * 1000, "emitDate": iso_ms(ended)},
        ]  # fmt: skip
        if hold:
            metrics.append(
                {"name": "tHeldComplete", "value": hold * 1000, "emitDate": iso_ms(ended)}
            )
    else:  # an outbound call the customer did not pick up
        segments.append({"segmentStart": iso_ms(row["offered"]), "segmentEnd": iso_ms(ended),
                         "segmentType": "dialing", "queueId": queue_id})  # fmt: skip
        metrics.append({"name": "tContacting", "value": (ended - row["offered"]) * 1000,
                        "emitDate": iso_ms(ended)})  # fmt: skip
    if acw:
        wrap = {"segmentStart": iso_ms(ended), "segmentEnd": iso_ms(ended + acw),
                "segmentType": "wrapup", "queueId": queue_id}  # fmt: skip
        if row["wrap_code"] is not None:
            wrap["wrapUpCode"] = state.ids.uuid("genesys-wrapup", row["wrap_code"])
            wrap["wrapUpNote"] = ""
        segments.append(wrap)
        metrics.append({"name": "tAcw", "value": acw * 1000, "emitDate": iso_ms(ended + acw)})
        metrics.append(
            {
                "name": "tHandle",
                "value": ((talk or 0) + hold + acw) * 1000,
                "emitDate": iso_ms(ended + acw),
            }
        )
    return {
        "participantId": part_ids[8],
        "participantName": str(state.wf.full_names[agent]),
        "purpose": "agent",
        "userId": state.genesys_user(agent),
        "sessions": [
            {
                "sessionId": part_ids[9],
                "mediaType": "voice",
                "direction": row["direction"],
                "segments": segments,
                "metrics": metrics,
            }
        ],
    }
