"""Shared test set-up: integration tests are marked by folder, and the test files that run
the nightly job several times come first."""

from pathlib import Path

import pytest

INTEGRATION_DIR = Path(__file__).parent / "integration"

# The test files that pay for the most `cxw run`s, longest first (pytest --durations).
# `make test` hands each of its two workers whole files in collection order
# (`--dist loadfile --no-loadscope-reorder`): the long files start early and the short
# ones fill in at the end, instead of one worker finishing a long file alone. The Spark
# builds start first, each on its own worker; the first worker to need the shared sample
# build (for the Spark comparison) builds it while the other builds the hand-made world.
LONGEST_FIRST = (
    "test_kpi_values.py",  # its hand-made world built by DuckDB and by Spark
    "test_spark_engine.py",  # the sample built by Spark
    "test_vendor_desk.py",
    "test_vendor_calls.py",
    "test_failure_contract.py",
    "test_incremental.py",
    "test_corrections.py",
    "test_quality_gate.py",
    "test_bi_access.py",
    "test_publish_safety.py",
    "test_dbt_unit_tests.py",
    "test_employee_anonymity.py",
    "test_ingestion_run.py",
)


def _file_order(item: pytest.Item) -> int:
    name = Path(item.fspath).name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)
    items.sort(key=_file_order)  # stable: the other files keep their order, after these
