"""What ``cxw run`` tells its caller: an exit code and one line.

Shared by the nightly job run in-process (``nightly.py``) and by a run that finds nothing
new before it imports Dagster (``nothing_new.py``), so both say the same thing.
"""

from __future__ import annotations

import sys
import time

EXIT_OK, EXIT_FAILED, EXIT_CONFIGURATION, EXIT_RUN_IN_PROGRESS = 0, 1, 2, 3
NOTHING_NEW = "nothing new since the last publish; the published warehouse is unchanged"


def refused(command: str, refusal: Exception, code: int) -> int:
    """Say on stderr why ``command`` did not run; return its exit code."""
    print(f"{command}: refused: {refusal}", file=sys.stderr)
    return code


def done(started: float, outcome: str) -> int:
    """Say that the run started at ``started`` (``time.monotonic()``) is done, and how."""
    print(f"cxw run: done in {time.monotonic() - started:.0f}s; {outcome}")
    return EXIT_OK
