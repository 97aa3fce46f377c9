"""The landing zones the benchmark runs on: the generated year (cached), the year less
its last day with that day (or one 30-minute calls export of it) to land on top, and the
first month; copied into a scenario's own folder before each run."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

START = dt.date(2025, 1, 1)


def generate(out: Path, days: int, agents: int) -> None:
    marker = out / ".generated.json"
    wanted = {
        "start": START.isoformat(),
        "days": days,
        "agents": agents,
        "seed": 2025,
        "platforms": "canonical",
        "latest_day_calls": "30-minute files",  # a year cached before that is written again
    }
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return
    shutil.rmtree(out, ignore_errors=True)
    print(f"generating {days} days for {agents} agents into {out} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "generate",
            "--out",
            str(out),
            "--start",
            START.isoformat(),
            "--days",
            str(days),
            "--agents",
            str(agents),
            "--seed",
            "2025",
            "--platforms",
            "canonical",
        ],
        check=True,
    )
    marker.write_text(json.dumps(wanted))


def split_last_day(year: Path, base: Path, new_day: Path, last_day: dt.date) -> None:
    """``base``: every file but the last day's; ``new_day``: just those (hard links)."""
    if base.exists() and new_day.exists():
        return
    tag = last_day.isoformat()
    for path in sorted(year.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(year)
        target = (new_day if tag in path.name else base) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)


@dataclass(frozen=True)
class IntradayExport:
    """The 30-minute calls export a run during the day finds new, not landed yet."""

    source: Path
    target: Path


def land_intraday_calls(
    new_day: Path, landing: Path, last_day: dt.date
) -> tuple[Path, IntradayExport]:
    """The 30-minute exports of calls of a run during the day: the generator delivers the
    last day's calls as one file per UTC half hour; the busiest of them (most calls) is the
    run's, and the one before it (landed now) the run before's. Returns the landed file
    and the busiest, to land later."""
    slices = sorted(new_day.glob(f"calls/calls_{last_day}_*Z.csv.gz"))
    if len(slices) < 2:
        raise FileNotFoundError(f"no two 30-minute calls exports of {last_day} in {new_day}")

    def calls_in(path: Path) -> int:
        with gzip.open(path, "rt", newline="") as fh:
            return sum(1 for _ in csv.reader(fh)) - 1

    counts = {path: calls_in(path) for path in slices[1:]}
    busiest = max(slices[1:], key=counts.__getitem__)
    before = slices[slices.index(busiest) - 1]
    landed = landing / "calls" / before.name
    os.link(before, landed)
    print(f"intraday: {counts[busiest]} calls in {busiest.name}, after {before.name}", flush=True)
    return landed, IntradayExport(busiest, landing / "calls" / busiest.name)


def subset_days(year: Path, out: Path, last_day: dt.date) -> None:
    """Every file whose date tag is on or before ``last_day`` (for the month build)."""
    if out.exists():
        return
    for path in sorted(year.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        tags = [part for part in path.name.replace(".", "_").split("_") if part.count("-") == 2]
        if tags and dt.date.fromisoformat(tags[0]) > last_day:
            continue
        target = out / path.relative_to(year)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)


def copy_path(source: Path, target: Path) -> None:
    """A file, a folder or a link (kept a link), replacing what is at ``target``."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)
