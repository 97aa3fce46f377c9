"""Shared test set-up: integration tests are marked by folder, and the test files that run
the nightly job several times come first."""

from pathlib import Path

import pytest

INTEGRATION_DIR = Path(__file__).parent / "integration"

# The test files that pay for the most `cxw run`s, longest first (pytest --durations).
# `make test` hands each of its two workers whole files in collection order
# (`--dist loadfile --no-loadscope-reorder`): the long files start early and the short
# ones fill in at the end, instead of one worker finishing a long file alone. The Spark
# build of the hand-made world starts first; the other worker builds the shared sample.
LONGEST_FIRST = (
    "test_kpi_values.py",  # builds the hand-made world by DuckDB and by Spark
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
# The files that only read the hand-made world's builds (tests/integration/conftest.py
# shares them across the workers), last: by then test_kpi_values.py has built them, and no
# worker waits for the Spark build.
LAST = ("test_kpi_intervals.py", "test_bad_input_counted.py", "test_spark_engine.py")


def _file_order(item: pytest.Item) -> int:
    name = Path(item.fspath).name
    if name in LONGEST_FIRST:
        return LONGEST_FIRST.index(name)
    return len(LONGEST_FIRST) + (1 + LAST.index(name) if name in LAST else 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)
    items.sort(key=_file_order)  # stable: the other files keep their order, after these
