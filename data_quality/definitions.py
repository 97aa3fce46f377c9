"""Expectation suites as plain data: what to expect, on which rows, and whether it blocks.

A :class:`SuiteDefinition` is built by the functions in :mod:`data_quality.suites` and
turned into a Great Expectations ``ExpectationSuite`` only by :mod:`data_quality.runner`,
so building, listing or naming the checks (e.g. to declare Dagster asset checks) never
imports Great Expectations.

Every expectation is one GX built-in (``expectation`` is its class name, ``kwargs`` its
arguments) plus two things of ours:

* ``blocking`` -- a failing blocking expectation stops the publish; a failing warning
  expectation is only reported. It is mirrored into GX as ``severity`` (critical /
  warning) and ``meta["blocking"]``.
* ``where`` -- the rows the expectation looks at (all of them when empty): a conjunction
  of simple conditions, passed to GX 1.x as a ``row_condition``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Equals:
    """Rows where ``column == value``."""

    column: str
    value: str | int | float | bool

    def describe(self) -> str:
        return f"{self.column} == {self.value!r}"


@dataclass(frozen=True)
class IsIn:
    """Rows where ``column`` is one of ``values`` (strings or numbers)."""

    column: str
    values: tuple[str | int | float, ...]

    def describe(self) -> str:
        return f"{self.column} in ({', '.join(map(repr, self.values))})"


@dataclass(frozen=True)
class LessThan:
    """Rows where ``column < value``."""

    column: str
    value: int | float

    def describe(self) -> str:
        return f"{self.column} < {self.value!r}"


@dataclass(frozen=True)
class NotNull:
    """Rows where ``column`` is not null."""

    column: str

    def describe(self) -> str:
        return f"{self.column} is not null"


@dataclass(frozen=True)
class IsNull:
    """Rows where ``column`` is null."""

    column: str

    def describe(self) -> str:
        return f"{self.column} is null"


Condition = Equals | IsIn | LessThan | NotNull | IsNull


@dataclass(frozen=True)
class ExpectationDefinition:
    """One expectation of a suite.

    ``name`` is unique within its suite and a valid identifier (``[a-z0-9_]``), so it
    can name a Dagster asset check as it is.
    """

    name: str
    expectation: str  # class name of a GX built-in, e.g. "ExpectColumnValuesToNotBeNull"
    kwargs: Mapping[str, Any]
    blocking: bool
    description: str
    where: tuple[Condition, ...] = ()
    # A blocking expectation with a tolerated share (``mostly``) blocks only when at least
    # this many rows break it: a few bad rows in a small night only warn.
    min_unexpected_to_block: int = 0

    @property
    def column(self) -> str | None:
        """The column (or ``a, b`` columns) the expectation is about, if any."""
        if "column" in self.kwargs:
            return str(self.kwargs["column"])
        if "column_A" in self.kwargs:
            return f"{self.kwargs['column_A']}, {self.kwargs['column_B']}"
        if "column_list" in self.kwargs:
            return ", ".join(self.kwargs["column_list"])
        return None

    @property
    def severity(self) -> str:
        return "blocking" if self.blocking else "warning"

    def describe_rows(self) -> str:
        return " and ".join(c.describe() for c in self.where) or "all rows"

    def referenced_columns(self) -> tuple[str, ...]:
        """Every column the expectation names, in its arguments or in its rows' conditions."""
        named: list[str] = []
        for key in ("column", "column_A", "column_B"):
            if key in self.kwargs:
                named.append(str(self.kwargs[key]))
        named += [str(c) for c in self.kwargs.get("column_list", ())]
        named += [c.column for c in self.where]
        return tuple(dict.fromkeys(named))


@dataclass(frozen=True)
class SuiteDefinition:
    """A named list of expectations on one table.

    ``prepare`` (optional) returns the frame that GX validates: a copy of the table's
    rows with derived columns (e.g. ``invalid_score``) and normalized types. It must not
    change the frame it is given.

    ``columns`` are the columns of ``table`` the suite reads (its expectations' and
    ``prepare``'s): the caller selects only these from the database, and
    :func:`data_quality.runner.validate_chunks` drops any other column it is given.
    """

    name: str
    table: str
    expectations: tuple[ExpectationDefinition, ...]
    columns: tuple[str, ...]
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        names = [e.name for e in self.expectations]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"suite {self.name}: duplicate expectation names {duplicates}")
        if not self.columns:
            raise ValueError(f"suite {self.name}: no columns to read")

    def with_block_minimum(self, rows: int) -> SuiteDefinition:
        """A copy whose share-tolerant blocking expectations need ``rows`` bad rows to block."""
        return replace(
            self,
            expectations=tuple(
                replace(e, min_unexpected_to_block=rows)
                if e.blocking and "mostly" in e.kwargs
                else e
                for e in self.expectations
            ),
        )

    @property
    def blocking(self) -> tuple[ExpectationDefinition, ...]:
        return tuple(e for e in self.expectations if e.blocking)

    @property
    def warnings(self) -> tuple[ExpectationDefinition, ...]:
        return tuple(e for e in self.expectations if not e.blocking)

    def expectation(self, name: str) -> ExpectationDefinition:
        for e in self.expectations:
            if e.name == name:
                return e
        raise KeyError(f"suite {self.name} has no expectation {name!r}")
