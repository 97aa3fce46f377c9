"""``raw_tickets__suite``: plausible timestamps of tickets and their order.

``first_response_at >= created_at`` is a WARNING only: a reply before creation is
invalid for FRT (excluded and counted by the marts) but the ticket still counts
(docs/metrics.md). ``solved_at >= created_at`` also only warns. ``created_at`` out of
the plausible window blocks above ``max_invalid_share`` of the tickets.
"""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import not_before, plausible_values, raw_suite
from orchestration.landing.contract import SOURCES


def raw_tickets__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.tickets (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["tickets"]
    share = config.max_invalid_share
    expectations = plausible_values(spec, config, systemic_columns=("created_at",))
    expectations += not_before("first_response_at", "created_at", share, systemic=False)
    expectations += not_before("solved_at", "created_at", share, systemic=False)
    return raw_suite(spec, expectations)
