# One command surface for developers, the README and CI.
# Needs only python3 (>= 3.11) with pip: uv is installed on first use, everything
# else comes from uv.lock.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
UV := $(PYTHON) -m uv
DBT := $(UV) run --frozen dbt
export UV_PYTHON ?= $(PYTHON)
# Compile every installed module once at install: where PYTHONDONTWRITEBYTECODE is set (CI
# images often set it) Python would otherwise recompile the whole stack in every process,
# about 38 s instead of 11 s for each `cxw run` and each dbt call.
export UV_COMPILE_BYTECODE ?= 1
# The Spark engine (CXW_ENGINE=spark, and the tests, which build on Spark too) has its own
# environment, engines/spark/.venv: dbt-spark and pyspark, apart from the project's.
SPARK_ENGINE := $(filter spark,$(CXW_ENGINE))

.PHONY: help setup demo run test test-unit lint format dev dbt-docs bench clean browser bi-client java spark

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup:  ## install uv, the locked environment and the dbt manifest
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv>=0.5"
	$(UV) sync --frozen
	@$(if $(SPARK_ENGINE),$(MAKE) --no-print-directory spark,true)
	$(UV) run --frozen python -c "from orchestration.nightly import prepare_dbt_manifest; prepare_dbt_manifest()"

demo: setup  ## sample exports -> warehouse -> KPI report (CXW_ENGINE=spark: built on Spark)
	$(UV) run --frozen cxw demo

run: setup  ## run the nightly job once on CXW_LANDING_DIR
	$(UV) run --frozen cxw run

lint: setup  ## ruff and sqlfluff
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	@# sqlfluff's dbt templater opens a database: a throwaway one, never the build database
	cd dbt_project && CXW_BUILD_PATH=$$(mktemp -d)/sqlfluff.duckdb $(UV) run --frozen sqlfluff lint models tests --processes 2

bi-client: setup  ## the BI client docs/bi.md recommends, in its own environment (tests/bi_client)
	$(UV) sync --frozen --project tests/bi_client

browser:  ## Debian's headless Chromium, for the report rendering test
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

java:  ## Debian's Java 17, for Spark
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

spark: java  ## the Spark engine's environment (engines/spark: dbt-spark, pyspark)
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv>=0.5"
	$(UV) sync --frozen --project engines/spark

# Two test processes, one per core of the CI machine; a test file stays in one of them
# (its module fixtures are built once), the files that run the job most often first
# (tests/conftest.py).
test: lint browser bi-client spark  ## lint, then every test (unit and integration)
	$(UV) run --frozen pytest -n 2 --dist loadfile --no-loadscope-reorder

test-unit: setup  ## the fast tests only
	$(UV) run --frozen pytest -m "not integration"

format:  ## apply ruff formatting and fixes
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

dev: setup  ## Dagster UI on http://localhost:3000 with workspace.yaml (runs kept in .dagster_home)
	mkdir -p .dagster_home && cp dagster.yaml .dagster_home/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/.dagster_home $(UV) run --frozen dagster dev -w workspace.yaml

dbt-docs: setup  ## generate dbt docs into dbt_project/target
	cd dbt_project && $(DBT) docs generate --profiles-dir .

bench: setup  ## the year-scale benchmark (about 40 min): data/bench/results.md
	$(UV) run --frozen python -m bench.benchmark

clean:  ## remove generated files (keeps data/)
	rm -rf dbt_project/target dbt_project/logs .pytest_cache .ruff_cache
