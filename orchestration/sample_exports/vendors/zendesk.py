"""Zendesk: tickets, ticket metrics and satisfaction ratings (incremental exports, pages)."""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.sample_exports.vendors.common import VendorState, compact, iso, numeric_score

# Zendesk via.channel per canonical channel (messaging and social alternate between two)
ZENDESK_CHANNELS = {
    "email": ("email", "email"),
    "web": ("web", "api"),
    "chat": ("chat", "chat"),
    "social": ("twitter", "facebook"),
    "messaging": ("native_messaging", "whatsapp"),
}


def write_day(
    state: VendorState,
    day: int,
    tickets: pl.DataFrame,
    ratings: pl.DataFrame,
    rng: np.random.Generator,
) -> None:
    """The day's tickets, metrics and ratings: JSON Lines on even days, API pages on odd."""
    d = state.world.day(day)
    objects, metrics = [], []
    for k, row in enumerate(tickets.iter_rows(named=True)):
        ticket, metric = _ticket(state, row, variant=k % 2)
        objects.append(ticket)
        metrics.append(metric)
    base = tickets.row(0, named=True)
    for kind in ("voice", "deleted"):  # a phone ticket and a deleted ticket
        row = {**base, "ticket_id": str(state.counters.zendesk_ticket)}
        state.counters.zendesk_ticket += 1
        ticket, metric = _ticket(state, row, variant=0)
        if kind == "voice":
            ticket["via"] = {"channel": "voice", "source": {"from": {"phone": state.customer_phone(
                row["client_index"], row["customer_id"], row["ticket_id"])}, "to": {}, "rel": "inbound"}}  # fmt: skip
        else:
            ticket["status"] = "deleted"
        objects.append(ticket)
        metrics.append(metric)
    rating_objects = [_rating(state, row) for row in ratings.iter_rows(named=True)]
    for row in tickets.filter(pl.col("first_response").is_null()).head(2).iter_rows(named=True):
        rating_objects.append(_rating(state, {**row, "interaction_id": row["ticket_id"],
                                                    "responded": None, "score": None,
                                                    "sent": row["created"]}, unoffered=True))  # fmt: skip
    page = day % 2 == 1
    for source, key, items in (
        ("zendesk_tickets", "tickets", objects),
        ("zendesk_ticket_metrics", "ticket_metrics", metrics),
        ("zendesk_satisfaction_ratings", "satisfaction_ratings", rating_objects),
    ):
        if not items:
            continue
        if page:
            body = {key: items, "next_page": None, "previous_page": None, "count": len(items)}
            if key == "tickets":
                body = {key: items, "after_cursor": state.ids.uuid("zd-cursor", str(d)),
                        "end_of_stream": True}  # fmt: skip
            data = compact(body).encode()
            name = f"{key}_{d}.json"
        else:
            data = ("\n".join(compact(o) for o in items) + "\n").encode()
            name = f"{key}_{d}.jsonl"
        state.land.raw(source, name, data, len(items))


