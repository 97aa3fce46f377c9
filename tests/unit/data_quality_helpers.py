"""Shared by the tests of the Great Expectations layer (data_quality/): the quality
configuration the suites are built from (a module-scoped fixture, bound by each test file
that uses it), the names of the expectations an outcome failed, and hand-made raw.surveys
frames with their lineage columns. Helpers and fixtures, not tests."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data_quality.config import PlausibleWindow, QualityConfig
from data_quality.definitions import SuiteDefinition
from data_quality.outcomes import SuiteOutcome
from data_quality.suites import suite_for
from orchestration.settings import load_settings

WINDOW = PlausibleWindow(earliest=date(2000, 1, 1), latest=date(2027, 1, 1))
SENT = pd.Timestamp("2026-03-02 09:00")
RESPONDED = pd.Timestamp("2026-03-02 10:00")


@pytest.fixture(scope="module")
def config() -> QualityConfig:
    return QualityConfig.from_settings(load_settings({}), window=WINDOW)


def failed(outcome: SuiteOutcome) -> set[str]:
    return {o.name for o in outcome.outcomes if not o.success}


def lineage(n: int) -> dict:
    return {
        "_file_path": "landing/file.csv",
        "_file_row": np.arange(1, n + 1),
        "_loaded_at": pd.Timestamp("2026-03-03 02:00"),
    }


def surveys(rows: list[tuple[str, str | None]], answered: bool = True) -> pd.DataFrame:
    """raw.surveys rows: (survey_type, score text); answered unless told otherwise."""
    n = len(rows)
    return pd.DataFrame(
        {
            "survey_id": [f"s{i}" for i in range(n)],
            "survey_type": [t for t, _ in rows],
            "client_id": "acme",
            "sent_at": SENT,
            "customer_id": "cu1",
            "interaction_type": "call",
            "interaction_id": "call1",
            "agent_id": "ag1",
            "responded_at": RESPONDED if answered else pd.NaT,
            "score": pd.Series([s for _, s in rows], dtype="object"),
            "comment": None,
            **lineage(n),
        }
    )


def clean_surveys() -> list[tuple[str, str]]:
    """100 valid answers of each type: nps 0..10, csat 1..5, ces 1..5."""
    return (
        [("nps", str(i % 11)) for i in range(100)]
        + [("csat", str(1 + i % 5)) for i in range(100)]
        + [("ces", str(1 + i % 5)) for i in range(100)]
    )


def raw_surveys(config: QualityConfig) -> SuiteDefinition:
    return suite_for("raw_surveys", config)
