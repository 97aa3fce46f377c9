"""Benchmark of CX Warehouse at real scale: a year of a 500-agent BPO on this machine.

Generates the year once (cached under the work dir), then measures, each several times
with the median reported, wall time and peak memory (RSS of the whole process tree):

* ``full_build``: ``cxw run`` from an empty build database (ingest, dbt, checks, publish);
* ``nightly_one_new_day``: ``cxw run`` when one new day of exports lands on top of the year;
* ``nightly_no_new_files``: ``cxw run`` with nothing new;
* ``intraday``: ``cxw run`` when one 30-minute export of calls lands on top of the year
  less its last day (the busiest of the last day's 30-minute calls exports): a run during
  the day. It starts from what a run during the day finds: the half hour before it was
  published by the run before (``intraday_first_of_the_day``, measured once: the first
  run after the nightly build, which has no earlier release to start its publish from);
* ``floor_duckdb_load``: plain DuckDB loading the same landing files (CREATE TABLE AS
  SELECT * FROM read_csv/read_json/read_parquet), the floor the pipeline is a ratio to;
  when both are measured, a floor run precedes each full build (as many as there are
  floor runs), and the median of the pairs' ratios is reported beside the ratio of the
  medians;
* ``full_build_month``: a full build of the first month, for the linearity ratio;
* ``full_build_connect_calls``: a full build of the same year with its calls delivered as
  Amazon Connect contact records (``bench/connect_year.py``), each just after a full build
  of the canonical year; the median of the pairs' ratios is reported.

Beside each run it records the time of a fixed CPU task just before it (``probe_seconds``)
and the shares of the machine's CPU time that were busy and stolen during it.

Each run's output is kept in ``<work-dir>/logs/<scenario>_<n>.log`` (Dagster's step
timings: where the time goes).

Usage: ``uv run python -m bench.benchmark [--work-dir data/bench] [--repeats 3]
[--full-repeats 3] [--vendor-repeats 2] [--days 365] [--agents 500] [--only floor full
nightly month vendor]``. Writes ``<work-dir>/results.json`` and ``results.md``. A full run
with the defaults takes about 40 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from bench.connect_year import write_connect_year
from bench.landing_data import (
    START,
    copy_path,
    generate,
    land_intraday_calls,
    split_last_day,
    subset_days,
)
from bench.results_table import commit, results_table


@dataclass(frozen=True)
class Measurement:
    scenario: str
    wall_seconds: float
    peak_rss_mib: float
    exit_code: int
    # How the machine's CPUs were spent during the run (shares of all CPU time, from
    # /proc/stat; None where there is none; busy includes stolen): a run slower than its
    # twin with the same busy share, or with CPU time stolen by the hypervisor, was slowed
    # by the machine.
    cpu_busy_share: float | None = None
    cpu_steal_share: float | None = None
    # Seconds of a fixed CPU task (hashing 256 MiB) just before the run: the CPU's speed.
    probe_seconds: float | None = None


def cpu_probe() -> float:
    """Seconds to hash 256 MiB with sha256, on one core: a reading of the CPU's speed beside
    each run (it did not follow the floor's drift on 2026-12-01; see DECISIONLOG.md)."""
    block = bytes(64 * 2**20)
    started = time.perf_counter()
    for _ in range(4):
        hashlib.sha256(block).digest()
    return round(time.perf_counter() - started, 3)


def _cpu_times() -> list[int] | None:
    """The machine's CPU times: user, nice, system, idle, iowait, irq, softirq, steal."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    return [int(v) for v in fields[1:9]]


def _cpu_shares(before: list[int] | None, after: list[int] | None) -> tuple[float | None, ...]:
    """(busy, steal) shares of the CPU time between two readings of ``_cpu_times``."""
    if before is None or after is None:
        return None, None
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    if total <= 0:
        return None, None
    idle = spent[3] + spent[4]
    return round(1 - idle / total, 3), round(spent[7] / total, 3)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measure(
    scenario: str, command: list[str], env: dict[str, str], log: Path | None = None
) -> Measurement:
    """Run a command; sample the RSS of its whole process tree every 50 ms; keep what it
    printed in ``log`` (Dagster's step timings are there).

    The disk first writes out what is pending (the scenario before, the copies of the
    saved state): a run is timed without the write-back of the harness's own gigabytes."""
    os.sync()
    probe = cpu_probe()
    cpu_before = _cpu_times()
    started = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    ps = psutil.Process(proc.pid)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, _tree_rss(ps))
        time.sleep(0.05)
    reader.join()
    wall = time.monotonic() - started
    busy, steal = _cpu_shares(cpu_before, _cpu_times())
    printed = b"".join(output).decode(errors="replace")
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(printed)
    if proc.returncode != 0:
        tail = printed[-3000:]
        print(f"{scenario}: exit {proc.returncode}\n{tail}", file=sys.stderr)
    return Measurement(
        scenario, round(wall, 2), round(peak / 2**20, 1), proc.returncode, busy, steal, probe
    )


def _env(landing: Path, build: Path, warehouse: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXW_")}
    env.update(
        CXW_LANDING_DIR=str(landing),
        CXW_BUILD_PATH=str(build),
        CXW_WAREHOUSE_PATH=str(warehouse),
        CXW_PARQUET_DIR=str(build.parent / "warehouse_parquet"),
        CXW_QUALITY_PAGE_DIR=str(build.parent / "quality_docs"),
        CXW_REPORT_PATH=str(build.parent / "kpi_report.html"),
        CXW_LANDING_SENSOR="off",
    )
    env.pop("DAGSTER_HOME", None)
    return env


_FLOOR_SQL = """
import sys, duckdb
from pathlib import Path
landing = Path(sys.argv[1])
con = duckdb.connect(sys.argv[2])
con.execute("set memory_limit = '2GB'").fetchall()
con.execute("set threads = 2").fetchall()
con.execute("set preserve_insertion_order = false").fetchall()
readers = {
    ".csv": "read_csv('{}', all_varchar=true)",
    ".gz": "read_csv('{}', all_varchar=true)",
    ".jsonl": "read_json('{}', format='newline_delimited')",
    ".ndjson": "read_json('{}', format='newline_delimited')",
    ".parquet": "read_parquet('{}')",
}
# file by file: one read_csv over hundreds of gzip files runs out of memory in DuckDB 2.0
for source in sorted(p.name for p in landing.iterdir() if p.is_dir()):
    created = set()
    for path in sorted((landing / source).iterdir()):
        suffix = ".gz" if path.name.endswith(".csv.gz") else path.suffix
        if path.name.endswith((".jsonl.gz", ".ndjson.gz")):
            suffix = ".jsonl"
        if suffix not in readers or path.name.startswith("."):
            continue
        table = f"{source}_{suffix.strip('.')}"
        select = "select * from " + readers[suffix].format(path)
        if table in created:
            con.execute(f"insert into {table} by name {select}").fetchall()
        else:
            con.execute(f"create table {table} as {select}").fetchall()
            created.add(table)
con.close()
"""


SCENARIO_GROUPS = ("floor", "full", "nightly", "month", "vendor")


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _median_of(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _median(ms: list[Measurement]) -> dict[str, float]:
    return {
        "wall_seconds": statistics.median(m.wall_seconds for m in ms),
        "peak_rss_mib": statistics.median(m.peak_rss_mib for m in ms),
        "max_peak_rss_mib": max(m.peak_rss_mib for m in ms),
        "cpu_busy_share": _median_of([m.cpu_busy_share for m in ms]),
        "cpu_steal_share": _median_of([m.cpu_steal_share for m in ms]),
        "probe_seconds": _median_of([m.probe_seconds for m in ms]),
        "runs": len(ms),
        "failures": sum(m.exit_code != 0 for m in ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path("data/bench"))
    parser.add_argument("--repeats", type=int, default=3, help="runs of the short scenarios")
    parser.add_argument("--full-repeats", type=int, default=3, help="runs of the full builds")
    parser.add_argument(
        "--vendor-repeats",
        type=int,
        default=2,
        help="full builds of the year's calls as Amazon Connect records, each just after a "
        "full build of the canonical year",
    )
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SCENARIO_GROUPS,
        default=list(SCENARIO_GROUPS),
        help="run only these groups of scenarios",
    )
    args = parser.parse_args(argv)
    work = args.work_dir.resolve()
    year, base, new_day, month = work / "year", work / "base", work / "new_day", work / "month"
    last_day = START + dt.timedelta(days=args.days - 1)
    generate(year, args.days, args.agents)
    split_last_day(year, base, new_day, last_day)
    subset_days(year, month, START + dt.timedelta(days=30))
    connect_year = work / "connect_year"
    if "vendor" in args.only:
        write_connect_year(year, connect_year)
    cxw_run = [sys.executable, "-m", "orchestration.cli", "run"]
    runs: dict[str, list[Measurement]] = {}

    logs = work / "logs"

    def log_of(scenario: str) -> Path:
        return logs / f"{scenario}_{len(runs.get(scenario, [])) + 1}.log"

    def record(m: Measurement) -> Measurement:
        runs.setdefault(m.scenario, []).append(m)
        print(
            f"  {m.scenario:<24} {m.wall_seconds:>8.1f} s {m.peak_rss_mib:>8.0f} MiB"
            f"  cpu busy {_share(m.cpu_busy_share)}, stolen {_share(m.cpu_steal_share)};"
            f" probe {m.probe_seconds} s",
            flush=True,
        )
        return m

    scratch = work / "scratch"

    def fresh_scratch() -> Path:
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        return scratch

    def floor_run() -> Measurement:
        """The floor: plain DuckDB loading the same files."""
        floor_db = fresh_scratch() / "floor.duckdb"
        floor = [sys.executable, "-c", _FLOOR_SQL, str(year), str(floor_db)]
        return record(measure("floor_duckdb_load", floor, os.environ.copy()))

    def full_run() -> tuple[Measurement, dict[str, str]]:
        """A full build of the year from an empty build database."""
        env = _env(year, fresh_scratch() / "build.duckdb", scratch / "warehouse.duckdb")
        return record(measure("full_build", cxw_run, env, log_of("full_build"))), env

    def connect_run() -> Measurement:
        """A full build of the same year with its calls as Amazon Connect records, in a
        folder of its own: the canonical build beside it stays for the night after it."""
        own = work / "scratch_connect"
        shutil.rmtree(own, ignore_errors=True)
        own.mkdir(parents=True)
        env = _env(connect_year, own / "build.duckdb", own / "warehouse.duckdb")
        scenario = "full_build_connect_calls"
        try:
            return record(measure(scenario, cxw_run, env, log_of(scenario)))
        finally:
            shutil.rmtree(own, ignore_errors=True)

    # The floor and the full builds, in pairs (a floor run just before each full build)
    # when both are asked for: the machine's speed drifts by 20% within an hour, and a
    # pair's ratio is read at one speed. The last full build is then run again with
    # nothing new.
    floors = args.repeats if "floor" in args.only else 0
    fulls = args.full_repeats if "full" in args.only else 0
    vendors = args.vendor_repeats if "vendor" in args.only else 0
    paired_ratios: list[float] = []
    connect_ratios: list[float] = []
    for _ in range(floors - min(floors, fulls)):
        floor_run()
    for i in range(max(fulls, vendors)):
        before = floor_run() if i < floors else None
        full, full_env = full_run()
        if i < fulls:
            env = full_env
        if before is not None and before.exit_code == full.exit_code == 0:
            paired_ratios.append(full.wall_seconds / before.wall_seconds)
        if i < vendors:
            connect = connect_run()
            if connect.exit_code == full.exit_code == 0:
                connect_ratios.append(connect.wall_seconds / full.wall_seconds)
    for _ in range(args.repeats if fulls else 0):
        record(measure("nightly_no_new_files", cxw_run, env, log_of("nightly_no_new_files")))

    # On top of the year less its last day: half an hour of calls during the day, then the
    # last day. Build the base once, keep a copy of that build (build database, published
    # file and its Parquet copy: a run publishes by delta only onto the files of the last
    # publish), and before every run put it back.
    landing = fresh_scratch() / "landing"
    shutil.copytree(base, landing, copy_function=os.link)
    env = _env(landing, scratch / "build.duckdb", scratch / "warehouse.duckdb")
    nightly = "nightly" in args.only
    if (
        nightly
        and record(
            measure("base_build_364_days", cxw_run, env, log_of("base_build_364_days"))
        ).exit_code
        == 0
    ):
        state = [scratch / "build.duckdb", scratch / "warehouse.duckdb"]
        # The published names are links into the releases folder: all of it is the state.
        state += [scratch / "warehouse_parquet", scratch / ".warehouse.duckdb.releases"]

        def save(suffix: str) -> dict[Path, Path]:
            saved = {p: p.with_name(p.name + suffix) for p in state}
            for path, copy in saved.items():
                copy_path(path, copy)
            return saved

        def run_on(saved: dict[Path, Path], scenario: str) -> None:
            for _ in range(args.repeats):
                for path, copy in saved.items():
                    copy_path(copy, path)
                # The copy leaves gigabytes of unwritten pages: written now, before the clock
                # starts, not by the measured run's first fsync. A deployment's run finds the
                # files of the last run on disk.
                os.sync()
                record(measure(scenario, cxw_run, env, log_of(scenario)))

        nightly_base = save(".saved")
        # During the day a run finds the half hour before it published by the run before
        # (whose release it replaced is the one its publish starts from): that run first.
        earlier, intraday = land_intraday_calls(new_day, landing, last_day)
        first = measure(
            "intraday_first_of_the_day", cxw_run, env, log_of("intraday_first_of_the_day")
        )
        if record(first).exit_code == 0:
            during_the_day = save(".intraday")
            os.link(intraday.source, intraday.target)
            run_on(during_the_day, "intraday")
        for landed in (earlier, intraday.target):
            landed.unlink(missing_ok=True)
        shutil.copytree(new_day, landing, copy_function=os.link, dirs_exist_ok=True)
        run_on(nightly_base, "nightly_one_new_day")

    # The first month alone, for linearity (a year should cost at most 12 months).
    for _ in range(args.full_repeats if "month" in args.only else 0):
        env = _env(month, fresh_scratch() / "build.duckdb", scratch / "warehouse.duckdb")
        record(measure("full_build_month", cxw_run, env, log_of("full_build_month")))
    shutil.rmtree(scratch, ignore_errors=True)

    summary = {name: _median(ms) for name, ms in runs.items()}
    floor = summary.get("floor_duckdb_load", {}).get("wall_seconds")
    full = summary.get("full_build", {}).get("wall_seconds")
    month_s = summary.get("full_build_month", {}).get("wall_seconds")
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        },
        "sample": {"start": START.isoformat(), "days": args.days, "agents": args.agents},
        "median": summary,
        "ratios": {
            "full_build_to_floor": round(full / floor, 2) if full and floor else None,
            "full_build_to_floor_paired": (
                round(statistics.median(paired_ratios), 2) if paired_ratios else None
            ),
            "paired_ratios": [round(r, 2) for r in paired_ratios],
            "year_to_month": round(full / month_s, 2) if full and month_s else None,
            "connect_calls_to_canonical_paired": (
                round(statistics.median(connect_ratios), 2) if connect_ratios else None
            ),
            "connect_ratios": [round(r, 2) for r in connect_ratios],
        },
        "runs": [asdict(m) for ms in runs.values() for m in ms],
    }
    result["commit"] = commit()
    (work / "results.json").write_text(json.dumps(result, indent=2))
    lines = results_table(result)
    (work / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if any(s["failures"] for s in summary.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
