"""Calls delivered as Amazon Connect contact records and Genesys Cloud conversation details.

One small landing zone, written by hand, holds every case. It runs once through `cxw run`; a
second deployment holds the same interactions as canonical calls CSV. Every expected value
is computed by hand (the arithmetic is beside it) and read from the PUBLISHED
`marts.kpi_metrics`.

The two zones are written in `tests/integration/vendor_calls_zone.py`; their world (Tuesday
2026-03-10: client ``BLU`` on Amazon Connect, ``GRN`` on Genesys Cloud) is
`vendor_calls_world.py`, and every record the comments below name is built in
`vendor_calls_connect.py` (K1..) or `vendor_calls_genesys.py` (G1..).
"""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import Deployment, run_side_by_side
from tests.integration.vendor_calls_world import CUSTOMER_NAME, DAY, PHONE_NUMBERS
from tests.integration.vendor_calls_zone import write_canonical_zone, write_vendor_zone

KPI_COLUMNS = (
    "period_grain", "period_start", "level", "entity_id", "metric", "value", "numerator",
    "denominator", "sample_size", "ci_low", "ci_high", "suppressed", "is_complete",
)  # fmt: skip


def _kpi_rows(deployment: Deployment) -> dict[tuple, dict]:
    rows = deployment.published(f"select {', '.join(KPI_COLUMNS)} from marts.kpi_metrics")
    by_key = {row[:5]: dict(zip(KPI_COLUMNS, row, strict=True)) for row in rows}
    assert len(by_key) == len(rows), "kpi_metrics has one row per key"
    return by_key


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deployment, Deployment]:
    """The vendor landing zone and the same interactions as canonical calls CSV, each run
    once through the nightly job by `cxw run` (side by side)."""
    vendor = Deployment(tmp_path_factory.mktemp("vendor_calls"))
    write_vendor_zone(vendor.landing_dir)
    canonical = Deployment(tmp_path_factory.mktemp("canonical_calls"))
    write_canonical_zone(canonical.landing_dir)
    run_side_by_side((vendor, {}), (canonical, {}))
    return vendor, canonical


@pytest.fixture(scope="module")
def vendor_build(builds) -> Deployment:
    return builds[0]


@pytest.fixture(scope="module")
def canonical_build(builds) -> Deployment:
    return builds[1]


@pytest.fixture(scope="module")
def vendor_kpis(vendor_build: Deployment) -> dict[tuple, dict]:
    return _kpi_rows(vendor_build)


def _approx(expected: float):
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


# All of both clients' calls are on their local 2026-03-10 (K5 at 23:59:50 in New York, G4 at
# 23:59:55 in Berlin, although both are 03-11 or late 03-10 in UTC).
@pytest.mark.parametrize(
    ("level", "entity", "metric", "value"),
    [
        # BLU inbound: K1, K2, K3, K4a, K4b, K5 (K6 is outbound; K7..K12 skipped or rejected)
        ("client", "BLU", "calls_offered", 6),
        # K2 (40 s) and K3 (3 s) never reached an agent
        ("client", "BLU", "calls_abandoned", 2),
        ("client", "BLU", "abandon_rate_pct", 100 * 2 / 6),
        # K1, K4a, K4b, K5 answered with an agent (K5's agent is the unknown login 'temp.agent')
        ("client", "BLU", "calls_handled", 4),
        # answered within 20 s: K1 (15 s), K4b (10 s), K5 (15 s); K4a waited 30 s.
        # denominator: 6 offered - 1 short abandon (K3, 3 s) = 5
        ("client", "BLU", "service_level_pct", 100 * 3 / 5),
        # K1 300+45+60 = 405 (the version after ACW), K4a 120+0+10 = 130,
        # K4b 200+20+30 = 250, K5 100+0+20 = 120: 905 / 4
        ("client", "BLU", "aht_seconds", 905 / 4),
        # GRN inbound: G1, G2, G3, G4 (G8 is outbound; G5, G6, G7, G9 skipped or rejected)
        ("client", "GRN", "calls_offered", 4),
        ("client", "GRN", "calls_abandoned", 1),  # G3, 90 s: not a short abandon
        ("client", "GRN", "abandon_rate_pct", 100 * 1 / 4),
        ("client", "GRN", "calls_handled", 3),  # G1, G2 (u-g1 after u-g2's missed alert), G4
        # within 20 s: G1 (18 s), G4 (15 s); G2 25 s. denominator 4 - 0 short abandons
        ("client", "GRN", "service_level_pct", 100 * 2 / 4),
        # ms / 1000: G1 240+30+45 = 315, G2 180+0+20 = 200 (no hold metric counts 0),
        # G4 60+0+5 = 65 (the complete version): 580 / 3
        ("client", "GRN", "aht_seconds", 580 / 3),
        # level all: 10 offered, 3 abandoned, 7 handled, (3 + 2) / (5 + 4) in 20 s, 1485 / 7
        ("all", "all", "calls_offered", 10),
        ("all", "all", "abandon_rate_pct", 100 * 3 / 10),
        ("all", "all", "service_level_pct", 100 * 5 / 9),
        ("all", "all", "aht_seconds", (905 + 580) / 7),
        # A1: K1, K4a; A2: K4b (via his ARN); G1: G1, G2; G2 handled no inbound call
        ("agent", "A1", "calls_handled", 2),
        ("agent", "A2", "calls_handled", 1),
        ("agent", "G1", "calls_handled", 2),
        ("agent", "A1", "aht_seconds", (405 + 130) / 2),
        ("agent", "G1", "aht_seconds", (315 + 200) / 2),
    ],
)
def test_vendor_call_kpis(vendor_kpis, level, entity, metric, value):
    row = vendor_kpis.get(("day", DAY, level, entity, metric))
    assert row is not None, f"no kpi_metrics row for {level} {entity} {metric}"
    assert row["value"] == _approx(value)


