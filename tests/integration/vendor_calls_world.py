"""The world of the hand-made landing zones of `test_vendor_calls.py` (helpers, not tests).

The canonical dimensions, the mapping sources (queues, agent_identities) and the personal
data the hand-made records carry. The Amazon Connect contact records are built in
`vendor_calls_connect.py`, the Genesys Cloud conversations in `vendor_calls_genesys.py`;
`vendor_calls_zone.py` writes the zones.

The world, Tuesday 2026-03-10:

* client ``BLU`` (America/New_York, EDT = UTC-4 since 03-08) runs on Amazon Connect,
  team ``BLU-T`` (agents A1, A2 at site ``CLT``);
* client ``GRN`` (Europe/Berlin, CET = UTC+1) runs on Genesys Cloud, team ``GRN-T``
  (agents G1, G2 at site ``BER``).
"""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2026, 3, 10)

CLIENTS = [
    ("client_id", "client_name", "reporting_timezone", "industry"),
    ("BLU", "Blue Rail", "America/New_York", "travel"),
    ("GRN", "Gruen Energie", "Europe/Berlin", "utilities"),
]
SITES = [
    ("site_id", "site_name", "country_code", "timezone", "sourcing", "location_type"),
    ("CLT", "Charlotte", "US", "America/New_York", "in_house", "onshore"),
    ("BER", "Berlin", "DE", "Europe/Berlin", "outsourced", "nearshore"),
]
TEAMS = [
    ("team_id", "team_name", "site_id", "client_id", "supervisor_name"),
    ("BLU-T", "Blue Charlotte", "CLT", "BLU", "Dana"),
    ("GRN-T", "Gruen Berlin", "BER", "GRN", "Jonas"),
]
ROSTER = [
    ("as_of_date", "agent_id", "team_id", "hire_date", "full_name", "email", "role",
     "termination_date"),
    ("2026-03-01", "A1", "BLU-T", "2025-01-06", "Ann One", "a1@example.com", "agent", ""),
    ("2026-03-01", "A2", "BLU-T", "2025-02-03", "Bob Two", "a2@example.com", "agent", ""),
    ("2026-03-01", "G1", "GRN-T", "2025-03-03", "Gerd Eins", "g1@example.com", "agent", ""),
    ("2026-03-01", "G2", "GRN-T", "2025-04-07", "Gila Zwei", "g2@example.com", "agent", ""),
]  # fmt: skip

QUEUE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/i-1/queue"
AGENT_ARN = "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent"
QUEUES = [
    ("system", "queue_ref", "client_id", "site_id", "queue_name"),
    # Connect: by queue name, or (when the name has no row) by ARN
    ("amazon_connect", "BLU-Sales", "BLU", "CLT", "BLU-Sales"),
    ("amazon_connect", f"{QUEUE_ARN}/q-support", "BLU", "CLT", "Support"),
    # Genesys: by queue id
    ("genesys", "q-grn-billing", "GRN", "BER", "Billing"),
]
AGENT_IDENTITIES = [
    ("system", "external_id", "agent_id"),
    ("amazon_connect", "ann.one", "A1"),
    # bob.two's login has no row: his ARN has
    ("amazon_connect", f"{AGENT_ARN}/agent-b", "A2"),
    ("genesys", "u-g1", "G1"),
    ("genesys", "u-g2", "G2"),
]

# The personal data of the hand-made records: none of it may reach the published warehouse.
PHONE_NUMBERS = ["+15550100001", "+15550100002", "+15550100003", "+4930555000111"]
CUSTOMER_NAME = "Erika Mustermann"
