"""Amazon Connect: contact records as Kinesis Data Firehose delivers them."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import polars as pl

from orchestration.sample_exports import formats
from orchestration.sample_exports.platforms import AMAZON_CONNECT
from orchestration.sample_exports.vendors.common import AWS_ACCOUNT, VendorState, compact, iso

FIREHOSE_STREAM = "cxw-contact-records"
UNMAPPED_QUEUE = "test_line_do_not_use"


def write_day(state: VendorState, day: int, calls: pl.DataFrame, rng: np.random.Generator) -> None:
    """The day's contact records: one Firehose object of first deliveries, one of updates."""
    first: list[dict] = []
    updates: list[dict] = []
    transfers_left = {c: 2 for c in state.clients_on("calls", AMAZON_CONNECT)}
    for i, row in enumerate(calls.iter_rows(named=True)):
        c_idx, agent = row["client_index"], row["agent"]
        if agent is not None:
            state.connect_agents.add(agent)
        inbound = row["direction"] == "inbound"
        ivr = 15 if inbound else 0  # the contact flow before the queue
        kwargs = dict(
            method="INBOUND" if inbound else "OUTBOUND",
            initiated=row["offered"] - ivr,
            ended=row["ended"],
            queue=row["queue"],
            enqueued=row["offered"],
            agent=agent,
            answered=row["answered"],
            talk=row["talk"],
            hold=row["hold"],
            acw=row["acw"],
            customer_id=row["customer_id"],
            wrap_code=row["wrap_code"],
            phone=state.customer_phone(c_idx, row["customer_id"], row["call_id"]),
        )
        record = _contact(state, c_idx, row["call_id"], **kwargs)
        if row["acw"] and i % 9 == 4:
            # delivered when the call ended, again when after-contact work finished
            first.append(_contact(state, c_idx, row["call_id"], **kwargs, acw_done=False))
            updates.append(record)
        else:
            first.append(record)
        if i % 97 == 13:  # at-least-once delivery: the same version twice
            updates.append(record)
        if (
            inbound
            and row["answered"] is not None
            and row["wrap_code"] == "transferred"
            and transfers_left[c_idx]
        ):
            transfers_left[c_idx] -= 1
            updates.extend(_transfer(state, c_idx, row, record, rng))
    for c_idx in transfers_left:
        mine = calls.filter(pl.col("client_index") == c_idx)
        if mine.height:
            first.extend(_other_contacts(state, day, c_idx, mine, rng))
    first.sort(key=lambda r: (r["LastUpdateTimestamp"], r["ContactId"]))
    updates.sort(key=lambda r: (r["LastUpdateTimestamp"], r["ContactId"]))
    _firehose(state, day, first, style=day % 3)
    if updates:
        _firehose(state, day, updates, style=2 if day % 2 else 0)


