"""Great Expectations in worker processes: off the run's critical path, on every core.

GX validates pandas frames in one Python thread, and importing it takes about 5 s. A
:class:`ValidationWorkers` pool runs it in separate processes (``python -m
data_quality.worker``):

* the first worker starts with the pool, so GX is imported while the run ingests;
* a table of several chunks is spread over up to ``processes`` workers (the others start
  when the first such table comes, and stop after ``EXTRA_WORKER_IDLE_SECONDS`` without
  a validation); on a 2-core machine, two workers validate a large table in about half
  the time;
* the first chunk of a table always goes to the first worker, which also writes the GX
  data docs of the run (one GX context holds every table's page, as the site index
  needs).

The caller reads the chunks (Arrow tables) and gets one :class:`SuiteOutcome` back, as
:func:`data_quality.runner.validate_frames` would give. A worker sends results back
through a pipe of its own (its stdout is redirected to stderr), one pickled reply per
request. A worker that dies or fails raises :class:`ValidationWorkerError` with its
traceback; the pool stays usable. A worker whose run process dies exits at the end of its
stdin.
"""

from __future__ import annotations

import contextlib
import itertools
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from data_quality.config import QualityConfig
    from data_quality.runner import SuiteOutcome


# Extra workers (all but the first) idle this long stop: between two checks of a run they
# stay; a step without validations (dbt) stops them at once (``stop_extra_workers``).
EXTRA_WORKER_IDLE_SECONDS = 10.0
# How long closing the pool waits for the extra workers it stopped to exit.
STOPPED_WORKERS_EXIT_SECONDS = 5.0
# GX works on pandas frames in memory, so a large validation (a full build of a year) is
# cut into chunks of about this many rows (orchestration.quality cuts them), validated one
# per worker, and the outcomes are added up: more rows than one chunk use the extra workers.
CHUNK_ROWS = 250_000


class ValidationWorkerError(RuntimeError):
    """A validation worker failed or exited; the message carries its error."""


@dataclass(frozen=True)
class DocsRequest:
    """Write the data docs of a validation to ``out_dir``, for the run ``run_name``."""

    out_dir: str
    run_name: str


@dataclass(frozen=True)
class ValidateRequest:
    table: str  # the suite's table, a key of data_quality.suites.SUITES
    config: QualityConfig
    rows: pa.Table
    docs: DocsRequest | None = None


@dataclass(frozen=True)
class ValidateReply:
    outcome: SuiteOutcome  # without its GX result (it stays in the worker)
    docs: str | None  # the data docs' index.html, when asked for


@dataclass(frozen=True)
class ErrorReply:
    traceback: str