def _ticket(state: VendorState, row: dict, *, variant: int) -> tuple[dict, dict]:
    c_idx, agent = row["client_index"], row["agent"]
    tid = int(row["ticket_id"])
    created = row["created"]
    first, solved = row["first_response"], row["solved"]
    if first is not None and first < created:
        first = None  # Zendesk measures no negative reply time
    status = row["status"]
    if status == "pending" and variant:
        status = "hold"
    updated = max(t for t in (created, first, solved) if t is not None) + 60
    channel = ZENDESK_CHANNELS[row["channel"]][variant]
    requester = (
        state.ids.number("zendesk-user", row["customer_id"], 13)
        if row["customer_id"]
        else state.ids.number("zendesk-user", f"anon/{tid}", 13)
    )
    source_from: dict = {}
    if row["customer_id"] is not None:
        pii = state.person(c_idx, row["customer_id"])
        if channel == "email":
            source_from = {"address": pii["email"], "name": pii["full_name"]}
        elif channel in ("chat", "native_messaging", "whatsapp"):
            source_from = {"name": pii["full_name"]}
    subject = f"{row['channel'].title()} request from customer"
    ticket = {
        "id": tid,
        "url": f"https://{state.client_ids[c_idx].lower()}.zendesk.com/api/v2/tickets/{tid}.json",
        "external_id": None,
        "via": {"channel": channel, "source": {"from": source_from, "to": {}, "rel": None}},
        "created_at": iso(created),
        "updated_at": iso(updated),
        "type": "question",
        "subject": subject,
        "raw_subject": subject,
        "description": "Customer message (redacted in the sample).",
        "priority": row["priority"],
        "status": status,
        "recipient": None,
        "requester_id": requester,
        "submitter_id": requester,
        "assignee_id": state.zendesk_user(agent) if agent is not None else None,
        "organization_id": None,
        "group_id": state.zendesk_group(c_idx) if agent is not None else None,
        "brand_id": state.zendesk_brand(c_idx),
        "collaborator_ids": [],
        "follower_ids": [],
        "has_incidents": False,
        "is_public": True,
        "tags": [row["tags"]] if row["tags"] else [],
        "custom_fields": [],
        "satisfaction_rating": None,
        "generated_timestamp": updated,
    }
    reply = None if first is None else first - created
    resolution = None if solved is None else solved - created
    minutes = lambda s: None if s is None else s // 60  # noqa: E731
    metric = {
        "id": state.ids.number("zendesk-metric", str(tid), 12),
        "ticket_id": tid,
        "url": f"https://{state.client_ids[c_idx].lower()}.zendesk.com/api/v2/ticket_metrics/{tid}.json",
        "group_stations": 1 if agent is not None else 0,
        "assignee_stations": 1 if agent is not None else 0,
        "reopens": 0,
        "replies": 0 if first is None else 1,
        "assignee_updated_at": iso(first),
        "requester_updated_at": iso(created),
        "status_updated_at": iso(updated),
        "initially_assigned_at": iso(created + 30) if agent is not None else None,
        "assigned_at": iso(created + 30) if agent is not None else None,
        "solved_at": iso(solved),
        "latest_comment_added_at": iso(first if first is not None else created),
        "first_resolution_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
        "reply_time_in_minutes": {"calendar": minutes(reply), "business": minutes(reply)},
        "full_resolution_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
        "agent_wait_time_in_minutes": {"calendar": 0, "business": 0},
        "requester_wait_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
        "on_hold_time_in_minutes": {"calendar": 0, "business": 0},
        "created_at": iso(created),
        "updated_at": iso(updated),
    }  # fmt: skip
    if channel in ("native_messaging", "whatsapp"):  # Zendesk's seconds: messaging only
        metric["reply_time_in_seconds"] = {"calendar": reply}
    return ticket, metric


def _rating(state: VendorState, row: dict, *, unoffered: bool = False) -> dict:
    c_idx, agent = row["client_index"], row["agent"]
    rid = state.counters.zendesk_rating
    state.counters.zendesk_rating += 1
    score = "unoffered" if unoffered else _two_point(row)
    comment = row.get("comment") if score in ("good", "bad") else None
    tid = int(row["interaction_id"])
    return {
        "id": rid,
        "url": f"https://{state.client_ids[c_idx].lower()}.zendesk.com/api/v2/satisfaction_ratings/{rid}.json",
        "assignee_id": state.zendesk_user(agent) if agent is not None else None,
        "group_id": state.zendesk_group(c_idx),
        "requester_id": state.ids.number("zendesk-user", row["customer_id"] or f"anon/{tid}", 13),
        "ticket_id": tid,
        "score": score,
        "comment": comment,
        "reason": None,
        "reason_id": None,
        "created_at": iso(row["sent"]),
        "updated_at": iso(row["responded"] if score in ("good", "bad") else row["sent"]),
    }  # fmt: skip


def _two_point(row: dict) -> str:
    """Zendesk's good / bad for an answered survey, ``offered`` for an invitation."""
    if row["responded"] is None:
        return "offered"
    value = numeric_score(row["survey_type"], row["score"])
    if value is None:
        return "offered"
    good = {"nps": value >= 7, "csat": value >= 4, "ces": value <= 3}[row["survey_type"]]
    return "good" if good else "bad"
