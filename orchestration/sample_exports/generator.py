"""``cxw generate``: a deterministic landing zone of realistic exports for every source.

Layout (``out_dir/<source>/...``, one directory per ``contract.SOURCES`` name):

================  =====================================  ======================================
source            files                                  format / timestamps
================  =====================================  ======================================
clients           clients_<start>.csv                    CSV with UTF-8 BOM
sites             sites_<start>.jsonl                    JSON Lines
teams             teams_<start>.csv, teams_<day 8|last>  CSV; the re-export changes a supervisor
agent_roster      agent_roster_<as_of>.csv every 7 days  CSV, Title_Case headers, full snapshots
calls             calls_<day>.csv.gz                     gzip CSV, UTC ``...Z``
                  calls_<last>_<YYYYMMDDTHHMMZ>.csv.gz   the latest day in 30-minute exports:
                                                         its calls by the UTC slice of
                                                         ``offered_at`` (empty slices: no file)
                  calls_<last>_correction.csv            CSV, ``+00:00``: day-1 rows corrected
tickets           tickets_<day>.jsonl                    JSON Lines, client-local ``-05:00``
                                                         offsets, extra column ``tags``
                  tickets_<day2>_backfill.jsonl          re-sent rows WITHOUT ``channel``
                                                         (not with ``clean``)
surveys           surveys_<day>.parquet                  Parquet, text columns, naive UTC
                  surveys_<last>_correction.parquet      re-delivered answers with a new score
customers         customers_<day>.parquet                Parquet, typed DATE columns; full
                                                         export on day 1, then weekly changes
employee_surveys  employee_surveys_<date>.ndjson.gz      gzip JSON Lines, integer scores; monthly
================  =====================================  ======================================

Facts of a day are those of each client's LOCAL day (its ``reporting_timezone``), so the
latest day's slices span more than 24 UTC hours: a slice is named by the day and the full UTC
instant it starts at. Slices sort after the earlier days' files and before the correction.

With ``platforms="mixed"`` (the default of ``cxw generate``) the clients on vendor platforms
get their calls, tickets and surveys as Amazon Connect, Genesys Cloud, Zendesk and
Qualtrics export them (:mod:`.vendors`), with the mapping sources ``queues``,
``agent_identities`` and ``survey_questions``; their rows are then left out of the
canonical files, so every interaction is delivered once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from orchestration.landing.contract import SOURCES
from orchestration.sample_exports import defects, facts, formats
from orchestration.sample_exports.canonical import (
    _OFFERED,
    _calls_text,
    _surveys_text,
    _tickets_text,
    _write_corrections,
    _write_customers,
    _write_dimensions,
    _write_intraday_calls,
)
from orchestration.sample_exports.customers import build_customers
from orchestration.sample_exports.platforms import (
    ALL_CANONICAL,
    CANONICAL,
    VendorIds,
    client_platforms,
)
from orchestration.sample_exports.vendors import VendorExports
from orchestration.sample_exports.workforce import build_workforce, roster_snapshot, snapshot_days
from orchestration.sample_exports.world import CLIENT_CATALOG, SITE_CATALOG, build_world


@dataclass(frozen=True)
class GenerationSummary:
    out_dir: Path
    files: tuple[Path, ...]  # every file written
    rows_by_source: dict[
        str, int
    ]  # data rows per source (all files, bad and re-delivered rows too)
    bad_rows_by_reason: dict[str, int]  # injected bad rows by reason code (empty when clean)


CSAT_TEXTS = [label.lower() for labels in facts.CSAT_LABELS.values() for label in labels]

# Independent random streams: one per purpose (and per day), so each part is reproducible.
_WORKFORCE, _CUSTOMERS, _CALLS, _TICKETS, _SURVEYS, _PULSE, _DEFECTS, _CORRECTIONS = range(8)


class _Landing:
    """Writes files under ``out_dir`` and keeps the summary's bookkeeping."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files: list[Path] = []
        self.rows: Counter[str] = Counter()

    def _path(self, source: str, name: str) -> Path:
        return self.out_dir / source / name

    def csv(
        self, source: str, name: str, df: pl.DataFrame, *, bom: bool = False, gz: bool = False
    ) -> None:
        data = formats.csv_bytes(df, bom=bom)
        self._bytes(source, name, formats.gzipped(data) if gz else data, df.height)

    def jsonl(self, source: str, name: str, df: pl.DataFrame, *, gz: bool = False) -> None:
        data = formats.jsonl_bytes(df)
        self._bytes(source, name, formats.gzipped(data) if gz else data, df.height)

    def parquet(self, source: str, name: str, df: pl.DataFrame) -> None:
        path = self._path(source, name)
        formats.write_parquet(df, path)
        self._done(source, path, df.height)

    def raw(self, source: str, name: str, data: bytes, rows: int) -> None:
        """A file as a vendor delivers it; ``name`` may hold sub-folders."""
        path = self._path(source, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._done(source, path, rows)

    def _bytes(self, source: str, name: str, data: bytes, rows: int) -> None:
        path = self._path(source, name)
        path.write_bytes(data)
        self._done(source, path, rows)

    def _done(self, source: str, path: Path, rows: int) -> None:
        self.files.append(path)
        self.rows[source] += rows


def generate_sample_exports(
    out_dir: Path,
    *,
    start: date,
    days: int,
    agents: int,
    seed: int,
    clients: int = 3,
    sites: int = 3,
    clean: bool = False,
    bad_share: float = 0.005,
    platforms: str = CANONICAL,
    intraday: bool = True,
) -> GenerationSummary:
    """Write a landing zone of ``days`` days of exports from ``start``; same args, same bytes.

    ``platforms``: ``canonical`` (every client in the canonical sources; the default here,
    so callers that predate the vendor exports get the same bytes) or ``mixed`` (clients
    on Amazon Connect, Genesys Cloud, Zendesk and Qualtrics, see :mod:`.platforms`; the
    default of ``cxw generate``). Each interaction is delivered once, on its client's
    platform.

    ``intraday``: the latest day's canonical calls as one export per 30-minute UTC slice
    (False: one file, like every other day, the layout before intraday exports).

    Raises ``ValueError`` for impossible arguments and ``FileExistsError`` when a source
    directory under ``out_dir`` already holds files (a landing zone is never overwritten).
    """
    _check_args(days=days, agents=agents, clients=clients, sites=sites, bad_share=bad_share)
    sets = client_platforms(platforms, clients)
    out_dir = Path(out_dir)
    for source in SOURCES:
        folder = out_dir / source
        if folder.is_dir() and any(folder.iterdir()):
            raise FileExistsError(f"{folder} already holds files; generate into an empty directory")
    for source in SOURCES:
        (out_dir / source).mkdir(parents=True, exist_ok=True)

    def rng(*stream: int) -> np.random.Generator:
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))

    world = build_world(start, days, clients, sites)
    wf = build_workforce(world, agents, rng(_WORKFORCE))
    customers = build_customers(world, agents, rng(_CUSTOMERS))
    land = _Landing(out_dir)
    bad: Counter[str] = Counter()
    vendors = (
        VendorExports(land, world, wf, customers, sets, VendorIds(seed))
        if any(s != ALL_CANONICAL for s in sets)
        else None
    )
    tag = vendors is not None
    vendor_calls = vendors.vendor_clients("calls") if vendors else []
    vendor_tickets = vendors.vendor_clients("tickets") if vendors else []
    vendor_surveys = vendors.vendor_clients("surveys") if vendors else []
    zendesk_surveys = vendors.ticket_surveys_on_zendesk() if vendors else []

    def canonical_only(text: pl.DataFrame, delivered_by_vendor: pl.Expr) -> pl.DataFrame:
        """Rows of clients on canonical sources only; the vendor ones' bad rows uncounted."""
        if vendors is None:
            return text
        gone = text.filter(delivered_by_vendor)
        bad.subtract(Counter(gone[defects.BAD_REASON].drop_nulls().to_list()))
        return text.filter(~delivered_by_vendor).drop(defects.BAD_REASON)

    on_vendor_calls = pl.col("client_id").is_in(vendor_calls)
    on_vendor_tickets = pl.col("client_id").is_in(vendor_tickets)
    on_vendor_surveys = pl.col("client_id").is_in(vendor_surveys) | (
        pl.col("client_id").is_in(zendesk_surveys) & (pl.col("interaction_type") == "ticket")
    )

    _write_dimensions(land, world)
    for k, day in enumerate(snapshot_days(days)):
        snap = roster_snapshot(world, wf, k)
        land.csv(
            "agent_roster",
            f"agent_roster_{world.day(int(day))}.csv",
            snap.rename({c: c.title() for c in snap.columns}),
        )

    agent_labels = wf.agent_ids
    client_labels = np.array([c.client_id for c in world.clients], dtype=object)
    zones = [c.reporting_timezone for c in world.clients]
    first_day_calls = first_day_surveys = None
    backfill_day = min(1, days - 1)
    for day in range(days):
        d = world.day(day)
        calls = facts.calls_for_day(world, wf, customers, day, rng(_CALLS, day))
        tickets = facts.tickets_for_day(world, wf, customers, day, rng(_TICKETS, day))
        if vendors is not None:  # the ids the vendor platforms write (surveys point at them)
            calls = calls.with_columns(vendors.call_ids(calls))
            tickets = tickets.with_columns(vendors.ticket_ids(tickets))
        surveys = facts.surveys_for_day(world, wf, day, calls, tickets, rng(_SURVEYS, day))
        drng = rng(_DEFECTS, day)
        share = 0.0 if clean else bad_share
        force = not clean and day == 0

        sliced = intraday and day == days - 1
        counts = defects.defect_counts(
            drng, calls.height, tuple(defects.ROW_DEFECTS["calls"]), share, force
        )
        calls_text = _calls_text(calls, client_labels, agent_labels, formats.utc_z)
        if sliced:
            calls_text = calls_text.with_columns(calls["offered"].alias(_OFFERED))
        calls_text = defects.add_bad_rows(
            drng,
            calls_text,
            "calls",
            counts,
            lambda k, n=calls.height, d=d: facts.sequential_ids(f"CL{d:%Y%m%d}", k, n + 1),
            tag=tag,
        )
        bad.update(counts)
        calls_text = canonical_only(calls_text, on_vendor_calls)
        if sliced:
            _write_intraday_calls(land, d, calls_text)
        else:
            land.csv("calls", f"calls_{d}.csv.gz", calls_text, gz=True)

        n_reply = defects.defect_counts(drng, tickets.height, ("x",), share / 4, force)["x"]
        tickets, n_reply = defects.reply_before_creation(drng, tickets, n_reply)
        bad[defects.FIRST_RESPONSE_BEFORE_CREATION] += n_reply
        if vendors is not None:  # a vendor measures no reply before creation
            bad[defects.FIRST_RESPONSE_BEFORE_CREATION] -= tickets.filter(
                pl.col("client_index").is_in(
                    [i for i, c in enumerate(client_labels) if c in vendor_tickets]
                )
                & (pl.col("first_response") < pl.col("created"))
            ).height
        counts = defects.defect_counts(
            drng, tickets.height, tuple(defects.ROW_DEFECTS["tickets"]), share * 3 / 4, force
        )
        tickets_text = _tickets_text(tickets, client_labels, agent_labels, zones)
        written = defects.add_bad_rows(
            drng,
            tickets_text,
            "tickets",
            counts,
            lambda k, n=tickets.height, d=d: facts.sequential_ids(f"TK{d:%Y%m%d}", k, n + 1),
            tag=tag,
        )
        bad.update(counts)
        land.jsonl("tickets", f"tickets_{d}.jsonl", canonical_only(written, on_vendor_tickets))
        if vendors is not None:
            tickets_text = tickets_text.filter(~on_vendor_tickets)
        if not clean and day == backfill_day and tickets_text.height:
            backfill = tickets_text[: max(3, tickets_text.height // 100)].drop("channel")
            land.jsonl("tickets", f"tickets_{d}_backfill.jsonl", backfill)
            bad[defects.MISSING_REQUIRED_COLUMN] += backfill.height

        score_counts = defects.defect_counts(
            drng, surveys.height, (defects.OFF_SCALE_SCORE, defects.EMPTY_SCORE), share * 0.4, force
        )
        surveys, n_off, n_empty = defects.break_scores(
            drng, surveys, score_counts[defects.OFF_SCALE_SCORE], score_counts[defects.EMPTY_SCORE]
        )
        bad[defects.OFF_SCALE_SCORE] += n_off
        bad[defects.EMPTY_SCORE] += n_empty
        counts = defects.defect_counts(
            drng, surveys.height, tuple(defects.ROW_DEFECTS["surveys"]), share * 0.6, force
        )
        surveys_text = _surveys_text(surveys, client_labels, agent_labels)
        written = defects.add_bad_rows(
            drng,
            surveys_text,
            "surveys",
            counts,
            lambda k, n=surveys.height, d=d: facts.sequential_ids(f"SV{d:%Y%m%d}", k, n + 1),
            tag=tag,
        )
        bad.update(counts)
        land.parquet("surveys", f"surveys_{d}.parquet", canonical_only(written, on_vendor_surveys))
        if vendors is not None:
            # a vendor writes no off-scale or empty score: those answers are left empty there
            gone = surveys_text.filter(on_vendor_surveys & pl.col("responded_at").is_not_null())
            scored = gone.filter(pl.col("score").is_not_null())
            label = scored["score"].str.strip_chars().str.to_lowercase().is_in(CSAT_TEXTS) & (
                scored["survey_type"] == "csat"
            )
            bad[defects.EMPTY_SCORE] -= gone.height - scored.height
            bad[defects.OFF_SCALE_SCORE] -= (~defects.valid_score(scored) & ~label).sum()
            surveys_text = surveys_text.filter(~on_vendor_surveys)
            vendors.write_day(day, calls, tickets, surveys)
        if day == 0:
            first_day_calls, first_day_surveys = calls, surveys_text
            if vendors is not None:
                first_day_calls = calls.filter(
                    ~pl.col("client_index").is_in(
                        [i for i, c in enumerate(client_labels) if c in vendor_calls]
                    )
                )

    _write_corrections(
        land,
        world,
        first_day_calls,
        first_day_surveys,
        client_labels,
        agent_labels,
        rng(_CORRECTIONS),
    )
    _write_customers(land, world, customers)
    if vendors is not None:
        vendors.write_mapping_sources()
    for day in facts.pulse_days(world):
        pulse = facts.employee_pulse(world, wf, day, rng(_PULSE, day))
        land.jsonl(
            "employee_surveys", f"employee_surveys_{world.day(day)}.ndjson.gz", pulse, gz=True
        )

    return GenerationSummary(
        out_dir=out_dir,
        files=tuple(sorted(land.files)),
        rows_by_source={s: land.rows[s] for s in SOURCES},
        bad_rows_by_reason={} if clean else {r: bad[r] for r in defects.REASONS},
    )


def _check_args(*, days: int, agents: int, clients: int, sites: int, bad_share: float) -> None:
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if agents < 1:
        raise ValueError(f"agents must be at least 1, got {agents}")
    if not 1 <= clients <= len(CLIENT_CATALOG):
        raise ValueError(f"clients must be between 1 and {len(CLIENT_CATALOG)}, got {clients}")
    if not 1 <= sites <= len(SITE_CATALOG):
        raise ValueError(f"sites must be between 1 and {len(SITE_CATALOG)}, got {sites}")
    if not 0.0 <= bad_share <= 0.2:
        raise ValueError(f"bad_share must be between 0 and 0.2, got {bad_share}")
