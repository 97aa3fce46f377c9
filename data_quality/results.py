"""The last result of each suite, kept as JSON for the quality page (no Dagster, no GX here).

``<results_dir>/<suite>.json`` holds the last :class:`~data_quality.outcomes.SuiteOutcome`
of a suite (one file per suite: a table validated again replaces its result), with the
run that produced it and when. :func:`record_outcome` is what a run calls after each
validation: it saves the result (atomically: a reader never sees half a file) and
renders ``<results_dir>/index.html`` again from every suite's last result, with
``orchestration.report.quality_page`` (imported when called: the page shares the KPI
report's styles).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from data_quality.outcomes import SuiteOutcome

RESULT_FORMAT = 1
RESULT_SUFFIX = ".json"
LOCK = ".quality_page.lock"


def record_outcome(
    outcome: SuiteOutcome,
    results_dir: Path | str,
    run_id: str,
    *,
    validated_at: dt.datetime | None = None,
) -> Path:
    """Keep ``outcome`` as its suite's last result and render the quality page again;
    return the page (``<results_dir>/index.html``).

    Checks running at once (in several processes) each see every result written before
    theirs: saving and rendering hold a lock file in ``results_dir``.
    """
    from orchestration.report.quality_page import write_quality_page

    out_dir = Path(results_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir / LOCK):
        save_result(outcome, out_dir, run_id, validated_at)
        return write_quality_page(out_dir)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: one writer at a time is the caller's business
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def result_record(
    outcome: SuiteOutcome, run_id: str, validated_at: dt.datetime | None = None
) -> dict[str, Any]:
    """The outcome as a JSON-friendly dict, with the run and the time (UTC) of the validation."""
    validated_at = validated_at or dt.datetime.now(dt.UTC)
    return {
        "format": RESULT_FORMAT,
        "suite": outcome.suite_name,
        "table": outcome.table,
        "run_id": run_id,
        "validated_at": validated_at.isoformat(timespec="seconds"),
        "rows": outcome.rows,
        "success": outcome.success,
        "seconds": round(outcome.seconds, 3),
        "expectations": [{**asdict(o), "severity": o.severity} for o in outcome.outcomes],
    }


def save_result(
    outcome: SuiteOutcome,
    results_dir: Path | str,
    run_id: str,
    validated_at: dt.datetime | None = None,
) -> Path:
    """Write the outcome as ``<results_dir>/<suite>.json`` (atomically); return its path."""
    out_dir = Path(results_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{outcome.suite_name}{RESULT_SUFFIX}"
    text = json.dumps(result_record(outcome, run_id, validated_at), indent=1, allow_nan=False)
    write_atomically(path, text)
    return path


def load_results(results_dir: Path | str) -> list[dict[str, Any]]:
    """Every suite's last result in ``results_dir`` (by suite name); none when it is absent.

    A file that is not a result of this format (unreadable, or another JSON) is skipped.
    """
    out_dir = Path(results_dir)
    if not out_dir.is_dir():
        return []
    results = []
    for path in sorted(out_dir.glob(f"*__suite{RESULT_SUFFIX}")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("format") == RESULT_FORMAT:
            results.append(record)
    return results


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` at once: written to a temporary file beside it first."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the page is for anyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
