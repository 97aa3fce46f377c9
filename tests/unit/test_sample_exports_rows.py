"""What the rows of the sample-export generator's canonical zone hold: the summary's
counts of the rows written, the bad input injected on purpose (every reason the contract
rejects a row for, counted exactly; none when clean; scaled by the bad share), and the
invariants that make the data realistic: consistent calls worked by rostered agents,
surveys of existing interactions, customers and referrals, ticket channels, CSAT labels,
roster moves, hires and leavers, the employee pulse, and a client crossing a DST change."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from orchestration.landing.contract import SOURCES
from orchestration.sample_exports import REASONS, GenerationSummary, generate_sample_exports
from tests.unit import sample_exports_helpers as zones
from tests.unit.sample_exports_helpers import (
    CSAT_LABELS,
    KEYS,
    START,
    TINY,
    observed_defects,
    parse_reason,
    read_rows,
    source_rows,
    utc,
)

# the shared landing zones (fixtures), bound here so that pytest finds them
tiny, tiny_clean = zones.tiny, zones.tiny_clean


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    out = tmp_path_factory.mktemp("two_weeks") / "landing"
    return generate_sample_exports(out, start=START, days=15, agents=12, seed=3)


# ----------------------------------------------------------------------------- summary, bad input


def test_rows_by_source_counts_every_row_written(tiny: GenerationSummary) -> None:
    for source in SOURCES:
        assert tiny.rows_by_source[source] == len(source_rows(tiny.out_dir, source)), source
    # hand-checkable dimensions: 3 clients, 3 sites, 9 teams exported twice, 8 agents
    assert tiny.rows_by_source["clients"] == 3
    assert tiny.rows_by_source["sites"] == 3
    assert tiny.rows_by_source["teams"] == 18
    assert tiny.rows_by_source["agent_roster"] == 8


def test_every_reason_is_injected_and_counted_exactly(tiny: GenerationSummary) -> None:
    assert list(tiny.bad_rows_by_reason) == list(REASONS)
    assert set(REASONS) == {
        "bad_timestamp", "bad_number", "negative_duration", "empty_key", "unknown_enum",
        "off_scale_score", "empty_score", "first_response_before_creation",
        "missing_required_column",
    }  # fmt: skip
    assert all(n >= 1 for n in tiny.bad_rows_by_reason.values()), tiny.bad_rows_by_reason
    assert observed_defects(tiny.out_dir) == Counter(tiny.bad_rows_by_reason)


def test_the_file_missing_a_column_is_an_extra_copy(tiny: GenerationSummary) -> None:
    backfill = read_rows(tiny.out_dir / "tickets" / "tickets_2026-01-06_backfill.jsonl")
    assert "channel" not in backfill[0]
    assert len(backfill) == tiny.bad_rows_by_reason["missing_required_column"]
    originals = {
        r["ticket_id"]: r for r in read_rows(tiny.out_dir / "tickets" / "tickets_2026-01-06.jsonl")
    }
    for row in backfill:
        assert {k: v for k, v in originals[row["ticket_id"]].items() if k != "channel"} == row


def test_clean_writes_no_bad_input(tiny_clean: GenerationSummary) -> None:
    assert tiny_clean.bad_rows_by_reason == {}
    assert observed_defects(tiny_clean.out_dir) == Counter()
    assert not any("backfill" in p.name for p in tiny_clean.files)


def test_bad_share_scales_the_bad_rows(tmp_path: Path) -> None:
    none = generate_sample_exports(tmp_path / "a", **TINY, bad_share=0.0)
    many = generate_sample_exports(tmp_path / "b", **TINY, bad_share=0.1)
    # with share 0 only the one forced example per reason on the first day remains
    # (calls, tickets and surveys each get one bad timestamp, empty key and unknown enum;
    # the backfill file re-sends max(3, 1 % of the day's tickets) = 3 tickets)
    assert none.bad_rows_by_reason == {
        "bad_timestamp": 3, "bad_number": 1, "negative_duration": 1, "empty_key": 3,
        "unknown_enum": 3, "off_scale_score": 1, "empty_score": 1,
        "first_response_before_creation": 1, "missing_required_column": 3,
    }  # fmt: skip
    assert sum(many.bad_rows_by_reason.values()) > 10 * sum(none.bad_rows_by_reason.values())


# ----------------------------------------------------------------------------- invariants


def test_good_calls_are_consistent_and_worked_by_rostered_agents(
    tiny_clean: GenerationSummary,
) -> None:
    out = tiny_clean.out_dir
    calls = source_rows(out, "calls")
    roster_agents = {r["agent_id"] for r in source_rows(out, "agent_roster")}
    inbound = [c for c in calls if c["direction"] == "inbound"]
    assert 0 < len(inbound) < len(calls)  # there are outbound calls too
    for c in calls:
        offered, answered, ended = utc(c["offered_at"]), utc(c["answered_at"]), utc(c["ended_at"])
        assert ended >= offered
        if answered is not None:
            assert offered <= answered <= ended
        if c["agent_id"] is not None:
            assert c["agent_id"] in roster_agents
    abandoned = [c for c in inbound if c["answered_at"] is None]
    short = [
        c for c in abandoned if (utc(c["ended_at"]) - utc(c["offered_at"])).total_seconds() <= 5
    ]
    assert 0 < len(short) < len(abandoned)
    assert any(c["hold_seconds"] not in (None, "0") for c in inbound)


def test_surveys_reference_existing_interactions(tiny_clean: GenerationSummary) -> None:
    out = tiny_clean.out_dir
    agents = {r["call_id"]: r["agent_id"] for r in source_rows(out, "calls")}
    agents |= {r["ticket_id"]: r["agent_id"] for r in source_rows(out, "tickets")}
    surveys = source_rows(out, "surveys")
    assert {s["interaction_type"] for s in surveys} == {"call", "ticket"}
    for s in surveys:
        assert s["interaction_id"] in agents
        assert s["agent_id"] in (None, agents[s["interaction_id"]])
        if s["responded_at"] is not None:
            assert utc(s["responded_at"]) > utc(s["sent_at"])
    assert any(s["agent_id"] is None for s in surveys)
    responded = sum(s["responded_at"] is not None for s in surveys) / len(surveys)
    assert 0.10 <= responded <= 0.35


def test_customers_exist_and_referrals_cross_clients_sometimes(
    two_weeks: GenerationSummary,
) -> None:
    out = two_weeks.out_dir
    customers = source_rows(out, "customers")
    known = {(c["client_id"], c["customer_id"]) for c in customers}
    for source in ("calls", "tickets", "surveys"):
        for row in source_rows(out, source, originals_only=True):
            if row.get("customer_id") and row.get(KEYS[source]):
                assert (row["client_id"], row["customer_id"]) in known
    referred = [c for c in customers if c["referred_by_customer_id"]]
    same = [c for c in referred if (c["client_id"], c["referred_by_customer_id"]) in known]
    assert 0 < len(referred) - len(same) < len(same)  # a few point at another client's customer
    assert all(c["full_name"] and "@" in c["email"] and c["phone"] for c in customers)


def test_every_ticket_channel_with_unanswered_and_unassigned(two_weeks: GenerationSummary) -> None:
    tickets = [t for t in source_rows(two_weeks.out_dir, "tickets", originals_only=True)
               if parse_reason("tickets", t) is None]  # fmt: skip
    assert {t["channel"] for t in tickets} == {"email", "chat", "web", "social", "messaging"}
    assert any(t["first_response_at"] is None for t in tickets)
    assert any(t["agent_id"] is None for t in tickets)


def test_csat_is_partly_written_as_labels(two_weeks: GenerationSummary) -> None:
    scores = {s["score"] for s in source_rows(two_weeks.out_dir, "surveys")
              if s["survey_type"] == "csat" and s["score"]}  # fmt: skip
    labels = {s for s in scores if s.strip().lower() in CSAT_LABELS}
    # seed 3: every label but "Very Unsatisfied" occurs (2 is written both ways)
    assert {s.strip().lower() for s in labels} == CSAT_LABELS - {"very unsatisfied"}
    assert any(s != s.strip() for s in labels)  # padded with spaces
    assert any(s.strip().islower() for s in labels)  # "satisfied"
    assert any(s.strip().istitle() for s in labels)  # "Very Satisfied"


def test_roster_snapshots_show_moves_hires_and_leavers(two_weeks: GenerationSummary) -> None:
    rows = source_rows(two_weeks.out_dir, "agent_roster")
    assert sorted({r["as_of_date"] for r in rows}) == ["2026-01-05", "2026-01-12", "2026-01-19"]
    teams: dict[str, dict[str, str]] = {}
    for r in rows:
        teams.setdefault(r["agent_id"], {})[r["as_of_date"]] = r["team_id"]
    assert any(len(set(t.values())) > 1 for t in teams.values())  # an agent changed team
    first = {a for a, t in teams.items() if "2026-01-05" in t}
    last = {a for a, t in teams.items() if "2026-01-19" in t}
    assert first - last  # someone left
    hires = last - first
    assert hires and all(r["hire_date"] > "2026-01-05" for r in rows if r["agent_id"] in hires)


def test_agents_work_only_while_employed_in_a_team_of_the_client(
    two_weeks: GenerationSummary,
) -> None:
    out = two_weeks.out_dir
    roster = source_rows(out, "agent_roster")
    team_client = {t["team_id"]: t["client_id"] for t in source_rows(out, "teams")}
    snapshots = sorted({r["as_of_date"] for r in roster})
    by_key = {(r["as_of_date"], r["agent_id"]): r["team_id"] for r in roster}
    for call in source_rows(out, "calls", originals_only=True):
        if call["agent_id"] is None or parse_reason("calls", call):
            continue
        cid = call["call_id"]  # CL<yyyymmdd><seq>: the (client-local) day of the call
        day = f"{cid[2:6]}-{cid[6:8]}-{cid[8:10]}"
        snapshot = max(s for s in snapshots if s <= day)
        assert team_client[by_key[(snapshot, call["agent_id"])]] == call["client_id"]


def test_employee_pulse_has_teams_under_the_anonymity_threshold(
    two_weeks: GenerationSummary,
) -> None:
    rows = source_rows(two_weeks.out_dir, "employee_surveys")
    per_team = Counter(r["team_id"] for r in rows)
    assert min(per_team.values()) < 5
    assert all(1 <= int(r["esat_score"]) <= 5 for r in rows)
    assert all(0 <= int(r["enps_score"]) <= 10 for r in rows if r["enps_score"] is not None)
    assert any(r["agent_id"] is not None for r in rows)
    assert any(r["agent_id"] is None for r in rows)


def test_a_client_crosses_the_us_dst_change(tmp_path: Path) -> None:
    # 2026-03-08: New York moves from -05:00 to -04:00
    summary = generate_sample_exports(
        tmp_path / "landing", start=date(2026, 3, 5), days=7, agents=8, seed=2, clean=True
    )
    clients = source_rows(summary.out_dir, "clients")
    new_york = {"client_id": "C001", "client_name": "Northwind Mobile",
                "reporting_timezone": "America/New_York", "industry": "telecommunications"}  # fmt: skip
    assert new_york in clients
    offsets = {t["created_at"][19:] for t in source_rows(summary.out_dir, "tickets")
               if t["client_id"] == "C001"}  # fmt: skip
    assert offsets == {"-05:00", "-04:00"}
