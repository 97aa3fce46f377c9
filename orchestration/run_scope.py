"""What a ``cxw run`` loads and builds: the landing sources with something new, or all.

A contact center drops a calls export every 15 or 30 minutes. Such a run has new files of
one source, and nothing upstream of the other sources' models changed, so the run loads
that source and builds, checks and publishes only what depends on it (its ingestion, its
dbt models downstream with their tests, the models of the run ledger, the publish). The
models of the other sources are those of the last build, already checked and published:
the publish takes them from the last publish and the rebuilt tables from the build, so the
published warehouse is whole.

The run takes every asset when the build cannot be judged source by source: no publish
yet, changed dbt code or settings, a dbt build that was not published, keys taken out of
raw or a mapping source loaded since the last build, a landing file that changed after it
was read (a correction may take keys out), a new file of a mapping source (it re-maps the
records of other sources), or anything unreadable. See DECISIONLOG.md, "A run builds
what its new files touch".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from orchestration import ledger
from orchestration.fingerprint import transform_fingerprint
from orchestration.landing.contract import MAPPING_SOURCES, SOURCES
from orchestration.landing.files import discover_files
from orchestration.landing.raw_tables import new_or_changed_files, raw_tables_complete
from orchestration.settings import Settings
from orchestration.warehouse import connect

if TYPE_CHECKING:
    import dagster as dg
    from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph

SCOPE_TAG = "cxw/scope"
# The run ledger's tables dbt reads (sources of the schema meta): every run that loads a
# file writes them, so the models reading them are in every run.
LEDGER_SOURCE_SCHEMA = "meta"


@dataclass(frozen=True)
class RunScope:
    sources: frozenset[str] | None  # None: every source and every model
    reason: str

    def describe(self) -> str:
        if self.sources is None:
            return f"every source ({self.reason})"
        return f"sources {', '.join(sorted(self.sources))} and what depends on them ({self.reason})"


def why_every_model(con: duckdb.DuckDBPyConnection, settings: Settings) -> str | None:
    """Why the next dbt build cannot be judged source by source (None: it can)."""
    if not ledger.ledger_complete(con) or not raw_tables_complete(con):
        return "the ledger or a raw table lacks a table or column this release creates"
    landing = str(settings.landing_dir.resolve())
    if ledger.landing_zone(con) != landing:
        return f"the build database is not bound to the landing zone {landing}"
    last = ledger.last_publish(con)
    if last is None:
        return "nothing published from this build database yet"
    if last[1] != transform_fingerprint(settings):
        return "the dbt project or its settings changed since the last publish"
    if ledger.builds_since_last_publish(con):
        return "a dbt build since the last publish was not published"
    dropping_keys = ledger.files_dropping_keys_since_last_transform(con)
    mappings = ledger.files_of_sources_since_last_transform(con, MAPPING_SOURCES)
    if dropping_keys or mappings:
        first = (dropping_keys + mappings)[0]
        return f"{first} took keys out of raw or remapped vendor records since the last build"
    return None


def run_scope(settings: Settings) -> RunScope:
    """The sources a run loads and builds from, judged before it starts (the caller holds
    the build lock): the sources of the files recorded or withdrawn since the last publish
    and of the new landing files; None when the run must take everything."""
    build = settings.build_path
    if not build.exists():
        return RunScope(None, "no build database yet")
    if build.with_name(build.name + ".wal").exists():
        return RunScope(None, "the build database has the write-ahead log of an interrupted run")
    try:
        with connect(build, settings, read_only=True) as con:
            return _scope(con, settings)
    except (duckdb.Error, OSError) as error:
        return RunScope(None, f"the build database could not be read: {error}")


def _scope(con: duckdb.DuckDBPyConnection, settings: Settings) -> RunScope:
    why = why_every_model(con, settings)
    if why is not None:
        return RunScope(None, why)
    sources = ledger.sources_since_last_publish(con)
    for spec in SOURCES.values():
        files, _ = discover_files(settings.landing_dir, spec.name, spec.vendor_format)
        known = ledger.known_files(con, spec.name)
        for file in new_or_changed_files(files, known):
            if file.relative_path in known:
                return RunScope(None, f"{file.relative_path} changed since it was read")
            sources.add(spec.name)
    mapping = sorted(sources & set(MAPPING_SOURCES))
    if mapping:
        return RunScope(None, f"new files of {mapping[0]}, which maps other sources' records")
    if not sources:
        return RunScope(None, "no new landing file found")
    # Raw rows that disagree with the manifest are not judged here: the ingestion of every
    # source in the run reconciles them after loading, a blocking check.
    return RunScope(frozenset(sources), "the only new files")


def scoped_asset_keys(graph: BaseAssetGraph, scope: RunScope) -> list[dg.AssetKey] | None:
    """The assets of the nightly job a run of ``scope`` materializes (with their checks):
    the ingestion of its sources and everything downstream of them or of the run ledger.
    ``graph``: the code location's asset graph. None: every asset."""
    if scope.sources is None:
        return None
    import dagster as dg

    from orchestration.names import raw_asset_key  # Dagster: not before the run needs it

    ledger_keys = [
        key
        for key in graph.get_all_asset_keys()
        if key.path[0] == LEDGER_SOURCE_SCHEMA and not graph.get(key).is_materializable
    ]
    selection = dg.AssetSelection.assets(
        *(raw_asset_key(source) for source in scope.sources)
    ).downstream() | dg.AssetSelection.assets(*ledger_keys).downstream(include_self=False)
    return sorted(
        (key for key in selection.resolve(graph) if graph.get(key).is_materializable),
        key=lambda key: key.to_user_string(),
    )
