"""Reading vendor exports as delivered: each record kept whole, as JSON text.

A vendor folder says its format (``SourceSpec.vendor_format``); file names are free and
gzip is recognised by its content. The readers return the raw table's columns as text
(the record's key, the record) plus the records unreadable on their own, exactly like the
canonical readers of :mod:`orchestration.landing.files`, so the loader, the manifest,
corrections and withdrawals treat vendor files like any other.

* ``JSON_RECORDS``: JSON objects one per line, back to back with no delimiter, or API
  pages ``{"<page_key>": [...], "cursor": ...}`` whose elements are the records. The fast
  path is DuckDB's JSON reader; a file it refuses is read again object by object, so a
  broken record is rejected alone (``bad_json``) and the others load.
* ``QUALTRICS_CSV``: the three header rows (export tags, question text, ``{"ImportId":
  ...}``); each response becomes ``{ImportId: value}`` (export tags are editable, ImportIds
  are stable), with the time zones the third row names per column.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import threading
import zlib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import polars as pl

from orchestration.landing.contract import (
    JSON_RECORDS,
    QUALTRICS_CSV,
    RECORD_COLUMN,
    SOURCES,
    SourceSpec,
)
from orchestration.landing.files import BAD_JSON, LandingFile, UnreadableFileError

GZIP_MAGIC = b"\x1f\x8b"
NOT_AN_OBJECT = "not_a_json_object"
# the fields of an API page besides its records (Genesys job results, Zendesk pages)
PAGE_FIELDS = (
    "cursor",
    "pageCount",
    "pageSize",
    "pageNumber",
    "total",
    "count",
    "next_page",
    "previous_page",
    "end_of_stream",
    "after_cursor",
    "before_cursor",
    "after_url",
    "before_url",
    "end_time",
    "meta",
    "links",
)
_MAX_KEPT_TEXT = 2000  # characters of an unreadable record kept with its rejection

BadLines = list[tuple[int, str, str]]


def is_gzip(file: LandingFile) -> bool:
    with open(file.path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def read_vendor_frame(file: LandingFile) -> tuple[pl.DataFrame, BadLines]:
    """The raw table's columns of a vendor file as text, and records unreadable alone."""
    spec = SOURCES[file.source]
    if file.format == JSON_RECORDS:
        return _read_json_records(file, spec)
    if file.format == QUALTRICS_CSV:
        return _read_qualtrics_csv(file, spec)
    raise ValueError(f"{file.relative_path}: no reader for vendor format {file.format!r}")


def _decompressed(file: LandingFile) -> bytes:
    data = file.path.read_bytes()
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFileError(f"not a readable gzip file: {exc}") from None
    return data


# --- JSON records ---------------------------------------------------------------------------


def _record_frame(spec: SourceSpec, con: duckdb.DuckDBPyConnection, objects: str) -> pl.DataFrame:
    """Records (a page's elements in place of the page) with their key, in file order.

    ``objects``: a relation of ``json``, one top-level JSON value per row, in file order
    (read by one thread)."""
    key_column = spec.key[0]
    if not spec.page_key:
        # one record per value, already in file order: nothing to number or sort (that
        # would double the time to read a day of contact records)
        return con.sql(
            f"""
            select
                json_extract_string(json, '{spec.key_path}') as {key_column},
                json::varchar as {RECORD_COLUMN},
                case
                    when starts_with(ltrim(json::varchar), '{{') then 'OBJECT'
                    else json_type(json)
                end as record_type
            from {objects}
            """
        ).pl()
    page, elements = f"'$.{spec.page_key}'", f"'$.{spec.page_key}[*]'"
    is_array_page = f"coalesce(json_type(json, {page}) = 'ARRAY', false)"
    # a last page with nothing left (the APIs leave the empty array out): no record
    meta = ", ".join(f"'{k}'" for k in (spec.page_key, *PAGE_FIELDS))
    is_page = (
        f"({is_array_page} or (json_type(json) = 'OBJECT' "
        f"and json_extract(json, '{spec.key_path}') is null "
        f"and list_has_all([{meta}], json_keys(json))))"
    )
    return con.sql(
        f"""
        with
        delivered_objects as (
            select row_number() over () as object_row, json from {objects}
        ),
        records as (
            select object_row, 0 as item, json as record
            from delivered_objects
            where not {is_page}
            union all
            select
                object_row,
                unnest(range(json_array_length(json, {page})::bigint)) as item,
                unnest(json_extract(json, {elements})) as record
            from delivered_objects
            where {is_array_page}
        )
        select
            json_extract_string(record, '{spec.key_path}') as {key_column},
            record::varchar as {RECORD_COLUMN},
            json_type(record) as record_type
        from records
        order by object_row, item
        """
    ).pl()


