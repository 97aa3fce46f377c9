"""Typed parsing of landing values with polars, one expression per contract ``Kind``.

Every parser takes the raw text column (already trimmed, empty -> null) and returns the
typed value, null where the text cannot be parsed. :func:`parse_frame` turns a frame of raw
text into typed columns plus a ``_reject_reason`` / ``_reject_column`` per row, so a row
that cannot be parsed is rejected on its own with the first reason found.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import polars as pl

from orchestration.landing.contract import Column, Kind, SourceSpec

# ISO 8601: date, 'T' or space, hh:mm[:ss[.fraction]], optional 'Z' or +hh[:mm] offset.
_TIMESTAMP_PATTERN = (
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
# The shape nearly every export writes, parsed without the full pattern's capture groups.
_COMMON_TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?$"
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"

REJECT_REASON = "_reject_reason"
REJECT_COLUMN = "_reject_column"

# Reason codes recorded in meta.rejected_rows (and injected by the sample generator).
EMPTY_KEY = "empty_key"
MISSING_REQUIRED_VALUE = "missing_required_value"
BAD_TIMESTAMP = "bad_timestamp"
BAD_DATE = "bad_date"
BAD_NUMBER = "bad_number"
NEGATIVE_DURATION = "negative_duration"
UNKNOWN_ENUM = "unknown_enum"
UNKNOWN_TIMEZONE = "unknown_timezone"
BAD_COUNTRY_CODE = "bad_country_code"

_FAILURE_REASON: dict[Kind, str] = {
    Kind.TIMESTAMP: BAD_TIMESTAMP,
    Kind.DATE: BAD_DATE,
    Kind.DURATION: BAD_NUMBER,
    Kind.ENUM: UNKNOWN_ENUM,
    Kind.TIMEZONE: UNKNOWN_TIMEZONE,
    Kind.COUNTRY: BAD_COUNTRY_CODE,
}


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed text; the empty string is null (spec: empty string = null)."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def parse_timestamp(text: pl.Expr, timezone: str = "UTC") -> pl.Expr:
    """ISO 8601 text -> naive UTC ``Datetime('us')``.

    With ``Z`` or an offset the instant is exact; without one the wall time is read in
    ``timezone`` (a wall time that does not exist there, in a DST gap, is unparseable; an
    ambiguous one, in a DST fold, takes the earlier instant).
    """
    return timestamp_from_parts(timestamp_parts(text), timezone)


def timestamp_parts(text: pl.Expr) -> pl.Expr:
    """The ISO 8601 pieces of the text as a struct (fields "1" to "6"; null: no match).

    :func:`timestamp_from_parts` uses the pieces nine times, and polars evaluates an
    expression again at every use: compute them once, as a column."""
    return text.str.extract_groups(_TIMESTAMP_PATTERN)


def timestamp_from_parts(parts: pl.Expr, timezone: str = "UTC") -> pl.Expr:
    """The naive UTC timestamp of :func:`timestamp_parts` (see :func:`parse_timestamp`)."""
    seconds = parts.struct.field("4").fill_null("00")
    fraction = parts.struct.field("5").fill_null("")
    wall = pl.concat_str(
        [
            parts.struct.field("1"),
            pl.lit("T"),
            parts.struct.field("2"),
            pl.lit(":"),
            parts.struct.field("3"),
            pl.lit(":"),
            seconds,
            fraction,
        ]
    ).str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f", strict=False)
    return _in_utc(wall, parts.struct.field("6").str.to_uppercase(), timezone)


def _in_utc(wall: pl.Expr, offset: pl.Expr, timezone: str) -> pl.Expr:
    """A wall time with its offset text (``Z``, ``+hh[:mm]``, null: none) as naive UTC."""
    offset_digits = offset.str.replace_all(":", "")
    sign = pl.when(offset_digits.str.slice(0, 1) == "-").then(-1).otherwise(1)
    offset_minutes = sign * (
        offset_digits.str.slice(1, 2).cast(pl.Int64, strict=False) * 60
        + offset_digits.str.slice(3, 2).str.zfill(2).cast(pl.Int64, strict=False).fill_null(0)
    )
    from_offset = wall - pl.duration(
        minutes=pl.when(offset == "Z").then(0).otherwise(offset_minutes)
    )
    if timezone == "UTC":
        from_local = wall
    else:
        from_local = (
            wall.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .dt.replace_time_zone(None)
        )
    return pl.when(offset.is_null()).then(from_local).otherwise(from_offset)


def parse_common_timestamp(text: pl.Expr, timezone: str = "UTC") -> pl.Expr:
    """:func:`parse_timestamp` of the shape nearly every export writes
    (``2026-01-05T10:00:00``, then ``Z``, ``+05:30`` or nothing); null for any other text.

    About three times faster than the full parser: no capture groups, and no text rebuilt
    before it is parsed. :func:`parse_frame` passes the texts it leaves null to the full one.
    """
    wall = text.str.slice(0, 19).str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
    offset = pl.when(text.str.len_bytes() > 19).then(text.str.slice(19))
    return pl.when(text.str.contains(_COMMON_TIMESTAMP_PATTERN)).then(
        _in_utc(wall, offset, timezone)
    )


def _with_uncommon_timestamps(frame: pl.DataFrame, column: str, timezone: str) -> pl.DataFrame:
    """``frame`` with the timestamps :func:`parse_common_timestamp` left null parsed again
    by :func:`parse_timestamp` (only those rows: usually none)."""
    raw = frame.get_column(f"__raw_{column}")
    missed = (frame.get_column(column).is_null() & raw.is_not_null()).arg_true()
    if missed.is_empty():
        return frame
    parts = raw.gather(missed).to_frame().select(timestamp_parts(pl.col(raw.name)).alias("parts"))
    retried = parts.select(timestamp_from_parts(pl.col("parts"), timezone)).to_series()
    typed = frame.get_column(column).clone().scatter(missed, retried)
    return frame.with_columns(typed)


def parse_date(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(_DATE_PATTERN)).then(
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    )


def parse_number(text: pl.Expr) -> pl.Expr:
    """Decimal text -> Float64; anything else (``abc``, ``nan``, ``inf``, ``1,5``) -> null."""
    return pl.when(text.str.contains(_NUMBER_PATTERN)).then(text.cast(pl.Float64, strict=False))


def parse_enum(text: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    lowered = text.str.to_lowercase()
    return pl.when(lowered.is_in(list(values))).then(lowered)


def parse_timezone(text: pl.Expr) -> pl.Expr:
    return pl.when(text.is_in(sorted(_timezones()))).then(text)


def parse_country(text: pl.Expr) -> pl.Expr:
    upper = text.str.to_uppercase()
    return pl.when(upper.str.contains(r"^[A-Z]{2}$")).then(upper)


def parse_column(column: Column, text: pl.Expr, timezone: str = "UTC") -> pl.Expr:
    """The typed value of one contract column from its cleaned text."""
    match column.kind:
        case Kind.TIMESTAMP:
            return parse_timestamp(text, timezone)
        case Kind.DATE:
            return parse_date(text)
        case Kind.DURATION:
            return parse_number(text)
        case Kind.ENUM:
            return parse_enum(text, column.values)
        case Kind.TIMEZONE:
            return parse_timezone(text)
        case Kind.COUNTRY:
            return parse_country(text)
        case Kind.SCORE:
            # a float column's gap (NaN) is no score, like an empty cell
            return pl.when(text.str.to_lowercase() != "nan").then(text)
        case Kind.TEXT | Kind.JSON:
            return text
    raise ValueError(f"no parser for kind {column.kind}")


def _failures(spec: SourceSpec, column: Column) -> list[tuple[pl.Expr, pl.Expr]]:
    """(condition, reason) pairs a row of this column can fail, in order of precedence."""
    raw, typed = pl.col(f"__raw_{column.name}"), pl.col(column.name)
    checks: list[tuple[pl.Expr, pl.Expr]] = []
    if column.required:
        missing_reason = EMPTY_KEY if column.name in spec.key else MISSING_REQUIRED_VALUE
        checks.append((raw.is_null(), pl.lit(missing_reason)))
    if column.kind in _FAILURE_REASON:
        checks.append((raw.is_not_null() & typed.is_null(), pl.lit(_FAILURE_REASON[column.kind])))
    if column.kind is Kind.DURATION:
        checks.append((typed < 0, pl.lit(NEGATIVE_DURATION)))
    return checks


def _reject_reasons(spec: SourceSpec, typed: pl.DataFrame) -> list[pl.Series]:
    """The first failure of each row (reason, column), key columns first, then in contract
    order; null for a good row. Worked out on the failing rows only (usually a handful):
    the chain of conditions costs a third of the parsing when run over every row."""
    ordered = sorted(spec.columns, key=lambda c: c.name not in spec.key)
    failures = [(condition, why, c.name) for c in ordered for condition, why in _failures(spec, c)]
    reason, column_name = (
        pl.repeat(None, typed.height, dtype=pl.String, eager=True).alias(name)
        for name in (REJECT_REASON, REJECT_COLUMN)
    )
    if not failures:
        return [reason, column_name]
    failed = typed.select(pl.any_horizontal(c for c, _, _ in failures).fill_null(False))
    rows = failed.to_series().arg_true()
    if rows.is_empty():
        return [reason, column_name]
    first_reason: pl.Expr = pl.lit(None, dtype=pl.String)
    first_column: pl.Expr = pl.lit(None, dtype=pl.String)
    for condition, why, name in reversed(failures):
        first_reason = pl.when(condition).then(why).otherwise(first_reason)
        first_column = pl.when(condition).then(pl.lit(name)).otherwise(first_column)
    found = typed[rows].select(first_reason.alias("reason"), first_column.alias("column"))
    return [
        reason.scatter(rows, found.get_column("reason")),
        column_name.scatter(rows, found.get_column("column")),
    ]


def parse_frame(spec: SourceSpec, text_frame: pl.DataFrame, timezone: str = "UTC") -> pl.DataFrame:
    """Typed contract columns + ``_reject_reason`` / ``_reject_column`` (null when the row is good).

    ``text_frame`` has every contract column as (possibly null) text. Columns are checked
    key first, then in contract order; the first failure names the row's reason.
    """
    cleaned = text_frame.select(
        clean_text(pl.col(c.name)).alias(f"__raw_{c.name}") for c in spec.columns
    )
    typed = cleaned.with_columns(
        parse_common_timestamp(pl.col(f"__raw_{c.name}"), timezone).alias(c.name)
        if c.kind is Kind.TIMESTAMP
        else parse_column(c, pl.col(f"__raw_{c.name}"), timezone).alias(c.name)
        for c in spec.columns
    )
    for column in spec.columns:
        if column.kind is Kind.TIMESTAMP:
            typed = _with_uncommon_timestamps(typed, column.name, timezone)
    typed = typed.with_columns(_reject_reasons(spec, typed))
    return typed.select(
        *(pl.col(c.name) for c in spec.columns),
        REJECT_REASON,
        REJECT_COLUMN,
        *(pl.col(f"__raw_{c.name}") for c in spec.columns),
    )
