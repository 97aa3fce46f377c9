"""The house's rules that a refactor could quietly break: each step of the nightly job in
its own module, importing the settings, the ledger and the shared names, never another
step; only the ledger names the ledger's tables; nothing names a path outside the repo."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "orchestration" / "assets"


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_no_step_imports_another():
    steps = sorted(p for p in ASSETS.glob("*.py") if p.name != "__init__.py")
    assert [p.stem for p in steps] == ["ingestion", "publish", "quality", "transform"]
    for step in steps:
        others = {m for m in _imported_modules(step) if m.startswith("orchestration.assets")}
        assert others == set(), f"{step.name} imports {sorted(others)}"


def _code(path: Path) -> str:
    """The text of a module less its comments and docstrings (they may name a table)."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            body[0] = ast.Pass()
    return ast.unparse(tree)


LEDGER_PACKAGE = REPO / "orchestration" / "ledger"


def test_only_the_ledger_names_its_tables():
    ledger_tables = re.compile(
        r"\b(meta|raw)\.(ingest_manifest|rejected_rows|transform_history|publish_history|"
        r"published_kpi_metrics)\b"
    )
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "orchestration").rglob("*.py")
        if LEDGER_PACKAGE not in path.parents and ledger_tables.search(_code(path))
    ]
    assert offenders == []


def test_nothing_names_a_path_outside_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    # the patterns are spelled in pieces so that this file does not match them itself
    spec = "spec" + "/"
    outside = re.compile(
        "|".join(re.escape(p) for p in ("../" + "shared", "shared/" + spec, spec + "metrics.md"))
        + "|"
        + re.escape("raw_" + "exports.md")
    )
    offenders = [
        name
        for name in tracked
        if (REPO / name).is_file()
        and name != "uv.lock"
        and outside.search((REPO / name).read_text(errors="ignore"))
    ]
    assert offenders == []
