"""Validate rows against a suite with Great Expectations 1.x, in this process; plain results.

Knows nothing of Dagster: :func:`validate_chunks` (the rows of a table as Arrow chunks)
and :func:`validate_frame` (one pandas frame) return a :class:`SuiteOutcome` that the
orchestration turns into asset-check results and the quality page (unexpected counts
and examples are JSON-friendly).

* Great Expectations is imported lazily, on the first validation (the import takes
  seconds); importing this module does not import it. A run calls
  :func:`import_great_expectations_in_background` while it waits for work elsewhere (the
  dbt build), so the import overlaps it; the first validation then waits for it, and an
  import error is raised there.
* One ephemeral GX context per process (nothing is written to disk), with one pandas
  datasource and a whole-dataframe batch definition; each validation passes its frame
  as a batch parameter. A lock serializes validations (a GX context is not thread-safe).
* An empty frame is not handed to GX: it passes, with ``rows=0`` (nothing to validate;
  this also spares a run with no new rows the GX import).
* A GX exception inside one expectation (e.g. a missing column) fails that expectation,
  with the message in ``details["exception"]``; the others still run.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import threading
import time
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from data_quality.definitions import (
    Condition,
    Equals,
    ExpectationDefinition,
    IsIn,
    IsNull,
    LessThan,
    NotNull,
    SuiteDefinition,
)
from data_quality.outcomes import (
    EXAMPLES_PER_EXPECTATION,
    ExpectationOutcome,
    SuiteOutcome,
    base_details,
    empty_outcome,
    expectation_type,
    merge_outcomes,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from data_quality.config import QualityConfig

# GX validates pandas frames in memory, so a large table (a full build of a year) is read
# and validated in chunks of at most this many rows, one after the other; the outcomes of
# the chunks add up (:func:`merge_outcomes`).
CHUNK_ROWS = 250_000

_GX_LOCK = threading.Lock()


def validate_frame(frame: pd.DataFrame, suite: SuiteDefinition) -> SuiteOutcome:
    """Validate ``frame`` (the rows of ``suite.table``) against ``suite``."""
    started = time.perf_counter()
    rows = len(frame)
    if rows == 0:
        outcomes = [empty_outcome(d) for d in suite.expectations]
        return SuiteOutcome(
            suite.name, suite.table, True, 0, outcomes, time.perf_counter() - started
        )

    # Text stays in pandas' Arrow-backed strings: GX's checks run faster on them than on
    # object arrays, with the same counts.
    prepared = suite.prepare(frame) if suite.prepare else frame
    batch_definition = _ready_batch_definition()  # first: a GX suite needs a live context
    with _GX_LOCK:
        gx_suite = _gx_suite(suite)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": prepared})
        try:
            result = batch.validate(
                gx_suite,
                # BASIC has every figure an outcome reads (counts, share, examples);
                # SUMMARY adds value counts of the unexpected values, which nothing reads.
                result_format={
                    "result_format": "BASIC",
                    "partial_unexpected_count": EXAMPLES_PER_EXPECTATION,
                    "include_unexpected_rows": False,
                },
            )
        finally:
            _forget_batch(batch)
    by_name = {r.expectation_config.meta["name"]: r for r in result.results}
    outcomes = [_outcome(d, by_name.get(d.name)) for d in suite.expectations]
    success = all(o.success for o in outcomes if o.blocking)
    return SuiteOutcome(
        suite.name, suite.table, success, rows, outcomes, time.perf_counter() - started
    )


def validate_frames(frames: Iterable[pd.DataFrame], suite: SuiteDefinition) -> SuiteOutcome:
    """Validate a table too large for memory, chunk by chunk, as one outcome.

    The caller cuts the chunks so that a uniqueness expectation holds within each one
    (e.g. whole files, or whole partitions of the key); see :func:`merge_outcomes`.
    """
    return merge_outcomes([validate_frame(frame, suite) for frame in frames], suite)


def validate_chunks(table: str, config: QualityConfig, chunks: Iterable[pa.Table]) -> SuiteOutcome:
    """Validate the rows of ``table`` (a key of ``data_quality.suites.SUITES``), read as
    Arrow ``chunks`` of at most :data:`CHUNK_ROWS` rows, against its suite: one outcome.

    In this process, one chunk at a time: each is turned into a pandas frame (text stays
    Arrow-backed), validated and freed before the next is read. Columns the suite does
    not read (``suite.columns``) are dropped first. A suite with a uniqueness expectation
    (``kpi_metrics``: its key) needs chunks cut so that it holds within each one. No
    chunk, or only empty ones: the outcome passes with ``rows=0`` (GX is not even needed).
    """
    from data_quality.suites import suite_for

    suite = suite_for(table, config)
    parts: list[SuiteOutcome] = []
    for chunk in chunks:
        if chunk.num_rows:
            present = set(chunk.column_names)
            frame = chunk.select([c for c in suite.columns if c in present]).to_pandas()
            del chunk  # the frame's text is Arrow-backed: the chunk's buffers stay referenced
            parts.append(validate_frame(frame, suite))
            del frame
    if len(parts) > 1:
        _release_memory()
    return merge_outcomes(parts, suite)


def _release_memory() -> None:
    """Give the freed heap of a large validation back to the system: glibc keeps large
    freed blocks (the pandas columns of the chunks) in the process, and the run's next
    steps (dbt, the publish) need that memory. A full collection with GX loaded takes
    about a tenth of a second: once per table, not per chunk."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _BackgroundImport:
    """The thread importing GX ahead of the first validation, and what it ran into."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        with self.lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(
                target=self._run, name="cxw-import-great-expectations", daemon=True
            )
            self.thread.start()

    def _run(self) -> None:
        try:
            with _GX_LOCK:
                _batch_definition()
        except BaseException as error:  # noqa: BLE001 (raised again by the first validation)
            self.error = error

    def wait(self) -> None:
        """Wait for the import, if one was started."""
        with self.lock:
            thread = self.thread
        if thread is not None:
            thread.join()


_background_import = _BackgroundImport()


def import_great_expectations_in_background() -> None:
    """Start importing GX and creating this process's context in a daemon thread (once:
    later calls do nothing), so that the import (seconds) overlaps what the caller waits for.
    The first validation waits for it and raises its error, if any."""
    _background_import.start()


def _ready_batch_definition() -> Any:
    """The batch definition, once the background import (if any) is done. An import that
    failed in the background is tried again here, in the caller's thread (a module that
    two threads imported at once may have been seen half loaded); a second failure is
    raised, with its cause."""
    _background_import.wait()
    with _GX_LOCK:
        try:
            return _batch_definition()
        except Exception as error:
            raise RuntimeError(f"importing Great Expectations failed: {error!r}") from error


@cache
def _batch_definition() -> Any:
    """The per-process ephemeral GX context's whole-dataframe batch definition."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every pandas batch below HASH_THRESHOLD bytes (an md5 over
    # pd.util.hash_pandas_object of the whole frame) for its results' batch markers: about
    # 30% of a validation here, for a marker nothing reads. Threshold 0: no fingerprint.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas(name="cxw_frames")
    asset = datasource.add_dataframe_asset(name="frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _forget_batch(batch: Any) -> None:
    """GX keeps the last batch's frame in its execution engine (every frame gets the same
    batch id, so only the last one): drop it, so that an idle process does not hold a
    chunk of hundreds of MB through the rest of the run."""
    manager = batch.data.execution_engine.batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def _row_condition(where: tuple[Condition, ...]) -> Any:
    from great_expectations.expectations.row_conditions import Column

    def one(c: Condition) -> Any:
        match c:
            case Equals(column, value):
                return Column(column) == value
            case IsIn(column, values):
                return Column(column).is_in(values)
            case LessThan(column, value):
                return Column(column) < value
            case NotNull(column):
                return Column(column).is_not_null()
            case IsNull(column):
                return Column(column).is_null()
        raise TypeError(f"unknown condition {c!r}")

    conditions = [one(c) for c in where]
    combined = conditions[0]
    for c in conditions[1:]:
        combined = combined & c
    return combined


def _gx_suite(suite: SuiteDefinition) -> Any:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    expectations = []
    for definition in suite.expectations:
        kwargs = dict(definition.kwargs)
        if definition.where:
            kwargs["row_condition"] = _row_condition(definition.where)
        expectation_class = getattr(gxe, definition.expectation)
        expectations.append(
            expectation_class(
                **kwargs,
                severity="critical" if definition.blocking else "warning",
                description=definition.description,
                meta={"name": definition.name, "blocking": definition.blocking},
            )
        )
    return gx.ExpectationSuite(name=suite.name, expectations=expectations)


def _outcome(definition: ExpectationDefinition, result: Any) -> ExpectationOutcome:
    details = base_details(definition)
    if result is None:  # cannot happen unless GX drops an expectation: fail loudly
        details["exception"] = "no result from Great Expectations"
        return ExpectationOutcome(
            definition.name, expectation_type(definition.expectation), definition.column, False,
            definition.blocking, 0, None, [], details,
        )  # fmt: skip
    gx_result = dict(result.result or {})
    exception = _exception_message(result.exception_info)
    if exception is not None:
        details["exception"] = exception
    for key in ("element_count", "missing_count", "observed_value", "details"):
        if key in gx_result:
            details[key] = _plain(gx_result[key])
    examples = gx_result.get("partial_unexpected_list")
    if examples is None:  # table-level expectation: the missing columns are the examples
        examples = ((gx_result.get("details") or {}).get("mismatched") or {}).get("missing", [])
    unexpected_percent = gx_result.get("unexpected_percent")
    unexpected_count = int(gx_result.get("unexpected_count") or len(examples))
    success = bool(result.success) and "exception" not in details
    if (
        not success
        and "exception" not in details
        and unexpected_count < definition.min_unexpected_to_block
    ):
        success = True  # a few bad rows: the warning twin reports them, this one does not block
        details["below_block_minimum"] = definition.min_unexpected_to_block
    return ExpectationOutcome(
        name=definition.name,
        expectation=result.expectation_config.type,
        column=definition.column,
        success=success,
        blocking=definition.blocking,
        unexpected_count=unexpected_count,
        unexpected_percent=None if unexpected_percent is None else float(unexpected_percent),
        examples=[_plain(v) for v in examples],
        details=details,
    )


def _exception_message(info: Any) -> str | None:
    """The first exception GX caught for an expectation: ``exception_info`` is either one
    ``{raised_exception, exception_message, ...}`` dict or one such dict per metric."""
    if not isinstance(info, dict):
        return None
    candidates = [info] if "raised_exception" in info else list(info.values())
    for candidate in candidates:
        if isinstance(candidate, dict) and candidate.get("raised_exception"):
            return str(candidate.get("exception_message") or "exception in Great Expectations")
    return None


def _plain(value: Any) -> Any:
    """A JSON-friendly copy: timestamps as ISO text, numpy scalars as Python, NaN/NA as None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, np.timedelta64):
        return str(pd.Timedelta(value))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)
