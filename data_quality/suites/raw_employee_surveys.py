"""``raw_employee_surveys__suite``: the esat (1..5) and enps (0..10) scales plus a
plausible survey date.

An employee response may leave either question empty, so a score counts as answered
when its text is set. ``prepare`` adds ``invalid_esat_score`` / ``invalid_enps_score``
(the text as delivered when invalid, else NULL); per question a WARNING
(``score_on_scale__esat``) for any invalid score and a BLOCKING ``scale_drift__esat``
when more than ``max_invalid_share`` of the answered ones are invalid.
"""

from __future__ import annotations

import pandas as pd

from data_quality.config import QualityConfig
from data_quality.definitions import NotNull, SuiteDefinition
from data_quality.scales import invalid_score_texts
from data_quality.suites._raw_contract import plausible_values, raw_suite
from data_quality.suites.raw_surveys import score_expectations
from orchestration.landing.contract import SOURCES

# survey type (scale name) -> score column of raw.employee_surveys
EMPLOYEE_SCORES = {"esat": "esat_score", "enps": "enps_score"}


def invalid_column(score_column: str) -> str:
    return f"invalid_{score_column}"


def raw_employee_surveys__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of raw.employee_surveys (the rows new in a run)."""
    config = config or QualityConfig.from_settings()
    spec = SOURCES["employee_surveys"]
    expectations = plausible_values(spec, config, systemic_columns=("survey_date",))
    for survey_type, column in EMPLOYEE_SCORES.items():
        if survey_type not in config.scales:
            raise ValueError(f"no survey scale configured for {survey_type!r}")
        expectations += score_expectations(
            survey_type,
            config.scales[survey_type],
            invalid_column(column),
            config.max_invalid_share,
            (NotNull(column),),
        )
    scales = config.scales

    def derive(frame: pd.DataFrame) -> dict[str, pd.Series]:
        return {
            invalid_column(column): invalid_score_texts(
                frame[column], survey_type, frame[column].notna(), scales
            )
            for survey_type, column in EMPLOYEE_SCORES.items()
        }

    return raw_suite(spec, expectations, derive, tuple(EMPLOYEE_SCORES.values()))
