"""The sample-export generator's vendor platforms (``--platforms mixed``, the command
line's default): each client's interactions delivered once, on its platform, in the
formats the vendors deliver (Amazon Connect, Genesys Cloud, Zendesk, Qualtrics) and read
by the ingestion's own readers; the records hold every case a mapping must handle; bad
input stays in the canonical files; the mapping sources (queues, agent identities, survey
questions); and the command line writing the canonical or the mixed zone."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.landing.contract import SOURCES, VENDOR_SOURCES
from orchestration.landing.files import discover_files
from orchestration.landing.vendor_files import read_vendor_frame
from orchestration.sample_exports import GenerationSummary, generate_sample_exports
from tests.unit import sample_exports_helpers as zones
from tests.unit.sample_exports_helpers import (
    TINY,
    observed_defects,
    parse_reason,
    source_rows,
    utc,
)

# the shared landing zones (fixtures), bound here so that pytest finds them
tiny, mixed = zones.tiny, zones.mixed

CONNECT_CALLS = ("INBOUND", "OUTBOUND")  # a transfer leg, a chat, a task, a monitor leg: no call


def vendor_records(out: Path, source: str) -> list[dict]:
    """Every record of a vendor folder, read by the ingestion's own reader."""
    spec = SOURCES[source]
    files, ignored = discover_files(out, source, spec.vendor_format)
    assert ignored == []
    records = []
    for file in files:
        frame, bad = read_vendor_frame(file)
        assert bad == [], file.relative_path
        records.extend(json.loads(r) for r in frame["record"])
    return records


def good_originals(out: Path, source: str, client_id: str) -> list[dict]:
    """The canonical rows of one client that parse, corrections and backfills left out."""
    return [
        r
        for r in source_rows(out, source, originals_only=True)
        if r["client_id"] == client_id and parse_reason(source, r) is None
    ]


