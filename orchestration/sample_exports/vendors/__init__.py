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

One module per platform (:mod:`.connect`, :mod:`.genesys`, :mod:`.zendesk`,
:mod:`.qualtrics`) and :mod:`.mappings`; each writer is a function of the shared
:class:`~.common.VendorState`.

Times are int64 epoch seconds (UTC) as in :mod:`.facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from orchestration.sample_exports.customers import CustomerBase
from orchestration.sample_exports.platforms import (
    AMAZON_CONNECT,
    CANONICAL,
    GENESYS,
    QUALTRICS,
    ZENDESK,
    PlatformSet,
    VendorIds,
)
from orchestration.sample_exports.vendors import connect, genesys, mappings, qualtrics, zendesk
from orchestration.sample_exports.vendors.common import VendorState
from orchestration.sample_exports.workforce import Workforce
from orchestration.sample_exports.world import World

if TYPE_CHECKING:
    from orchestration.sample_exports.generator import _Landing

__all__ = ["VendorExports", "VendorState"]


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
        self.state = VendorState(land, world, wf, customers, sets, ids)

    def vendor_clients(self, channel: str) -> list[str]:
        """Client ids whose ``channel`` (calls, tickets, surveys) is delivered by a vendor."""
        return [
            self.state.client_ids[i]
            for i, s in enumerate(self.state.sets)
            if getattr(s, channel) != CANONICAL
        ]

    def ticket_surveys_on_zendesk(self) -> list[str]:
        return [self.state.client_ids[i] for i in self.state.clients_on("tickets", ZENDESK)]

    def call_ids(self, calls: pl.DataFrame) -> pl.Series:
        """The call id as the client's platform writes it: a UUID on Connect and Genesys."""
        vendor = {i for i, s in enumerate(self.state.sets) if s.calls != CANONICAL}
        out = [
            self.state.ids.uuid("call", cid) if c in vendor else cid
            for cid, c in zip(calls["call_id"], calls["client_index"], strict=True)
        ]
        return pl.Series("call_id", out, dtype=pl.Utf8)

    def ticket_ids(self, tickets: pl.DataFrame) -> pl.Series:
        """Zendesk's running ticket number for the tickets of Zendesk clients."""
        on_zendesk = set(self.state.clients_on("tickets", ZENDESK))
        out = []
        for tid, c in zip(tickets["ticket_id"], tickets["client_index"], strict=True):
            if c in on_zendesk:
                out.append(str(self.state.counters.zendesk_ticket))
                self.state.counters.zendesk_ticket += 1
            else:
                out.append(tid)
        return pl.Series("ticket_id", out, dtype=pl.Utf8)

    def write_day(
        self, day: int, calls: pl.DataFrame, tickets: pl.DataFrame, surveys: pl.DataFrame
    ) -> None:
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence([self.state.ids.seed, 99, day]))
        )
        connect_calls = calls.filter(
            pl.col("client_index").is_in(self.state.clients_on("calls", AMAZON_CONNECT))
        )
        if connect_calls.height:
            connect.write_day(self.state, day, connect_calls, rng)
        genesys_calls = calls.filter(
            pl.col("client_index").is_in(self.state.clients_on("calls", GENESYS))
        )
        if genesys_calls.height:
            genesys.write_day(self.state, day, genesys_calls, rng)
        zendesk_clients = self.state.clients_on("tickets", ZENDESK)
        zendesk_tickets = tickets.filter(pl.col("client_index").is_in(zendesk_clients))
        ratings = surveys.filter(
            pl.col("client_index").is_in(zendesk_clients) & (pl.col("interaction_type") == "ticket")
        )
        if zendesk_tickets.height:
            zendesk.write_day(self.state, day, zendesk_tickets, ratings, rng)
        qualtrics_surveys = surveys.filter(
            pl.col("client_index").is_in(self.state.clients_on("surveys", QUALTRICS))
            & ~(
                pl.col("client_index").is_in(zendesk_clients)
                & (pl.col("interaction_type") == "ticket")
            )
        )
        for c_idx in self.state.clients_on("surveys", QUALTRICS):
            mine = qualtrics_surveys.filter(pl.col("client_index") == c_idx)
            if mine.height:
                qualtrics.write_day(self.state, day, c_idx, mine)

    def write_mapping_sources(self) -> None:
        mappings.write_mapping_sources(self.state)
