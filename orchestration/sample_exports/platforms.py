"""Which platform delivers each client's calls, tickets and surveys, and the vendors' ids.

A BPO serves each client on the platforms that client owns. ``mixed`` cycles the platform
sets below over the clients (client 1 on Amazon Connect + Zendesk + Qualtrics, client 2 on
Genesys Cloud with canonical tickets and surveys, client 3 fully canonical, client 4 like
client 1 ...); ``canonical`` delivers every client through the canonical sources.

Vendor ids are derived from the seed and the simulated interaction, so the same arguments
give the same ids (and the same bytes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

CANONICAL = "canonical"
AMAZON_CONNECT = "amazon_connect"
GENESYS = "genesys"
ZENDESK = "zendesk"
QUALTRICS = "qualtrics"

MIXED = "mixed"
PLATFORM_CHOICES = (MIXED, CANONICAL)


@dataclass(frozen=True)
class PlatformSet:
    calls: str  # amazon_connect | genesys | canonical
    tickets: str  # zendesk | canonical
    surveys: str  # qualtrics | canonical (ticket surveys of a Zendesk client: Zendesk ratings)

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(p for p in (self.calls, self.tickets, self.surveys) if p != CANONICAL)


ALL_CANONICAL = PlatformSet(CANONICAL, CANONICAL, CANONICAL)
MIXED_SETS = (
    PlatformSet(AMAZON_CONNECT, ZENDESK, QUALTRICS),
    PlatformSet(GENESYS, CANONICAL, CANONICAL),
    ALL_CANONICAL,
)


def client_platforms(platforms: str, n_clients: int) -> tuple[PlatformSet, ...]:
    """The platform set of each client (by client index)."""
    if platforms == CANONICAL:
        return (ALL_CANONICAL,) * n_clients
    if platforms == MIXED:
        return tuple(MIXED_SETS[i % len(MIXED_SETS)] for i in range(n_clients))
    raise ValueError(f"platforms must be one of {', '.join(PLATFORM_CHOICES)}, got {platforms!r}")


@dataclass(frozen=True)
class VendorIds:
    """Deterministic vendor identifiers (UUIDs, integer ids) from the seed and a name."""

    seed: int

    def _digest(self, kind: str, name: str) -> bytes:
        return hashlib.md5(f"{self.seed}:{kind}:{name}".encode(), usedforsecurity=False).digest()

    def uuid(self, kind: str, name: str) -> str:
        """A version-4-shaped UUID (the digest with the version and variant bits set)."""
        h = self._digest(kind, name).hex()
        variant = "89ab"[int(h[16], 16) & 3]
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"

    def uuids(self, kind: str, name: str, n: int) -> list[str]:
        """``n`` version-4-shaped UUIDs from one digest (the ids of one record's parts)."""
        h = hashlib.shake_128(f"{self.seed}:{kind}:{name}".encode()).hexdigest(16 * n)
        return [
            f"{h[k : k + 8]}-{h[k + 8 : k + 12]}-4{h[k + 13 : k + 16]}-"
            f"{'89ab'[int(h[k + 16], 16) & 3]}{h[k + 17 : k + 20]}-{h[k + 20 : k + 32]}"
            for k in range(0, 32 * n, 32)
        ]

    def number(self, kind: str, name: str, digits: int) -> int:
        """A positive integer of exactly ``digits`` digits (Zendesk-style ids)."""
        value = int.from_bytes(self._digest(kind, name)[:8], "big")
        low = 10 ** (digits - 1)
        return low + value % (9 * low)
