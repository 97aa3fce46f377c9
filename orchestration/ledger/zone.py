"""The landing zone a build database belongs to."""

from __future__ import annotations

import duckdb

from orchestration.ledger.tables import (
    LANDING_ZONE,
    now_utc,
)

# ---- the landing zone of a build database ----------------------------------------------


class LandingZoneMismatch(Exception):
    """A run against another landing zone than the one the build database belongs to."""

    def __init__(self, recorded: str, given: str) -> None:
        self.recorded, self.given = recorded, given
        super().__init__(
            f"this build database belongs to the landing zone {recorded}, not {given}: "
            f"set CXW_LANDING_DIR back to it, or run `cxw run --full-refresh` to rebuild "
            f"from {given}"
        )


def landing_zone(con: duckdb.DuckDBPyConnection) -> str | None:
    """The absolute path of the landing zone this build database belongs to, if bound."""
    rows = con.execute(
        f"select landing_dir from {LANDING_ZONE} order by adopted_at desc limit 1"
    ).fetchall()
    return rows[0][0] if rows else None


def check_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> str | None:
    """The landing zone the build database belongs to (None: not bound yet); raise
    :class:`LandingZoneMismatch` when it is another one than ``landing_dir`` (absolute)."""
    recorded = landing_zone(con)
    if recorded is not None and recorded != landing_dir:
        raise LandingZoneMismatch(recorded, landing_dir)
    return recorded


def bind_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> None:
    """Bind the build database to ``landing_dir`` (absolute) on first use; raise
    :class:`LandingZoneMismatch` when it already belongs to another zone."""
    if check_landing_zone(con, landing_dir) is None:
        adopt_landing_zone(con, landing_dir)


def adopt_landing_zone(con: duckdb.DuckDBPyConnection, landing_dir: str) -> None:
    """Make ``landing_dir`` the build database's landing zone (a moved deployment)."""
    con.execute(f"delete from {LANDING_ZONE}").fetchall()
    con.execute(f"insert into {LANDING_ZONE} values (?, ?)", [landing_dir, now_utc()]).fetchall()
