"""The next night's exports for a copy of the shared sample build (helpers, not tests).

The sample build holds ``SMALL_SAMPLE`` (7 days from 2026-03-05). The night after it is
the same generator with the same seed and one more day; only the files that carry the
new date (2026-03-12) are added to the landing zone, so a ``cxw run`` ingests exactly one
new day (calls, tickets, surveys, a roster snapshot, customer changes, a teams
re-export, corrections) and publishes new numbers.

The new day is generated without bad input on purpose (``clean=True``): these tests are
about publishing, not about the gate. One day holds few answers per survey type, so a
single one of the generator's deliberate bad scores can exceed the 5% scale-drift gate,
and such a night is, rightly, not published (``test_quality_gate.py`` tests that).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.sample_exports import generate_sample_exports
from tests.integration.conftest import SMALL_SAMPLE, Deployment

NEXT_DAY: dt.date = SMALL_SAMPLE["start"] + dt.timedelta(days=SMALL_SAMPLE["days"])


def add_next_day(deployment: Deployment, scratch: Path) -> list[str]:
    """Copy the exports dated NEXT_DAY into the deployment's landing zone; their paths."""
    generated = scratch / "landing"
    generate_sample_exports(
        generated, **{**SMALL_SAMPLE, "days": SMALL_SAMPLE["days"] + 1}, clean=True
    )
    added = []
    for path in sorted(generated.rglob(f"*{NEXT_DAY.isoformat()}*")):
        relative = path.relative_to(generated)
        target = deployment.landing_dir / relative
        assert not target.exists(), f"{relative} is already in the landing zone"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        added.append(relative.as_posix())
    assert any(p.startswith("calls/") for p in added), added
    assert any(p.startswith("surveys/") for p in added), added
    return added


def start_cxw_run(deployment: Deployment) -> subprocess.Popen:
    """``cxw run`` in the background, in its own session (so its process group can be
    killed whole), unbuffered, stdout and stderr merged into one text stream."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run"],
        env=deployment.env(PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
