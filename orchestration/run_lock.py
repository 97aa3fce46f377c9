"""At most one writer of the build database: a lock file beside it, held for the whole run.

``cxw run`` holds the lock for the whole run; every writing asset takes it too, so a run
launched by the schedule or the sensor in another process is refused with a clear
message instead of becoming a second DuckDB writer. The landing sensor takes the lock for
the moment it reads the build (to judge what a run has to build); a run that finds it
held by the sensor waits for it, briefly, instead of being refused. The lock is re-entrant within a
process (the assets of a ``cxw run`` find it already held) and dies with its process.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.settings import Settings


class RunInProgress(RuntimeError):
    """Another process is writing the build database."""


# Holders that only read the build for a moment (the landing sensor judging what a run
# has to build): a run that finds the lock held by one waits up to this long for it.
BRIEF_HOLDERS = ("landing sensor",)
BRIEF_HOLD_SECONDS = 10.0

_state = threading.local()
_process_locks: dict[Path, tuple[int, int]] = {}  # lock path -> (fd, depth)
_guard = threading.Lock()


def lock_path(settings: Settings) -> Path:
    return settings.build_path.with_name(settings.build_path.name + ".lock")


@contextmanager
def exclusive_build(settings: Settings, holder: str) -> Iterator[None]:
    """Hold the build lock; raise :class:`RunInProgress` at once if another process has it."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _guard:
        held = _process_locks.get(path)
        if held is not None:
            _process_locks[path] = (held[0], held[1] + 1)
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            waited_until = time.monotonic() + BRIEF_HOLD_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    other = os.pread(fd, 500, 0).decode(errors="replace").strip()
                    if other.startswith(BRIEF_HOLDERS) and time.monotonic() < waited_until:
                        time.sleep(0.05)  # a look at the build, not a run: it ends soon
                        continue
                    os.close(fd)
                    raise RunInProgress(
                        "another CX Warehouse run is writing the build database"
                        + (f" ({other})" if other else "")
                        + "; try again when it has finished"
                    ) from None
            started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{holder}, pid {os.getpid()}, since {started}".encode(), 0)
            _process_locks[path] = (fd, 1)
    try:
        yield
    finally:
        with _guard:
            fd, depth = _process_locks[path]
            if depth > 1:
                _process_locks[path] = (fd, depth - 1)
            else:
                del _process_locks[path]
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
