"""Landing files: which files belong to a source, their checksum, and reading them as text.

The directory says what a file is (its source); the name's ending only says its format.
Every reader returns a polars frame whose columns are all text, named as delivered.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from orchestration.landing.contract import JSON_RECORDS, QUALTRICS_CSV

CSV, JSON_LINES, PARQUET = "csv", "jsonl", "parquet"
VENDOR_FORMATS = (JSON_RECORDS, QUALTRICS_CSV)

_FORMATS: tuple[tuple[str, str, bool], ...] = (
    # (name ending, format, gzip-compressed)
    (".csv.gz", CSV, True),
    (".jsonl.gz", JSON_LINES, True),
    (".ndjson.gz", JSON_LINES, True),
    (".csv", CSV, False),
    (".jsonl", JSON_LINES, False),
    (".ndjson", JSON_LINES, False),
    (".parquet", PARQUET, False),
)


class UnreadableFileError(ValueError):
    """The file as a whole cannot be read (corrupt gzip, broken Parquet, malformed CSV)."""


class DuplicateColumnError(UnreadableFileError):
    """Two columns of the file have the same name (ignoring case and spaces)."""


@dataclass(frozen=True)
class LandingFile:
    source: str
    path: Path  # absolute
    relative_path: str  # relative to the landing dir, '/'-separated; the file's identity
    format: str
    compressed: bool
    size_bytes: int
    modified_ns: int


def file_format(name: str) -> tuple[str, bool] | None:
    """(format, compressed) for an accepted landing file name, ``None`` for any other file."""
    lower = name.lower()
    if lower.startswith(".") or lower.endswith((".tmp", ".part")):
        return None
    for ending, fmt, compressed in _FORMATS:
        if lower.endswith(ending):
            return fmt, compressed
    return None


def vendor_file_format(name: str, vendor_format: str) -> tuple[str, bool] | None:
    """In a vendor folder the folder says the format: any name, with or without an
    extension (Firehose writes none); gzip is recognised by content when read. Hidden
    files, partial uploads and READMEs are ignored."""
    lower = name.lower()
    if lower.startswith(".") or lower.endswith((".tmp", ".part")) or lower.startswith("readme"):
        return None
    return vendor_format, False


def discover_files(
    landing_dir: Path, source: str, vendor_format: str | None = None
) -> tuple[list[LandingFile], list[str]]:
    """Accepted files of a source in lexical order of their path, and the ignored ones.

    ``vendor_format``: the source is a vendor folder, whose files are all of that format."""
    source_dir = landing_dir / source
    accepted: list[LandingFile] = []
    ignored: list[str] = []
    if not source_dir.is_dir():
        return accepted, ignored
    for path in source_dir.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(landing_dir).as_posix()
        if vendor_format is None:
            kind = file_format(path.name)
        else:
            kind = vendor_file_format(path.name, vendor_format)
        if kind is None:
            ignored.append(relative)
            continue
        stat = path.stat()
        accepted.append(
            LandingFile(source, path, relative, kind[0], kind[1], stat.st_size, stat.st_mtime_ns)
        )
    accepted.sort(key=lambda f: f.relative_path)
    ignored.sort()
    return accepted, ignored


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _payload(file: LandingFile) -> bytes:
    data = file.path.read_bytes()
    if file.compressed:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFileError(f"not a readable gzip file: {exc}") from None
    return data


def _as_text_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text: timestamps as ISO 8601 (UTC ones with 'Z'), nested as JSON."""
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                col = col.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ")
            else:
                col = col.dt.strftime("%Y-%m-%dT%H:%M:%S%.f")
        elif dtype == pl.Date:
            col = col.dt.strftime("%Y-%m-%d")
        elif isinstance(dtype, pl.Struct | pl.List | pl.Array):
            col = col.struct.json_encode() if isinstance(dtype, pl.Struct) else col.cast(pl.String)
        columns.append(col.cast(pl.String).alias(name))
    return frame.select(columns)


BAD_CSV_ROW = "bad_csv_row"
BAD_JSON = "bad_json"


