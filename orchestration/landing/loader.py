"""Load a source's landing files into its raw table, file by file, nothing lost.

* An unchanged file (same path, same size and mtime, or same checksum) is skipped, so a
  nightly run reads only what is new.
* A changed file is loaded again: its earlier rows are replaced, in one transaction.
* A row that cannot be parsed goes to ``meta.rejected_rows`` with its file, row number,
  reason and raw values; a file that lacks a required column, or cannot be read at all,
  is rejected whole and recorded in ``meta.ingest_manifest`` with an error naming it.
* For every file: rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import polars as pl

from orchestration import ledger
from orchestration.landing.contract import (
    FILE_PATH_COLUMN,
    FILE_ROW_COLUMN,
    LOADED_AT_COLUMN,
    RAW_SCHEMA,
    SourceSpec,
)
from orchestration.landing.file_outcomes import (
    DUPLICATE_COLUMN,
    MISSING_REQUIRED_COLUMN,
    UNREADABLE_FILE,
    FileResult,
    ManifestEntry,
    SourceIngestReport,
    record_duplicate,
    record_manifest,
    reject_file,
)
from orchestration.landing.files import (
    DuplicateColumnError,
    LandingFile,
    UnreadableFileError,
    checksum,
    discover_files,
    read_text_frame,
)
from orchestration.landing.parsing import REJECT_COLUMN, REJECT_REASON, parse_frame
from orchestration.landing.raw_tables import ensure_raw_tables, new_or_changed_files
from orchestration.landing.retractions import record_dropped_keys
from orchestration.ledger import LOADED

# New files are parsed and committed together until this many rows are pending: one
# parse and one transaction per batch instead of per file, with memory bounded.
BATCH_ROWS = 500_000
# A vendor record is a whole JSON object (about 1 KB for a contact record, against 100
# bytes for a canonical call): fewer of them per batch keep memory bounded. Two of
# DuckDB's row groups (122,880 rows): a batch of whole row groups is written compressed
# straight into the database file, a smaller one through the write-ahead log and a
# checkpoint at every commit (half again the loading time of a year of contact records).
VENDOR_BATCH_ROWS = 2 * 122_880
# Files are read ahead of the one being loaded, by this many threads, up to this many
# bytes of landing files (about a batch of calls: the readers keep going while it flushes).
READ_AHEAD_THREADS = 2
READ_AHEAD_BYTES = 32 * 2**20

RAW_RECORD = "_raw_record"


@dataclass
class _PendingFile:
    """A readable file with its contract columns as text, waiting for the batch to flush."""

    file: LandingFile
    digest: str
    text: pl.DataFrame  # every delivered column as text + _file_row
    bad_lines: list[tuple[int, str, str]]
    extra_columns: list[str]
    rows_read: int


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    landing_dir,
    *,
    timezone: str = "UTC",
    run_id: str | None = None,
    now: dt.datetime | None = None,
    log=None,
    batch_rows: int | None = None,
) -> SourceIngestReport:
    """Load every new or changed landing file of ``spec`` into ``raw.<source>``."""
    if batch_rows is None:
        batch_rows = VENDOR_BATCH_ROWS if spec.is_vendor else BATCH_ROWS
    loaded_at = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
    ensure_raw_tables(con, [spec])
    files, ignored = discover_files(landing_dir, spec.name, spec.vendor_format)
    report = SourceIngestReport(spec.name, files_seen=len(files), ignored_files=ignored)
    known = ledger.known_files(con, spec.name)
    loaded_checksums = ledger.loaded_checksums(con, spec.name)
    pending: list[_PendingFile] = []

    def flush() -> None:
        if pending:
            report.results.extend(
                _load_batch(con, spec, pending, timezone, loaded_at, run_id, log, set(known))
            )
            pending.clear()

    def examine(file: LandingFile) -> _Examined:
        """What to do with a file whose size or mtime changed (runs in a reader thread)."""
        digest = checksum(file.path)
        previous = known.get(file.relative_path)
        if previous and previous[0] == digest:
            return _Examined(file, digest, unchanged=True)
        same_as = loaded_checksums.get(digest)
        if same_as is not None and same_as != file.relative_path:
            # spec: a file already ingested with the same content is not ingested again
            # (re-loading an old copy under a new name would undo later corrections)
            return _Examined(file, digest, same_as=same_as)
        return _Examined(file, digest, prepared=_prepare_file(spec, file, digest))

    changed = new_or_changed_files(files, known)
    report.files_unchanged = len(files) - len(changed)
    for examined in _read_ahead(examine, changed):
        file, digest = examined.file, examined.digest
        if examined.unchanged:
            ledger.record_file_unchanged(con, file.relative_path, file.size_bytes, file.modified_ns)
            report.files_unchanged += 1
        elif examined.same_as is not None:
            report.results.append(
                record_duplicate(con, file, digest, examined.same_as, loaded_at, run_id)
            )
        elif isinstance(examined.prepared, _PendingFile):
            pending.append(examined.prepared)
            if sum(p.rows_read for p in pending) >= batch_rows:
                flush()
        else:
            reason, detail, rows_read = examined.prepared
            result = reject_file(con, file, digest, rows_read, reason, detail, loaded_at, run_id)
            report.results.append(result)
            if log is not None:
                log.error(f"{spec.name}: rejected {result.error}")
    flush()
    report.results.sort(key=lambda r: r.file_path)
    return report


@dataclass(frozen=True)
class _Examined:
    """A changed landing file: unchanged after all (same checksum), a duplicate of a file
    already loaded, or read (a pending file, or the reason it is rejected whole)."""

    file: LandingFile
    digest: str
    unchanged: bool = False
    same_as: str | None = None
    prepared: _PendingFile | tuple[str, str, int] | None = None


def _read_ahead(
    examine: Callable[[LandingFile], _Examined], files: list[LandingFile]
) -> Iterator[_Examined]:
    """``examine(file)`` of each file, in order, computed ahead in threads (up to
    READ_AHEAD_BYTES of files): reading and decoding the next files (polars, gzip and
    hashlib release the GIL) overlaps the parsing and writing of the current batch."""
    with ThreadPoolExecutor(max_workers=READ_AHEAD_THREADS) as pool:
        ahead: deque[tuple[int, Future[_Examined]]] = deque()
        ahead_bytes = 0
        try:
            for file in files:
                while ahead and ahead_bytes + file.size_bytes > READ_AHEAD_BYTES:
                    size, future = ahead.popleft()
                    ahead_bytes -= size
                    yield future.result()
                ahead.append((file.size_bytes, pool.submit(examine, file)))
                ahead_bytes += file.size_bytes
            while ahead:
                yield ahead.popleft()[1].result()
        finally:
            for _, future in ahead:
                future.cancel()


def _normalized_columns(frame: pl.DataFrame) -> tuple[pl.DataFrame, str | None]:
    """Columns renamed to trimmed lower case; an error when two names collide."""
    names = [c.strip().lower() for c in frame.columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        return frame, f"column {duplicates[0]!r} appears more than once"
    return frame.rename(dict(zip(frame.columns, names, strict=True))), None


def _prepare_file(
    spec: SourceSpec, file: LandingFile, digest: str
) -> _PendingFile | tuple[str, str, int]:
    """Read a file as text; or (reason, detail, rows read) when it is rejected whole."""
    try:
        text, bad_lines = read_text_frame(file)
    except DuplicateColumnError as exc:
        return DUPLICATE_COLUMN, str(exc), 0
    except UnreadableFileError as exc:
        return UNREADABLE_FILE, str(exc), 0
    text, collision = _normalized_columns(text)
    if collision:
        return DUPLICATE_COLUMN, collision, text.height
    missing = [c for c in spec.required_columns if c not in text.columns]
    if missing:
        named = ", ".join(repr(c) for c in missing)
        plural = "s" if len(missing) > 1 else ""
        return MISSING_REQUIRED_COLUMN, f"missing required column{plural} {named}", text.height
    rows_read = text.height
    return _PendingFile(
        file=file,
        digest=digest,
        text=text.with_columns(
            pl.int_range(1, rows_read + 1, dtype=pl.Int64).alias(FILE_ROW_COLUMN)
        ),
        bad_lines=bad_lines,
        extra_columns=sorted(set(text.columns) - set(spec.column_names)),
        rows_read=rows_read,
    )


def _contract_text(spec: SourceSpec, pending: _PendingFile) -> pl.DataFrame:
    """The file's contract columns as text (absent optional ones null) and its lineage."""
    text = pending.text
    bad_rows = [row for row, _, _ in pending.bad_lines]
    if bad_rows:
        text = text.filter(~pl.col(FILE_ROW_COLUMN).is_in(bad_rows))
    return text.select(
        *(
            pl.col(c) if c in text.columns else pl.lit(None, dtype=pl.String).alias(c)
            for c in spec.column_names
        ),
        pl.lit(pending.file.relative_path).alias(FILE_PATH_COLUMN),
        FILE_ROW_COLUMN,
    )