def test_mixed_zone_is_deterministic(mixed: GenerationSummary, tmp_path: Path) -> None:
    again = generate_sample_exports(tmp_path / "landing", **TINY, platforms="mixed")
    assert [p.relative_to(again.out_dir) for p in again.files] == [
        p.relative_to(mixed.out_dir) for p in mixed.files
    ]
    for a, b in zip(mixed.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert again.rows_by_source == mixed.rows_by_source


def test_canonical_platforms_are_the_zone_of_before(
    tiny: GenerationSummary, tmp_path: Path
) -> None:
    # the Python default is canonical; --platforms canonical on the command line is the same
    assert cli.main(["generate", "--out", str(tmp_path / "cli"), "--start", "2026-01-05",
                     "--days", "3", "--agents", "8", "--seed", "5",
                     "--platforms", "canonical"]) == 0  # fmt: skip
    written = sorted(p for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path / "cli") for p in written] == [
        p.relative_to(tiny.out_dir) for p in tiny.files
    ]
    for a, b in zip(tiny.files, written, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_cli_writes_the_mixed_zone_by_default(
    mixed: GenerationSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["generate", "--out", str(tmp_path / "cli"), "--start", "2026-01-05",
                     "--days", "3", "--agents", "8", "--seed", "5"]) == 0  # fmt: skip
    written = sorted(p for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in mixed.files]
    printed = capsys.readouterr().out
    # 3 days of Amazon Connect: a file of first deliveries and one of updates a day
    assert "amazon_connect_contacts          6 files" in printed
    assert "(mixed platforms)" in printed


def test_every_vendor_folder_is_read_by_the_ingestion(mixed: GenerationSummary) -> None:
    for source in VENDOR_SOURCES:
        records = vendor_records(mixed.out_dir, source)
        assert len(records) == mixed.rows_by_source[source] > 0, source
    for source in ("queues", "agent_identities", "survey_questions"):
        assert len(source_rows(mixed.out_dir, source)) == mixed.rows_by_source[source] > 0
    assert {p.name for p in mixed.out_dir.iterdir()} == set(SOURCES)
    # formats as delivered: Firehose objects (no extension) gzip, back to back or one per
    # line; Genesys pages, some gzip; Zendesk JSON lines and pages; Qualtrics CSV
    connect = [p for p in mixed.files if p.parts[-6] == "amazon_connect_contacts"]
    assert all("." not in p.name for p in connect)
    heads = {p.read_bytes()[:2] for p in connect}
    assert b"\x1f\x8b" in heads and b'{"' in heads
    assert any(b"}{" in p.read_bytes() for p in connect)
    assert {p.suffix for p in (mixed.out_dir / "genesys_conversations").rglob("*.*")} == {
        ".json", ".gz"}  # fmt: skip
    assert {p.suffix for p in (mixed.out_dir / "zendesk_tickets").iterdir()} == {".json",
                                                                                  ".jsonl"}  # fmt: skip


def test_every_interaction_is_delivered_once_on_its_clients_platform(
    tiny: GenerationSummary, mixed: GenerationSummary
) -> None:
    canonical, out = tiny.out_dir, mixed.out_dir
    # no canonical row of a vendor client's channel in the mixed zone
    assert {r["client_id"] for r in source_rows(out, "calls")} == {"C003"}
    assert {r["client_id"] for r in source_rows(out, "tickets")} == {"C002", "C003"}
    assert {(r["client_id"], r["interaction_type"]) for r in source_rows(out, "surveys")} == {
        ("C002", "call"), ("C002", "ticket"), ("C003", "call"), ("C003", "ticket")}  # fmt: skip
    for client in ("C002", "C003"):  # the canonical clients keep their rows
        assert len(good_originals(out, "tickets", client)) == len(
            good_originals(canonical, "tickets", client)
        )

    # C001's calls: one Connect contact each (first deliveries and updates share the id)
    contacts = vendor_records(out, "amazon_connect_contacts")
    calls = {
        c["ContactId"]: c["Queue"]["EnqueueTimestamp"]
        for c in contacts
        if c["Channel"] == "VOICE"
        and c["InitiationMethod"] in CONNECT_CALLS
        and c["Queue"] is not None
        and c["Queue"]["Name"] != "test_line_do_not_use"
    }
    expected = sorted(r["offered_at"] for r in good_originals(canonical, "calls", "C001"))
    assert sorted(calls.values()) == expected

    # C002's calls: one Genesys conversation each, offered when its acd segment starts
    conversations = vendor_records(out, "genesys_conversations")
    offered = [
        next(p for p in c["participants"] if p["purpose"] == "acd")["sessions"][0]["segments"][0][
            "segmentStart"
        ].replace(".000Z", "Z")
        for c in conversations
    ]
    assert sorted(offered) == sorted(r["offered_at"] for r in good_originals(canonical, "calls",
                                                                              "C002"))  # fmt: skip
    assert len({c["conversationId"] for c in conversations}) == len(conversations)

    # C001's tickets: Zendesk tickets (besides one voice and one deleted ticket a day)
    tickets = [t for t in vendor_records(out, "zendesk_tickets")
               if t["via"]["channel"] != "voice" and t["status"] != "deleted"]  # fmt: skip
    assert len(tickets) == len(good_originals(canonical, "tickets", "C001"))
    assert sorted(t["created_at"] for t in tickets) == sorted(
        utc(r["created_at"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        for r in good_originals(canonical, "tickets", "C001")
    )

    # C001's surveys: ticket surveys as Zendesk ratings, call surveys' answers in Qualtrics
    c001 = good_originals(canonical, "surveys", "C001")
    ratings = [r for r in vendor_records(out, "zendesk_satisfaction_ratings")
               if r["score"] != "unoffered"]  # fmt: skip
    assert len(ratings) == sum(s["interaction_type"] == "ticket" for s in c001)
    responses = [r for r in vendor_records(out, "qualtrics_responses")
                 if r["status"] == "0" and r["finished"] == "1"]  # fmt: skip
    answered_calls = [s for s in c001 if s["interaction_type"] == "call" and s["responded_at"]]
    assert len(responses) == len(answered_calls)
    # every survey points at the interaction as its platform names it
    call_ids = {c["ContactId"] for c in contacts}
    assert all(r["call_id"] in call_ids for r in responses)
    ticket_ids = {t["id"] for t in vendor_records(out, "zendesk_tickets")}
    assert all(r["ticket_id"] in ticket_ids for r in ratings)
    conversation_ids = {c["conversationId"] for c in conversations}
    c002_calls = [s for s in source_rows(out, "surveys")
                  if s["client_id"] == "C002" and s["interaction_type"] == "call"
                  and parse_reason("surveys", s) is None]  # fmt: skip
    assert c002_calls and all(s["interaction_id"] in conversation_ids for s in c002_calls)


def test_bad_input_is_counted_in_the_canonical_files_only(mixed: GenerationSummary) -> None:
    assert observed_defects(mixed.out_dir) == Counter(mixed.bad_rows_by_reason)


def test_connect_records_hold_what_a_mapping_must_handle(mixed: GenerationSummary) -> None:
    contacts = vendor_records(mixed.out_dir, "amazon_connect_contacts")
    kinds = Counter((c["Channel"], c["InitiationMethod"]) for c in contacts)
    # a chat, a task and a monitor leg per day, two transfer legs a day (3 days)
    assert kinds[("CHAT", "INBOUND")] == kinds[("TASK", "API")] == kinds[("VOICE", "MONITOR")] == 3
    assert kinds[("VOICE", "TRANSFER")] == 6
    transfer = next(c for c in contacts if c["InitiationMethod"] == "TRANSFER")
    first_legs = [c for c in contacts if c["ContactId"] == transfer["PreviousContactId"]]
    assert any(c["NextContactId"] == transfer["ContactId"] for c in first_legs)
    # an inbound contact that never reached a queue, and a queue nobody mapped
    assert any(c["InitiationMethod"] == "INBOUND" and c["Queue"] is None for c in contacts)
    queues = {r["queue_ref"] for r in source_rows(mixed.out_dir, "queues")
              if r["system"] == "amazon_connect"}  # fmt: skip
    assert queues == {"billing", "tech_support", "sales", "cancellations", "outbound"}
    assert any(c["Queue"] and c["Queue"]["Name"] not in queues for c in contacts)
    # a record delivered again once after-contact work ended: the later one has the ACW
    versions: dict[str, list[dict]] = {}
    for c in contacts:
        versions.setdefault(c["ContactId"], []).append(c)
    updated = [v for v in versions.values()
               if len({c["LastUpdateTimestamp"] for c in v}) > 1]  # fmt: skip
    assert updated
    for v in updated:
        early, late = sorted(v, key=lambda c: c["LastUpdateTimestamp"])[:: len(v) - 1]
        if early["NextContactId"] is None and late["NextContactId"] is None:
            assert early["Agent"]["AfterContactWorkDuration"] is None
            assert late["Agent"]["AfterContactWorkDuration"] > 0
    # personal data and extra fields the mapping ignores are there, as Connect writes them
    voice = next(c for c in contacts if c["Agent"] and c["Attributes"].get("customer_id"))
    assert voice["CustomerEndpoint"]["Address"].startswith("+1212555")
    assert {"SystemEndpoint", "Recording", "Tags", "AWSAccountId"} <= set(voice)
    # exactly one agent login has no agent_identities row
    logins = {c["Agent"]["Username"] for c in contacts if c["Agent"]}
    known = {r["external_id"] for r in source_rows(mixed.out_dir, "agent_identities")
             if r["system"] == "amazon_connect"}  # fmt: skip
    assert len(logins - known) == 1


def test_genesys_conversations_carry_participants_and_metrics(mixed: GenerationSummary) -> None:
    conversations = vendor_records(mixed.out_dir, "genesys_conversations")
    purposes = Counter(tuple(p["purpose"] for p in c["participants"]) for c in conversations)
    assert ("customer", "ivr", "acd", "agent") in purposes
    assert ("customer", "ivr", "acd") in purposes  # abandoned in queue
    assert ("customer", "ivr", "acd", "agent", "agent") in purposes  # an alert not taken
    metrics = {m["name"] for c in conversations for p in c["participants"]
               for s in p["sessions"] for m in s.get("metrics", [])}  # fmt: skip
    assert {"tAnswered", "tTalkComplete", "tHeldComplete", "tAcw", "tNotResponding",
            "tAbandon"} <= metrics  # fmt: skip
    customer = conversations[0]["participants"][0]
    assert customer["sessions"][0]["ani"].startswith("tel:+44")
    users = {p["userId"] for c in conversations for p in c["participants"] if p.get("userId")}
    known = {r["external_id"] for r in source_rows(mixed.out_dir, "agent_identities")
             if r["system"] == "genesys"}  # fmt: skip
    assert users <= known


def test_zendesk_and_qualtrics_hold_every_case_the_spec_names(
    tiny: GenerationSummary, mixed: GenerationSummary
) -> None:
    ratings = vendor_records(mixed.out_dir, "zendesk_satisfaction_ratings")
    # the canonical zone's 29 ticket surveys of C001: 2 answered (both satisfied: good is
    # csat 4-5, nps 7-10, ces 1-3; seed 5 has no "bad", the 90-day demo has), 27 only
    # offered; plus 2 unoffered ratings a day
    c001 = [s for s in good_originals(tiny.out_dir, "surveys", "C001")
            if s["interaction_type"] == "ticket"]  # fmt: skip
    assert (len(c001), sum(s["responded_at"] is not None for s in c001)) == (29, 2)
    assert Counter(r["score"] for r in ratings) == {"offered": 27, "good": 2, "unoffered": 6}
    tickets = vendor_records(mixed.out_dir, "zendesk_tickets")
    by_channel = Counter(t["via"]["channel"] for t in tickets)
    assert by_channel["voice"] == 3 and sum(t["status"] == "deleted" for t in tickets) == 3
    email = next(
        t for t in tickets if t["via"]["channel"] == "email" and t["via"]["source"]["from"]
    )
    assert "@" in email["via"]["source"]["from"]["address"]
    assert not next(t for t in tickets if t["via"]["channel"] == "web")["via"]["source"]["from"]
    groups = {r["queue_ref"] for r in source_rows(mixed.out_dir, "queues")
              if r["system"] == "zendesk"}  # fmt: skip
    assert all(str(t["group_id"] or t["brand_id"]) in groups for t in tickets)
    metrics = vendor_records(mixed.out_dir, "zendesk_ticket_metrics")
    assert {m["ticket_id"] for m in metrics} == {t["id"] for t in tickets}

    responses = vendor_records(mixed.out_dir, "qualtrics_responses")
    assert Counter((r["status"], r["finished"]) for r in responses)[("1", "1")] == 3  # previews
    assert Counter((r["status"], r["finished"]) for r in responses)[("0", "0")] == 3  # unfinished
    survey = next((mixed.out_dir / "qualtrics_responses").iterdir())
    first_file = next(survey.iterdir())
    header = first_file.read_text().splitlines()[:3]
    assert header[0].startswith("StartDate,EndDate,Status,IPAddress,")
    assert header[2].startswith('"{""ImportId"":""startDate"",""timeZone"":""America/New_York""}"')
    questions = source_rows(mixed.out_dir, "survey_questions")
    assert {(q["survey_ref"], q["question_ref"], q["survey_type"]) for q in questions} == {
        (survey.name, "QID1", "nps"), (survey.name, "QID2", "csat"), (survey.name, "QID3", "ces")}  # fmt: skip
    assert any(r.get("recipientEmail") and r.get("ipAddress") for r in responses)


def test_canonical_queues_name_their_client_and_the_site_that_staffs_them(
    mixed: GenerationSummary,
) -> None:
    out = mixed.out_dir
    rows = [r for r in source_rows(out, "queues") if r["system"] == "canonical"]
    # C003 is the one client on canonical calls; its teams are at S01, S02 and S03, which
    # take its queues in turn; merchant_support, its last inbound queue, has no site on purpose
    assert [(r["queue_ref"], r["client_id"], r["site_id"], r["queue_name"]) for r in rows] == [
        ("payments", "C003", "S01", "payments"),
        ("kyc", "C003", "S02", "kyc"),
        ("merchant_support", "C003", None, "merchant_support"),
        ("outbound", "C003", "S01", "outbound"),
    ]
    calls = [c for c in source_rows(out, "calls") if parse_reason("calls", c) is None]
    assert {c["queue"] for c in calls} == {r["queue_ref"] for r in rows}
    # a site staffs a queue of a client with a team there; in-house and outsourced sites,
    # onshore and offshore, staff queues
    teams = {(t["client_id"], t["site_id"]) for t in source_rows(out, "teams")}
    assert all((r["client_id"], r["site_id"]) in teams for r in rows if r["site_id"])
    sites = {s["site_id"]: (s["sourcing"], s["location_type"]) for s in source_rows(out, "sites")}
    assert sites == {"S01": ("in_house", "onshore"), "S02": ("outsourced", "offshore"),
                     "S03": ("outsourced", "nearshore")}  # fmt: skip
    assert {sites[r["site_id"]] for r in rows if r["site_id"]} == {
        ("in_house", "onshore"), ("outsourced", "offshore")}  # fmt: skip


def test_a_queue_name_two_canonical_clients_share_gets_no_row(tmp_path: Path) -> None:
    six = generate_sample_exports(tmp_path / "landing", **TINY, clients=6, platforms="mixed")
    rows = [r for r in source_rows(six.out_dir, "queues") if r["system"] == "canonical"]
    # C003 and C006 are on canonical calls (the platform sets cycle every three clients);
    # both have an outbound queue, which the key (system, queue_ref) cannot tell apart
    assert [(r["queue_ref"], r["client_id"], r["site_id"]) for r in rows] == [
        ("payments", "C003", "S01"), ("kyc", "C003", "S02"), ("merchant_support", "C003", None),
        ("orders", "C006", "S01"), ("returns", "C006", "S02"), ("delivery", "C006", "S03"),
    ]  # fmt: skip
