"""The raw export contract (``orchestration.landing.contract``) as expectations.

Shared by every ``raw_<source>__suite``. What the loader already enforces (required
values, enumerations, durations >= 0, lineage) is BLOCKING here: a violation means the
ingestion itself is broken. Row rules the loader does not enforce (one timestamp after
another, plausible dates) are WARNINGS for any offending row and, where the rule
matters to a metric, BLOCKING once more than ``max_invalid_share`` of the rows break it
(``<rule>__systemic``): a few bad rows warn, a systematic shift (a vendor exporting one
column in another time zone, epoch-zero timestamps) stops the publish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from data_quality.config import QualityConfig
from data_quality.definitions import (
    Condition,
    ExpectationDefinition,
    SuiteDefinition,
)
from data_quality.frames import with_naive_ns_timestamps
from orchestration.landing.contract import (
    FILE_PATH_COLUMN,
    FILE_ROW_COLUMN,
    LINEAGE_COLUMNS,
    LOADED_AT_COLUMN,
    Kind,
    SourceSpec,
)

TEMPORAL_KINDS = (Kind.DATE, Kind.TIMESTAMP)


def raw_table(spec: SourceSpec) -> str:
    return f"raw_{spec.name}"


def temporal_columns(spec: SourceSpec) -> tuple[str, ...]:
    return tuple(c.name for c in spec.columns if c.kind in TEMPORAL_KINDS) + (LOADED_AT_COLUMN,)


def tiered(
    name: str,
    expectation: str,
    kwargs: dict,
    description: str,
    max_invalid_share: float,
    *,
    systemic: bool,
    where: tuple[Condition, ...] = (),
) -> list[ExpectationDefinition]:
    """A row rule: a WARNING for any offending row, plus (``systemic``) a BLOCKING
    ``<name>__systemic`` when more than ``max_invalid_share`` of the rows break it."""
    out = [ExpectationDefinition(name, expectation, kwargs, False, description, where)]
    if systemic:
        out.append(
            ExpectationDefinition(
                f"{name}__systemic",
                expectation,
                {**kwargs, "mostly": 1.0 - max_invalid_share},
                True,
                f"{description} (more than {max_invalid_share:.0%} of the rows break it)",
                where,
            )
        )
    return out


def not_before(
    later: str,
    earlier: str,
    max_invalid_share: float,
    *,
    systemic: bool,
    where: tuple[Condition, ...] = (),
) -> list[ExpectationDefinition]:
    """``later >= earlier`` wherever both are set."""
    return tiered(
        f"{later}_not_before_{earlier}",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": later,
            "column_B": earlier,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        f"{later} >= {earlier} where both are set",
        max_invalid_share,
        systemic=systemic,
        where=where,
    )


def contract_expectations(
    spec: SourceSpec,
    config: QualityConfig,
    *,
    systemic_range_columns: Iterable[str] = (),
) -> list[ExpectationDefinition]:
    """Columns present, required values, enumerations, durations, plausible dates, lineage."""
    systemic_range = set(systemic_range_columns)
    low, high = config.window.bounds()
    expected_columns = [*spec.column_names, *(name for name, _ in LINEAGE_COLUMNS)]
    out = [
        ExpectationDefinition(
            "columns_present",
            "ExpectTableColumnsToMatchSet",
            {"column_set": expected_columns, "exact_match": False},
            True,
            f"raw.{spec.name} has every contract and lineage column",
        )
    ]
    for column in spec.columns:
        if column.required:
            out.append(
                ExpectationDefinition(
                    f"{column.name}_not_null",
                    "ExpectColumnValuesToNotBeNull",
                    {"column": column.name},
                    True,
                    f"required column {column.name} is set",
                )
            )
        if column.kind is Kind.ENUM:
            out.append(
                ExpectationDefinition(
                    f"{column.name}_in_set",
                    "ExpectColumnValuesToBeInSet",
                    {"column": column.name, "value_set": list(column.values)},
                    True,
                    f"{column.name} is one of {', '.join(column.values)}",
                )
            )
        if column.kind is Kind.DURATION:
            out.append(
                ExpectationDefinition(
                    f"{column.name}_not_negative",
                    "ExpectColumnValuesToBeBetween",
                    {"column": column.name, "min_value": 0},
                    True,
                    f"duration {column.name} >= 0",
                )
            )
        if column.kind in TEMPORAL_KINDS:
            out += tiered(
                f"{column.name}_plausible",
                "ExpectColumnValuesToBeBetween",
                {"column": column.name, "min_value": low, "max_value": high},
                f"{column.name} within {config.window.earliest} .. {config.window.latest}",
                config.max_invalid_share,
                systemic=column.name in systemic_range,
            )
    for name, _ in LINEAGE_COLUMNS:
        out.append(
            ExpectationDefinition(
                f"{name.lstrip('_')}_not_null",
                "ExpectColumnValuesToNotBeNull",
                {"column": name},
                True,
                f"lineage column {name} is set",
            )
        )
    out.append(
        ExpectationDefinition(
            "lineage_unique",
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": [FILE_PATH_COLUMN, FILE_ROW_COLUMN, LOADED_AT_COLUMN]},
            True,
            "one raw row per landing file row and load",
        )
    )
    return out


def raw_suite(
    spec: SourceSpec,
    expectations: Iterable[ExpectationDefinition],
    derive: Callable[[pd.DataFrame], dict[str, pd.Series]] | None = None,
) -> SuiteDefinition:
    """The suite of raw.<source>; ``derive`` adds derived columns to the validated copy."""
    columns = temporal_columns(spec)

    def prepare(frame: pd.DataFrame) -> pd.DataFrame:
        prepared = with_naive_ns_timestamps(frame, columns)
        return prepared.assign(**derive(prepared)) if derive else prepared

    table = raw_table(spec)
    return SuiteDefinition(
        name=f"{table}__suite", table=table, expectations=tuple(expectations), prepare=prepare
    )