_reader = threading.local()


def _reader_cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on an in-memory DuckDB for reading vendor files (a database
    per file would cost a tenth of the file's reading time)."""
    if getattr(_reader, "database", None) is None:
        _reader.database = duckdb.connect()
        # one thread per file: values come out in file order, and the loader's read-ahead
        # threads already read several files at once
        _reader.database.execute("set threads = 1").fetchall()
    return _reader.database.cursor()


def _records_by_duckdb(file: LandingFile, spec: SourceSpec) -> pl.DataFrame:
    """The fast path: DuckDB reads and splits the records (no Python object per record).
    Raises ``duckdb.Error`` for a file with a broken record."""
    path = str(file.path).replace("'", "''")
    compression = "gzip" if is_gzip(file) else "none"
    con = _reader_cursor()
    try:
        return _record_frame(
            spec,
            con,
            f"read_json_objects('{path}', format = 'unstructured', "
            f"compression = '{compression}', maximum_object_size = 67108864)",
        )
    finally:
        con.close()


def _records_of_frame(spec: SourceSpec, objects: pl.DataFrame) -> pl.DataFrame:
    con = _reader_cursor()
    try:
        con.register("objects_read", objects)
        return _record_frame(spec, con, "objects_read")
    finally:
        con.close()


def _objects_one_by_one(data: bytes) -> tuple[pl.DataFrame, dict[int, str]]:
    """Every top-level JSON value of a file DuckDB refused, and the unreadable stretches
    (up to the end of their line) by their position among the values."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"not UTF-8 text (byte {exc.start})") from None
    decoder = json.JSONDecoder()
    values: list[str | None] = []
    broken: dict[int, str] = {}
    at, end = 0, len(text)
    while True:
        while at < end and text[at].isspace():
            at += 1
        if at >= end:
            break
        try:
            value, stop = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            stop = text.find("\n", at)
            stop = end if stop < 0 else stop + 1
            broken[len(values)] = text[at:stop].strip()[:_MAX_KEPT_TEXT]
            values.append(None)
        else:
            values.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        at = stop
    return pl.DataFrame({"json": values}, schema={"json": pl.String}), broken


def _read_json_records(file: LandingFile, spec: SourceSpec) -> tuple[pl.DataFrame, BadLines]:
    broken: dict[int, str] = {}
    try:
        records = _records_by_duckdb(file, spec)
    except duckdb.Error:
        objects, broken = _objects_one_by_one(_decompressed(file))
        # an unreadable stretch stays one row of its own, so numbering and counts hold
        objects = objects.with_columns(pl.col("json").fill_null("null"))
        records = _records_of_frame(spec, objects)
    bad: BadLines = []
    object_rows = _object_positions(objects, spec) if broken else {}
    for position, text in broken.items():
        bad.append((object_rows[position], BAD_JSON, text))
    not_objects = records.with_row_index("row", offset=1).filter(pl.col("record_type") != "OBJECT")
    broken_rows = {row for row, _, _ in bad}
    for row, record in not_objects.select("row", RECORD_COLUMN).iter_rows():
        if row not in broken_rows:
            bad.append((row, NOT_AN_OBJECT, (record or "")[:_MAX_KEPT_TEXT]))
    bad.sort()
    return records.drop("record_type"), bad


def _object_positions(objects: pl.DataFrame, spec: SourceSpec) -> dict[int, int]:
    """1-based record number of each top-level value (a page counts its elements)."""
    positions, row = {}, 0
    for index, text in enumerate(objects.get_column("json").to_list()):
        positions[index] = row + 1
        items = 1
        if spec.page_key and text and text != "null":
            value = json.loads(text)
            if isinstance(value, dict) and isinstance(value.get(spec.page_key), list):
                items = len(value[spec.page_key])
            elif isinstance(value, dict) and set(value) <= {spec.page_key, *PAGE_FIELDS}:
                items = 0  # an empty last page
        row += items
    return positions


# --- Qualtrics CSV --------------------------------------------------------------------------

RESPONSE_ID = "_recordId"


def _survey_ref(file: LandingFile) -> str:
    parts = file.relative_path.split("/")
    if len(parts) < 3:
        raise UnreadableFileError(
            "a Qualtrics export belongs in a sub-folder named by its survey id "
            f"({parts[0]}/SV_.../{parts[-1]})"
        )
    return parts[1]


def _time_zone(named: str, import_id: str) -> str:
    """The IANA zone a third header row names for a column; Qualtrics' API writes UTC as
    ``Z``. A zone no time-zone database knows rejects the file: its times cannot be read."""
    if named.strip().upper() in ("Z", "UTC", "GMT", "ETC/UTC"):
        return "UTC"
    try:
        ZoneInfo(named.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UnreadableFileError(
            f"third header row names an unknown time zone {named!r} for {import_id}"
        ) from None
    return named.strip()


def _import_ids(header: list[str]) -> tuple[list[str], dict[str, str]]:
    ids, zones = [], {}
    for position, cell in enumerate(header, start=1):
        try:
            described = json.loads(cell)
            import_id = described["ImportId"]
        except (ValueError, TypeError, KeyError):
            raise UnreadableFileError(
                f"third header row, column {position}: {cell[:60]!r} is not "
                '{"ImportId": ...} (export with "Use internal IDs"/ImportIds header rows)'
            ) from None
        ids.append(str(import_id))
        if described.get("timeZone"):
            zones[str(import_id)] = _time_zone(str(described["timeZone"]), str(import_id))
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise UnreadableFileError(f"ImportId {duplicated[0]!r} appears more than once")
    return ids, zones


def _read_qualtrics_csv(file: LandingFile, spec: SourceSpec) -> tuple[pl.DataFrame, BadLines]:
    survey_ref = _survey_ref(file)
    try:
        text = _decompressed(file).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UnreadableFileError(f"malformed CSV: {exc}") from None
    if len(rows) < 3:
        raise UnreadableFileError("fewer than the three header rows of a Qualtrics export")
    import_ids, zones = _import_ids(rows[2])
    zones_text = json.dumps(zones, sort_keys=True) if zones else None
    columns: dict[str, list[str | None]] = {c.name: [] for c in spec.columns}
    bad: BadLines = []
    responses = [row for row in rows[3:] if any(cell.strip() for cell in row)]
    for number, row in enumerate(responses, start=1):
        if len(row) != len(import_ids):
            bad.append((number, "wrong_field_count", ",".join(row)[:_MAX_KEPT_TEXT]))
            record = {}
        else:
            record = {i: v for i, v in zip(import_ids, row, strict=True) if v.strip() != ""}
        columns["survey_ref"].append(survey_ref)
        columns["response_id"].append(record.get(RESPONSE_ID))
        columns[RECORD_COLUMN].append(json.dumps(record, ensure_ascii=False))
        columns["time_zones"].append(zones_text)
    return pl.DataFrame(columns, schema={name: pl.String for name in columns}), bad
