"""``raw_agent_roster__suite``: the plausibility of roster snapshots' dates.

A termination before the hire date only warns; so do dates outside the plausible
window (a hire date before 2000 can be true).
"""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import not_before, plausible_values, raw_suite
from orchestration.landing.contract import SOURCES


def raw_agent_roster__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.agent_roster (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["agent_roster"]
    expectations = plausible_values(spec, config)
    expectations += not_before(
        "termination_date", "hire_date", config.max_invalid_share, systemic=False
    )
    return raw_suite(spec, expectations)
