"""Every KPI of the catalogue, exact, from a small hand-made landing zone through `cxw run`.

The landing zone (the world: clients, sites, teams, agents, calls, tickets, surveys,
customers, employee surveys of March 2026) is written by hand in
tests/integration/hand_made_world.py; every expected value is computed by hand from it (the
arithmetic is in the comment beside it) and read back from `marts.kpi_metrics` in the
PUBLISHED warehouse, i.e. what BI reads.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.conftest import Deployment
from tests.integration.hand_made_world import MARCH, D


@pytest.fixture(scope="module")
def kpis(hand_made_build: Deployment) -> dict[tuple, dict]:
    """Every row of the PUBLISHED kpi_metrics, by (grain, period_start, level, entity, metric)."""
    columns = (
        "period_grain", "period_start", "level", "entity_id", "metric", "value", "numerator",
        "denominator", "sample_size", "ci_low", "ci_high", "suppressed",
    )  # fmt: skip
    rows = hand_made_build.published(f"select {', '.join(columns)} from marts.kpi_metrics")
    by_key = {row[:5]: dict(zip(columns, row, strict=True)) for row in rows}
    assert len(by_key) == len(rows), "kpi_metrics has one row per key"
    return by_key


def kpi(kpis, grain: str, start: dt.date, level: str, entity: str, metric: str) -> dict:
    key = (grain, start, level, entity, metric)
    assert key in kpis, f"no kpi_metrics row {key}"
    return kpis[key]


def approx_or_none(expected: float | None):
    return None if expected is None else pytest.approx(expected, rel=1e-9, abs=1e-9)


# (grain, period_start, level, entity_id, metric, value, numerator, denominator, sample_size)
EXPECTED = [
    # --- calls (NWA: C01..C08 minus the outbound C06 = 7 inbound; SKR: C09) -----------
    # NWA offered per local day: 03-07 C01 (03-08 in UTC); 03-09: C02 C04 C05 C07 C08
    ("day", D(2026, 3, 7), "client", "NWA", "calls_offered", 1, None, None, 1),
    ("day", D(2026, 3, 9), "client", "NWA", "calls_offered", 5, None, None, 5),
    ("day", D(2026, 3, 16), "client", "NWA", "calls_offered", 1, None, None, 1),
    # ISO week of Mon 03-02 holds Sat 03-07 (C01); the week of Mon 03-09 holds C02 (which
    # a fixed UTC-5 would put on Sun 03-08 23:30) and the other 03-09 calls
    ("week", D(2026, 3, 2), "client", "NWA", "calls_offered", 1, None, None, 1),
    ("week", D(2026, 3, 9), "client", "NWA", "calls_offered", 5, None, None, 5),
    ("month", MARCH, "client", "NWA", "calls_offered", 7, None, None, 7),
    # SKR: C09 at 15:30 UTC on 03-10 is 00:30 on 03-11 in Tokyo; C10 rejected
    ("day", D(2026, 3, 11), "client", "SKR", "calls_offered", 1, None, None, 1),
    ("month", MARCH, "all", "all", "calls_offered", 8, None, None, 8),
    # handled = answered by an agent: NWA C01 C02 C03 C08 (C07 has no agent)
    ("month", MARCH, "client", "NWA", "calls_handled", 4, None, None, 4),
    ("month", MARCH, "all", "all", "calls_handled", 5, None, None, 5),
    ("day", D(2026, 3, 9), "client", "NWA", "calls_handled", 2, None, None, 2),
    # point in time: A2's C02 (03-09) counts for NWA-CLT, C03 (03-16) for NWA-MNL
    ("month", MARCH, "agent", "A2", "calls_handled", 2, None, None, 2),
    ("day", D(2026, 3, 9), "team", "NWA-CLT", "calls_handled", 2, None, None, 2),  # C02 C08
    ("month", MARCH, "team", "NWA-CLT", "calls_handled", 3, None, None, 3),  # C01 C02 C08
    ("month", MARCH, "team", "NWA-MNL", "calls_handled", 1, None, None, 1),  # C03
    ("month", MARCH, "site", "CLT", "calls_handled", 3, None, None, 3),  # NWA-CLT
    ("month", MARCH, "site", "MNL", "calls_handled", 2, None, None, 2),  # C03 + SKR's C09
    # abandoned: C04 (5 s), C05 (60 s)
    ("month", MARCH, "client", "NWA", "calls_abandoned", 2, None, None, 2),
    # a day with an offered call but no abandon keeps its row: the count 0
    ("day", D(2026, 3, 7), "client", "NWA", "calls_abandoned", 0, None, None, 0),
    ("month", MARCH, "all", "all", "calls_abandoned", 2, None, None, 2),
    # 100 * 2 abandoned / 7 offered
    ("month", MARCH, "client", "NWA", "abandon_rate_pct", 100 * 2 / 7, 2, 7, 7),
    # 03-09: 100 * 2 / 5
    ("day", D(2026, 3, 9), "client", "NWA", "abandon_rate_pct", 40.0, 2, 5, 5),
    # 100 * 0 / 1 (SKR's C09 answered)
    ("month", MARCH, "client", "SKR", "abandon_rate_pct", 0.0, 0, 1, 1),
    # NWA: within 20 s: C01 (10 s), C03 (15 s), C08 (12 s); not C02 (30 s) nor C07 (no
    # agent); 1 short abandon (C04, exactly 5 s) removed: 100 * 3 / (7 - 1)
    ("month", MARCH, "client", "NWA", "service_level_pct", 50.0, 3, 6, 6),
    # 03-09: C08 only of C02 C04 C05 C07 C08, C04 removed: 100 * 1 / (5 - 1)
    ("day", D(2026, 3, 9), "client", "NWA", "service_level_pct", 25.0, 1, 4, 4),
    # SKR: C09 answered after exactly 20 s is within: 100 * 1 / 1
    ("month", MARCH, "client", "SKR", "service_level_pct", 100.0, 1, 1, 1),
    # all: 100 * (3 + 1) / (8 - 1)
    ("month", MARCH, "all", "all", "service_level_pct", 100 * 4 / 7, 4, 7, 7),
    # AHT over handled inbound calls, talk + hold + acw (missing = 0), outbound C06 out:
    # C01 300+30+60=390, C02 200+0+40=240, C03 400+20+80=500, C08 250+0+50=300
    ("month", MARCH, "client", "NWA", "aht_seconds", 1430 / 4, 1430, 4, 4),
    # + C09 120+0+30=150: (1430 + 150) / 5
    ("month", MARCH, "all", "all", "aht_seconds", 316.0, 1580, 5, 5),
    # NWA-CLT (point in time): C01 390 + C02 240 + C08 300 = 930 / 3
    ("month", MARCH, "team", "NWA-CLT", "aht_seconds", 310.0, 930, 3, 3),
    ("month", MARCH, "agent", "A2", "aht_seconds", 370.0, 740, 2, 2),  # (240 + 500) / 2
    ("month", MARCH, "site", "MNL", "aht_seconds", 325.0, 650, 2, 2),  # (500 + 150) / 2
    # ASA, the wait of the handled calls: C01 10, C02 30, C03 15, C08 12 (C07 has no agent)
    ("month", MARCH, "client", "NWA", "asa_seconds", 16.75, 67, 4, 4),  # 67 / 4
    ("month", MARCH, "all", "all", "asa_seconds", 17.4, 87, 5, 5),  # + C09 20: 87 / 5
    # --- queues: sales (CLT) C01 C02 C08; care (MNL) C03 C04; billing (SKR's row: no
    # site) C05; mobile (no site) C09; C07 has no queue --------------------------------
    ("month", MARCH, "queue", "sales", "calls_offered", 3, None, None, 3),
    ("month", MARCH, "queue", "sales", "calls_handled", 3, None, None, 3),
    ("month", MARCH, "queue", "sales", "service_level_pct", 100 * 2 / 3, 2, 3, 3),  # C01 C08
    ("month", MARCH, "queue", "sales", "aht_seconds", 310.0, 930, 3, 3),  # 390 + 240 + 300
    ("month", MARCH, "queue", "sales", "asa_seconds", 52 / 3, 52, 3, 3),  # 10 + 30 + 12
    # C04 is a short abandon: offered and abandoned, out of the service level's base
    ("month", MARCH, "queue", "care", "abandon_rate_pct", 50.0, 1, 2, 2),
    ("month", MARCH, "queue", "care", "service_level_pct", 100.0, 1, 1, 1),
    ("month", MARCH, "queue", "billing", "calls_abandoned", 1, None, None, 1),
    ("month", MARCH, "queue", "billing", "service_level_pct", 0.0, 0, 1, 1),
    ("month", MARCH, "queue", "billing", "asa_seconds", None, 0, 0, 0),  # nothing handled
    ("day", D(2026, 3, 11), "queue", "mobile", "asa_seconds", 20.0, 20, 1, 1),
    # --- sites through their queues: offered, abandoned, service level, ASA -------------
    ("month", MARCH, "site", "CLT", "calls_offered", 3, None, None, 3),  # sales
    ("month", MARCH, "site", "MNL", "calls_offered", 2, None, None, 2),  # care, not C05/C09
    ("month", MARCH, "site", "MNL", "abandon_rate_pct", 50.0, 1, 2, 2),  # C04 of C03 C04
    ("month", MARCH, "site", "CLT", "service_level_pct", 100 * 2 / 3, 2, 3, 3),
    ("month", MARCH, "site", "MNL", "asa_seconds", 15.0, 15, 1, 1),  # C03
    # --- sourcing and location type: CLT in_house onshore, MNL outsourced offshore ------
    ("month", MARCH, "sourcing", "in_house", "calls_offered", 3, None, None, 3),
    ("month", MARCH, "sourcing", "in_house", "asa_seconds", 52 / 3, 52, 3, 3),
    ("month", MARCH, "sourcing", "outsourced", "service_level_pct", 100.0, 1, 1, 1),
    # handled by the agents' site: C03 (A2 at MNL on 03-16) and C09 (A4): (500 + 150) / 2
    ("month", MARCH, "sourcing", "outsourced", "calls_handled", 2, None, None, 2),
    ("month", MARCH, "sourcing", "outsourced", "aht_seconds", 325.0, 650, 2, 2),
    ("month", MARCH, "location_type", "onshore", "calls_handled", 3, None, None, 3),
    ("month", MARCH, "location_type", "offshore", "abandon_rate_pct", 50.0, 1, 2, 2),
    # NPS by the agents' site: CLT = A1's N1..N4; MNL = N5 (A2) N6 (A3), both promoters,
    # and SKR's 15 by A4 (6 P, 4 D): 100 * (2 + 6 - 4) / (2 + 15)
    ("month", MARCH, "sourcing", "in_house", "nps", 25.0, 1, 4, 4),
    ("month", MARCH, "location_type", "offshore", "nps", 100 * 4 / 17, 4, 17, 17),
    # --- outbound: A1's C06 (talk 500) and C12 (nobody answered: talk 0) ----------------
    ("month", MARCH, "agent", "A1", "calls_outbound", 2, None, None, 2),
    ("month", MARCH, "agent", "A1", "outbound_talk_seconds", 250.0, 500, 2, 2),
    ("day", D(2026, 3, 9), "sourcing", "in_house", "calls_outbound", 2, None, None, 2),
    ("month", MARCH, "all", "all", "outbound_talk_seconds", 250.0, 500, 2, 2),
    # --- tickets -----------------------------------------------------------------------
    # NWA T1..T6 (T4 replied before creation and T5 unanswered still count)
    ("month", MARCH, "client", "NWA", "tickets_created", 6, None, None, 6),
    ("month", MARCH, "all", "all", "tickets_created", 7, None, None, 7),
    ("month", MARCH, "agent", "A1", "tickets_created", 3, None, None, 3),  # T1 T2 T5
    ("month", MARCH, "team", "NWA-MNL", "tickets_created", 2, None, None, 2),  # T3 T4 (A3)
    # T7 at 16:00 UTC on 03-11 is 01:00 on 03-12 in Tokyo
    ("day", D(2026, 3, 12), "client", "SKR", "tickets_created", 1, None, None, 1),
    # FRT minutes, valid first responses only: T1 4, T2 300, T3 10, T6 60 (T4 invalid)
    ("month", MARCH, "client", "NWA", "frt_avg_minutes", 93.5, 374, 4, 4),  # 374 / 4
    # + T7 6: 380 / 5
    ("month", MARCH, "all", "all", "frt_avg_minutes", 76.0, 380, 5, 5),
    ("month", MARCH, "agent", "A3", "frt_avg_minutes", 10.0, 10, 1, 1),  # T3 only, not T4
    ("month", MARCH, "agent", "A1", "frt_avg_minutes", 152.0, 304, 2, 2),  # (4 + 300) / 2
    # median of 4, 10, 60, 300: (10 + 60) / 2
    ("month", MARCH, "client", "NWA", "frt_median_minutes", 35.0, None, None, 4),
    # median of 4, 6, 10, 60, 300
    ("month", MARCH, "all", "all", "frt_median_minutes", 10.0, None, None, 5),
    ("month", MARCH, "agent", "A1", "frt_median_minutes", 152.0, None, None, 2),
    # within target: T1 (4 <= 5 chat), T3 (10 <= 15 messaging), T6 (60 <= 240 email); not
    # T2 (300 > 240 email): 100 * 3 / 4
    ("month", MARCH, "client", "NWA", "frt_within_target_pct", 75.0, 3, 4, 4),
    # T7 6 > 5 chat: 100 * 3 / 5
    ("month", MARCH, "all", "all", "frt_within_target_pct", 60.0, 3, 5, 5),
    ("month", MARCH, "client", "SKR", "frt_within_target_pct", 0.0, 0, 1, 1),
    # --- customer surveys --------------------------------------------------------------
    # NWA NPS answered 03-17 (EDT): N1 10 P, N2 9 P, N3 8, N4 3 D, N5 10 P, N6 9 P (the
    # correction file wins over 6), N7 '11' invalid, N8 unanswered: 100 * (4 - 1) / 6
    ("month", MARCH, "client", "NWA", "nps", 50.0, 3, 6, 6),
    ("day", D(2026, 3, 17), "client", "NWA", "nps", 50.0, 3, 6, 6),
    # A1: N1..N4: 100 * (2 - 1) / 4
    ("month", MARCH, "agent", "A1", "nps", 25.0, 1, 4, 4),
    # N5 credited through call C03 to A2, on 03-17 in NWA-MNL: 100 * (1 - 0) / 1
    ("month", MARCH, "agent", "A2", "nps", 100.0, 1, 1, 1),
    # NWA-MNL: N5 (A2 since 03-15) + N6 (A3), both promoters: 100 * 2 / 2
    ("month", MARCH, "team", "NWA-MNL", "nps", 100.0, 2, 2, 2),
    ("month", MARCH, "team", "NWA-CLT", "nps", 25.0, 1, 4, 4),  # N1..N4 (A1 only)
    # SKR (answered 03-11 in Tokyo): 6 P, 4 D of 15: 100 * (6 - 4) / 15
    ("day", D(2026, 3, 11), "client", "SKR", "nps", 100 * 2 / 15, 2, 15, 15),
    # all: 100 * ((4 + 6) - (1 + 4)) / (6 + 15)
    ("month", MARCH, "all", "all", "nps", 100 * 5 / 21, 5, 21, 21),
    # CSAT, labels mapped: S1 5, S2 4, S3 2, S4 3, S5 1: 2 of 5 score 4 or 5
    ("month", MARCH, "client", "NWA", "csat_pct", 40.0, 2, 5, 5),
    ("month", MARCH, "agent", "A1", "csat_pct", 100 * 2 / 3, 2, 3, 3),  # S1 S2 of S1..S3
    # A2's S4 S5, answered 03-17 when A2 is in NWA-MNL
    ("month", MARCH, "team", "NWA-MNL", "csat_pct", 0.0, 0, 2, 2),
    ("month", MARCH, "client", "NWA", "csat_avg", 3.0, 15, 5, 5),  # (5+4+2+3+1) / 5
    ("month", MARCH, "agent", "A1", "csat_avg", 11 / 3, 11, 3, 3),  # (5+4+2) / 3
    # CES: NWA E1 2, E2 empty (invalid), E3 4
    ("month", MARCH, "client", "NWA", "ces_avg", 3.0, 6, 2, 2),  # (2 + 4) / 2
    ("month", MARCH, "client", "SKR", "ces_avg", 2.3, 46, 20, 20),  # (8+8+12+8+10) / 20
    ("month", MARCH, "all", "all", "ces_avg", 52 / 22, 52, 22, 22),  # (6 + 46) / (2 + 20)
    ("month", MARCH, "client", "NWA", "ces_low_effort_pct", 50.0, 1, 2, 2),  # E1 of E1 E3
    ("month", MARCH, "client", "SKR", "ces_low_effort_pct", 60.0, 12, 20, 20),  # 8x1 + 4x2
    ("month", MARCH, "all", "all", "ces_low_effort_pct", 100 * 13 / 22, 13, 22, 22),
    # response rate on the SENT date: NWA 16 invitations (N1..N8, S1..S5, E1..E3), validly
    # answered 13 (not N7 '11', N8 unanswered, E2 empty): 100 * 13 / 16
    ("month", MARCH, "client", "NWA", "survey_response_rate_pct", 81.25, 13, 16, 16),
    # A3: N6, N7 (invalid), N8 (unanswered), E3: 100 * 2 / 4
    ("month", MARCH, "agent", "A3", "survey_response_rate_pct", 50.0, 2, 4, 4),
    # sent 03-14, A2 still in NWA-CLT: A1 N1..N4 S1..S3 E1 E2 (8 of 9 valid) + A2 N5 S4 S5
    # (3 of 3): 100 * 11 / 12
    ("month", MARCH, "team", "NWA-CLT", "survey_response_rate_pct", 100 * 11 / 12, 11, 12, 12),
    ("month", MARCH, "team", "NWA-MNL", "survey_response_rate_pct", 50.0, 2, 4, 4),  # A3
    # SKR: sent 23:59 on 03-10 in Tokyo, 35 invitations all validly answered
    ("day", D(2026, 3, 10), "client", "SKR", "survey_response_rate_pct", 100.0, 35, 35, 35),
    ("month", MARCH, "all", "all", "survey_response_rate_pct", 100 * 48 / 51, 48, 51, 51),
    # --- customers (March: active on 02-28 = S, on 03-31 = E, signed up in March = N) ---
    # NWA: S = K1 (signed up 02-28), K2, K3; K6 churned 02-28 is not active on 02-28.
    # E = K1, K3, K4, K5 (K2 churned 03-31 is not active on 03-31). N = K4, K5.
    # 100 * (4 - 2) / 3
    ("month", MARCH, "client", "NWA", "customer_retention_pct", 100 * 2 / 3, 2, 3, 3),
    # SKR: S = Q1, E = Q1 Q2, N = Q2: 100 * (2 - 1) / 1
    ("month", MARCH, "client", "SKR", "customer_retention_pct", 100.0, 1, 1, 1),
    # all sums S, E, N over clients: 100 * ((4 + 2) - (2 + 1)) / (3 + 1)
    ("month", MARCH, "all", "all", "customer_retention_pct", 75.0, 3, 4, 4),
    # NWA February: S (01-31) = K2 K3, E (02-28) = K1 K2 K3, N = K1 K6: 100 * (3 - 2) / 2
    ("month", D(2026, 2, 1), "client", "NWA", "customer_retention_pct", 50.0, 1, 2, 2),
    # NWA January: S = 0 (nobody active on 12-31): value NULL; E = K2 K3, N = K2 K3
    ("month", D(2026, 1, 1), "client", "NWA", "customer_retention_pct", None, 0, 0, 0),
    # referrals: NWA new K4 (by K1, NWA's) and K5 (by Q1, SKR's: not a referral): 100 * 1 / 2
    ("month", MARCH, "client", "NWA", "referral_rate_pct", 50.0, 1, 2, 2),
    ("month", MARCH, "client", "SKR", "referral_rate_pct", 100.0, 1, 1, 1),  # Q2 by Q1
    ("month", MARCH, "all", "all", "referral_rate_pct", 100 * 2 / 3, 2, 3, 3),
    # --- employee surveys (03-15): NWA-CLT 4 responses, NWA-MNL 5; month grain only -----
    # (both teams and both sites are hidden: test_employee_groups_hidden_against_subtraction)
    # NWA-MNL esat 5 5 4 2 1 (3 satisfied), enps 10 9 9 7 3 (3 P, 1 D); NWA-CLT esat
    # 5 4 3 2 (2 satisfied), enps 10 9 6 7 (2 P, 1 D):
    # esat 100 * (3 + 2) / 9, enps 100 * ((3 + 2) - (1 + 1)) / 9
    ("month", MARCH, "client", "NWA", "esat_pct", 100 * 5 / 9, 5, 9, 9),
    ("month", MARCH, "client", "NWA", "enps", 100 * 3 / 9, 3, 9, 9),
    ("month", MARCH, "all", "all", "enps", 100 * 3 / 9, 3, 9, 9),
]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("grain", "start", "level", "entity", "metric", "value", "numerator", "denominator", "n"),
    EXPECTED,
    ids=[f"{e[4]}-{e[2]}-{e[3]}-{e[0]}-{e[1]}" for e in EXPECTED],
)
def test_kpi_value(kpis, grain, start, level, entity, metric, value, numerator, denominator, n):
    row = kpi(kpis, grain, start, level, entity, metric)
    assert row["value"] == approx_or_none(value)
    assert row["numerator"] == approx_or_none(numerator)
    assert row["denominator"] == approx_or_none(denominator)
    assert row["sample_size"] == n
    assert row["suppressed"] is False


@pytest.mark.integration
def test_every_metric_of_the_catalogue_is_checked(kpis):
    published_metrics = {key[4] for key in kpis}
    assert len(published_metrics) == 23
    assert {e[4] for e in EXPECTED} == published_metrics


@pytest.mark.integration
def test_report_dates_follow_the_clients_zone_across_dst_and_midnight(kpis):
    nwa_call_days = {
        key[1]: row["value"]
        for key, row in kpis.items()
        if key[0] == "day" and key[2:] == ("client", "NWA", "calls_offered")
    }
    # nothing on Sun 03-08: C01 (03-08 04:30 UTC) is Sat 23:30 EST, C02 (03-09 04:30 UTC)
    # is Mon 00:30 EDT
    assert nwa_call_days == {D(2026, 3, 7): 1, D(2026, 3, 9): 5, D(2026, 3, 16): 1}
    skr_days = {
        (key[4], key[1])
        for key in kpis
        if key[0] == "day" and key[2:4] == ("client", "SKR")
        and key[4] in ("calls_offered", "tickets_created", "nps", "survey_response_rate_pct")
    }  # fmt: skip
    assert skr_days == {
        ("calls_offered", D(2026, 3, 11)),  # C09 03-10 15:30 UTC
        ("tickets_created", D(2026, 3, 12)),  # T7 03-11 16:00 UTC
        ("nps", D(2026, 3, 11)),  # answered 03-10 15:30 UTC
        ("survey_response_rate_pct", D(2026, 3, 10)),  # sent 03-10 14:59 UTC
    }


@pytest.mark.integration
def test_outbound_and_agentless_facts_are_credited_where_the_spec_says(kpis):
    # the outbound C06 by A1 is in no call metric: A1 handled C01 and C08 only
    assert kpi(kpis, "month", MARCH, "agent", "A1", "calls_handled")["value"] == 2
    # the agentless C07 and T6 reach client and all levels only: the teams' handled calls
    # and created tickets add up to less than the client's
    teams = ("NWA-CLT", "NWA-MNL")
    team_tickets = sum(
        kpi(kpis, "month", MARCH, "team", t, "tickets_created")["value"] for t in teams
    )
    assert team_tickets == 5  # T1 T2 T5 (A1) + T3 T4 (A3); the client has 6
    # offered calls reach queue, site, sourcing and location type through the call's queue
    # only: never agent or team
    assert {key[2] for key in kpis if key[4] == "calls_offered"} == {
        "queue", "site", "sourcing", "location_type", "client", "all"
    }  # fmt: skip
    # the queueless C07 and the siteless queues (mobile; billing, SKR's queue under NWA's
    # C05) count for their client but no site: the sites' offered calls add up to 5 of 8
    site_offered = sum(
        kpi(kpis, "month", MARCH, "site", site, "calls_offered")["value"] for site in ("CLT", "MNL")
    )
    assert site_offered == 5
    assert {key[3] for key in kpis if key[2] == "queue"} == {"sales", "care", "billing", "mobile"}
    # outbound calls per agent and up, never per queue
    assert not [key for key in kpis if key[4] == "calls_outbound" and key[2] == "queue"]
    assert {key[3] for key in kpis if key[4] == "calls_outbound" and key[2] == "agent"} == {"A1"}


@pytest.mark.integration
def test_intervals(kpis):
    # NWA NPS: n = 6, p = 4/6, q = 1/6; 100 * 1.96 * sqrt((5/6 - (1/2)^2) / 6) = 61.113737
    # 50 - 61.113737 = -11.113737; 50 + 61.113737 clipped to 100
    nps = kpi(kpis, "month", MARCH, "client", "NWA", "nps")
    assert nps["ci_low"] == pytest.approx(-11.113737, abs=1e-6)
    assert nps["ci_high"] == 100.0
    # NWA eNPS: n = 9, p = 5/9, q = 2/9; 100 * 1.96 * sqrt((7/9 - (3/9)^2) / 9) = 53.344443
    # 33.333333 - 53.344443; 33.333333 + 53.344443
    enps = kpi(kpis, "month", MARCH, "client", "NWA", "enps")
    assert enps["ci_low"] == pytest.approx(-20.011110, abs=1e-6)
    assert enps["ci_high"] == pytest.approx(86.677777, abs=1e-6)
    # Wilson, NWA CSAT 2 of 5: p = 0.4, z^2 = 3.8416;
    # (0.4 + 3.8416/10 -/+ 1.96 * sqrt(0.4 * 0.6 / 5 + 3.8416/100)) / (1 + 3.8416/5)
    # = (0.78416 -/+ 0.576173) / 1.76832 = 0.117618, 0.769280
    csat = kpi(kpis, "month", MARCH, "client", "NWA", "csat_pct")
    assert csat["ci_low"] == pytest.approx(11.761823, abs=1e-6)
    assert csat["ci_high"] == pytest.approx(76.928007, abs=1e-6)
    # Wilson, NWA esat 5 of 9: p = 5/9, z^2 = 3.8416;
    # (5/9 + 3.8416/18 -/+ 1.96 * sqrt(5/9 * 4/9 / 9 + 3.8416/324)) / (1 + 3.8416/9)
    # = (0.768978 -/+ 0.388556) / 1.426844 = 0.266647, 0.811225
    esat = kpi(kpis, "month", MARCH, "client", "NWA", "esat_pct")
    assert esat["ci_low"] == pytest.approx(26.664735, abs=1e-6)
    assert esat["ci_high"] == pytest.approx(81.122457, abs=1e-6)
    # Wilson at p = 1 (SKR 35 of 35): the upper bound is exactly 100;
    # low = 100 * (1 + 3.8416/70 - 1.96 * sqrt(0 + 3.8416/4900)) / (1 + 3.8416/35)
    #     = 100 / (1 + 3.8416/35) = 90.109573
    rate = kpi(kpis, "day", D(2026, 3, 10), "client", "SKR", "survey_response_rate_pct")
    assert rate["ci_high"] == 100.0
    assert rate["ci_low"] == pytest.approx(90.109573, abs=1e-6)
    # counts, means and medians have no interval
    for metric in ("calls_offered", "aht_seconds", "frt_median_minutes", "ces_avg"):
        row = kpi(kpis, "month", MARCH, "all", "all", metric)
        assert (row["ci_low"], row["ci_high"]) == (None, None), metric


@pytest.mark.integration
def test_employee_groups_under_the_anonymity_threshold_are_suppressed(kpis):
    for level, entity in (("team", "NWA-CLT"), ("site", "CLT")):
        for metric in ("esat_pct", "enps"):
            row = kpi(kpis, "month", MARCH, level, entity, metric)
            assert row["suppressed"] is True, (level, entity, metric)
            assert row["sample_size"] == 4  # R1..R4 are still counted
            hidden = ("value", "numerator", "denominator", "ci_low", "ci_high")
            assert [row[c] for c in hidden] == [None] * 5
    # never per agent, and per month only
    assert not [key for key in kpis if key[4] in ("esat_pct", "enps") and key[2] == "agent"]
    assert {key[0] for key in kpis if key[4] in ("esat_pct", "enps")} == {"month"}


# (level, entity_id, sample_size, suppressed) of esat_pct and enps in March, min 5.
# Round 0: NWA-CLT, site CLT, in_house and onshore hold 4. Then NWA minus NWA-MNL, all
# minus site MNL, all minus outsourced, all minus offshore would reveal those 4: NWA-MNL,
# MNL, outsourced and offshore (5 each, at the threshold) are hidden too. NWA and
# all (9) are shown: NWA minus its published teams, all minus its published sites and
# clients leave 9 or 0 responses unexplained, never 1 to 4.
EXPECTED_ANONYMITY = [
    ("team", "NWA-CLT", 4, True),
    ("site", "CLT", 4, True),
    ("team", "NWA-MNL", 5, True),
    ("site", "MNL", 5, True),
    ("sourcing", "in_house", 4, True),
    ("sourcing", "outsourced", 5, True),
    ("location_type", "onshore", 4, True),
    ("location_type", "offshore", 5, True),
    ("client", "NWA", 9, False),
    ("all", "all", 9, False),
]


@pytest.mark.integration
@pytest.mark.parametrize("metric", ["esat_pct", "enps"])
def test_employee_groups_hidden_against_subtraction(kpis, metric):
    rows = {key[2:4]: row for key, row in kpis.items() if key[4] == metric}
    assert {(level, entity) for level, entity, _, _ in EXPECTED_ANONYMITY} == set(rows)
    for level, entity, n, suppressed in EXPECTED_ANONYMITY:
        row = rows[(level, entity)]
        assert (row["period_grain"], row["period_start"]) == ("month", MARCH)
        assert (row["sample_size"], row["suppressed"]) == (n, suppressed), (level, entity)
        assert (row["denominator"] is None) is suppressed, (level, entity)
