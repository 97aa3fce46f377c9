"""Expectation suites as code: one module per validated table, ``<table>__suite(config)``.

``SUITES`` maps a table name to its suite builder; :func:`suite_for` builds one from
the settings (``QualityConfig.from_settings()``) unless given a config. Building a
suite is cheap and never imports Great Expectations.
"""

from __future__ import annotations

from collections.abc import Callable

from data_quality.config import QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.suites.kpi_metrics import kpi_metrics__suite
from data_quality.suites.raw_agent_roster import raw_agent_roster__suite
from data_quality.suites.raw_calls import raw_calls__suite
from data_quality.suites.raw_customers import raw_customers__suite
from data_quality.suites.raw_employee_surveys import raw_employee_surveys__suite
from data_quality.suites.raw_surveys import raw_surveys__suite
from data_quality.suites.raw_tickets import raw_tickets__suite

SuiteBuilder = Callable[[QualityConfig | None], SuiteDefinition]

# table -> suite builder; raw tables are named raw_<source> (source of the raw contract).
# clients, sites and teams have none: the loader's parser checks all there is to check
# in them (required values, enumerations, time zones, country codes).
SUITES: dict[str, SuiteBuilder] = {
    "raw_agent_roster": raw_agent_roster__suite,
    "raw_calls": raw_calls__suite,
    "raw_tickets": raw_tickets__suite,
    "raw_surveys": raw_surveys__suite,
    "raw_customers": raw_customers__suite,
    "raw_employee_surveys": raw_employee_surveys__suite,
    "kpi_metrics": kpi_metrics__suite,
}


def suite_for(table: str, config: QualityConfig | None = None) -> SuiteDefinition:
    """The suite of ``table`` (a key of ``SUITES``), built from ``config`` or the settings."""
    try:
        builder = SUITES[table]
    except KeyError:
        raise KeyError(f"no expectation suite for {table!r} (known: {', '.join(SUITES)})") from None
    config = config or QualityConfig.from_settings()
    return builder(config).with_block_minimum(config.min_blocking_rows)


# The landing sources whose raw rows are validated (raw_<source> in SUITES).
VALIDATED_SOURCES: tuple[str, ...] = tuple(
    t.removeprefix("raw_") for t in SUITES if t.startswith("raw_")
)


def all_suites(config: QualityConfig | None = None) -> dict[str, SuiteDefinition]:
    """Every suite, built from one config."""
    config = config or QualityConfig.from_settings()
    return {table: suite_for(table, config) for table in SUITES}


__all__ = [
    "SUITES",
    "VALIDATED_SOURCES",
    "all_suites",
    "kpi_metrics__suite",
    "raw_agent_roster__suite",
    "raw_calls__suite",
    "raw_customers__suite",
    "raw_employee_surveys__suite",
    "raw_surveys__suite",
    "raw_tickets__suite",
    "suite_for",
]
