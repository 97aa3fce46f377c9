"""``raw_surveys__suite``: the survey scales plus plausible timestamps.

Scores arrive as text. ``prepare`` adds ``invalid_score``: the score text as delivered
when an ANSWERED row (``responded_at`` set) has an invalid score (``<empty>`` when it
has none), else NULL -- computed in pandas by :mod:`data_quality.scales`, the mirror of
the dbt macros. Per survey type, on the answered rows of that type (GX row_condition
``survey_type == t and responded_at is not null``):

* ``score_on_scale__<type>`` WARNING: every answered score valid; the examples are the
  offending texts (``'11'``, ``'great'``).
* ``scale_drift__<type>`` BLOCKING: at most ``max_invalid_share`` of them invalid
  (``mostly = 1 - max_invalid_share``), as when a survey tool moves CSAT to 1..10.
"""

from __future__ import annotations

import pandas as pd

from data_quality.config import QualityConfig
from data_quality.definitions import (
    Condition,
    Equals,
    ExpectationDefinition,
    IsNull,
    NotNull,
    SuiteDefinition,
)
from data_quality.scales import ScoreScale, invalid_score_texts
from data_quality.suites._raw_contract import not_before, plausible_values, raw_suite
from orchestration.landing.contract import SOURCES, SURVEY_TYPES

INVALID_SCORE = "invalid_score"


def score_expectations(
    survey_type: str,
    scale: ScoreScale,
    invalid_column: str,
    max_invalid_share: float,
    where: tuple[Condition, ...],
) -> list[ExpectationDefinition]:
    """The WARNING and the BLOCKING drift expectation on one survey type's scores."""
    scale_text = scale.describe()
    return [
        ExpectationDefinition(
            f"score_on_scale__{survey_type}",
            "ExpectColumnValuesToBeNull",
            {"column": invalid_column},
            False,
            f"every answered {survey_type} score is valid ({scale_text})",
            where,
        ),
        ExpectationDefinition(
            f"scale_drift__{survey_type}",
            "ExpectColumnValuesToBeNull",
            {"column": invalid_column, "mostly": 1.0 - max_invalid_share},
            True,
            f"at most {max_invalid_share:.0%} of answered {survey_type} scores invalid "
            f"({scale_text})",
            where,
        ),
    ]


def raw_surveys__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.surveys (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["surveys"]
    expectations = plausible_values(spec, config, systemic_columns=("sent_at", "responded_at"))
    for survey_type in SURVEY_TYPES:
        if survey_type not in config.scales:
            raise ValueError(f"no survey scale configured for {survey_type!r}")
        expectations += score_expectations(
            survey_type,
            config.scales[survey_type],
            INVALID_SCORE,
            config.max_invalid_share,
            (Equals("survey_type", survey_type), NotNull("responded_at")),
        )
    expectations.append(
        ExpectationDefinition(
            "unanswered_has_no_score",
            "ExpectColumnValuesToBeNull",
            {"column": "score"},
            False,
            "an invitation without responded_at carries no score",
            (IsNull("responded_at"),),
        )
    )
    expectations += not_before("responded_at", "sent_at", config.max_invalid_share, systemic=False)
    scales = config.scales

    def derive(frame: pd.DataFrame) -> dict[str, pd.Series]:
        answered = frame["responded_at"].notna()
        return {
            INVALID_SCORE: invalid_score_texts(
                frame["score"], frame["survey_type"], answered, scales
            )
        }

    return raw_suite(spec, expectations, derive, ("score", "survey_type", "responded_at"))
