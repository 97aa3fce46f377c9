"""The KPIs per interval of the client's local day (`marts.kpi_intervals`) and the
`is_complete` flag of periods and intervals, as published.

The interval values are computed by hand from the hand-made landing zone
(tests/integration/hand_made_world.py), built on DuckDB and on Spark; the flags are read
from the generated sample.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.conftest import Deployment
from tests.integration.hand_made_world import D


@pytest.fixture(scope="module")
def intervals(hand_made_build: Deployment) -> dict[tuple, tuple]:
    """The PUBLISHED kpi_intervals: (period_start, level, entity, metric) -> (value,
    numerator, denominator, sample_size, is_complete)."""
    rows = hand_made_build.published(
        "select period_start, level, entity_id, metric, value, numerator, denominator,"
        " sample_size, is_complete from marts.kpi_intervals where period_grain = 'interval'"
    )
    return {row[:4]: row[4:] for row in rows}


T = dt.datetime


@pytest.mark.integration
def test_call_intervals_follow_each_clients_local_clock(intervals):
    # (period_start, level, entity, metric): (value, numerator, denominator, n, complete)
    expected = {
        # C01 04:30 UTC on 03-08 is 23:30 EST on Sat 03-07: the last half hour of that day
        (T(2026, 3, 7, 23, 30), "client", "NWA", "calls_offered"): (1, None, None, 1, True),
        (T(2026, 3, 7, 23, 30), "queue", "sales", "asa_seconds"): (10.0, 10, 1, 1, True),
        # C02 04:30 UTC on 03-09 is 00:30 EDT (UTC-4 after the change): answered after 30 s
        (T(2026, 3, 9, 0, 30), "client", "NWA", "service_level_pct"): (0.0, 0, 1, 1, True),
        (T(2026, 3, 9, 0, 30), "client", "NWA", "asa_seconds"): (30.0, 30, 1, 1, True),
        # C04 14:00 UTC = 10:00 EDT, a short abandon: offered, out of the service level base
        (T(2026, 3, 9, 10, 0), "queue", "care", "calls_abandoned"): (1, None, None, 1, True),
        (T(2026, 3, 9, 10, 0), "queue", "care", "service_level_pct"): (None, 0, 0, 0, True),
        # C08 18:00 UTC = 14:00 EDT, A1: handle 250 + 0 + 50
        (T(2026, 3, 9, 14, 0), "client", "NWA", "aht_seconds"): (300.0, 300, 1, 1, True),
        # C09 15:30 UTC on 03-10 is 00:30 on 03-11 in Tokyo (UTC+9)
        (T(2026, 3, 11, 0, 30), "client", "SKR", "calls_handled"): (1, None, None, 1, True),
        (T(2026, 3, 11, 0, 30), "all", "all", "service_level_pct"): (100.0, 1, 1, 1, True),
        # C03 on 03-16: complete, NWA's partial (latest) day is 03-17 (surveys answered)
        (T(2026, 3, 16, 10, 0), "client", "NWA", "calls_offered"): (1, None, None, 1, True),
    }
    assert {key: intervals.get(key) for key in expected} == expected
    # the queueless C07 (13:00 EDT) is in its client's interval but in no queue's
    assert intervals[(T(2026, 3, 9, 13, 0), "client", "NWA", "calls_offered")][0] == 1
    assert not [k for k in intervals if k[0] == T(2026, 3, 9, 13, 0) and k[1] == "queue"]
    # no interval without a call, and NWA's 03-09 intervals add up to its day: 00:30 C02,
    # 10:00 C04, 11:00 C05, 13:00 C07, 14:00 C08
    nwa_0309 = {
        k[0]: v[0]
        for k, v in intervals.items()
        if k[1:] == ("client", "NWA", "calls_offered") and k[0].date() == D(2026, 3, 9)
    }
    assert nwa_0309 == {
        T(2026, 3, 9, 0, 30): 1,
        T(2026, 3, 9, 10, 0): 1,
        T(2026, 3, 9, 11, 0): 1,
        T(2026, 3, 9, 13, 0): 1,
        T(2026, 3, 9, 14, 0): 1,
    }
    # outbound calls have no interval
    assert {k[3] for k in intervals} == {
        "calls_offered", "calls_handled", "calls_abandoned", "abandon_rate_pct",
        "service_level_pct", "aht_seconds", "asa_seconds",
    }  # fmt: skip


def test_periods_before_the_partial_day_are_complete(sample_build):
    """The generated sample (tests/integration/conftest.py SMALL_SAMPLE: 7 export days from
    Thursday 2026-03-05) as published. A client's partial day is its latest report date of
    any call, ticket or survey (sent or responded) in the published facts; level all takes
    the earliest. Every one falls in the week of Monday 2026-03-09 (the sample's surveys run
    a day or two past its calls), so: week 2026-03-02 (to 03-08) is complete, week
    2026-03-09 and month 2026-03 are not; a day is complete when before the partial day."""
    deployment, _ = sample_build
    partial = dict(
        deployment.published(
            "select client_id, max(day) from ("
            "select client_id, report_date as day from marts.fct_calls union all "
            "select client_id, report_date from marts.fct_tickets union all "
            "select client_id, sent_report_date from marts.fct_survey_responses union all "
            "select client_id, response_report_date from marts.fct_survey_responses"
            ") group by client_id"
        )
    )
    partial["all"] = min(partial.values())
    assert len(partial) == 4  # three clients, and all
    assert all(dt.date(2026, 3, 11) <= day <= dt.date(2026, 3, 15) for day in partial.values())

    rows = deployment.published(
        "select period_grain, period_start, entity_id, bool_and(is_complete), "
        "bool_or(is_complete) from marts.kpi_metrics where level in ('client', 'all') "
        "and period_start >= date '2026-03-01' group by all"
    )
    flags = {(grain, start, entity): done for grain, start, entity, done, _ in rows}
    # one flag per period and entity, whatever the metric
    assert all(every == some for *_, every, some in rows)
    for entity, day in partial.items():
        assert flags[("week", dt.date(2026, 3, 2), entity)] is True
        assert flags[("week", dt.date(2026, 3, 9), entity)] is False
        assert flags[("month", dt.date(2026, 3, 1), entity)] is False
        assert flags[("day", dt.date(2026, 3, 5), entity)] is True  # the first day
        assert flags[("day", day, entity)] is False  # the partial day itself
        days = {start: done for (g, start, e), done in flags.items() if g == "day" and e == entity}
        assert days == {start: start < day for start in days}
    # February and earlier (customer retention months) are over
    (older,) = deployment.published(
        "select bool_and(is_complete) from marts.kpi_metrics where period_start < date '2026-03-01'"
    )[0]
    assert older is True
    # an interval is complete when its local day is before its entity's partial day
    interval_rows = deployment.published(
        "select level, entity_id, cast(period_start as date), bool_and(is_complete),"
        " bool_or(is_complete) from marts.kpi_intervals where level in ('client', 'all')"
        " group by all"
    )
    assert interval_rows
    for level, entity, day, every, some in interval_rows:
        assert every == some == (day < partial[entity]), (level, entity, day)
    # the wide marts and the scorecard carry the same flag
    assert deployment.published(
        "select period_start, is_complete from marts.kpi_client_weekly "
        "where client_id = 'C001' order by period_start"
    ) == [(dt.date(2026, 3, 2), True), (dt.date(2026, 3, 9), False)]
    assert deployment.published(
        "select count(*) from marts.kpi_scorecard join marts.kpi_metrics using "
        "(period_grain, period_start, level, entity_id, metric) "
        "where kpi_scorecard.is_complete <> kpi_metrics.is_complete"
    ) == [(0,)]