def _raw_records(pending: _PendingFile, rows: list[int]) -> pl.DataFrame:
    """The delivered values of some rows of a file, as JSON text (only for rejected rows)."""
    delivered = pending.text.filter(pl.col(FILE_ROW_COLUMN).is_in(rows))
    return delivered.select(
        pl.lit(pending.file.relative_path).alias(FILE_PATH_COLUMN),
        FILE_ROW_COLUMN,
        pl.struct(pl.all().exclude(FILE_ROW_COLUMN)).struct.json_encode().alias(RAW_RECORD),
    )


_REJECT_SCHEMA = {
    "file_path": pl.String,
    "file_row": pl.Int64,
    "reason": pl.String,
    "column_name": pl.String,
    "raw_value": pl.String,
    "raw_record": pl.String,
}


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    batch: list[_PendingFile],
    timezone: str,
    loaded_at: dt.datetime,
    run_id: str | None,
    log,
    known_paths: set[str] = frozenset(),
) -> list[FileResult]:
    """Parse a batch of files at once and replace their rows in one transaction.

    A file loaded before (``known_paths``) is a correction: the keys its old rows held that
    no row of the batch brings again are recorded as dropped (``meta.retractions``), and the
    next dbt build is a full refresh, so each key falls back to an earlier file's row or
    leaves the facts, exactly as a rebuild from the landing zone would have it."""
    combined = pl.concat([_contract_text(spec, p) for p in batch], how="vertical")
    parsed = parse_frame(spec, combined.select(spec.column_names), timezone).with_columns(
        combined.get_column(FILE_PATH_COLUMN), combined.get_column(FILE_ROW_COLUMN)
    )
    good = parsed.filter(pl.col(REJECT_REASON).is_null()).select(
        *spec.column_names,
        FILE_PATH_COLUMN,
        FILE_ROW_COLUMN,
        pl.lit(loaded_at).cast(pl.Datetime("us")).alias(LOADED_AT_COLUMN),
    )
    bad = parsed.filter(pl.col(REJECT_REASON).is_not_null()).select(
        pl.col(FILE_PATH_COLUMN).alias("file_path"),
        pl.col(FILE_ROW_COLUMN).alias("file_row"),
        pl.col(REJECT_REASON).alias("reason"),
        pl.col(REJECT_COLUMN).alias("column_name"),
        pl.coalesce(
            pl.when(pl.col(REJECT_COLUMN) == name).then(pl.col(f"__raw_{name}"))
            for name in spec.column_names
        ).alias("raw_value"),
    )
    by_path = {p.file.relative_path: p for p in batch}
    records = [
        _raw_records(by_path[path], rows)
        for path, rows in bad.group_by("file_path").agg(pl.col("file_row")).iter_rows()
    ]
    if records:
        bad = bad.join(
            pl.concat(records).rename(
                {
                    FILE_PATH_COLUMN: "file_path",
                    FILE_ROW_COLUMN: "file_row",
                    RAW_RECORD: "raw_record",
                }
            ),
            on=["file_path", "file_row"],
            how="left",
        )
    else:
        bad = bad.with_columns(pl.lit(None, dtype=pl.String).alias("raw_record"))
    bad_lines = pl.DataFrame(
        [
            (p.file.relative_path, row, reason, None, None, line)
            for p in batch
            for row, reason, line in p.bad_lines
        ],
        schema=_REJECT_SCHEMA,
        orient="row",
    )
    rejects = pl.concat([bad.select(list(_REJECT_SCHEMA)), bad_lines]).with_columns(
        pl.lit(spec.name).alias("source"),
        pl.lit(loaded_at).cast(pl.Datetime("us")).alias("rejected_at"),
    )
    loaded_counts = dict(good.group_by(FILE_PATH_COLUMN).len().iter_rows())
    reject_counts: dict[str, Counter[str]] = {}
    for path, reason, n in rejects.group_by("file_path", "reason").len().iter_rows():
        reject_counts.setdefault(path, Counter())[reason] = n
    results = []
    for p in batch:
        path = p.file.relative_path
        by_reason = dict(sorted(reject_counts.get(path, Counter()).items()))
        results.append(
            FileResult(
                file_path=path,
                status=LOADED,
                rows_read=p.rows_read,
                rows_loaded=loaded_counts.get(path, 0),
                rows_rejected=sum(by_reason.values()),
                rejects_by_reason=by_reason,
            )
        )
    good_rows, reject_rows = good.to_arrow(), rejects.to_arrow()
    paths = list(by_path)
    con.execute("begin transaction").fetchall()
    try:
        corrected = sorted(set(paths) & known_paths)
        if corrected:
            record_dropped_keys(con, spec, corrected, good_rows, run_id)
        in_batch, params = ledger.rows_of_files(FILE_PATH_COLUMN, paths)
        con.execute(f"delete from {RAW_SCHEMA}.{spec.name} where {in_batch}", params).fetchall()
        con.execute(
            f"insert into {RAW_SCHEMA}.{spec.name} by name select * from good_rows"
        ).fetchall()
        ledger.replace_rejected_rows(con, paths, reject_rows)
        entries = [
            ManifestEntry(p.file, p.digest, result, extra_columns=tuple(p.extra_columns))
            for p, result in zip(batch, results, strict=True)
        ]
        record_manifest(con, entries, loaded_at, run_id)
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    if log is not None:
        for result in results:
            log.info(
                f"{spec.name}: {result.file_path}: {result.rows_read} read, "
                f"{result.rows_loaded} loaded, {result.rows_rejected} rejected"
            )
    return results
