"""``raw_customers__suite``: the plausibility of CRM customers' dates.

A churn before the signup only warns; so do dates outside the plausible window (a
customer may have signed up before 2000).
"""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import not_before, plausible_values, raw_suite
from orchestration.landing.contract import SOURCES


def raw_customers__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.customers (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["customers"]
    expectations = plausible_values(spec, config)
    expectations += not_before(
        "churn_date", "signup_date", config.max_invalid_share, systemic=False
    )
    return raw_suite(spec, expectations)
