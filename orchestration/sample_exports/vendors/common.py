"""What the vendor writers share: the landing, the world, the vendors' ids, the running
numbers, and how the vendors write times and scores."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from orchestration.sample_exports.customers import CustomerBase
from orchestration.sample_exports.platforms import AMAZON_CONNECT, PlatformSet, VendorIds
from orchestration.sample_exports.workforce import Workforce
from orchestration.sample_exports.world import World

if TYPE_CHECKING:
    from orchestration.sample_exports.generator import _Landing

AWS_ACCOUNT = "123456789012"
AWS_REGION = "us-east-1"
CSAT_BY_LABEL = {
    "very unsatisfied": 1,
    "unsatisfied": 2,
    "not satisfied": 2,
    "neutral": 3,
    "satisfied": 4,
    "very satisfied": 5,
}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 5)}


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@functools.lru_cache(maxsize=4096)
def _hour_prefix(hour: int) -> str:
    """``2026-01-05T14:`` of an epoch hour."""
    return datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y-%m-%dT%H:")


def iso_ms(seconds: int | None) -> str | None:
    return iso(seconds, ms=True)


def iso(seconds: int | None, *, ms: bool = False) -> str | None:
    """``2026-01-05T14:03:22Z`` (``.000Z`` with ``ms``: Genesys writes milliseconds)."""
    if seconds is None:
        return None
    hour, rest = divmod(seconds, 3600)
    minute, secs = divmod(rest, 60)
    return f"{_hour_prefix(hour)}{minute:02d}:{secs:02d}" + (".000Z" if ms else "Z")


def _phone(text: str | None) -> str | None:
    return None if text is None else text.replace(" ", "")


@dataclass
class Counters:
    """Zendesk's running ticket and rating numbers."""

    zendesk_ticket: int = 40001
    zendesk_rating: int = 9_000_001


class VendorState:
    """The state every vendor writer reads: who is where, the vendors' ids of the world's
    clients, agents and customers, and the running numbers."""

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
        self.counters = Counters()
        self.connect_agents: set[int] = set()  # the agents seen on Connect
        self.client_ids = [c.client_id for c in world.clients]

    def clients_on(self, channel: str, platform: str) -> list[int]:
        return [i for i, s in enumerate(self.sets) if getattr(s, channel) == platform]

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

    @functools.cache  # noqa: B019 (one writer per generation)
    def pii(self, c_idx: int) -> dict[str, list[str]]:
        """The client's customers' personal data as lists (row i: customer number i + 1)."""
        return self.customers[c_idx].pii.to_dict(as_series=False)

    def person(self, c_idx: int, customer_id: str) -> dict[str, str]:
        row = int(customer_id.rsplit("-", 1)[1]) - 1
        pii = self.pii(c_idx)
        return {k: pii[k][row] for k in ("full_name", "email", "phone")}

    def customer_phone(self, c_idx: int, customer_id: str | None, key: str) -> str:
        if customer_id is not None:
            row = int(customer_id.rsplit("-", 1)[1]) - 1
            return _phone(self.pii(c_idx)["phone"][row])
        return f"+1555{self.ids.number('phone', key, 7)}"


def numeric_score(kind: str, score: str | None) -> int | None:
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
