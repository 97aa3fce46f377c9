"""The run ledger: what the orchestration knows of its own runs, in the schema ``meta``.

Every landing file ever seen, every rejected row, every successful dbt build and every
publish, and a copy of the ``kpi_metrics`` rows last published. It lives in the build
database beside ``raw`` and the dbt layers, and this package is the only code that
writes it; dbt reads it through the sources of ``meta`` (``_staging__sources.yml``).

* ``meta.ingest_manifest``: one row per landing file (path, checksum, size, mtime, status
  ``loaded`` / ``rejected`` / ``duplicate`` / ``withdrawn``, rows read, loaded and
  rejected, error).
* ``meta.rejected_rows``: every row kept out of ``raw``, with its file, row, reason and
  the values as delivered.
* ``meta.transform_history``: each successful dbt build, with the fingerprint of the dbt
  code and settings it built with.
* ``meta.publish_history``: each publish, with the fingerprint of the build it published.
* ``meta.published_kpi_metrics``: ``marts.kpi_metrics`` as last published; the
  ``kpi_metrics`` checks validate the rows that differ from it.
* ``meta.retractions``: each time rows left ``raw`` other than by a newer version of the
  same key: a corrected file that no longer holds some keys, or a withdrawn file.
* ``meta.landing_zone``: the landing zone this build database belongs to.

The modules, one concern each: ``tables`` (names, DDL, creation), ``files`` (landing
files, rejected rows, retractions), ``zone`` (the landing zone a build belongs to) and
``builds`` (dbt builds and publishes). Callers use the package: ``ledger.<name>``.
"""

from orchestration.ledger.builds import (
    KPI_PERIOD,
    last_built_fingerprint,
    last_publish,
    publish_before_last,
    published_kpi_metrics_columns,
    record_publish,
    record_transform,
)
from orchestration.ledger.files import (
    MANIFEST_SCHEMA,
    builds_since_last_publish,
    files_dropping_keys_since_last_transform,
    files_of_sources_since_last_transform,
    files_since_last_publish,
    known_files,
    last_new_file_at,
    loaded_checksums,
    manifest_entry,
    mark_withdrawn,
    reconcile,
    record_file_unchanged,
    record_files,
    record_retraction,
    rejected_files,
    replace_rejected_rows,
    restore_withdrawals,
    runs_built_since_last_publish,
    sources_since_last_publish,
    unpublished_files,
    withdrawn_files,
)
from orchestration.ledger.tables import (
    CORRECTED,
    DUPLICATE,
    INGEST_MANIFEST,
    LANDING_ZONE,
    LOADED,
    META_SCHEMA,
    PUBLISH_HISTORY,
    PUBLISHED_KPI_METRICS,
    REJECTED,
    REJECTED_ROWS,
    RETRACTIONS,
    TRANSFORM_HISTORY,
    WITHDRAWN,
    ensure_ledger,
    ledger_complete,
    now_utc,
    rows_of_files,
)
from orchestration.ledger.zone import (
    LandingZoneMismatch,
    adopt_landing_zone,
    bind_landing_zone,
    check_landing_zone,
    landing_zone,
)

__all__ = [
    "KPI_PERIOD",
    "CORRECTED",
    "DUPLICATE",
    "INGEST_MANIFEST",
    "LANDING_ZONE",
    "LOADED",
    "LandingZoneMismatch",
    "MANIFEST_SCHEMA",
    "META_SCHEMA",
    "PUBLISHED_KPI_METRICS",
    "PUBLISH_HISTORY",
    "REJECTED",
    "REJECTED_ROWS",
    "RETRACTIONS",
    "TRANSFORM_HISTORY",
    "WITHDRAWN",
    "adopt_landing_zone",
    "bind_landing_zone",
    "builds_since_last_publish",
    "runs_built_since_last_publish",
    "check_landing_zone",
    "ensure_ledger",
    "files_dropping_keys_since_last_transform",
    "files_of_sources_since_last_transform",
    "files_since_last_publish",
    "sources_since_last_publish",
    "known_files",
    "landing_zone",
    "last_built_fingerprint",
    "last_new_file_at",
    "last_publish",
    "publish_before_last",
    "ledger_complete",
    "loaded_checksums",
    "manifest_entry",
    "mark_withdrawn",
    "now_utc",
    "published_kpi_metrics_columns",
    "reconcile",
    "record_file_unchanged",
    "record_files",
    "record_publish",
    "record_retraction",
    "record_transform",
    "rejected_files",
    "replace_rejected_rows",
    "restore_withdrawals",
    "rows_of_files",
    "unpublished_files",
    "withdrawn_files",
]