def _contact(
    state: VendorState,
    c_idx: int,
    contact_id: str,
    *,
    channel: str = "VOICE",
    method: str,
    initiated: int,
    ended: int,
    queue: str | None,
    enqueued: int | None,
    agent: int | None,
    answered: int | None,
    talk: int | None,
    hold: int | None,
    acw: int | None,
    customer_id: str | None,
    wrap_code: str | None,
    phone: str | None,
    acw_done: bool = True,
) -> dict:
    instance = state.connect_instance(c_idx)
    after_end = ended + (acw or 0) if acw_done else ended
    queue_obj = None
    if queue is not None:
        queue_obj = {
            "ARN": state.queue_ref(AMAZON_CONNECT, c_idx, queue),
            "DequeueTimestamp": iso(answered if answered is not None else ended),
            "Duration": (answered if answered is not None else ended) - (enqueued or initiated),
            "EnqueueTimestamp": iso(enqueued),
            "Name": queue,
        }
    agent_obj = None
    if agent is not None:
        agent_obj = {
            "ARN": state.agent_arn(c_idx, agent),
            "AfterContactWorkDuration": acw if acw_done else None,
            "AfterContactWorkEndTimestamp": iso(after_end) if acw_done and acw else None,
            "AfterContactWorkStartTimestamp": iso(ended) if acw else None,
            "AgentInteractionDuration": talk,
            "ConnectedToAgentTimestamp": iso(answered),
            "CustomerHoldDuration": hold,
            "DeviceInfo": {"OperatingSystem": "Windows 10", "PlatformName": "Chrome"},
            "HierarchyGroups": None,
            "LongestHoldDuration": hold,
            "NumberOfHolds": 1 if hold else 0,
            "RoutingProfile": state.routing_profile(c_idx),
            "Username": state.agent_login(agent),
        }
    attributes = {}
    if customer_id is not None:
        attributes["customer_id"] = customer_id
    if wrap_code is not None and acw_done:
        attributes["wrap_code"] = wrap_code
    system_number = f"+1800555{c_idx:04d}"
    return {
        "AWSAccountId": AWS_ACCOUNT,
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Agent": agent_obj,
        "AgentConnectionAttempts": 1 if agent is not None else 0,
        "Attributes": attributes,
        "Channel": channel,
        "ConnectedToSystemTimestamp": iso(initiated),
        "ContactDetails": {},
        "ContactId": contact_id,
        "CustomerEndpoint": (
            {"Address": phone, "Type": "TELEPHONE_NUMBER"} if channel == "VOICE" else None
        ),
        "DisconnectReason": "CUSTOMER_DISCONNECT" if answered is None else "AGENT_DISCONNECT",
        "DisconnectTimestamp": iso(ended),
        "InitialContactId": None,
        "InitiationMethod": method,
        "InitiationTimestamp": iso(initiated),
        "InstanceARN": instance,
        "LastUpdateTimestamp": iso(after_end + 4),
        "MediaStreams": [{"Type": "AUDIO" if channel == "VOICE" else channel}],
        "NextContactId": None,
        "PreviousContactId": None,
        "Queue": queue_obj,
        "Recording": (
            {
                "DeletionReason": None,
                "Location": f"connect-recordings/{contact_id}.wav",
                "Status": "AVAILABLE",
                "Type": "AUDIO",
            }
            if answered is not None and channel == "VOICE"
            else None
        ),
        "SystemEndpoint": (
            {"Address": system_number, "Type": "TELEPHONE_NUMBER"} if channel == "VOICE" else None
        ),
        "Tags": {"aws:connect:instanceId": instance.rsplit("/", 1)[1]},
        "TransferCompletedTimestamp": None,
        "TransferredToEndpoint": None,
    }


def _transfer(
    state: VendorState, c_idx: int, row: dict, record: dict, rng: np.random.Generator
) -> list[dict]:
    """The first agent transfers to another queue: a second contact, InitiationMethod
    TRANSFER, that the first names as NextContactId."""
    queues = [q for q in state.world.clients[c_idx].queues if q != row["queue"]]
    queue = queues[int(rng.integers(0, len(queues)))]
    pool = sorted(state.connect_agents - {row["agent"]}) or [row["agent"]]
    agent = pool[int(rng.integers(0, len(pool)))]
    transferred = row["answered"] + row["talk"]
    answered = transferred + int(rng.integers(5, 60))
    talk = int(rng.integers(60, 400))
    leg_id = state.ids.uuid("connect-transfer", row["call_id"])
    leg = _contact(
        state,
        c_idx,
        leg_id,
        method="TRANSFER",
        initiated=transferred,
        ended=answered + talk,
        queue=queue,
        enqueued=transferred,
        agent=agent,
        answered=answered,
        talk=talk,
        hold=0,
        acw=20,
        customer_id=row["customer_id"],
        wrap_code="resolved",
        phone=record["CustomerEndpoint"]["Address"],
    )
    leg["InitialContactId"] = leg["PreviousContactId"] = row["call_id"]
    first_leg = {
        **record,
        "NextContactId": leg_id,
        "TransferCompletedTimestamp": iso(transferred),
        "TransferredToEndpoint": {"Address": None, "Type": "QUEUE"},
        "LastUpdateTimestamp": iso(int(record_ts(record)) + 1),
    }
    state.connect_agents.add(agent)
    return [first_leg, leg]


