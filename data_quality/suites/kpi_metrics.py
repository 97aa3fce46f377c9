"""``kpi_metrics__suite``: the invariants of ``marts.kpi_metrics`` (docs/metrics.md). All BLOCKING.

``KPI_CATALOGUE`` mirrors the dbt macro ``kpi_catalogue()`` (dbt_project/macros/kpi/
kpi_catalogue.sql): metric names, their levels and grains, and which are anonymized.
tests/unit/test_data_quality_suites.py parses the macro and fails when the two disagree.

Conditions on a metric (``metric in (nps, enps)``) are GX row_conditions. Conditions
across two columns are derived in pandas by ``prepare`` (the validated copy only):

* ``metric_at_level`` / ``metric_at_grain`` -- ``"enps@agent"``: the pair must be in the
  catalogue (GX's ExpectColumnPairValuesToBeInSet works row by row in Python: ~13 s on
  100k rows, so the pair is one text column checked with ExpectColumnValuesToBeInSet);
* ``misaligned_period_start`` -- ``"week 2024-01-03"`` when period_start is not the
  first day of its period (weeks start on Monday), else NULL;
* ``sample_size_behind_value`` -- sample_size where a value is shown, except a count of
  0 (NULL there, so not checked): a shown ratio, mean or median rests on at least 1 fact;
* ``ci_low_tolerant`` / ``ci_high_tolerant`` -- the interval widened by 1e-9 so a
  rounding error (a Wilson bound of 99.99999999999999 for a value of 100) never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_quality.config import QualityConfig
from data_quality.definitions import (
    Equals,
    ExpectationDefinition,
    IsIn,
    LessThan,
    SuiteDefinition,
)
from data_quality.frames import with_naive_ns_timestamps

GRAINS = ("day", "week", "month")
LEVELS = ("agent", "team", "site", "sourcing", "location_type", "client", "all")
QUEUE_LEVELS = ("queue", "site", "sourcing", "location_type", "client", "all")
ALL_LEVELS = (*LEVELS, "queue")
KEY = ("period_grain", "period_start", "level", "entity_id", "metric")
COLUMNS = (
    *KEY,
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "ci_low",
    "ci_high",
    "suppressed",
    "is_complete",
)
NULL_WHEN_SUPPRESSED = ("value", "numerator", "denominator", "ci_low", "ci_high")
CI_TOLERANCE = 1e-9


@dataclass(frozen=True)
class KpiDefinition:
    levels: tuple[str, ...] = LEVELS
    grains: tuple[str, ...] = GRAINS
    is_anonymized: bool = False


_CLIENT_ALL = ("client", "all")
_MONTH = ("month",)
EMPLOYEE_LEVELS = ("team", "site", "sourcing", "location_type", "client", "all")

KPI_CATALOGUE: dict[str, KpiDefinition] = {
    "calls_offered": KpiDefinition(QUEUE_LEVELS),
    "calls_handled": KpiDefinition(ALL_LEVELS),
    "calls_abandoned": KpiDefinition(QUEUE_LEVELS),
    "abandon_rate_pct": KpiDefinition(QUEUE_LEVELS),
    "service_level_pct": KpiDefinition(QUEUE_LEVELS),
    "aht_seconds": KpiDefinition(ALL_LEVELS),
    "asa_seconds": KpiDefinition(QUEUE_LEVELS),
    "calls_outbound": KpiDefinition(),
    "outbound_talk_seconds": KpiDefinition(),
    "tickets_created": KpiDefinition(),
    "frt_avg_minutes": KpiDefinition(),
    "frt_median_minutes": KpiDefinition(),
    "frt_within_target_pct": KpiDefinition(),
    "nps": KpiDefinition(),
    "csat_pct": KpiDefinition(),
    "csat_avg": KpiDefinition(),
    "ces_avg": KpiDefinition(),
    "ces_low_effort_pct": KpiDefinition(),
    "survey_response_rate_pct": KpiDefinition(),
    "customer_retention_pct": KpiDefinition(_CLIENT_ALL, _MONTH),
    "referral_rate_pct": KpiDefinition(_CLIENT_ALL, _MONTH),
    "esat_pct": KpiDefinition(EMPLOYEE_LEVELS, _MONTH, is_anonymized=True),
    "enps": KpiDefinition(EMPLOYEE_LEVELS, _MONTH, is_anonymized=True),
}

NET_SCORE_METRICS = ("nps", "enps")
PCT_METRICS = tuple(m for m in KPI_CATALOGUE if m.endswith("_pct"))
ANONYMIZED_METRICS = tuple(m for m, d in KPI_CATALOGUE.items() if d.is_anonymized)
NON_NEGATIVE_METRICS = (
    "calls_offered",
    "calls_handled",
    "calls_abandoned",
    "calls_outbound",
    "tickets_created",
    "aht_seconds",
    "asa_seconds",
    "outbound_talk_seconds",
    "frt_avg_minutes",
    "frt_median_minutes",
)
# metrics whose value is a count (value = sample_size): a period with facts of the metric's
# family but none counted keeps its row with value 0 (e.g. calls_abandoned on a day with
# calls but no abandon, see the kpi_metrics docs)
COUNT_METRICS = (
    "calls_offered",
    "calls_handled",
    "calls_abandoned",
    "calls_outbound",
    "tickets_created",
)
# metric -> survey scale its mean lies on
MEAN_SCORE_METRICS = {"csat_avg": "csat", "ces_avg": "ces"}


def _pairs(attribute: str) -> list[str]:
    return [
        f"{metric}@{value}"
        for metric, kpi in KPI_CATALOGUE.items()
        for value in getattr(kpi, attribute)
    ]


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    prepared = with_naive_ns_timestamps(frame, ("period_start",))
    metric = prepared["metric"].astype("string")  # NA-propagating text (None + "@" raises)
    level = prepared["level"].astype("string")
    grain = prepared["period_grain"].astype("string")
    start = prepared["period_start"]
    aligned = (
        (grain == "day")
        | ((grain == "week") & (start.dt.day_of_week == 0))
        | ((grain == "month") & (start.dt.day == 1))
    ).fillna(True)  # a NULL grain or start is the not-null expectations' business
    misaligned = grain + " " + start.dt.strftime("%Y-%m-%d").astype("string")
    value = pd.to_numeric(prepared["value"]).astype("float")
    zero_count = (metric.isin(COUNT_METRICS) & (value == 0)).fillna(False).astype(bool)
    return prepared.assign(
        sample_size_behind_value=prepared["sample_size"].where(value.notna() & ~zero_count),
        metric_at_level=metric + "@" + level,
        metric_at_grain=metric + "@" + grain,
        misaligned_period_start=misaligned.where(~aligned.astype(bool), pd.NA),
        ci_low_tolerant=pd.to_numeric(prepared["ci_low"]).astype("float") - CI_TOLERANCE,
        ci_high_tolerant=pd.to_numeric(prepared["ci_high"]).astype("float") + CI_TOLERANCE,
    )


def _blocking(
    name: str, expectation: str, kwargs: dict, description: str, where: tuple = ()
) -> ExpectationDefinition:
    return ExpectationDefinition(name, expectation, kwargs, True, description, where)


def kpi_metrics__suite(config: QualityConfig | None = None) -> SuiteDefinition:
    """Suite of marts.kpi_metrics (the rows a run builds)."""
    config = config or QualityConfig.from_settings()
    out = [
        _blocking(
            "columns_present",
            "ExpectTableColumnsToMatchSet",
            {"column_set": list(COLUMNS), "exact_match": False},
            "kpi_metrics has every contract column",
        ),
        *(
            _blocking(
                f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}, f"{c} is set"
            )
            for c in (*KEY, "sample_size", "suppressed", "is_complete")
        ),
        _blocking(
            "key_unique",
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": list(KEY)},
            f"one row per ({', '.join(KEY)})",
        ),
        _blocking(
            "metric_in_catalogue",
            "ExpectColumnValuesToBeInSet",
            {"column": "metric", "value_set": list(KPI_CATALOGUE)},
            "metric is a name of the KPI catalogue",
        ),
        _blocking(
            "level_in_set",
            "ExpectColumnValuesToBeInSet",
            {"column": "level", "value_set": list(ALL_LEVELS)},
            f"level is one of {', '.join(ALL_LEVELS)}",
        ),
        _blocking(
            "period_grain_in_set",
            "ExpectColumnValuesToBeInSet",
            {"column": "period_grain", "value_set": list(GRAINS)},
            f"period_grain is one of {', '.join(GRAINS)}",
        ),
        _blocking(
            "metric_level_in_catalogue",
            "ExpectColumnValuesToBeInSet",
            {"column": "metric_at_level", "value_set": _pairs("levels")},
            "each metric only at the levels of the catalogue",
        ),
        _blocking(
            "metric_grain_in_catalogue",
            "ExpectColumnValuesToBeInSet",
            {"column": "metric_at_grain", "value_set": _pairs("grains")},
            "each metric only at the grains of the catalogue (retention, referral: month)",
        ),
        _blocking(
            "no_agent_level_employee_metric",
            "ExpectColumnValuesToNotBeInSet",
            {"column": "metric", "value_set": list(ANONYMIZED_METRICS)},
            f"{', '.join(ANONYMIZED_METRICS)} are never computed per agent",
            (Equals("level", "agent"),),
        ),
        _blocking(
            "period_start_aligned",
            "ExpectColumnValuesToBeNull",
            {"column": "misaligned_period_start"},
            "period_start is the first day of its period (ISO week: Monday; month: the 1st)",
        ),
        _blocking(
            "net_score_in_range",
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": -100, "max_value": 100},
            f"{', '.join(NET_SCORE_METRICS)} within [-100, 100]",
            (IsIn("metric", NET_SCORE_METRICS),),
        ),
        _blocking(
            "pct_in_range",
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": 0, "max_value": 100},
            "every *_pct metric within [0, 100]",
            (IsIn("metric", PCT_METRICS),),
        ),
        _blocking(
            "non_negative",
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": 0},
            f"{', '.join(NON_NEGATIVE_METRICS)} >= 0",
            (IsIn("metric", NON_NEGATIVE_METRICS),),
        ),
    ]
    for metric, survey_type in MEAN_SCORE_METRICS.items():
        scale = config.scales[survey_type]
        out.append(
            _blocking(
                f"{metric}_on_scale",
                "ExpectColumnValuesToBeBetween",
                {"column": "value", "min_value": scale.min_score, "max_value": scale.max_score},
                f"{metric} within the {survey_type} scale {scale.min_score}..{scale.max_score}",
                (Equals("metric", metric),),
            )
        )
    out += [
        _blocking(
            "ci_low_not_above_value",
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "value",
                "column_B": "ci_low_tolerant",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            f"ci_low <= value where both are set (tolerance {CI_TOLERANCE})",
        ),
        _blocking(
            "ci_high_not_below_value",
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "ci_high_tolerant",
                "column_B": "value",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            f"value <= ci_high where both are set (tolerance {CI_TOLERANCE})",
        ),
        _blocking(
            "sample_size_positive",
            "ExpectColumnValuesToBeBetween",
            {"column": "sample_size_behind_value", "min_value": 0, "strict_min": True},
            "sample_size > 0 wherever a value other than a count of 0 is shown (metrics.md "
            "keeps rows whose denominator is 0, e.g. retention months with S = 0, with a "
            "NULL value; a count metric of 0 has sample_size 0)",
        ),
        *(
            _blocking(
                f"suppressed_has_no_{c}",
                "ExpectColumnValuesToBeNull",
                {"column": c},
                f"a suppressed row carries no {c}",
                (Equals("suppressed", True),),
            )
            for c in NULL_WHEN_SUPPRESSED
        ),
        _blocking(
            "small_groups_suppressed",
            "ExpectColumnValuesToBeInSet",
            {"column": "suppressed", "value_set": [True]},
            f"{', '.join(ANONYMIZED_METRICS)} with sample_size < min_anonymity_n "
            f"({config.min_anonymity_n}) are suppressed",
            (IsIn("metric", ANONYMIZED_METRICS), LessThan("sample_size", config.min_anonymity_n)),
        ),
        _blocking(
            "only_anonymized_metrics_suppressed",
            "ExpectColumnValuesToBeInSet",
            {"column": "metric", "value_set": list(ANONYMIZED_METRICS)},
            f"only {', '.join(ANONYMIZED_METRICS)} are ever suppressed",
            (Equals("suppressed", True),),
        ),
    ]
    return SuiteDefinition(
        name="kpi_metrics__suite",
        table="kpi_metrics",
        expectations=tuple(out),
        columns=COLUMNS,
        prepare=_prepare,
    )
