"""The dbt unit tests (hand-computed KPI rows) pass against a real build database.

The nightly run leaves them out (they test the SQL, not the data); this runs them all.
"""

import json
import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, load_settings


def test_every_dbt_unit_test_passes(sample_copy, tmp_path):
    deployment, _ = sample_copy
    env = deployment.env()
    settings = load_settings(env)
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            "test_type:unit",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
            "--vars",
            settings.dbt_vars_json(),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**env, **settings.dbt_env()},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in results}
    assert len(statuses) >= 20  # every KPI formula and every core edge case has one
    assert set(statuses.values()) == {"pass"}, statuses
