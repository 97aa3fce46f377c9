"""What GX checks on every raw table: the plausibility of values the loader cannot judge.

Shared by every ``raw_<source>__suite``. The loader's parser
(``orchestration.landing.parsing``) already rejects, row by row, what breaks the export
contract: a required value missing, a timestamp, date or number that does not parse, an
enumeration value outside its set, a negative duration, an unknown time zone or country
code; the loader writes the lineage columns itself. None of that is validated again here.

What the parser accepts but a metric should not trust is checked: dates and timestamps
outside the plausible window (epoch zero, a year in the future), durations of more than
a day (a vendor exporting milliseconds), and one timestamp before another. Each row rule
is a WARNING for any offending row and, where the rule matters to a metric, BLOCKING
once more than ``max_invalid_share`` of the rows break it (``<rule>__systemic``): a few
bad rows warn, a systematic shift (a vendor exporting one column in another time zone)
stops the publish.
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
from orchestration.landing.contract import Kind, SourceSpec

TEMPORAL_KINDS = (Kind.DATE, Kind.TIMESTAMP)
# A call's talk, hold or wrap-up time above this is implausible (seconds): one day.
MAX_DURATION_SECONDS = 86_400


def raw_table(spec: SourceSpec) -> str:
    return f"raw_{spec.name}"


def temporal_columns(spec: SourceSpec) -> tuple[str, ...]:
    return tuple(c.name for c in spec.columns if c.kind in TEMPORAL_KINDS)


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


def plausible_values(
    spec: SourceSpec,
    config: QualityConfig,
    *,
    systemic_columns: Iterable[str] = (),
) -> list[ExpectationDefinition]:
    """Every date and timestamp within the plausible window, every duration at most a day;
    ``<column>_plausible__systemic`` blocks for the ``systemic_columns``."""
    systemic = set(systemic_columns)
    low, high = config.window.bounds()
    out: list[ExpectationDefinition] = []
    for column in spec.columns:
        if column.kind in TEMPORAL_KINDS:
            out += tiered(
                f"{column.name}_plausible",
                "ExpectColumnValuesToBeBetween",
                {"column": column.name, "min_value": low, "max_value": high},
                f"{column.name} within {config.window.earliest} .. {config.window.latest}",
                config.max_invalid_share,
                systemic=column.name in systemic,
            )
        elif column.kind is Kind.DURATION:  # >= 0 is the parser's (negative_duration)
            out += tiered(
                f"{column.name}_plausible",
                "ExpectColumnValuesToBeBetween",
                {"column": column.name, "max_value": MAX_DURATION_SECONDS},
                f"{column.name} at most {MAX_DURATION_SECONDS:,} s (one day)",
                config.max_invalid_share,
                systemic=column.name in systemic,
            )
    return out


def raw_suite(
    spec: SourceSpec,
    expectations: Iterable[ExpectationDefinition],
    derive: Callable[[pd.DataFrame], dict[str, pd.Series]] | None = None,
    derived_from: Iterable[str] = (),
) -> SuiteDefinition:
    """The suite of raw.<source>; ``derive`` adds derived columns to the validated copy,
    from the table columns ``derived_from``.

    The suite reads the table columns its expectations name plus ``derived_from``."""
    expectations = tuple(expectations)
    wanted = {c for e in expectations for c in e.referenced_columns()} | set(derived_from)
    columns = tuple(c for c in spec.column_names if c in wanted)
    temporal = temporal_columns(spec)

    def prepare(frame: pd.DataFrame) -> pd.DataFrame:
        prepared = with_naive_ns_timestamps(frame, temporal)
        return prepared.assign(**derive(prepared)) if derive else prepared

    table = raw_table(spec)
    return SuiteDefinition(
        name=f"{table}__suite",
        table=table,
        expectations=expectations,
        columns=columns,
        prepare=prepare,
    )
