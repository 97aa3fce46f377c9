"""``raw_calls__suite``: plausible timestamps and durations, and the order of a call's
timestamps.

``ended_at >= offered_at`` and ``answered_at >= offered_at`` are WARNINGS for any
offending call and BLOCKING (``__systemic``) above ``max_invalid_share`` of the calls:
they feed wait time, service level and short abandons. ``ended_at >= answered_at`` only
warns. ``offered_at`` (the anchor of every call metric) and ``ended_at`` out of the
plausible window block above the same share, and so do talk, hold and wrap-up times of
more than a day (they make the handle time).
"""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import not_before, plausible_values, raw_suite
from orchestration.landing.contract import SOURCES


def raw_calls__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.calls (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["calls"]
    share = config.max_invalid_share
    expectations = plausible_values(
        spec,
        config,
        systemic_columns=("offered_at", "ended_at", "talk_seconds", "hold_seconds", "acw_seconds"),
    )
    expectations += not_before("ended_at", "offered_at", share, systemic=True)
    expectations += not_before("answered_at", "offered_at", share, systemic=True)
    expectations += not_before("ended_at", "answered_at", share, systemic=False)
    return raw_suite(spec, expectations)
