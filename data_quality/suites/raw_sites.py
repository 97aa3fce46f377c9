"""``raw_sites__suite``: the raw contract of sites (required values, enumerations, lineage)."""

from __future__ import annotations

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites._raw_contract import contract_expectations, raw_suite
from orchestration.landing.contract import SOURCES


def raw_sites__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.sites (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["sites"]
    return raw_suite(spec, contract_expectations(spec, config))
