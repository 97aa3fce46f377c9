"""Names the steps of the nightly job share, so that no step imports another."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

from orchestration.landing.contract import RAW_SCHEMA

if TYPE_CHECKING:
    pass

NIGHTLY_JOB_NAME = "cxw_nightly"
# Every step that writes the build database runs in this Dagster pool: DuckDB has one
# writer at a time.
BUILD_DB_POOL = "duckdb_build"
RAW_GROUP = "raw"
# The KPI contract table (docs/metrics.md): the dbt model the kpi checks validate and
# the ledger keeps a published copy of.
KPI_METRICS_MODEL = "kpi_metrics"
PUBLISHED_WAREHOUSE_KEY = dg.AssetKey(["published_warehouse"])
# The check of a Great Expectations suite's blocking expectations (orchestration/assets/quality.py).
EXPECTATIONS_CHECK = "expectations"
# The order of the steps that are ready at once (Dagster's "dagster/priority" op tag,
# higher first, 0 by default): the raw suites run after the dbt build, while Great
# Expectations imports during it, and the publish step last, after every check.
RUN_AFTER_THE_BUILD = {"dagster/priority": "-1"}
RUN_LAST = {"dagster/priority": "-2"}


def raw_asset_key(source: str) -> dg.AssetKey:
    """The asset of ``raw.<source>``: equal to its dbt source, so the graph is one line."""
    return dg.AssetKey([RAW_SCHEMA, source])


# The metadata of an ingestion step's materialization that lists the landing files it
# rejected whole, with why (the run's last lines name them).
REJECTED_FILES_METADATA = "rejected_files"
