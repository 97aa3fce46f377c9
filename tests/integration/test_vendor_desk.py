"""Zendesk tickets, ticket metrics and satisfaction ratings, and Qualtrics response exports,
as the vendors export them, through `cxw run`: hand-computed KPIs, outcome counts per reason,
the same interactions as canonical files, and no personal data in the published warehouse.

The landing zones (the world they describe, the vendor files and their canonical twin) are
built in ``tests/integration/vendor_desk_zone.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.conftest import Deployment, run_side_by_side
from tests.integration.vendor_desk_zone import (
    MARCH,
    PERSONAL_DATA,
    SOURCE_TIMEZONES,
    D,
    write_canonical_zone,
    write_vendor_zone,
)

# ---------------------------------------------------------------------------------------
# One run of each zone
# ---------------------------------------------------------------------------------------

KPI_COLUMNS = (
    "period_grain", "period_start", "level", "entity_id", "metric", "value", "numerator",
    "denominator", "sample_size", "ci_low", "ci_high", "suppressed", "is_complete",
)  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deployment, Deployment]:
    """The vendor zone and its canonical twin, each run once by `cxw run` (side by side)."""
    vendor = Deployment(tmp_path_factory.mktemp("vendor_desk"))
    write_vendor_zone(vendor.landing_dir)
    canonical = Deployment(tmp_path_factory.mktemp("canonical_desk"))
    write_canonical_zone(canonical.landing_dir)
    run_side_by_side((vendor, {"CXW_SOURCE_TIMEZONES": SOURCE_TIMEZONES}), (canonical, {}))
    return vendor, canonical


@pytest.fixture(scope="module")
def vendor_build(builds) -> Deployment:
    return builds[0]


@pytest.fixture(scope="module")
def canonical_build(builds) -> Deployment:
    return builds[1]


def _kpis(deployment: Deployment) -> dict[tuple, dict]:
    rows = deployment.published(f"select {', '.join(KPI_COLUMNS)} from marts.kpi_metrics")
    by_key = {row[:5]: dict(zip(KPI_COLUMNS, row, strict=True)) for row in rows}
    assert len(by_key) == len(rows)
    return by_key


@pytest.fixture(scope="module")
def vendor_kpis(vendor_build: Deployment) -> dict[tuple, dict]:
    return _kpis(vendor_build)


@pytest.fixture(scope="module")
def canonical_kpis(canonical_build: Deployment) -> dict[tuple, dict]:
    return _kpis(canonical_build)


# ---------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------


def test_every_vendor_record_has_its_outcome_counted_by_reason(vendor_build):
    counts = vendor_build.query(
        """
        select 'zendesk_tickets', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__tickets group by all
        union all
        select 'zendesk_ticket_metrics', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__ticket_metrics group by all
        union all
        select 'zendesk_satisfaction_ratings', mapping_outcome, mapping_reason, count(*)
        from staging.stg_zendesk__satisfaction_ratings group by all
        union all
        select 'qualtrics_responses', mapping_outcome, mapping_reason, count(*)
        from staging.stg_qualtrics__responses group by all
        """
    )
    assert {(s, o, r): n for s, o, r, n in counts} == {
        # 5 JSON lines + 5 page elements: Z1 twice, Z2, Z3 twice, Z7, Z8 mapped
        ("zendesk_tickets", "mapped", None): 7,
        ("zendesk_tickets", "skipped", "voice_ticket"): 1,  # Z4
        ("zendesk_tickets", "skipped", "deleted_ticket"): 1,  # Z5
        ("zendesk_tickets", "rejected", "unmapped_queue"): 1,  # Z6
        ("zendesk_ticket_metrics", "mapped", None): 6,
        ("zendesk_satisfaction_ratings", "mapped", None): 4,  # 5001..5004
        ("zendesk_satisfaction_ratings", "skipped", "unoffered_rating"): 1,  # 5005
        ("zendesk_satisfaction_ratings", "rejected", "unmapped_queue"): 1,  # 5006
        ("qualtrics_responses", "mapped", None): 5,  # R_1 R_2 R_3 R_7 R_9
        ("qualtrics_responses", "skipped", "survey_preview"): 1,  # R_4
        ("qualtrics_responses", "skipped", "spam_response"): 1,  # R_5
        ("qualtrics_responses", "skipped", "unfinished_response"): 1,  # R_6
        ("qualtrics_responses", "rejected", "unmapped_queue"): 1,  # R_8 (SV_nomap)
    }
    # every record read is in raw, one staging row each: read = loaded + rejected + skipped
    read = vendor_build.query(
        "select source, sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
        "from meta.ingest_manifest where source like 'zendesk%' or source like 'qualtrics%' "
        "group by source order by source"
    )
    assert read == [
        ("qualtrics_responses", 9, 9, 0),
        ("zendesk_satisfaction_ratings", 6, 6, 0),
        ("zendesk_ticket_metrics", 6, 6, 0),
        ("zendesk_tickets", 10, 10, 0),
    ]


def test_the_mapped_rows_are_the_canonical_ones(vendor_build):
    tickets = vendor_build.query(
        "select ticket_id, channel, status, priority, agent_id, first_response_at, solved_at "
        "from staging.stg_helpdesk__tickets order by ticket_id"
    )
    at = dt.datetime
    assert tickets == [
        # Z1: the page's solved version; 10:00 + 30 min of the current metrics (not 60)
        ("1", "email", "solved", "normal", "A1", at(2026, 3, 10, 10, 30), at(2026, 3, 10, 12)),
        # Z2: brand queue, hold -> pending, unknown assignee kept
        ("2", "chat", "pending", "normal", "999", at(2026, 3, 10, 11, 3), None),
        # Z3: same updated_at twice: the later row (high)
        ("3", "web", "open", "high", "A2", None, None),
        ("7", "messaging", "solved", "normal", "A1", at(2026, 3, 11, 10, 20),
         at(2026, 3, 11, 10, 20)),
        ("8", "social", "pending", "normal", "A2", at(2026, 3, 11, 11, 45), None),
    ]  # fmt: skip
    unknown = vendor_build.query(
        "select 'ticket', ticket_id from staging.stg_zendesk__tickets where is_unknown_agent "
        "union all select 'response', response_id from staging.stg_qualtrics__responses "
        "where is_unknown_agent order by all"
    )
    assert unknown == [("response", "R_2"), ("ticket", "2")]
    surveys = vendor_build.query(
        "select survey_id, score, score_scale, counts_in_response_rate, responded_at "
        "from marts.fct_survey_responses order by survey_id"
    )
    assert surveys == [
        # R_1: 23:30 PDT (America/Los_Angeles from row 3) = 06:30 UTC the next day
        ("R_1:csat", 5, "configured", False, at(2026, 3, 12, 6, 30)),
        ("R_1:nps", 10, "configured", False, at(2026, 3, 12, 6, 30)),
        ("R_2:csat", 4, "configured", False, at(2026, 3, 12, 16)),
        ("R_2:nps", 6, "configured", False, at(2026, 3, 12, 16)),
        # R_3 left the CSAT empty: its NPS only
        ("R_3:nps", 9, "configured", False, at(2026, 3, 12, 17)),
        ("R_7:csat", 2, "configured", False, at(2026, 3, 12, 19)),
        ("R_7:nps", 3, "configured", False, at(2026, 3, 12, 19)),
        # R_9: no zone in row 3: the configured Asia/Tokyo, 08:30 JST = 23:30 UTC the day before
        ("R_9:nps", 10, "configured", False, at(2026, 3, 12, 23, 30)),
        ("zendesk:5001", 2, "two_point", True, at(2026, 3, 10, 14)),
        ("zendesk:5002", 1, "two_point", True, at(2026, 3, 11, 12)),
        ("zendesk:5003", 2, "two_point", True, at(2026, 3, 11, 13)),
        ("zendesk:5004", None, "two_point", True, None),  # offered, not answered
    ]


# ---------------------------------------------------------------------------------------
# Hand-computed KPIs (client ACM, report days in UTC)
# ---------------------------------------------------------------------------------------

# (grain, period_start, metric, value, numerator, denominator, sample_size)
EXPECTED = [
    ("day", D(2026, 3, 10), "tickets_created", 2, None, None, 2),  # Z1 Z2
    ("day", D(2026, 3, 11), "tickets_created", 3, None, None, 3),  # Z3 Z7 Z8
    ("month", MARCH, "tickets_created", 5, None, None, 5),
    # first response = reply_time_in_minutes.calendar: Z1 30, Z2 3; Z7 20, Z8 45; Z3 none
    ("day", D(2026, 3, 10), "frt_avg_minutes", 16.5, 33, 2, 2),  # (30 + 3) / 2
    ("day", D(2026, 3, 11), "frt_avg_minutes", 32.5, 65, 2, 2),  # (20 + 45) / 2
    ("month", MARCH, "frt_avg_minutes", 24.5, 98, 4, 4),  # 98 / 4
    ("month", MARCH, "frt_median_minutes", 25.0, None, None, 4),  # (20 + 30) / 2
    # targets: email 240 (Z1 30 in), chat 5 (Z2 3 in), messaging 15 (Z7 20 out), social 60
    # (Z8 45 in): 100 * 3 / 4
    ("month", MARCH, "frt_within_target_pct", 75.0, 3, 4, 4),
    ("day", D(2026, 3, 11), "frt_within_target_pct", 50.0, 1, 2, 2),
    # CSAT: Zendesk good counts as satisfied, bad not; Qualtrics 5 and 4 satisfied, 2 not
    ("day", D(2026, 3, 10), "csat_pct", 100.0, 1, 1, 1),  # 5001 good
    ("day", D(2026, 3, 11), "csat_pct", 50.0, 1, 2, 2),  # 5002 bad, 5003 good
    ("day", D(2026, 3, 12), "csat_pct", 100 * 2 / 3, 2, 3, 3),  # R_1 5, R_2 4, R_7 2
    ("month", MARCH, "csat_pct", 100 * 4 / 6, 4, 6, 6),  # (1 + 1 + 2) / (1 + 2 + 3)
    # csat_avg over the configured 1..5 answers only: (5 + 4 + 2) / 3; no row on 03-10 and
    # 03-11 (two-point answers only)
    ("day", D(2026, 3, 12), "csat_avg", 11 / 3, 11, 3, 3),
    ("month", MARCH, "csat_avg", 11 / 3, 11, 3, 3),
    # NPS on 03-12 (UTC): R_1 10 P, R_2 6 D, R_3 9 P, R_7 3 D (its group column says
    # Promoter: ignored), R_9 10 P: 100 * (3 - 2) / 5
    ("day", D(2026, 3, 12), "nps", 20.0, 1, 5, 5),
    ("month", MARCH, "nps", 20.0, 1, 5, 5),
    # response rate over the Zendesk invitations only (sent day): 03-10 5001 answered;
    # 03-11 5002 5003 answered, 5004 offered: 100 * 2 / 3; month 100 * 3 / 4
    ("day", D(2026, 3, 10), "survey_response_rate_pct", 100.0, 1, 1, 1),
    ("day", D(2026, 3, 11), "survey_response_rate_pct", 100 * 2 / 3, 2, 3, 3),
    ("month", MARCH, "survey_response_rate_pct", 75.0, 3, 4, 4),
]


def _approx(expected):
    return None if expected is None else pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("grain", "start", "metric", "value", "numerator", "denominator", "n"), EXPECTED
)
def test_kpi_value(vendor_kpis, grain, start, metric, value, numerator, denominator, n):
    key = (grain, start, "client", "ACM", metric)
    assert key in vendor_kpis, f"no kpi_metrics row {key}"
    row = vendor_kpis[key]
    assert row["value"] == _approx(value)
    assert row["numerator"] == _approx(numerator)
    assert row["denominator"] == _approx(denominator)
    assert row["sample_size"] == n


def test_days_without_a_rule_s_inputs_have_no_row(vendor_kpis):
    client_days = {
        (start, metric)
        for grain, start, level, entity, metric in vendor_kpis
        if grain == "day" and level == "client" and entity == "ACM"
    }
    # two-point answers only: no csat_avg on 03-10 and 03-11
    assert (D(2026, 3, 10), "csat_avg") not in client_days
    assert (D(2026, 3, 11), "csat_avg") not in client_days
    # Qualtrics responses only on 03-12: no response rate that day
    assert (D(2026, 3, 12), "survey_response_rate_pct") not in client_days
    # R_1 (23:30 in Los Angeles on 03-11) and R_9 (08:30 in Tokyo on 03-13) are 03-12 in UTC
    assert {s for s, m in client_days if m == "nps"} == {D(2026, 3, 12)}


# ---------------------------------------------------------------------------------------
# Vendor zone == canonical zone
# ---------------------------------------------------------------------------------------

# Defined differently on purpose: the canonical twin writes good as 5 and bad as 1 on the
# configured 1..5 scale (satisfied alike, so csat_pct is equal) and then has a mean
# (csat_avg) the two-point answers do not have; its Qualtrics rows are ordinary invitations
# (in survey_response_rate_pct), the vendor's are not. Every other metric is defined the same.
DEFINED_DIFFERENTLY = {"csat_avg", "survey_response_rate_pct"}


def test_vendor_and_canonical_zones_give_the_same_kpis(vendor_kpis, canonical_kpis):
    def comparable(kpis):
        return {key: row for key, row in kpis.items() if key[4] not in DEFINED_DIFFERENTLY}

    vendor, canonical = comparable(vendor_kpis), comparable(canonical_kpis)
    assert {k[4] for k in vendor} >= {"csat_pct", "nps", "frt_avg_minutes", "tickets_created"}
    assert vendor == canonical


def test_the_metrics_defined_differently_differ_as_defined(vendor_kpis, canonical_kpis):
    # canonical 03-10: 5001 scored 5: csat_avg 5 / 1; the vendor has no row
    assert canonical_kpis[("day", D(2026, 3, 10), "client", "ACM", "csat_avg")]["value"] == 5
    assert ("day", D(2026, 3, 10), "client", "ACM", "csat_avg") not in vendor_kpis
    # canonical month: (5 + 1 + 5 + 5 + 4 + 2) / 6 = 22 / 6
    month_avg = canonical_kpis[("month", MARCH, "client", "ACM", "csat_avg")]
    assert month_avg["value"] == pytest.approx(22 / 6)
    # canonical month response rate: 3 of 4 Zendesk + 8 of 8 Qualtrics = 11 / 12
    month_rate = canonical_kpis[("month", MARCH, "client", "ACM", "survey_response_rate_pct")]
    assert (month_rate["numerator"], month_rate["denominator"]) == (11, 12)


# ---------------------------------------------------------------------------------------
# Personal data
# ---------------------------------------------------------------------------------------


def test_no_personal_data_of_the_vendor_records_is_published(vendor_build):
    # the records carry it in raw (the build database), so the scan looks for something real
    (in_raw,) = vendor_build.query(
        "select count(*) from raw.zendesk_tickets "
        "where contains(record::varchar, 'petra.privat@example.org')"
    )[0]
    assert in_raw == 10
    text_columns = vendor_build.published(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' or data_type like 'VARCHAR%' or data_type = 'JSON' "
        "order by all"
    )
    assert len(text_columns) > 50  # the published tables are there
    found = []
    for schema, table, column in text_columns:
        for value in PERSONAL_DATA:
            (hits,) = vendor_build.published(
                f'select count(*) from "{schema}"."{table}" '
                f'where contains(cast("{column}" as varchar), ?)',
                [value],
            )[0]
            if hits:
                found.append((schema, table, column, value))
    assert found == []
