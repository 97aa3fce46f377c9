"""The results of a validation, as plain data: what the checks, the quality page and the
tests read. No Great Expectations here (``data_quality.runner`` makes these from GX's
results); every value is JSON-friendly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data_quality.definitions import ExpectationDefinition, SuiteDefinition

EXAMPLES_PER_EXPECTATION = 10


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one frame."""

    name: str
    expectation: str  # GX expectation type, e.g. "expect_column_values_to_be_null"
    column: str | None
    success: bool
    blocking: bool
    unexpected_count: int
    unexpected_percent: float | None  # of the non-null values in the checked rows
    examples: list  # up to EXAMPLES_PER_EXPECTATION unexpected values (JSON-friendly)
    details: dict  # description, rows, element_count, mostly, observed_value, exception...

    @property
    def severity(self) -> str:
        return "blocking" if self.blocking else "warning"

    def summary(self) -> str:
        if self.success:
            return f"{self.name}: ok"
        if "exception" in self.details:
            return f"{self.name}: error {self.details['exception']}"
        percent = (
            f" ({self.unexpected_percent:.2f}%)" if self.unexpected_percent is not None else ""
        )
        examples = f", e.g. {', '.join(map(repr, self.examples[:3]))}" if self.examples else ""
        return f"{self.name}: {self.unexpected_count} unexpected{percent}{examples}"


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of a suite on one frame; ``success`` when every blocking expectation passed."""

    suite_name: str
    table: str
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome]
    seconds: float = 0.0

    @property
    def failed_blocking(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.blocking and not o.success]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        """The failed warning expectations."""
        return [o for o in self.outcomes if not o.blocking and not o.success]

    def outcome(self, name: str) -> ExpectationOutcome:
        for o in self.outcomes:
            if o.name == name:
                return o
        raise KeyError(f"{self.suite_name} has no expectation {name!r}")

    def summary(self) -> str:
        """One line, e.g. ``raw_surveys__suite on 1000 rows: FAILED, blocking: scale_drift__csat:
        100 unexpected (10.00%), e.g. '9', '10'; 1 warning(s): score_on_scale__csat``."""
        head = f"{self.suite_name} on {self.rows} rows: {'passed' if self.success else 'FAILED'}"
        parts = [head]
        if self.failed_blocking:
            parts.append("blocking: " + "; ".join(o.summary() for o in self.failed_blocking))
        if self.warnings:
            names = ", ".join(o.name for o in self.warnings)
            parts.append(f"{len(self.warnings)} warning(s): {names}")
        return ", ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "")


def merge_outcomes(parts: list[SuiteOutcome], suite: SuiteDefinition) -> SuiteOutcome:
    """The outcomes of the chunks of one table (in chunk order) as one outcome.

    Counts add up across chunks; an expectation with a tolerated share (``mostly``) is
    judged on the totals, the others fail when any chunk fails.
    """
    parts = [p for p in parts if p.rows] or parts[:1]
    if not parts:
        outcomes = [empty_outcome(d) for d in suite.expectations]
        return SuiteOutcome(suite.name, suite.table, True, 0, outcomes)
    if len(parts) == 1:
        return parts[0]
    outcomes = [
        _merged_outcome(definition, [p.outcome(definition.name) for p in parts])
        for definition in suite.expectations
    ]
    return SuiteOutcome(
        suite.name,
        suite.table,
        all(o.success for o in outcomes if o.blocking),
        sum(p.rows for p in parts),
        outcomes,
        sum(p.seconds for p in parts),
    )


def _merged_outcome(
    definition: ExpectationDefinition, parts: list[ExpectationOutcome]
) -> ExpectationOutcome:
    unexpected = sum(o.unexpected_count for o in parts)
    judged = sum(
        int(o.details.get("element_count", 0)) - int(o.details.get("missing_count", 0) or 0)
        for o in parts
    )
    percent = 100.0 * unexpected / judged if judged else None
    details = {**base_details(definition), "element_count": judged, "chunks": len(parts)}
    if any("exception" in o.details for o in parts):
        details["exception"] = next(
            o.details["exception"] for o in parts if "exception" in o.details
        )
        success = False
    elif "mostly" in definition.kwargs:
        tolerated = 1.0 - float(definition.kwargs["mostly"])
        success = percent is None or percent / 100.0 <= tolerated + 1e-12
        if not success and unexpected < definition.min_unexpected_to_block:
            success = True
            details["below_block_minimum"] = definition.min_unexpected_to_block
    else:
        success = all(o.success for o in parts)
    examples = [e for o in parts for e in o.examples][:EXAMPLES_PER_EXPECTATION]
    return ExpectationOutcome(
        name=definition.name,
        expectation=parts[0].expectation,
        column=definition.column,
        success=success,
        blocking=definition.blocking,
        unexpected_count=unexpected,
        unexpected_percent=percent,
        examples=examples,
        details=details,
    )


def base_details(definition: ExpectationDefinition) -> dict:
    """What every outcome of ``definition`` says of it: description, rows, tolerated share."""
    details: dict[str, Any] = {
        "description": definition.description,
        "rows": definition.describe_rows(),
    }
    if "mostly" in definition.kwargs:
        details["mostly"] = definition.kwargs["mostly"]
    return details


def empty_outcome(definition: ExpectationDefinition) -> ExpectationOutcome:
    """The outcome of ``definition`` on no rows: passed, nothing looked at."""
    return ExpectationOutcome(
        name=definition.name,
        expectation=expectation_type(definition.expectation),
        column=definition.column,
        success=True,
        blocking=definition.blocking,
        unexpected_count=0,
        unexpected_percent=None,
        examples=[],
        details={**base_details(definition), "element_count": 0, "skipped": "empty frame"},
    )


def expectation_type(class_name: str) -> str:
    """GX's type name of an expectation class: ``ExpectColumnX`` -> ``expect_column_x``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in class_name).lstrip("_")
