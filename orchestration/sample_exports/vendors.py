"""The vendor exports of the clients on vendor platforms, as the vendors really write them.

The records are drawn from the SAME simulated interactions as the canonical files (the
day's calls, tickets and surveys of :mod:`.facts`); each interaction is delivered once, on
its client's platform. Around them, what real exports hold and a mapping must handle:

* ``amazon_connect_contacts/YYYY/MM/DD/HH/<firehose name>``: contact records as Kinesis
  Data Firehose writes them (no extension; gzip, objects back to back or one per line);
  a second delivery with a later ``LastUpdateTimestamp`` once after-contact work ends, an
  at-least-once duplicate, CHAT and TASK contacts, a supervisor's MONITOR leg, transfer
  legs, an inbound contact that hung up in the IVR (no queue), a contact in a queue the
  BPO never mapped, and an agent login with no identity row.
* ``genesys_conversations/<job id>/``: pages ``{"conversations": [...], "cursor": ...}`` of
  an analytics conversation details job; customer, ivr, acd and agent participants with
  sessions, segments and metrics (milliseconds); an alert the first agent did not take.
* ``zendesk_tickets/``, ``zendesk_ticket_metrics/``, ``zendesk_satisfaction_ratings/``:
  incremental-export JSON Lines and API pages; voice and deleted tickets; ratings good,
  bad, offered and unoffered.
* ``qualtrics_responses/<SurveyID>/``: CSV with the three header rows; previews and
  unfinished responses beside the real ones.
* the mapping sources ``queues/``, ``agent_identities/`` and ``survey_questions/``.

Times are int64 epoch seconds (UTC) as in :mod:`.facts`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from orchestration.sample_exports import formats
from orchestration.sample_exports.platforms import (
    AMAZON_CONNECT,
    CANONICAL,
    GENESYS,
    QUALTRICS,
    ZENDESK,
    PlatformSet,
    VendorIds,
)
from orchestration.sample_exports.world import CustomerBase, Workforce, World

if TYPE_CHECKING:
    from orchestration.sample_exports.generator import _Landing

AWS_ACCOUNT = "123456789012"
AWS_REGION = "us-east-1"
FIREHOSE_STREAM = "cxw-contact-records"
GENESYS_PAGE_SIZE = 250
# the participants and sessions of a conversation, whose ids come from one digest
GENESYS_PARTS = ("customer", "customer session", "ivr", "ivr session", "acd", "acd session",
                 "missed agent", "missed session", "agent", "agent session")  # fmt: skip
UNMAPPED_QUEUE = "test_line_do_not_use"
# Zendesk via.channel per canonical channel (messaging and social alternate between two)
ZENDESK_CHANNELS = {
    "email": ("email", "email"),
    "web": ("web", "api"),
    "chat": ("chat", "chat"),
    "social": ("twitter", "facebook"),
    "messaging": ("native_messaging", "whatsapp"),
}
# Qualtrics question ImportIds of each client's post-contact survey
QUESTIONS = {"nps": "QID1", "csat": "QID2", "ces": "QID3"}
COMMENT_QUESTION = "QID4_TEXT"
CSAT_BY_LABEL = {
    "very unsatisfied": 1,
    "unsatisfied": 2,
    "not satisfied": 2,
    "neutral": 3,
    "satisfied": 4,
    "very satisfied": 5,
}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 5)}


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@functools.lru_cache(maxsize=4096)
def _hour_prefix(hour: int) -> str:
    """``2026-01-05T14:`` of an epoch hour."""
    return datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y-%m-%dT%H:")


def _ms(seconds: int | None) -> str | None:
    return _iso(seconds, ms=True)


def _iso(seconds: int | None, *, ms: bool = False) -> str | None:
    """``2026-01-05T14:03:22Z`` (``.000Z`` with ``ms``: Genesys writes milliseconds)."""
    if seconds is None:
        return None
    hour, rest = divmod(seconds, 3600)
    minute, secs = divmod(rest, 60)
    return f"{_hour_prefix(hour)}{minute:02d}:{secs:02d}" + (".000Z" if ms else "Z")


def _phone(text: str | None) -> str | None:
    return None if text is None else text.replace(" ", "")


@dataclass
class _Counters:
    zendesk_ticket: int = 40001
    zendesk_rating: int = 9_000_001


class VendorExports:
    """Writes, day by day, the vendor records of the clients on vendor platforms."""

    def __init__(
        self,
        land: _Landing,
        world: World,
        wf: Workforce,
        customers: tuple[CustomerBase, ...],
        sets: tuple[PlatformSet, ...],
        ids: VendorIds,
    ) -> None:
        self.land = land
        self.world = world
        self.wf = wf
        self.customers = customers
        self.sets = sets
        self.ids = ids
        self.counters = _Counters()
        self.connect_agents: set[int] = set()
        self.client_ids = [c.client_id for c in world.clients]

    # ------------------------------------------------------------------ who is where

    def clients_on(self, channel: str, platform: str) -> list[int]:
        return [i for i, s in enumerate(self.sets) if getattr(s, channel) == platform]

    def vendor_clients(self, channel: str) -> list[str]:
        """Client ids whose ``channel`` (calls, tickets, surveys) is delivered by a vendor."""
        return [
            self.client_ids[i] for i, s in enumerate(self.sets) if getattr(s, channel) != CANONICAL
        ]

    def ticket_surveys_on_zendesk(self) -> list[str]:
        return [self.client_ids[i] for i in self.clients_on("tickets", ZENDESK)]

    def systems(self) -> list[str]:
        return sorted({p for s in self.sets for p in s.systems})

    # ------------------------------------------------------------------ ids

    @functools.cache  # noqa: B019 (one writer per generation)
    def connect_instance(self, c_idx: int) -> str:
        instance = self.ids.uuid("connect-instance", self.client_ids[c_idx])
        return f"arn:aws:connect:{AWS_REGION}:{AWS_ACCOUNT}:instance/{instance}"

    @functools.cache  # noqa: B019 (one writer per generation)
    def queue_ref(self, system: str, c_idx: int, queue: str) -> str:
        if system == AMAZON_CONNECT:
            qid = self.ids.uuid("connect-queue", f"{self.client_ids[c_idx]}/{queue}")
            return f"{self.connect_instance(c_idx)}/queue/{qid}"
        return self.ids.uuid("genesys-queue", f"{self.client_ids[c_idx]}/{queue}")

    @functools.cache  # noqa: B019 (one writer per generation)
    def agent_login(self, agent: int) -> str:
        first, _, last = str(self.wf.full_names[agent]).partition(" ")
        number = str(self.wf.agent_ids[agent])[1:].lstrip("0")
        return f"{first[0]}{last.replace(' ', '')}{number}".lower()

    @functools.cache  # noqa: B019 (one writer per generation)
    def routing_profile(self, c_idx: int) -> dict[str, str]:
        profile = self.ids.uuid("connect-profile", self.client_ids[c_idx])
        return {
            "ARN": f"{self.connect_instance(c_idx)}/routing-profile/{profile}",
            "Name": "Basic Routing Profile",
        }

    @functools.cache  # noqa: B019 (one writer per generation)
    def agent_arn(self, c_idx: int, agent: int) -> str:
        user = self.ids.uuid("connect-agent", str(self.wf.agent_ids[agent]))
        return f"{self.connect_instance(c_idx)}/agent/{user}"

    @functools.cache  # noqa: B019 (one writer per generation)
    def genesys_user(self, agent: int) -> str:
        return self.ids.uuid("genesys-user", str(self.wf.agent_ids[agent]))

    @functools.cache  # noqa: B019 (one writer per generation)
    def zendesk_user(self, agent: int) -> int:
        return self.ids.number("zendesk-agent", str(self.wf.agent_ids[agent]), 12)

    @functools.cache  # noqa: B019 (one writer per generation)
    def zendesk_group(self, c_idx: int) -> int:
        return self.ids.number("zendesk-group", self.client_ids[c_idx], 12)

    @functools.cache  # noqa: B019 (one writer per generation)
    def zendesk_brand(self, c_idx: int) -> int:
        return self.ids.number("zendesk-brand", self.client_ids[c_idx], 12)

    @functools.cache  # noqa: B019 (one writer per generation)
    def survey_ref(self, c_idx: int) -> str:
        digest = self.ids.uuid("qualtrics-survey", self.client_ids[c_idx]).replace("-", "")
        return f"SV_{digest[:15]}"

    def call_ids(self, calls: pl.DataFrame) -> pl.Series:
        """The call id as the client's platform writes it: a UUID on Connect and Genesys."""
        vendor = {i for i, s in enumerate(self.sets) if s.calls != CANONICAL}
        out = [
            self.ids.uuid("call", cid) if c in vendor else cid
            for cid, c in zip(calls["call_id"], calls["client_index"], strict=True)
        ]
        return pl.Series("call_id", out, dtype=pl.Utf8)

    def ticket_ids(self, tickets: pl.DataFrame) -> pl.Series:
        """Zendesk's running ticket number for the tickets of Zendesk clients."""
        zendesk = set(self.clients_on("tickets", ZENDESK))
        out = []
        for tid, c in zip(tickets["ticket_id"], tickets["client_index"], strict=True):
            if c in zendesk:
                out.append(str(self.counters.zendesk_ticket))
                self.counters.zendesk_ticket += 1
            else:
                out.append(tid)
        return pl.Series("ticket_id", out, dtype=pl.Utf8)

    # ------------------------------------------------------------------ the day

    def write_day(
        self, day: int, calls: pl.DataFrame, tickets: pl.DataFrame, surveys: pl.DataFrame
    ) -> None:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.ids.seed, 99, day])))
        connect = calls.filter(
            pl.col("client_index").is_in(self.clients_on("calls", AMAZON_CONNECT))
        )
        if connect.height:
            self._connect_day(day, connect, rng)
        genesys = calls.filter(pl.col("client_index").is_in(self.clients_on("calls", GENESYS)))
        if genesys.height:
            self._genesys_day(day, genesys, rng)
        zendesk_clients = self.clients_on("tickets", ZENDESK)
        zendesk = tickets.filter(pl.col("client_index").is_in(zendesk_clients))
        ratings = surveys.filter(
            pl.col("client_index").is_in(zendesk_clients) & (pl.col("interaction_type") == "ticket")
        )
        if zendesk.height:
            self._zendesk_day(day, zendesk, ratings, rng)
        qualtrics = surveys.filter(
            pl.col("client_index").is_in(self.clients_on("surveys", QUALTRICS))
            & ~(
                pl.col("client_index").is_in(zendesk_clients)
                & (pl.col("interaction_type") == "ticket")
            )
        )
        for c_idx in self.clients_on("surveys", QUALTRICS):
            mine = qualtrics.filter(pl.col("client_index") == c_idx)
            if mine.height:
                self._qualtrics_day(day, c_idx, mine)

    # ------------------------------------------------------------------ Amazon Connect

    def _connect_contact(
        self,
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
        instance = self.connect_instance(c_idx)
        after_end = ended + (acw or 0) if acw_done else ended
        queue_obj = None
        if queue is not None:
            queue_obj = {
                "ARN": self.queue_ref(AMAZON_CONNECT, c_idx, queue),
                "DequeueTimestamp": _iso(answered if answered is not None else ended),
                "Duration": (answered if answered is not None else ended) - (enqueued or initiated),
                "EnqueueTimestamp": _iso(enqueued),
                "Name": queue,
            }
        agent_obj = None
        if agent is not None:
            agent_obj = {
                "ARN": self.agent_arn(c_idx, agent),
                "AfterContactWorkDuration": acw if acw_done else None,
                "AfterContactWorkEndTimestamp": _iso(after_end) if acw_done and acw else None,
                "AfterContactWorkStartTimestamp": _iso(ended) if acw else None,
                "AgentInteractionDuration": talk,
                "ConnectedToAgentTimestamp": _iso(answered),
                "CustomerHoldDuration": hold,
                "DeviceInfo": {"OperatingSystem": "Windows 10", "PlatformName": "Chrome"},
                "HierarchyGroups": None,
                "LongestHoldDuration": hold,
                "NumberOfHolds": 1 if hold else 0,
                "RoutingProfile": self.routing_profile(c_idx),
                "Username": self.agent_login(agent),
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
            "ConnectedToSystemTimestamp": _iso(initiated),
            "ContactDetails": {},
            "ContactId": contact_id,
            "CustomerEndpoint": (
                {"Address": phone, "Type": "TELEPHONE_NUMBER"} if channel == "VOICE" else None
            ),
            "DisconnectReason": "CUSTOMER_DISCONNECT" if answered is None else "AGENT_DISCONNECT",
            "DisconnectTimestamp": _iso(ended),
            "InitialContactId": None,
            "InitiationMethod": method,
            "InitiationTimestamp": _iso(initiated),
            "InstanceARN": instance,
            "LastUpdateTimestamp": _iso(after_end + 4),
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
                {"Address": system_number, "Type": "TELEPHONE_NUMBER"}
                if channel == "VOICE"
                else None
            ),
            "Tags": {"aws:connect:instanceId": instance.rsplit("/", 1)[1]},
            "TransferCompletedTimestamp": None,
            "TransferredToEndpoint": None,
        }

    @functools.cache  # noqa: B019 (one writer per generation)
    def _pii(self, c_idx: int) -> dict[str, list[str]]:
        """The client's customers' personal data as lists (row i: customer number i + 1)."""
        return self.customers[c_idx].pii.to_dict(as_series=False)

    def _person(self, c_idx: int, customer_id: str) -> dict[str, str]:
        row = int(customer_id.rsplit("-", 1)[1]) - 1
        pii = self._pii(c_idx)
        return {k: pii[k][row] for k in ("full_name", "email", "phone")}

    def _customer_phone(self, c_idx: int, customer_id: str | None, key: str) -> str:
        if customer_id is not None:
            row = int(customer_id.rsplit("-", 1)[1]) - 1
            return _phone(self._pii(c_idx)["phone"][row])
        return f"+1555{self.ids.number('phone', key, 7)}"

    def _connect_day(self, day: int, calls: pl.DataFrame, rng: np.random.Generator) -> None:
        first: list[dict] = []
        updates: list[dict] = []
        transfers_left = {c: 2 for c in self.clients_on("calls", AMAZON_CONNECT)}
        for i, row in enumerate(calls.iter_rows(named=True)):
            c_idx, agent = row["client_index"], row["agent"]
            if agent is not None:
                self.connect_agents.add(agent)
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
                phone=self._customer_phone(c_idx, row["customer_id"], row["call_id"]),
            )
            record = self._connect_contact(c_idx, row["call_id"], **kwargs)
            if row["acw"] and i % 9 == 4:
                # delivered when the call ended, again when after-contact work finished
                first.append(self._connect_contact(c_idx, row["call_id"], **kwargs, acw_done=False))
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
                updates.extend(self._connect_transfer(c_idx, row, record, rng))
        for c_idx in transfers_left:
            mine = calls.filter(pl.col("client_index") == c_idx)
            if mine.height:
                first.extend(self._connect_other_contacts(day, c_idx, mine, rng))
        first.sort(key=lambda r: (r["LastUpdateTimestamp"], r["ContactId"]))
        updates.sort(key=lambda r: (r["LastUpdateTimestamp"], r["ContactId"]))
        self._firehose(day, first, style=day % 3)
        if updates:
            self._firehose(day, updates, style=2 if day % 2 else 0)

    def _connect_transfer(
        self, c_idx: int, row: dict, record: dict, rng: np.random.Generator
    ) -> list[dict]:
        """The first agent transfers to another queue: a second contact, InitiationMethod
        TRANSFER, that the first names as NextContactId."""
        queues = [q for q in self.world.clients[c_idx].queues if q != row["queue"]]
        queue = queues[int(rng.integers(0, len(queues)))]
        pool = sorted(self.connect_agents - {row["agent"]}) or [row["agent"]]
        agent = pool[int(rng.integers(0, len(pool)))]
        transferred = row["answered"] + row["talk"]
        answered = transferred + int(rng.integers(5, 60))
        talk = int(rng.integers(60, 400))
        leg_id = self.ids.uuid("connect-transfer", row["call_id"])
        leg = self._connect_contact(
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
            "TransferCompletedTimestamp": _iso(transferred),
            "TransferredToEndpoint": {"Address": None, "Type": "QUEUE"},
            "LastUpdateTimestamp": _iso(int(record_ts(record)) + 1),
        }
        self.connect_agents.add(agent)
        return [first_leg, leg]

    def _connect_other_contacts(
        self, day: int, c_idx: int, calls: pl.DataFrame, rng: np.random.Generator
    ) -> list[dict]:
        """What a Connect instance records besides calls: chats, tasks, a supervisor
        monitoring a call, callers who hang up in the IVR, a line nobody mapped."""
        answered = calls.filter(pl.col("answered").is_not_null() & pl.col("agent").is_not_null())
        out = []
        d = self.world.day(day)
        for k, channel in enumerate(("CHAT", "TASK")):
            if not answered.height:
                break
            row = answered.row(int(rng.integers(0, answered.height)), named=True)
            start = row["offered"] + 300
            out.append(
                self._connect_contact(
                    c_idx,
                    self.ids.uuid("connect-other", f"{d}/{c_idx}/{channel}"),
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
            supervisor = self._supervisor(day, c_idx)
            if supervisor is not None:
                monitor = self._connect_contact(
                    c_idx,
                    self.ids.uuid("connect-monitor", row["call_id"]),
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
                    phone=self._customer_phone(c_idx, row["customer_id"], row["call_id"]),
                )
                monitor["PreviousContactId"] = row["call_id"]
                out.append(monitor)
        for k in range(2):  # hung up in the contact flow, never queued
            start = int(calls["offered"][int(rng.integers(0, calls.height))]) + 7
            out.append(
                self._connect_contact(
                    c_idx,
                    self.ids.uuid("connect-ivr", f"{d}/{c_idx}/{k}"),
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
                    phone=self._customer_phone(c_idx, None, f"ivr/{d}/{k}"),
                )
            )
        if day % 7 == 0 and answered.height:  # a test line the BPO never put in `queues`
            row = answered.row(0, named=True)
            start = row["offered"] + 60
            out.append(
                self._connect_contact(
                    c_idx,
                    self.ids.uuid("connect-unmapped", f"{d}/{c_idx}"),
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
                    phone=self._customer_phone(c_idx, None, f"unmapped/{d}"),
                )
            )
        return out

    def _supervisor(self, day: int, c_idx: int) -> int | None:
        """A team lead employed in a team of the client (else any agent of the client)."""
        teams = self.wf.teams_on(day)
        mine = np.flatnonzero(self.wf.employed_on(day) & (self.world.team_client[teams] == c_idx))
        leads = [a for a in mine if self.wf.roles[a] == "team_lead"]
        chosen = leads or list(mine)
        return int(chosen[0]) if chosen else None

    def _firehose(self, day: int, records: list[dict], *, style: int) -> None:
        """One Firehose object: style 0 gzip lines, 1 back to back, 2 plain lines."""
        stamp = records[0]["LastUpdateTimestamp"]  # the hour the buffer opened
        when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        name = f"{when:%Y/%m/%d/%H}/{FIREHOSE_STREAM}-1-{when:%Y-%m-%d-%H-%M-%S}-" + self.ids.uuid(
            "firehose", f"{day}/{stamp}/{len(records)}"
        )
        lines = [_compact(r) for r in records]
        data = ("".join(lines) if style == 1 else "\n".join(lines) + "\n").encode()
        self.land.raw(
            "amazon_connect_contacts",
            name,
            formats.gzipped(data) if style == 0 else data,
            len(records),
        )

    # ------------------------------------------------------------------ Genesys Cloud

    def _genesys_day(self, day: int, calls: pl.DataFrame, rng: np.random.Generator) -> None:
        conversations = []
        division = self.ids.uuid("genesys-division", "home")
        for i, row in enumerate(calls.iter_rows(named=True)):
            conversations.append(self._conversation(row, division, missed=(i % 23 == 5), rng=rng))
        job = self.ids.uuid("genesys-job", str(self.world.day(day)))
        pages = [
            conversations[k : k + GENESYS_PAGE_SIZE]
            for k in range(0, len(conversations), GENESYS_PAGE_SIZE)
        ]
        for n, page in enumerate(pages, start=1):
            body: dict = {"conversations": page}
            if n < len(pages):
                body["cursor"] = self.ids.uuid("genesys-cursor", f"{job}/{n}").replace("-", "")
            data = _compact(body).encode()
            gz = (day + n) % 2 == 1
            name = f"{job}/page-{n:04d}.json" + (".gz" if gz else "")
            self.land.raw(
                "genesys_conversations", name, formats.gzipped(data) if gz else data, len(page)
            )

    def _conversation(
        self, row: dict, division: str, *, missed: bool, rng: np.random.Generator
    ) -> dict:
        c_idx = row["client_index"]
        cid = row["call_id"]
        part_ids = self.ids.uuids("genesys-parts", cid, len(GENESYS_PARTS))
        inbound = row["direction"] == "inbound"
        offered, ended, answered = row["offered"], row["ended"], row["answered"]
        start = offered - (20 if inbound else 2)
        phone = self._customer_phone(c_idx, row["customer_id"], cid)
        queue_id = self.queue_ref(GENESYS, c_idx, row["queue"])
        customer = {
            "participantId": part_ids[0],
            "participantName": self._customer_name(c_idx, row["customer_id"]),
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
                            "segmentStart": _ms(start),
                            "segmentEnd": _ms(ended),
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
                                    "segmentStart": _ms(start),
                                    "segmentEnd": _ms(offered),
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
            {"name": "tAcd", "value": (queue_end - offered) * 1000, "emitDate": _ms(queue_end)}
        ]
        if inbound and answered is None:
            acd_metrics.append(
                {"name": "tAbandon", "value": (ended - offered) * 1000, "emitDate": _ms(ended)}
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
                                "segmentStart": _ms(offered),
                                "segmentEnd": _ms(queue_end),
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
                participants.append(self._alert_not_taken(row, queue_id, answered, part_ids))
            participants.append(self._agent_participant(row, queue_id, part_ids))
        return {
            "conversationId": cid,
            "conversationStart": _ms(start),
            "conversationEnd": _ms(ended),  # the call's end; wrap-up segments run past it
            "divisionIds": [division],
            "mediaStatsMinConversationMos": round(4.2 + 0.5 * float(rng.random()), 6),
            "originatingDirection": row["direction"],
            "participants": participants,
        }

    def _customer_name(self, c_idx: int, customer_id: str | None) -> str:
        if customer_id is None:
            return "Unknown caller"
        row = int(customer_id.rsplit("-", 1)[1]) - 1
        return self._pii(c_idx)["full_name"][row]

    def _alert_not_taken(
        self, row: dict, queue_id: str, answered: int, part_ids: list[str]
    ) -> dict:
        """Another agent was alerted first and did not answer (tNotResponding)."""
        alert_start = row["offered"] + 1
        alert_end = max(alert_start + 1, answered - 2)
        other = (row["agent"] + 1) % self.wf.size
        return {
            "participantId": part_ids[6],
            "participantName": str(self.wf.full_names[other]),
            "purpose": "agent",
            "userId": self.genesys_user(other),
            "sessions": [
                {
                    "sessionId": part_ids[7],
                    "mediaType": "voice",
                    "direction": row["direction"],
                    "segments": [
                        {
                            "segmentStart": _ms(alert_start),
                            "segmentEnd": _ms(alert_end),
                            "segmentType": "alert",
                            "queueId": queue_id,
                            "disconnectType": "noAnswer",
                        }
                    ],  # fmt: skip
                    "metrics": [
                        {
                            "name": "tAlert",
                            "value": (alert_end - alert_start) * 1000,
                            "emitDate": _ms(alert_end),
                        },
                        {
                            "name": "tNotResponding",
                            "value": (alert_end - alert_start) * 1000,
                            "emitDate": _ms(alert_end),
                        },
                    ],  # fmt: skip
                }
            ],
        }

    def _agent_participant(self, row: dict, queue_id: str, part_ids: list[str]) -> dict:
        agent = row["agent"]
        answered, ended, acw = row["answered"], row["ended"], row["acw"]
        hold, talk = row["hold"] or 0, row["talk"]
        segments: list[dict] = []
        metrics: list[dict] = []
        if answered is not None:
            alert = max(row["offered"], answered - 3)
            segments.append({"segmentStart": _ms(alert), "segmentEnd": _ms(answered),
                             "segmentType": "alert", "queueId": queue_id})  # fmt: skip
            if hold:
                middle = answered + talk // 2
                segments += [
                    {"segmentStart": _ms(answered), "segmentEnd": _ms(middle), "segmentType": "interact", "queueId": queue_id},
                    {"segmentStart": _ms(middle), "segmentEnd": _ms(middle + hold), "segmentType": "hold", "queueId": queue_id},
                    {"segmentStart": _ms(middle + hold), "segmentEnd": _ms(ended), "segmentType": "interact", "queueId": queue_id},
                ]  # fmt: skip
            else:
                segments.append({"segmentStart": _ms(answered), "segmentEnd": _ms(ended),
                                 "segmentType": "interact", "queueId": queue_id})  # fmt: skip
            metrics += [
                {"name": "tAlert", "value": (answered - alert) * 1000, "emitDate": _ms(answered)},
                {"name": "tAnswered", "value": (answered - row["offered"]) * 1000, "emitDate": _ms(answered)},
                {"name": "tTalk", "value": talk * 1000, "emitDate": _ms(ended)},
                {"name": "tTalkComplete", "value": talk * 1000, "emitDate": _ms(ended)},
            ]  # fmt: skip
            if hold:
                metrics.append(
                    {"name": "tHeldComplete", "value": hold * 1000, "emitDate": _ms(ended)}
                )
        else:  # an outbound call the customer did not pick up
            segments.append({"segmentStart": _ms(row["offered"]), "segmentEnd": _ms(ended),
                             "segmentType": "dialing", "queueId": queue_id})  # fmt: skip
            metrics.append({"name": "tContacting", "value": (ended - row["offered"]) * 1000,
                            "emitDate": _ms(ended)})  # fmt: skip
        if acw:
            wrap = {"segmentStart": _ms(ended), "segmentEnd": _ms(ended + acw),
                    "segmentType": "wrapup", "queueId": queue_id}  # fmt: skip
            if row["wrap_code"] is not None:
                wrap["wrapUpCode"] = self.ids.uuid("genesys-wrapup", row["wrap_code"])
                wrap["wrapUpNote"] = ""
            segments.append(wrap)
            metrics.append({"name": "tAcw", "value": acw * 1000, "emitDate": _ms(ended + acw)})
            metrics.append(
                {
                    "name": "tHandle",
                    "value": ((talk or 0) + hold + acw) * 1000,
                    "emitDate": _ms(ended + acw),
                }
            )
        return {
            "participantId": part_ids[8],
            "participantName": str(self.wf.full_names[agent]),
            "purpose": "agent",
            "userId": self.genesys_user(agent),
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

    # ------------------------------------------------------------------ Zendesk

    def _zendesk_day(
        self, day: int, tickets: pl.DataFrame, ratings: pl.DataFrame, rng: np.random.Generator
    ) -> None:
        d = self.world.day(day)
        objects, metrics = [], []
        for k, row in enumerate(tickets.iter_rows(named=True)):
            ticket, metric = self._zendesk_ticket(row, variant=k % 2)
            objects.append(ticket)
            metrics.append(metric)
        base = tickets.row(0, named=True)
        for kind in ("voice", "deleted"):  # a phone ticket and a deleted ticket
            row = {**base, "ticket_id": str(self.counters.zendesk_ticket)}
            self.counters.zendesk_ticket += 1
            ticket, metric = self._zendesk_ticket(row, variant=0)
            if kind == "voice":
                ticket["via"] = {"channel": "voice", "source": {"from": {"phone": self._customer_phone(
                    row["client_index"], row["customer_id"], row["ticket_id"])}, "to": {}, "rel": "inbound"}}  # fmt: skip
            else:
                ticket["status"] = "deleted"
            objects.append(ticket)
            metrics.append(metric)
        rating_objects = [self._zendesk_rating(row) for row in ratings.iter_rows(named=True)]
        for row in tickets.filter(pl.col("first_response").is_null()).head(2).iter_rows(named=True):
            rating_objects.append(self._zendesk_rating({**row, "interaction_id": row["ticket_id"],
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
                    body = {key: items, "after_cursor": self.ids.uuid("zd-cursor", str(d)),
                            "end_of_stream": True}  # fmt: skip
                data = _compact(body).encode()
                name = f"{key}_{d}.json"
            else:
                data = ("\n".join(_compact(o) for o in items) + "\n").encode()
                name = f"{key}_{d}.jsonl"
            self.land.raw(source, name, data, len(items))

    def _zendesk_ticket(self, row: dict, *, variant: int) -> tuple[dict, dict]:
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
            self.ids.number("zendesk-user", row["customer_id"], 13)
            if row["customer_id"]
            else self.ids.number("zendesk-user", f"anon/{tid}", 13)
        )
        source_from: dict = {}
        if row["customer_id"] is not None:
            pii = self._person(c_idx, row["customer_id"])
            if channel == "email":
                source_from = {"address": pii["email"], "name": pii["full_name"]}
            elif channel in ("chat", "native_messaging", "whatsapp"):
                source_from = {"name": pii["full_name"]}
        subject = f"{row['channel'].title()} request from customer"
        ticket = {
            "id": tid,
            "url": f"https://{self.client_ids[c_idx].lower()}.zendesk.com/api/v2/tickets/{tid}.json",
            "external_id": None,
            "via": {"channel": channel, "source": {"from": source_from, "to": {}, "rel": None}},
            "created_at": _iso(created),
            "updated_at": _iso(updated),
            "type": "question",
            "subject": subject,
            "raw_subject": subject,
            "description": "Customer message (redacted in the sample).",
            "priority": row["priority"],
            "status": status,
            "recipient": None,
            "requester_id": requester,
            "submitter_id": requester,
            "assignee_id": self.zendesk_user(agent) if agent is not None else None,
            "organization_id": None,
            "group_id": self.zendesk_group(c_idx) if agent is not None else None,
            "brand_id": self.zendesk_brand(c_idx),
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
            "id": self.ids.number("zendesk-metric", str(tid), 12),
            "ticket_id": tid,
            "url": f"https://{self.client_ids[c_idx].lower()}.zendesk.com/api/v2/ticket_metrics/{tid}.json",
            "group_stations": 1 if agent is not None else 0,
            "assignee_stations": 1 if agent is not None else 0,
            "reopens": 0,
            "replies": 0 if first is None else 1,
            "assignee_updated_at": _iso(first),
            "requester_updated_at": _iso(created),
            "status_updated_at": _iso(updated),
            "initially_assigned_at": _iso(created + 30) if agent is not None else None,
            "assigned_at": _iso(created + 30) if agent is not None else None,
            "solved_at": _iso(solved),
            "latest_comment_added_at": _iso(first if first is not None else created),
            "first_resolution_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
            "reply_time_in_minutes": {"calendar": minutes(reply), "business": minutes(reply)},
            "full_resolution_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
            "agent_wait_time_in_minutes": {"calendar": 0, "business": 0},
            "requester_wait_time_in_minutes": {"calendar": minutes(resolution), "business": minutes(resolution)},
            "on_hold_time_in_minutes": {"calendar": 0, "business": 0},
            "created_at": _iso(created),
            "updated_at": _iso(updated),
        }  # fmt: skip
        if channel in ("native_messaging", "whatsapp"):  # Zendesk's seconds: messaging only
            metric["reply_time_in_seconds"] = {"calendar": reply}
        return ticket, metric

    def _zendesk_rating(self, row: dict, *, unoffered: bool = False) -> dict:
        c_idx, agent = row["client_index"], row["agent"]
        rid = self.counters.zendesk_rating
        self.counters.zendesk_rating += 1
        score = "unoffered" if unoffered else _two_point(row)
        comment = row.get("comment") if score in ("good", "bad") else None
        tid = int(row["interaction_id"])
        return {
            "id": rid,
            "url": f"https://{self.client_ids[c_idx].lower()}.zendesk.com/api/v2/satisfaction_ratings/{rid}.json",
            "assignee_id": self.zendesk_user(agent) if agent is not None else None,
            "group_id": self.zendesk_group(c_idx),
            "requester_id": self.ids.number("zendesk-user", row["customer_id"] or f"anon/{tid}", 13),
            "ticket_id": tid,
            "score": score,
            "comment": comment,
            "reason": None,
            "reason_id": None,
            "created_at": _iso(row["sent"]),
            "updated_at": _iso(row["responded"] if score in ("good", "bad") else row["sent"]),
        }  # fmt: skip

    # ------------------------------------------------------------------ Qualtrics

    def _qualtrics_day(self, day: int, c_idx: int, surveys: pl.DataFrame) -> None:
        client = self.world.clients[c_idx]
        zone = client.reporting_timezone
        survey = self.survey_ref(c_idx)
        answered = surveys.filter(pl.col("responded").is_not_null())
        local = answered.with_columns(
            start=_local_text("sent", zone),
            end=_local_text("responded", zone),
        )
        rows = []
        for row in local.iter_rows(named=True):
            rows.append(self._qualtrics_row(row, status="0", finished=True))
        if rows:
            first = local.row(0, named=True)
            rows.append(self._qualtrics_row({**first, "survey_id": first["survey_id"] + "P"},
                                            status="1", finished=True))  # fmt: skip
            last = local.row(local.height - 1, named=True)
            rows.append(self._qualtrics_row({**last, "survey_id": last["survey_id"] + "U"},
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
        writer.writerow([_compact(h[2]) for h in header])
        keys = [h[2]["ImportId"] for h in header]
        for row in rows:
            writer.writerow([row.get(k, "") for k in keys])
        data = buffer.getvalue().encode("utf-8")
        name = f"{survey}/{client.client_name} post-contact survey_{self.world.day(day)}.csv"
        self.land.raw("qualtrics_responses", name, data, len(rows))

    def _qualtrics_row(self, row: dict, *, status: str, finished: bool) -> dict[str, str]:
        c_idx = row["client_index"]
        kind = row["survey_type"]
        value = _numeric_score(kind, row["score"])
        duration = row["responded"] - row["sent"]
        out = {
            "startDate": row["start"],
            "endDate": row["end"],
            "status": status,
            "ipAddress": "" if status == "1" else self._ip(row["survey_id"]),
            "progress": "100" if finished else "45",
            "duration": str(duration),
            "finished": "1" if finished else "0",
            "recordedDate": row["end"],
            "_recordId": "R_" + self.ids.uuid("qualtrics-response", row["survey_id"]).replace("-", "")[:15],
            "distributionChannel": "preview" if status == "1" else "email",
            "userLanguage": "EN",
        }  # fmt: skip
        if row["customer_id"] is not None and status == "0":
            pii = self._person(c_idx, row["customer_id"])
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
            out["agent_id"] = str(self.wf.agent_ids[row["agent"]])
        out["call_id" if row["interaction_type"] == "call" else "ticket_id"] = row["interaction_id"]
        return out

    def _ip(self, key: str) -> str:
        n = self.ids.number("ip", key, 9)
        return f"203.0.{n % 256}.{(n // 256) % 254 + 1}"

    # ------------------------------------------------------------------ mapping sources

    def write_mapping_sources(self) -> None:
        first = self.world.day(0)
        queues, identities, questions = [], [], []
        # Connect queues by name; a name two Connect clients share (their instances
        # differ) by its ARN, the spec's fallback
        names = [
            q
            for c_idx in self.clients_on("calls", AMAZON_CONNECT)
            for q in (*self.world.clients[c_idx].queues, "outbound")
        ]
        shared = {q for q in names if names.count(q) > 1}
        for c_idx, s in enumerate(self.sets):
            client = self.world.clients[c_idx]
            cid = client.client_id
            if s.calls in (AMAZON_CONNECT, GENESYS):
                for queue in (*client.queues, "outbound"):
                    by_name = s.calls == AMAZON_CONNECT and queue not in shared
                    ref = queue if by_name else self.queue_ref(s.calls, c_idx, queue)
                    queues.append((s.calls, ref, cid, None, queue))
            if s.tickets == ZENDESK:
                queues.append((ZENDESK, str(self.zendesk_group(c_idx)), cid, None,
                               f"{client.client_name} Support"))  # fmt: skip
                queues.append((ZENDESK, str(self.zendesk_brand(c_idx)), cid, None,
                               f"{client.client_name} (brand)"))  # fmt: skip
            if s.surveys == QUALTRICS:
                survey = self.survey_ref(c_idx)
                queues.append(
                    (QUALTRICS, survey, cid, None, f"{client.client_name} post-contact survey")
                )
                questions += [(QUALTRICS, survey, qid, kind) for kind, qid in QUESTIONS.items()]
        unknown = max(self.connect_agents) if self.connect_agents else None
        systems = self.systems()
        for agent in range(self.wf.size):
            aid = str(self.wf.agent_ids[agent])
            if AMAZON_CONNECT in systems and agent != unknown:
                identities.append((AMAZON_CONNECT, self.agent_login(agent), aid))
            if GENESYS in systems:
                identities.append((GENESYS, self.genesys_user(agent), aid))
            if ZENDESK in systems:
                identities.append((ZENDESK, str(self.zendesk_user(agent)), aid))
        if queues:
            self.land.csv("queues", f"queues_{first}.csv", _frame(
                ("system", "queue_ref", "client_id", "site_id", "queue_name"), queues))  # fmt: skip
        if identities:
            self.land.csv("agent_identities", f"agent_identities_{first}.csv", _frame(
                ("system", "external_id", "agent_id"), identities))  # fmt: skip
        if questions:
            self.land.csv("survey_questions", f"survey_questions_{first}.csv", _frame(
                ("system", "survey_ref", "question_ref", "survey_type"), questions))  # fmt: skip


def record_ts(record: dict) -> int:
    """Epoch seconds of a Connect record's LastUpdateTimestamp."""
    when = datetime.strptime(record["LastUpdateTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
    return int(when.replace(tzinfo=UTC).timestamp())


def _frame(columns: tuple[str, ...], rows: Iterable[tuple]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema={c: pl.Utf8 for c in columns}, orient="row")


def _local_text(col: str, zone: str) -> pl.Expr:
    """Qualtrics' ``YYYY-MM-DD HH:MM:SS`` wall clock in ``zone``."""
    return (
        pl.from_epoch(pl.col(col), time_unit="s")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(zone)
        .dt.strftime("%Y-%m-%d %H:%M:%S")
    )


def _numeric_score(kind: str, score: str | None) -> int | None:
    """The answer as Qualtrics records it (a label's recode value); None when the canonical
    export broke it (off scale, empty): the respondent left the question."""
    if score is None:
        return None
    text = score.strip().lower()
    if kind == "csat" and text in CSAT_BY_LABEL:
        return CSAT_BY_LABEL[text]
    if not text.isdigit():
        return None
    value = int(text)
    lo, hi = SCALES[kind]
    return value if lo <= value <= hi else None


def _two_point(row: dict) -> str:
    """Zendesk's good / bad for an answered survey, ``offered`` for an invitation."""
    if row["responded"] is None:
        return "offered"
    value = _numeric_score(row["survey_type"], row["score"])
    if value is None:
        return "offered"
    good = {"nps": value >= 7, "csat": value >= 4, "ces": value <= 3}[row["survey_type"]]
    return "good" if good else "bad"