def test_outcomes_per_reason(vendor_build):
    connect = vendor_build.query(
        "select mapping_outcome, mapping_reason, count(*), count(*) filter (where is_current_version) "
        "from staging.stg_amazon_connect__contacts group by all order by all"
    )
    # 14 record versions: K1 twice (one current), K2..K6 mapped; chat, task, monitor leg and
    # the IVR-only call skipped; K11 (unknown queue) and K12 (no queue) rejected
    assert connect == [
        ("mapped", None, 8, 7),
        ("rejected", "unmapped_queue", 2, 0),
        ("skipped", "chat_contact", 1, 0),
        ("skipped", "monitor_leg", 1, 0),
        ("skipped", "not_queued", 1, 0),
        ("skipped", "task_contact", 1, 0),
    ]
    genesys = vendor_build.query(
        "select mapping_outcome, mapping_reason, count(*), count(*) filter (where is_current_version) "
        "from staging.stg_genesys__conversations group by all order by all"
    )
    # 10 conversations delivered: G4 twice (one current), G1..G3, G8 mapped; G5 (IVR only) and
    # G9 (private outbound dial) not queued, G6 a chat; G7's queue has no row
    assert genesys == [
        ("mapped", None, 6, 5),
        ("rejected", "unmapped_queue", 1, 0),
        ("skipped", "chat_conversation", 1, 0),
        ("skipped", "not_queued", 2, 0),
    ]
    unknown = vendor_build.query(
        "select call_id, agent_id from staging.stg_amazon_connect__contacts "
        "where is_unknown_agent and is_current_version "
        "union all select call_id, agent_id from staging.stg_genesys__conversations "
        "where is_unknown_agent and is_current_version order by all"
    )
    assert unknown == [("G4", "u-temp"), ("K5", "temp.agent")]


def test_current_versions_are_the_vendors_latest(vendor_build):
    rows = vendor_build.query(
        "select call_id, acw_seconds, wrap_code, _file_path from staging.stg_telephony__calls "
        "where call_id in ('K1', 'G4') order by call_id"
    )
    assert rows == [
        ("G4", 5.0, "late", "genesys_conversations/job-1/page-0001.json"),
        (
            "K1",
            60.0,
            "sold",
            "amazon_connect_contacts/2026/03/10/cx-stream-1-2026-03-10-23-00-00-a1",
        ),
    ]


def test_vendor_and_canonical_deliveries_give_the_same_kpis(vendor_kpis, canonical_build):
    canonical = _kpi_rows(canonical_build)
    assert vendor_kpis.keys() == canonical.keys()
    assert len(canonical) > 100
    for key, row in canonical.items():
        for column in KPI_COLUMNS[5:]:
            expected = row[column]
            actual = vendor_kpis[key][column]
            if isinstance(expected, float):
                assert actual == _approx(expected), (key, column)
            else:
                assert actual == expected, (key, column)


def test_no_personal_data_of_the_records_is_published(vendor_build):
    needles = [number.lstrip("+") for number in PHONE_NUMBERS] + [CUSTOMER_NAME]
    con = duckdb.connect(str(vendor_build.warehouse_path), read_only=True)
    try:
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_catalog = current_database()"
        ).fetchall()
        found = [
            (schema, table, column, needle)
            for schema, table, column in text_columns
            for needle in needles
            if con.execute(
                f'select count(*) from "{schema}"."{table}" where contains("{column}", ?)', [needle]
            ).fetchone()[0]
        ]
    finally:
        con.close()
    assert len(text_columns) > 50  # every text column of every published table was scanned
    assert found == []
