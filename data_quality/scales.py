"""Survey scales for the suites, from the ONE configuration the dbt models also read.

The scales and CSAT labels come from ``orchestration.settings.load_settings()``:
``survey_scales`` (dbt var ``survey_scales`` with ``CXW_SURVEY_SCALES`` overrides) and
``kpi_vars["csat_labels"]`` (dbt var ``csat_labels``). The parsing rules mirror the dbt
macros in ``dbt_project/macros/survey_scores.sql`` exactly, so a score the marts reject
is a score the suites count as invalid, and the other way round:

* the text is trimmed; empty (or NULL: the loader stores a float's ``NaN`` as NULL) on an
  answered row is ``empty_score``;
* for CSAT, a label (case-insensitive, trimmed) stands for its number;
* otherwise the text must be a whole number: an optional minus sign and ASCII digits,
  optionally a decimal point and zeros (``9``, ``9.0``: pandas, Parquet and JSON write
  integer scores as floats), else ``not_an_integer`` (``'7.5'``, ``'great'``);
* the integer must lie on the survey type's scale, bounds inclusive, else
  ``off_scale`` (``'11'``, ``'-1'``, CSAT ``'0'``); an unknown survey type has no
  scale, so every score of it is ``off_scale``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from orchestration.settings import Settings

INTEGER_TEXT = r"-?[0-9]+(\.0*)?"

EMPTY_SCORE = "empty_score"
NOT_AN_INTEGER = "not_an_integer"
OFF_SCALE = "off_scale"

# How an answered row with no score shows among the invalid score texts.
EMPTY_SCORE_TEXT = "<empty>"


@dataclass(frozen=True)
class ScoreScale:
    """The valid scores of one survey type: integers ``min_score..max_score`` or labels."""

    survey_type: str
    min_score: int
    max_score: int
    labels: Mapping[str, int] = field(default_factory=dict)  # lower-cased, trimmed

    def invalid_reason(self, text: str | None) -> str | None:
        """Why one answered score text is invalid, or None when it is valid."""
        reasons = invalid_score_reasons(
            pd.Series([text], dtype="object"),
            pd.Series([self.survey_type]),
            {self.survey_type: self},
        )
        reason = reasons.iloc[0]
        return None if pd.isna(reason) else str(reason)

    def describe(self) -> str:
        labels = f" or labels {', '.join(sorted(self.labels))}" if self.labels else ""
        return f"{self.survey_type}: integers {self.min_score}..{self.max_score}{labels}"


def normalized_labels(labels: Mapping[str, Any]) -> dict[str, int]:
    """Labels as the dbt macro matches them: lower-cased and trimmed."""
    return {str(label).strip().lower(): int(value) for label, value in labels.items()}


def score_scales(settings: Settings | None = None) -> dict[str, ScoreScale]:
    """Every survey type's scale from the settings (``load_settings()`` when None).

    CSAT carries the labels of dbt var ``csat_labels``; no other type has labels.
    """
    if settings is None:
        from orchestration.settings import load_settings

        settings = load_settings()
    csat_labels = normalized_labels(settings.kpi_vars.get("csat_labels") or {})
    return {
        name: ScoreScale(
            survey_type=name,
            min_score=scale.min_score,
            max_score=scale.max_score,
            labels=csat_labels if name == "csat" else {},
        )
        for name, scale in settings.survey_scales.items()
    }


def invalid_score_reasons(
    scores: pd.Series, survey_types: pd.Series | str, scales: Mapping[str, ScoreScale]
) -> pd.Series:
    """Per row: NULL when the score is valid, else its reason (see module docstring).

    Every row is treated as answered: mask unanswered rows out yourself. ``survey_types``
    is a Series aligned with ``scores`` or one survey type for all rows.
    """
    if isinstance(survey_types, str):
        survey_types = pd.Series(survey_types, index=scores.index)
    text = scores.astype("object").where(scores.notna(), None)
    text = pd.Series(
        [None if v is None else str(v).strip() for v in text], index=scores.index, dtype="object"
    )
    lowered = text.str.lower()
    is_empty = text.isna() | (text == "")

    label_value = pd.Series(float("nan"), index=scores.index)
    for name, scale in scales.items():
        if scale.labels:
            rows = survey_types == name
            label_value = label_value.where(~rows, lowered.map(scale.labels).astype("float"))
    is_label = label_value.notna()

    is_integer_text = text.str.fullmatch(INTEGER_TEXT).fillna(False).astype(bool)
    integer = pd.to_numeric(text.where(is_integer_text), errors="coerce").astype("float")
    value = label_value.where(is_label, integer)

    low = survey_types.map({n: s.min_score for n, s in scales.items()}).astype("float")
    high = survey_types.map({n: s.max_score for n, s in scales.items()}).astype("float")
    on_scale = (value >= low) & (value <= high)

    reasons = pd.Series(None, index=scores.index, dtype="object")
    reasons = reasons.mask(~on_scale, OFF_SCALE)
    reasons = reasons.mask(~is_label & ~is_integer_text, NOT_AN_INTEGER)
    reasons = reasons.mask(is_empty, EMPTY_SCORE)
    return reasons


def invalid_score_texts(
    scores: pd.Series,
    survey_types: pd.Series | str,
    answered: pd.Series,
    scales: Mapping[str, ScoreScale],
) -> pd.Series:
    """Per row: the score text as delivered when an answered score is invalid, else NULL.

    An answered row without a score shows as ``<empty>``. This is the column the suites
    expect to be null, so a failure's examples are the offending texts themselves.
    """
    reasons = invalid_score_reasons(scores, survey_types, scales)
    invalid = reasons.notna() & answered.fillna(False).astype(bool)
    shown = scores.astype("object").where(reasons != EMPTY_SCORE, EMPTY_SCORE_TEXT)
    return shown.where(invalid, None).astype("object")
