"""GX data docs of validation outcomes, rendered locally (optional; never committed).

The caller chooses ``out_dir`` (e.g. under ``data/``, which git ignores) and shows the
returned ``index.html`` path in its run. GX's page templates load CSS and JavaScript from
public CDNs; those references are removed after each build, so the pages open offline and
nothing is ever fetched (plain, unstyled HTML: the validation results are all there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from data_quality.runner import _GX_LOCK, SuiteOutcome, gx_context

DATA_DOCS_SITE = "cxw_local"

_EXTERNAL_RESOURCE = re.compile(
    r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>"
    r"|<link[^>]*\bhref=[\"']https?://[^>]*>"
    r"|<img[^>]*\bsrc=[\"']https?://[^>]*>",
    re.IGNORECASE,
)


def strip_external_resources(out_dir: Path) -> int:
    """Remove every <script src>, <link href> and <img src> pointing off the machine."""
    removed = 0
    for page in out_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        cleaned, n = _EXTERNAL_RESOURCE.subn("", html)
        if n:
            page.write_text(cleaned, encoding="utf-8")
            removed += n
    return removed


def build_data_docs(
    outcomes: Iterable[SuiteOutcome], out_dir: Path | str, run_name: str = "cxw"
) -> Path:
    """Write the data docs of ``outcomes`` to ``out_dir``; return its ``index.html``.

    Outcomes of empty frames (never handed to GX) have no page.
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    site_config = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(out_dir),
        },
    }
    with _GX_LOCK:
        context = gx_context()
        if DATA_DOCS_SITE in context.list_data_docs_sites():
            context.update_data_docs_site(DATA_DOCS_SITE, site_config)
        else:
            context.add_data_docs_site(DATA_DOCS_SITE, site_config)
        run_id = RunIdentifier(run_name=run_name)
        for outcome in outcomes:
            if outcome.gx_result is None:
                continue
            key = ValidationResultIdentifier(
                ExpectationSuiteIdentifier(outcome.suite_name), run_id, outcome.table
            )
            context.validation_results_store.set(key, outcome.gx_result)
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
    strip_external_resources(out_dir)
    return out_dir / "index.html"
