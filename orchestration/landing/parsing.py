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
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"

REJECT_REASON = "_reject_reason"
REJECT_COLUMN = "_reject_column"

# Reason codes recorded in raw.rejected_rows (and injected by the sample generator).
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

    :func:`parse_frame` computes them once per column: polars evaluates an expression
    again at every use, and :func:`timestamp_from_parts` uses the pieces nine times."""
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
    offset = parts.struct.field("6").str.to_uppercase()
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
        case Kind.TEXT | Kind.SCORE:
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


def parse_frame(spec: SourceSpec, text_frame: pl.DataFrame, timezone: str = "UTC") -> pl.DataFrame:
    """Typed contract columns + ``_reject_reason`` / ``_reject_column`` (null when the row is good).

    ``text_frame`` has every contract column as (possibly null) text. Columns are checked
    key first, then in contract order; the first failure names the row's reason.
    """
    cleaned = text_frame.select(
        clean_text(pl.col(c.name)).alias(f"__raw_{c.name}") for c in spec.columns
    )
    timestamps = [c for c in spec.columns if c.kind is Kind.TIMESTAMP]
    staged = cleaned.with_columns(
        timestamp_parts(pl.col(f"__raw_{c.name}")).alias(f"__parts_{c.name}") for c in timestamps
    )
    typed = staged.with_columns(
        timestamp_from_parts(pl.col(f"__parts_{c.name}"), timezone).alias(c.name)
        if c.kind is Kind.TIMESTAMP
        else parse_column(c, pl.col(f"__raw_{c.name}"), timezone).alias(c.name)
        for c in spec.columns
    )
    ordered = sorted(spec.columns, key=lambda c: c.name not in spec.key)
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    column_name: pl.Expr = pl.lit(None, dtype=pl.String)
    for column in reversed(ordered):
        for condition, why in reversed(_failures(spec, column)):
            reason = pl.when(condition).then(why).otherwise(reason)
            column_name = pl.when(condition).then(pl.lit(column.name)).otherwise(column_name)
    return typed.select(
        *(pl.col(c.name) for c in spec.columns),
        reason.alias(REJECT_REASON),
        column_name.alias(REJECT_COLUMN),
        *(pl.col(f"__raw_{c.name}") for c in spec.columns),
    )
