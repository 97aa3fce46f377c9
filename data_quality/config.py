"""What the suites need to know, gathered from the settings in one object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from data_quality.scales import ScoreScale, score_scales

if TYPE_CHECKING:
    from orchestration.settings import Settings

DEFAULT_MAX_INVALID_SHARE = 0.05
DEFAULT_MIN_BLOCKING_ROWS = 10
DEFAULT_EARLIEST_DATE = date(2000, 1, 1)
DEFAULT_HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class PlausibleWindow:
    """Dates and timestamps outside ``earliest .. latest`` (inclusive) are implausible."""

    earliest: date
    latest: date

    @classmethod
    def ending_after(
        cls,
        today: date | None = None,
        horizon: timedelta = DEFAULT_HORIZON,
        earliest: date = DEFAULT_EARLIEST_DATE,
    ) -> PlausibleWindow:
        """From ``earliest`` to ``today + horizon`` (today in UTC when None)."""
        today = today or datetime.now(UTC).date()
        return cls(earliest=earliest, latest=today + horizon)

    def bounds(self) -> tuple[datetime, datetime]:
        """The window as naive timestamps: ``earliest 00:00`` .. ``latest 23:59:59.999999``."""
        low = datetime.combine(self.earliest, datetime.min.time())
        high = datetime.combine(self.latest, datetime.max.time())
        return low, high


@dataclass(frozen=True)
class QualityConfig:
    """Every parameter of every suite.

    ``max_invalid_share``: above this share of invalid rows (answered scores of one survey
    type, or rows breaking one row rule) a problem is systemic and blocks; below it, it
    only warns.
    """

    scales: Mapping[str, ScoreScale]
    max_invalid_share: float = DEFAULT_MAX_INVALID_SHARE
    window: PlausibleWindow = field(default_factory=PlausibleWindow.ending_after)
    min_anonymity_n: int = 5
    min_blocking_rows: int = DEFAULT_MIN_BLOCKING_ROWS

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_invalid_share < 1.0:
            raise ValueError(f"max_invalid_share must be in [0, 1), got {self.max_invalid_share}")
        if self.window.earliest >= self.window.latest:
            raise ValueError(f"plausible window is empty: {self.window}")

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        *,
        max_invalid_share: float = DEFAULT_MAX_INVALID_SHARE,
        min_blocking_rows: int = DEFAULT_MIN_BLOCKING_ROWS,
        window: PlausibleWindow | None = None,
    ) -> QualityConfig:
        """Scales and ``min_anonymity_n`` from the settings (``load_settings()`` when None)."""
        if settings is None:
            from orchestration.settings import load_settings

            settings = load_settings()
        return cls(
            scales=score_scales(settings),
            max_invalid_share=max_invalid_share,
            window=window or PlausibleWindow.ending_after(),
            min_anonymity_n=settings.min_anonymity_n,
            min_blocking_rows=min_blocking_rows,
        )