def _other_contacts(
    state: VendorState, day: int, c_idx: int, calls: pl.DataFrame, rng: np.random.Generator
) -> list[dict]:
    """What a Connect instance records besides calls: chats, tasks, a supervisor
    monitoring a call, callers who hang up in the IVR, a line nobody mapped."""
    answered = calls.filter(pl.col("answered").is_not_null() & pl.col("agent").is_not_null())
    out = []
    d = state.world.day(day)
    for k, channel in enumerate(("CHAT", "TASK")):
        if not answered.height:
            break
        row = answered.row(int(rng.integers(0, answered.height)), named=True)
        start = row["offered"] + 300
        out.append(
            _contact(
                state,
                c_idx,
                state.ids.uuid("connect-other", f"{d}/{c_idx}/{channel}"),
                channel=channel,
                method="API" if channel == "TASK" else "INBOUND",
                initiated=start,
                ended=start + 420,
                queue=row["queue"],
                enqueued=start + 5,
                agent=row["agent"],
                answered=start + 30 + k,
                talk=390,
                hold=0,
                acw=15,
                customer_id=row["customer_id"],
                wrap_code="resolved",
                phone=None,
            )
        )
    if answered.height:
        row = answered.row(int(rng.integers(0, answered.height)), named=True)
        supervisor = _supervisor(state, day, c_idx)
        if supervisor is not None:
            monitor = _contact(
                state,
                c_idx,
                state.ids.uuid("connect-monitor", row["call_id"]),
                method="MONITOR",
                initiated=row["answered"] + 20,
                ended=row["ended"],
                queue=None,
                enqueued=None,
                agent=supervisor,
                answered=row["answered"] + 20,
                talk=row["ended"] - row["answered"] - 20,
                hold=0,
                acw=None,
                customer_id=None,
                wrap_code=None,
                phone=state.customer_phone(c_idx, row["customer_id"], row["call_id"]),
            )
            monitor["PreviousContactId"] = row["call_id"]
            out.append(monitor)
    for k in range(2):  # hung up in the contact flow, never queued
        start = int(calls["offered"][int(rng.integers(0, calls.height))]) + 7
        out.append(
            _contact(
                state,
                c_idx,
                state.ids.uuid("connect-ivr", f"{d}/{c_idx}/{k}"),
                method="INBOUND",
                initiated=start,
                ended=start + int(rng.integers(8, 90)),
                queue=None,
                enqueued=None,
                agent=None,
                answered=None,
                talk=None,
                hold=None,
                acw=None,
                customer_id=None,
                wrap_code=None,
                phone=state.customer_phone(c_idx, None, f"ivr/{d}/{k}"),
            )
        )
    if day % 7 == 0 and answered.height:  # a test line the BPO never put in `queues`
        row = answered.row(0, named=True)
        start = row["offered"] + 60
        out.append(
            _contact(
                state,
                c_idx,
                state.ids.uuid("connect-unmapped", f"{d}/{c_idx}"),
                method="INBOUND",
                initiated=start - 15,
                ended=start + 200,
                queue=UNMAPPED_QUEUE,
                enqueued=start,
                agent=row["agent"],
                answered=start + 10,
                talk=190,
                hold=0,
                acw=10,
                customer_id=None,
                wrap_code="info_provided",
                phone=state.customer_phone(c_idx, None, f"unmapped/{d}"),
            )
        )
    return out


def _supervisor(state: VendorState, day: int, c_idx: int) -> int | None:
    """A team lead employed in a team of the client (else any agent of the client)."""
    teams = state.wf.teams_on(day)
    mine = np.flatnonzero(state.wf.employed_on(day) & (state.world.team_client[teams] == c_idx))
    leads = [a for a in mine if state.wf.roles[a] == "team_lead"]
    chosen = leads or list(mine)
    return int(chosen[0]) if chosen else None


def _firehose(state: VendorState, day: int, records: list[dict], *, style: int) -> None:
    """One Firehose object: style 0 gzip lines, 1 back to back, 2 plain lines."""
    stamp = records[0]["LastUpdateTimestamp"]  # the hour the buffer opened
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    name = f"{when:%Y/%m/%d/%H}/{FIREHOSE_STREAM}-1-{when:%Y-%m-%d-%H-%M-%S}-" + state.ids.uuid(
        "firehose", f"{day}/{stamp}/{len(records)}"
    )
    lines = [compact(r) for r in records]
    data = ("".join(lines) if style == 1 else "\n".join(lines) + "\n").encode()
    state.land.raw(
        "amazon_connect_contacts",
        name,
        formats.gzipped(data) if style == 0 else data,
        len(records),
    )


def record_ts(record: dict) -> int:
    """Epoch seconds of a Connect record's LastUpdateTimestamp."""
    when = datetime.strptime(record["LastUpdateTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
    return int(when.replace(tzinfo=UTC).timestamp())
