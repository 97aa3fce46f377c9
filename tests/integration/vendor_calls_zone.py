"""The hand-made landing zones of `test_vendor_calls.py`, as delivered (helpers, not tests).

One small landing zone, written by hand, holds every case: the canonical dimensions, the
mapping sources (queues, agent_identities), Connect contact records as Firehose writes them
(a gzip file, a file of objects back to back with no delimiter, date sub-folders, no
extension) and Genesys job-result pages (`write_vendor_zone`). A second zone holds the same
interactions as canonical calls CSV (`write_canonical_zone`).

The world (dimensions, mapping sources, personal data) is `vendor_calls_world.py`; the
Connect records are built in `vendor_calls_connect.py`, the Genesys conversations in
`vendor_calls_genesys.py`; this module holds the canonical calls and the zone writers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.integration.vendor_calls_connect import CONNECT_FILES
from tests.integration.vendor_calls_genesys import GENESYS_FILES
from tests.integration.vendor_calls_world import (
    AGENT_IDENTITIES,
    CLIENTS,
    QUEUES,
    ROSTER,
    SITES,
    TEAMS,
)

VENDOR_FILES: dict[str, bytes] = {**CONNECT_FILES, **GENESYS_FILES}

# The same interactions as canonical calls: the mapped current version of each record.
CANONICAL_CALLS = [
    ("call_id", "client_id", "direction", "offered_at", "answered_at", "ended_at", "queue",
     "customer_id", "agent_id", "talk_seconds", "hold_seconds", "acw_seconds", "wrap_code"),
    ("K1", "BLU", "inbound", "2026-03-10T14:00:00Z", "2026-03-10T14:00:15Z",
     "2026-03-10T14:06:00Z", "BLU-Sales", "CUST-1", "A1", "300", "45", "60", "sold"),
    ("K2", "BLU", "inbound", "2026-03-10T15:00:00Z", "", "2026-03-10T15:00:40Z",
     "BLU-Sales", "", "", "", "", "", ""),
    ("K3", "BLU", "inbound", "2026-03-10T16:00:00Z", "", "2026-03-10T16:00:03Z",
     "BLU-Sales", "", "", "", "", "", ""),
    ("K4a", "BLU", "inbound", "2026-03-10T17:00:00Z", "2026-03-10T17:00:30Z",
     "2026-03-10T17:02:30Z", "BLU-Sales", "", "A1", "120", "0", "10", "transferred"),
    ("K4b", "BLU", "inbound", "2026-03-10T17:02:30Z", "2026-03-10T17:02:40Z",
     "2026-03-10T17:06:00Z", "Support (renamed)", "", "A2", "200", "20", "30", "fixed"),
    ("K5", "BLU", "inbound", "2026-03-11T03:59:50Z", "2026-03-11T04:00:05Z",
     "2026-03-11T04:02:00Z", "BLU-Sales", "", "temp.agent", "100", "0", "20", ""),
    ("K6", "BLU", "outbound", "2026-03-10T18:00:00Z", "2026-03-10T18:00:10Z",
     "2026-03-10T18:04:20Z", "BLU-Sales", "", "A1", "240", "0", "15", ""),
    ("G1", "GRN", "inbound", "2026-03-10T09:00:00Z", "2026-03-10T09:00:18Z",
     "2026-03-10T09:05:33Z", "Billing", "", "G1", "240", "30", "45", "paid"),
    ("G2", "GRN", "inbound", "2026-03-10T10:00:00Z", "2026-03-10T10:00:25Z",
     "2026-03-10T10:03:45Z", "Billing", "", "G1", "180", "", "20", "info"),
    ("G3", "GRN", "inbound", "2026-03-10T11:00:00Z", "", "2026-03-10T11:01:30Z",
     "Billing", "", "", "", "", "", ""),
    ("G4", "GRN", "inbound", "2026-03-10T22:59:55Z", "2026-03-10T23:00:10Z",
     "2026-03-10T23:01:20Z", "Billing", "", "u-temp", "60", "", "5", "late"),
    ("G8", "GRN", "outbound", "2026-03-10T14:00:00Z", "2026-03-10T14:00:08Z",
     "2026-03-10T14:03:30Z", "Billing", "", "G2", "180", "", "22", "callback"),
]  # fmt: skip

DIMENSION_FILES = {
    "clients/clients.csv": CLIENTS,
    "sites/sites.csv": SITES,
    "teams/teams.csv": TEAMS,
    "agent_roster/agent_roster_2026-03-01.csv": ROSTER,
    "queues/queues.csv": QUEUES,
    "agent_identities/agent_identities.csv": AGENT_IDENTITIES,
}


def _write_csv_files(landing_dir: Path, files: dict[str, list[tuple]]) -> None:
    for relative, rows in files.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def write_vendor_zone(landing_dir: Path) -> None:
    _write_csv_files(landing_dir, DIMENSION_FILES)
    for relative, content in VENDOR_FILES.items():
        path = landing_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# the same queues as canonical calls name them, staffed by the same sites
CANONICAL_QUEUES = [
    *QUEUES,
    ("canonical", "BLU-Sales", "BLU", "CLT", "BLU-Sales"),
    ("canonical", "Support (renamed)", "BLU", "CLT", "Support"),
    ("canonical", "Billing", "GRN", "BER", "Billing"),
]


def write_canonical_zone(landing_dir: Path) -> None:
    _write_csv_files(
        landing_dir,
        {
            **DIMENSION_FILES,
            "queues/queues.csv": CANONICAL_QUEUES,
            "calls/calls_2026-03-10.csv": CANONICAL_CALLS,
        },
    )
