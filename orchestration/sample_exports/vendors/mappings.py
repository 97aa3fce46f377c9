"""The mapping sources: ``queues``, ``agent_identities`` and ``survey_questions``.

Besides the vendors' queues, ``queues`` maps the queues of the clients whose calls are
canonical (system ``canonical``, queue_ref = the call's ``queue``) to their client and the
site that staffs them (:func:`~..world.staffing_site`). One of them, the first such client's
last inbound queue, deliberately has no site. A queue name two such clients share (every
client's ``outbound``) cannot be told apart by the key (system, queue_ref): it gets no row.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from orchestration.sample_exports.facts import OUTBOUND_QUEUE
from orchestration.sample_exports.platforms import (
    AMAZON_CONNECT,
    CANONICAL,
    GENESYS,
    QUALTRICS,
    ZENDESK,
)
from orchestration.sample_exports.vendors.common import VendorState
from orchestration.sample_exports.vendors.qualtrics import QUESTIONS
from orchestration.sample_exports.world import staffing_site


def write_mapping_sources(state: VendorState) -> None:
    """The queues, agent identities and survey questions, one file each named for day 0."""
    first = state.world.day(0)
    queues, identities, questions = [], [], []
    # Connect queues by name; a name two Connect clients share (their instances
    # differ) by its ARN, the spec's fallback
    shared = _shared_queue_names(state, AMAZON_CONNECT)
    for c_idx, s in enumerate(state.sets):
        client = state.world.clients[c_idx]
        cid = client.client_id
        if s.calls in (AMAZON_CONNECT, GENESYS):
            for queue in _call_queues(state, c_idx):
                by_name = s.calls == AMAZON_CONNECT and queue not in shared
                ref = queue if by_name else state.queue_ref(s.calls, c_idx, queue)
                queues.append((s.calls, ref, cid, None, queue))
        if s.calls == CANONICAL:
            queues += _canonical_queues(state, c_idx)
        if s.tickets == ZENDESK:
            queues.append((ZENDESK, str(state.zendesk_group(c_idx)), cid, None,
                           f"{client.client_name} Support"))  # fmt: skip
            queues.append((ZENDESK, str(state.zendesk_brand(c_idx)), cid, None,
                           f"{client.client_name} (brand)"))  # fmt: skip
        if s.surveys == QUALTRICS:
            survey = state.survey_ref(c_idx)
            queues.append(
                (QUALTRICS, survey, cid, None, f"{client.client_name} post-contact survey")
            )
            questions += [(QUALTRICS, survey, qid, kind) for kind, qid in QUESTIONS.items()]
    unknown = max(state.connect_agents) if state.connect_agents else None
    systems = state.systems()
    for agent in range(state.wf.size):
        aid = str(state.wf.agent_ids[agent])
        if AMAZON_CONNECT in systems and agent != unknown:
            identities.append((AMAZON_CONNECT, state.agent_login(agent), aid))
        if GENESYS in systems:
            identities.append((GENESYS, state.genesys_user(agent), aid))
        if ZENDESK in systems:
            identities.append((ZENDESK, str(state.zendesk_user(agent)), aid))
    if queues:
        state.land.csv("queues", f"queues_{first}.csv", _frame(
            ("system", "queue_ref", "client_id", "site_id", "queue_name"), queues))  # fmt: skip
    if identities:
        state.land.csv("agent_identities", f"agent_identities_{first}.csv", _frame(
            ("system", "external_id", "agent_id"), identities))  # fmt: skip
    if questions:
        state.land.csv("survey_questions", f"survey_questions_{first}.csv", _frame(
            ("system", "survey_ref", "question_ref", "survey_type"), questions))  # fmt: skip


def _call_queues(state: VendorState, c_idx: int) -> tuple[str, ...]:
    """The queues a client's calls are offered to: its inbound queues, then outbound."""
    return (*state.world.clients[c_idx].queues, OUTBOUND_QUEUE)


def _shared_queue_names(state: VendorState, platform: str) -> set[str]:
    """Queue names of more than one client whose calls are on ``platform``."""
    names = [q for c_idx in state.clients_on("calls", platform) for q in _call_queues(state, c_idx)]
    return {q for q in names if names.count(q) > 1}


def _canonical_queues(state: VendorState, c_idx: int) -> list[tuple]:
    """The ``canonical`` rows of a client whose calls are canonical: each queue with the
    client and the site that staffs it; the first such client's last inbound queue without."""
    client = state.world.clients[c_idx]
    siteless = (state.clients_on("calls", CANONICAL)[0], client.queues[-1])
    shared = _shared_queue_names(state, CANONICAL)
    rows = []
    for k, queue in enumerate(_call_queues(state, c_idx)):
        if queue in shared:
            continue
        staffed = (c_idx, queue) != siteless
        site = staffing_site(state.world, c_idx, k).site_id if staffed else None
        rows.append((CANONICAL, queue, client.client_id, site, queue))
    return rows


def _frame(columns: tuple[str, ...], rows: Iterable[tuple]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema={c: pl.Utf8 for c in columns}, orient="row")
