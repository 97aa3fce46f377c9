"""The fingerprint of a dbt build: a digest of what it computes from, its code and vars.

No dbt and no Dagster here: a ``cxw run`` compares the fingerprint with the last publish's
before it imports either (``orchestration/nothing_new.py``), and the dbt step decides from
it whether to skip, build incrementally or rebuild everything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings

# What the dbt build computes from: its code and the settings it gets as vars.
_TRANSFORM_INPUT_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")
_TRANSFORM_INPUT_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml")


def transform_fingerprint(settings: Settings, project_dir: Path = DBT_PROJECT_DIR) -> str:
    """A digest of the dbt project's code and vars: equal digests build equal tables."""
    digest = hashlib.sha256()
    paths = [project_dir / name for name in _TRANSFORM_INPUT_FILES]
    for folder in _TRANSFORM_INPUT_FOLDERS:
        paths += sorted(p for p in (project_dir / folder).rglob("*") if p.is_file())
    for path in paths:
        if path.is_file():
            digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(settings.dbt_vars_json().encode())
    if settings.engine != "duckdb":  # another engine builds the marts: a new build
        digest.update(settings.engine.encode())
    return digest.hexdigest()
