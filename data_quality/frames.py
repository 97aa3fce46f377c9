"""pandas helpers that shape a table's rows for validation (no Great Expectations here)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# GX's pandas "between" is vectorized only for datetime64[ns] columns (row by row in Python
# otherwise, ~10x slower), and DuckDB hands DATE as Python dates and TIMESTAMP as
# datetime64[us]: every date/timestamp column is validated as naive datetime64[ns].
_NS_MIN = pd.Timestamp("1677-09-22")
_NS_MAX = pd.Timestamp("2262-04-10")


def as_naive_ns_timestamps(values: pd.Series) -> pd.Series:
    """Dates or timestamps as naive (UTC) ``datetime64[ns]``.

    Values outside the nanosecond range (before 1677 or after 2262) are clamped to its
    ends: they are implausible either way and still fail every plausible-range check.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif not pd.api.types.is_datetime64_dtype(values.dtype):
        values = pd.to_datetime(values.astype("object"), utc=True).dt.tz_localize(None)
    values = values.clip(lower=_NS_MIN, upper=_NS_MAX)
    return values.astype("datetime64[ns]")


def with_naive_ns_timestamps(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A shallow copy of ``frame`` whose given columns (those present) are naive ns timestamps."""
    present = [c for c in columns if c in frame.columns]
    converted = {c: as_naive_ns_timestamps(frame[c]) for c in present}
    return frame.assign(**converted) if converted else frame.copy(deep=False)
