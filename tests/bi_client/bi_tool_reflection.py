"""What a BI tool does when a DuckDB warehouse is added to it, through SQLAlchemy and
duckdb-engine (Superset's way): list the schemas and their tables, reflect every table's
columns and types, and run a query on each. Prints one JSON document.

    python bi_tool_reflection.py WAREHOUSE

It runs in this folder's own environment (pyproject.toml, uv.lock: the versions
docs/bi.md recommends), never the pipeline's, and imports nothing of CX Warehouse.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import warnings

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "main"}


def reflect(warehouse: str) -> dict:
    engine = sa.create_engine(
        f"duckdb:///{warehouse}", connect_args={"read_only": True}, poolclass=NullPool
    )
    inspector = sa.inspect(engine)
    tables: dict[str, dict] = {}
    with warnings.catch_warnings():
        # SQLAlchemy warns "Did not recognize type ..." and reflects NullType: an error here
        warnings.simplefilter("error", sa.exc.SAWarning)
        for schema in sorted(set(inspector.get_schema_names()) - SYSTEM_SCHEMAS):
            for table in inspector.get_table_names(schema=schema):
                columns = inspector.get_columns(table, schema=schema)
                with engine.connect() as connection:
                    rows = connection.execute(
                        sa.select(sa.func.count()).select_from(sa.table(table, schema=schema))
                    ).scalar_one()
                tables[f"{schema}.{table}"] = {
                    "columns": [[c["name"], str(c["type"])] for c in columns],
                    "rows": rows,
                }
    return {
        "versions": {
            package: importlib.metadata.version(package)
            for package in ("duckdb", "sqlalchemy", "duckdb-engine")
        },
        "tables": tables,
    }


if __name__ == "__main__":
    json.dump(reflect(sys.argv[1]), sys.stdout, indent=1)