class _Worker:
    def __init__(self, number: int) -> None:
        self.number = number
        self.process = subprocess.Popen(
            [sys.executable, "-m", "data_quality.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def send(self, request: ValidateRequest) -> None:
        try:
            pickle.dump(request, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except BrokenPipeError:
            raise self._exited() from None

    def receive(self) -> ValidateReply | ErrorReply:
        try:
            return pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError):  # it died, maybe in the middle of a reply
            raise self._exited() from None

    def _exited(self) -> ValidationWorkerError:
        code = self.process.wait()
        return ValidationWorkerError(
            f"validation worker {self.number} exited with code {code} (see its stderr above)"
        )

    def close(self, *, wait: bool = True) -> None:
        """End of stdin for an idle worker (it exits); killed if it does not within 2 s
        (e.g. still importing GX), or at once with ``wait=False``."""
        if wait and self.process.stdin and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(2.0)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe and not pipe.closed:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()


class ValidationWorkers:
    """Up to ``processes`` GX worker processes; use as a context manager, or :meth:`close`.

    A validation that fails (an error inside GX, or a worker that dies) raises
    :class:`ValidationWorkerError`; the pool stays usable for the next one (a dead or
    interrupted worker is replaced when needed).
    """

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"processes must be at least 1, got {processes}")
        self.processes = processes
        self._numbers = itertools.count()
        self._used_extra = False  # a worker was started beside a running one
        self._workers: list[_Worker] = []
        self._workers.append(self._start())
        self._closed = False
        self._busy = False
        self._lock = threading.Lock()  # the retire timer runs in another thread
        self._retire_timer: threading.Timer | None = None
        self._stopping: list[threading.Thread] = []  # closing stopped extra workers

    @classmethod
    def started(cls, processes: int) -> ValidationWorkers:
        """The pool :func:`prestart` started in this process, if any (taken over by the
        caller, with ``processes`` as its size), else a new one."""
        global _prestarted
        pool, _prestarted = _prestarted, None
        if pool is None:
            return cls(processes)
        pool.processes = max(1, processes)
        return pool

    def __enter__(self) -> ValidationWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, *, wait: bool = True) -> None:
        """Stop every worker (at once with ``wait=False``); the pool cannot be used after."""
        with self._lock:
            self._closed = True
            if self._retire_timer is not None:
                self._retire_timer.cancel()
            for worker in self._workers:
                worker.close(wait=wait)
            self._workers = []
            stopping, self._stopping = self._stopping, []
        for thread in stopping:
            thread.join(STOPPED_WORKERS_EXIT_SECONDS if wait else 0)

    def expect_rows(self, rows: int) -> None:
        """``rows`` will be validated soon: when they are more than one chunk, start the
        workers not running yet now (they import GX meanwhile), so that the validation
        uses every one from its first chunks."""
        if rows > CHUNK_ROWS:
            self.start_all()

    def restart_extra_workers(self) -> None:
        """Start again the extra workers stopped (by dbt, or while idle), if this pool has
        used them (a large run): its next validation is large too."""
        if self._used_extra:
            self.start_all()

    def start_all(self) -> None:
        """Start the workers not running yet."""
        with self._lock:
            if self._closed:
                return
            while len(self._workers) < self.processes:
                self._workers.append(self._start())

    def stop_extra_workers(self) -> None:
        """Stop every worker but the first (it holds the data docs), unless a validation
        is running: called when a long step without validations starts (dbt), and by the
        idle timer. They are told to stop at once and waited for in the background, so
        the caller does not wait for them to exit."""
        with self._lock:
            if self._retire_timer is not None:
                self._retire_timer.cancel()  # it would stop the workers started after this
                self._retire_timer = None
            if self._busy or self._closed:
                return
            extra, self._workers[1:] = self._workers[1:], []
            if extra:
                thread = threading.Thread(
                    target=_close_all, args=(extra,), name="cxw-stop-gx-workers", daemon=True
                )
                self._stopping = [t for t in self._stopping if t.is_alive()] + [thread]
                thread.start()

    def _start(self) -> _Worker:
        number = next(self._numbers)
        self._used_extra = self._used_extra or bool(self._workers)
        return _Worker(number)

    def _discard(self, workers: Iterable[_Worker]) -> None:
        for worker in list(workers):
            worker.close(wait=False)
            self._workers.remove(worker)

    def validate(
        self,
        table: str,
        config: QualityConfig,
        chunks: Iterable[pa.Table],
        docs: DocsRequest | None = None,
    ) -> tuple[SuiteOutcome, Path | None]:
        """Validate ``chunks`` (the rows of ``table``, cut as ``validate_frames`` needs)
        against the suite of ``table``; the outcome, and the data docs if asked for.

        The extra workers stay for the next validation (a run's checks come one after the
        other); they stop and give their memory back when a step without validations
        calls :meth:`stop_extra_workers` (dbt), or after ``EXTRA_WORKER_IDLE_SECONDS``
        without a validation.
        """
        with self._lock:
            if self._retire_timer is not None:
                self._retire_timer.cancel()
                self._retire_timer = None
            self._busy = True
        try:
            return self._validate(table, config, chunks, docs)
        finally:
            with self._lock:
                self._busy = False
                if len(self._workers) > 1 and not self._closed:
                    self._retire_timer = threading.Timer(
                        EXTRA_WORKER_IDLE_SECONDS, self.stop_extra_workers
                    )
                    self._retire_timer.daemon = True
                    self._retire_timer.start()

    def _validate(
        self,
        table: str,
        config: QualityConfig,
        chunks: Iterable[pa.Table],
        docs: DocsRequest | None,
    ) -> tuple[SuiteOutcome, Path | None]:
        from data_quality.runner import merge_outcomes
        from data_quality.suites import suite_for

        if self._closed:
            raise ValidationWorkerError("the validation workers are closed")
        suite = suite_for(table, config)
        parts: dict[int, SuiteOutcome] = {}
        errors: list[str] = []
        docs_path: str | None = None
        running: dict[_Worker, int] = {}  # worker -> number of the chunk it validates

        def collect(ready: Iterable[Any]) -> None:
            nonlocal docs_path
            for worker in [w for w in running if w.process.stdout in ready]:
                number = running.pop(worker)
                try:
                    reply = worker.receive()
                except ValidationWorkerError:
                    self._discard([worker])
                    raise
                if isinstance(reply, ErrorReply):
                    errors.append(
                        f"validation worker {worker.number} failed on chunk {number} of "
                        f"{table}:\n{reply.traceback}"
                    )
                else:
                    parts[number] = reply.outcome
                    docs_path = reply.docs or docs_path

        try:
            for number, rows in enumerate(_non_empty(chunks)):
                worker = self._free_worker(running, collect, first=number == 0)
                if errors:
                    break
                worker.send(ValidateRequest(table, config, rows, docs if number == 0 else None))
                running[worker] = number
            while running:
                collect(wait([w.process.stdout for w in running]))
        except BaseException:
            # a worker in the middle of a request cannot be reused, nor one that died
            dead = [w for w in self._workers if w.process.poll() is not None]
            self._discard(dict.fromkeys([*running, *dead]))
            raise
        if errors:
            raise ValidationWorkerError(errors[0])
        outcome = merge_outcomes([parts[n] for n in sorted(parts)], suite)  # none: empty, passes
        return outcome, Path(docs_path) if docs_path else None

    def _free_worker(self, running: dict[_Worker, int], collect, *, first: bool) -> _Worker:
        """The first worker for a table's first chunk (started again if it was discarded);
        else an idle one, starting one more when all are busy and the pool is not full,
        else the first to finish."""
        if not self._workers:
            self._workers.append(self._start())
        if first:
            return self._workers[0]
        idle = [w for w in self._workers if w not in running]
        if idle:
            return idle[0]
        if len(self._workers) < self.processes:
            self._workers.append(self._start())
            return self._workers[-1]
        collect(wait([w.process.stdout for w in running]))
        return next(w for w in self._workers if w not in running)


def _close_all(workers: list[_Worker]) -> None:
    """Close each worker (waiting for it to exit), even when closing another failed."""
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.close()


_prestarted: ValidationWorkers | None = None


def prestart(processes: int) -> None:
    """Start this process's first worker now, for the next :meth:`ValidationWorkers.started`:
    GX loads while the caller loads the job (``cxw run`` does this before importing Dagster)."""
    global _prestarted
    if _prestarted is None:
        _prestarted = ValidationWorkers(processes)


def discard_prestarted() -> None:
    """Stop the prestarted pool at once if nothing took it over (e.g. the run was refused)."""
    global _prestarted
    pool, _prestarted = _prestarted, None
    if pool is not None:
        pool.close(wait=False)


def _non_empty(chunks: Iterable[pa.Table]) -> Iterator[pa.Table]:
    return (rows for rows in chunks if rows.num_rows)