def _without_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop blank lines (rows whose every field is empty): they are not rows of data."""
    if not frame.width:
        return frame
    filled = pl.any_horizontal(
        pl.col(c).is_not_null() & (pl.col(c).cast(pl.String) != "") for c in frame.columns
    )
    return frame.filter(filled)


def _read_csv(data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Rows of a CSV file; a row with the wrong number of fields is returned as a bad row.

    The fast path hands the whole file to polars; a file polars refuses is read again with
    Python's csv module, so that only its malformed rows are rejected.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        return pl.DataFrame(), []
    header = next(csv.reader(io.StringIO(data[: data.find(b"\n") + 1 or None].decode("utf-8"))))
    names = [name.strip().lower() for name in header]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:  # polars would rename the second one silently
        raise DuplicateColumnError(f"column {repeated[0]!r} appears more than once")
    try:
        frame = pl.read_csv(
            data,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
        return _without_empty_rows(frame), []
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError):
        pass
    try:
        lines = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except csv.Error:
        # never the parser's message: it quotes the data, which may be personal
        raise UnreadableFileError("not a readable CSV file (malformed quoting)") from None
    header, *records = lines
    columns = [name if name else f"column_{i + 1}" for i, name in enumerate(header)]
    good: list[list[str]] = []
    bad: list[tuple[int, str, str]] = []
    row = 0
    for record in records:
        if not any(field.strip() for field in record):
            continue  # a blank line
        row += 1
        if len(record) != len(columns):
            bad.append((row, BAD_CSV_ROW, ",".join(record)[:2000]))
            good.append([None] * len(columns))  # keeps row numbers; dropped by the loader
            continue
        good.append(record)
    frame = pl.DataFrame(good, schema={c: pl.String for c in columns}, orient="row")
    return frame, bad


def _read_json_lines(data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Rows of a JSON Lines file, every value as the text it was delivered as (``9`` stays
    ``9``, never ``9.0``); a line that is not a JSON object is returned as a bad line.

    The fast path hands the whole file to polars; only a file polars refuses (a broken
    line, values of mixed types) is read line by line to isolate the bad rows.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        frame = pl.read_ndjson(data, infer_schema_length=None)
        if any(dtype not in (pl.String, pl.Null) for dtype in frame.dtypes):
            # polars typed a column (numbers, booleans, objects): read again, all as text
            frame = pl.read_ndjson(data, schema={c: pl.String for c in frame.columns})
        return _without_empty_rows(frame.cast(pl.String)), []
    except (pl.exceptions.PolarsError, ValueError):
        pass
    records: list[dict[str, object]] = []
    bad: list[tuple[int, str, str]] = []  # (row number, reason, raw line)
    row = 0
    for line in io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict"):
        if not line.strip():
            continue
        row += 1
        try:
            record = json.loads(line, parse_int=str, parse_float=str, parse_constant=str)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            bad.append((row, BAD_JSON, line.strip()[:2000]))
            records.append({})
            continue
        records.append({k: _json_text(v) for k, v in record.items()})
    names = list(dict.fromkeys(k for r in records for k in r))
    frame = pl.DataFrame(
        [[r.get(k) for k in names] for r in records],
        schema={k: pl.String for k in names},
        orient="row",
    )
    return frame, bad


def _json_text(value: object) -> str | None:
    """A JSON value as text: numbers as written, true/false lower case, objects as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def read_text_frame(file: LandingFile) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """The file's rows with every column as text, and rows unreadable on their own.

    Raises :class:`UnreadableFileError` when the file as a whole cannot be read.
    """
    if file.format in VENDOR_FORMATS:
        from orchestration.landing.vendor_files import read_vendor_frame  # imports this module

        return read_vendor_frame(file)
    if file.format == PARQUET:
        try:
            return _without_empty_rows(_as_text_frame(pl.from_arrow(pq.read_table(file.path)))), []
        except Exception as exc:  # pyarrow and polars raise several types for a broken file
            raise UnreadableFileError(
                f"not a readable Parquet file ({type(exc).__name__})"
            ) from None
    data = _payload(file)
    try:
        if file.format == CSV:
            frame, bad = _read_csv(data)
            return _as_text_frame(frame), bad
        return _read_json_lines(data)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"not UTF-8 text (byte {exc.start})") from None
