"""A validation worker process: ``python -m data_quality.worker`` (started by
:class:`data_quality.workers.ValidationWorkers`, not by hand).

Imports Great Expectations at once, then answers pickled requests read from stdin, one
reply each on the stdout it had at start; everything else written to stdout goes to
stderr. Exits at the end of stdin.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import sys
import traceback
from dataclasses import replace


def serve(requests, replies) -> None:
    from data_quality.runner import gx_context

    gx_context()  # import GX and create the context before the first request
    release_memory = _memory_releaser()
    while True:
        try:
            request = pickle.load(requests)
        except (EOFError, pickle.UnpicklingError):  # closed (or cut short by an interrupt)
            return
        reply = _answer(request)
        del request
        replies.write(reply)
        replies.flush()
        if not _request_within(requests, IDLE_SECONDS):
            release_memory()


def _answer(request) -> bytes:
    """The pickled reply to one request (its frames are freed when this returns)."""
    from data_quality.runner import validate_frame
    from data_quality.suites import suite_for
    from data_quality.workers import ErrorReply, ValidateReply

    try:
        outcome = validate_frame(request.rows.to_pandas(), suite_for(request.table, request.config))
        docs = None
        if request.docs is not None and outcome.gx_result is not None:
            from data_quality.data_docs import build_data_docs

            docs = str(build_data_docs([outcome], request.docs.out_dir, request.docs.run_name))
        return pickle.dumps(
            ValidateReply(replace(outcome, gx_result=None), docs), protocol=pickle.HIGHEST_PROTOCOL
        )
    except Exception:  # noqa: BLE001 (any failure goes back to the run, with its traceback)
        return pickle.dumps(ErrorReply(traceback.format_exc()))


# A worker idle this long (a table's chunks come back to back) gives its memory back.
IDLE_SECONDS = 1.0


def _request_within(requests, seconds: float) -> bool:
    """Whether a request arrives within ``seconds``. The run sends a worker its next
    request only after reading its reply, so none is left in the buffered reader."""
    readable, _, _ = select.select([requests], [], [], seconds)
    return bool(readable)


def _memory_releaser():
    """Hand the freed heap back to the system when the worker is idle: glibc keeps large
    freed blocks (pandas columns of a chunk) in the process, and an idle worker would
    hold hundreds of MB through the rest of the run (dbt and the publish need them). Not
    after every chunk: a full garbage collection with GX loaded takes a tenth of a second."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return gc.collect

    def release() -> None:
        gc.collect()
        libc.malloc_trim(0)

    return release


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    # Ctrl-C reaches the whole process group: the run reports it, the worker just ends
    with replies, contextlib.suppress(KeyboardInterrupt):
        serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
