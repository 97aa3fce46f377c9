"""``raw_calls__suite``: the raw contract of calls plus the order of a call's timestamps.

``ended_at >= offered_at`` and ``answered_at >= offered_at`` are WARNINGS for any
offending call and BLOCKING (``__systemic``) above ``max_invalid_share`` of the calls:
they feed wait time, service level and short abandons. ``ended_at >= answered_at`` only
warns. ``offered_at`` (the anchor of every call metric) and ``ended_at`` out of the
plausible window block above the same share.
"""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import contract_expectations, not_before, raw_suite
from orchestration.landing.contract import SOURCES


def raw_calls__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.calls (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["calls"]
    share = config.max_invalid_share
    expectations = contract_expectations(
        spec, config, systemic_range_columns=("offered_at", "ended_at")
    )
    expectations += not_before("ended_at", "offered_at", share, systemic=True)
    expectations += not_before("answered_at", "offered_at", share, systemic=True)
    expectations += not_before("ended_at", "answered_at", share, systemic=False)
    return raw_suite(spec, expectations)
