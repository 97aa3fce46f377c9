"""How the sample exports are written: timestamp styles and byte-deterministic file formats."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import polars as pl

UTF8_BOM = b"\xef\xbb\xbf"


def utc_z(col: str) -> pl.Expr:
    """``2026-01-05T14:03:22Z``"""
    return pl.from_epoch(pl.col(col), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_offset(col: str) -> pl.Expr:
    """``2026-01-05T14:03:22+00:00``"""
    return pl.from_epoch(pl.col(col), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def naive_utc(col: str) -> pl.Expr:
    """``2026-01-05T14:03:22`` (meant in UTC, the default source timezone)."""
    return pl.from_epoch(pl.col(col), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S")


def local_offset(col: str, client_col: str, zones: list[str]) -> pl.Expr:
    """``2026-01-05T09:03:22-05:00``: wall clock of the row's client zone, with its offset."""
    expr = pl.lit(None, dtype=pl.Utf8)
    for idx, tz in reversed(list(enumerate(zones))):
        local = (
            pl.from_epoch(pl.col(col), time_unit="s")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(tz)
            .dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
        )
        expr = pl.when(pl.col(client_col) == idx).then(local).otherwise(expr)
    return expr


def text(values: object) -> pl.Series:
    """A text column from a numpy object array or sequence (``None`` -> null)."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return pl.Series(values, dtype=pl.Utf8)


def lookup(values: pl.Series, labels: np.ndarray) -> pl.Series:
    """Map integer indices (nullable) to their labels."""
    valid = values.is_not_null()
    idx = values.fill_null(0).to_numpy()
    return text(labels[idx]).set(~valid, None)


def csv_bytes(df: pl.DataFrame, *, bom: bool = False) -> bytes:
    data = df.write_csv(line_terminator="\n").encode("utf-8")
    return UTF8_BOM + data if bom else data


def jsonl_bytes(df: pl.DataFrame) -> bytes:
    return df.write_ndjson().encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """gzip with a fixed header (no name, mtime 0) so the bytes depend on the data only."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def write_parquet(df: pl.DataFrame, path: Path) -> None:
    df.write_parquet(path, compression="zstd", statistics=True)
