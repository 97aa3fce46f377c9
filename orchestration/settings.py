"""Every setting of CX Warehouse, read from the environment in one place.

Nothing here runs at import time: call :func:`load_settings`. KPI thresholds and
survey scales have their defaults in ``dbt_project/dbt_project.yml`` (``vars:``);
the ``CXW_*`` variables below override them and :meth:`Settings.dbt_vars` hands
the effective values back to dbt, so every layer computes with the same numbers.

=============================  ==========================================  =====================================
variable                       meaning                                     default
=============================  ==========================================  =====================================
CXW_LANDING_DIR                landing zone, one sub-directory per source  ``data/landing``
CXW_WAREHOUSE_PATH             the published warehouse (BI reads this)     ``data/warehouse.duckdb``
CXW_BUILD_PATH                 the build database (never read by BI)       ``data/build/cxw_build.duckdb``
CXW_SOURCE_TIMEZONES           zone of naive timestamps, per source        every source ``UTC``
                               e.g. ``calls=America/New_York,tickets=UTC``  dbt var ``source_timezones``
CXW_SURVEY_SCALES              survey scale overrides, e.g. ``csat=1..10``  dbt var ``survey_scales``
CXW_MIN_ANONYMITY_N            smallest group of employee responses shown  dbt var ``min_anonymity_n`` (5)
CXW_INTERVAL_MINUTES           minutes per interval of kpi_intervals:      dbt var ``interval_minutes`` (30)
                               15, 30 or 60 (the client's local clock)
CXW_ENGINE                     the engine dbt builds on: duckdb | spark    ``duckdb``
CXW_LAKE_DIR                   Spark only: the raw layer as Parquet, the   ``data/lake``
                               Spark tables and their catalogue
CXW_SPARK_DBT                  Spark only: the dbt of the Spark engine's    ``engines/spark/.venv/bin/dbt``
                               environment (``make spark``)                 of this checkout
CXW_PARQUET_DIR                Parquet copy of every published table       ``data/warehouse_parquet``
CXW_MAX_INVALID_SHARE          share of one survey type's new responses    ``0.05``
                               invalid above which the publish is blocked
CXW_MIN_BLOCKING_ROWS          fewer invalid rows than this only warn,     ``10``
                               whatever their share
CXW_QUALITY_PAGE_DIR           the quality page: each suite's last result  ``data/quality_docs``
                               (``CXW_DATA_DOCS_DIR``, its earlier name, is
                               still read)
CXW_REPORT_PATH                the HTML KPI report, written by every       ``data/kpi_report.html``
                               cxw run that publishes
CXW_DUCKDB_MEMORY_LIMIT        DuckDB ``memory_limit`` of every connection ``2GB``
CXW_DUCKDB_THREADS             DuckDB ``threads``                          ``2``
CXW_NIGHTLY_CRON               when the nightly schedule runs (cron)       ``0 2 * * *``
CXW_NIGHTLY_TIMEZONE           the zone of that cron expression            ``UTC``
CXW_LANDING_SENSOR             run when new landing files arrive: on|off   ``on``
CXW_FRESHNESS_DAYS             days without a new file before a source is  ``calls=2,tickets=2,surveys=2,``
                               flagged stale, per source                   ``agent_roster=14,customers=14,``
                                                                           ``employee_surveys=45``
=============================  ==========================================  =====================================

Relative paths are resolved against the current working directory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from orchestration.landing.contract import SOURCES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# the dbt of the Spark engine's own environment (engines/spark, `make spark`)
SPARK_DBT = PROJECT_ROOT / "engines" / "spark" / ".venv" / "bin" / "dbt"


class SettingsError(ValueError):
    """A setting has a value CX Warehouse cannot use; the message names the setting."""


@dataclass(frozen=True)
class SurveyScale:
    min_score: int
    max_score: int
    higher_is_better: bool


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_path: Path
    build_path: Path
    report_path: Path
    parquet_dir: Path
    quality_page_dir: Path
    source_timezones: Mapping[str, str]
    survey_scales: Mapping[str, SurveyScale]
    min_anonymity_n: int
    interval_minutes: int = 30
    duckdb_memory_limit: str = "2GB"
    duckdb_threads: int = 2
    dbt_project_dir: Path = DBT_PROJECT_DIR
    kpi_vars: Mapping[str, Any] = field(default_factory=dict)
    nightly_cron: str = "0 2 * * *"
    nightly_timezone: str = "UTC"
    landing_sensor_enabled: bool = True
    freshness_days: Mapping[str, int] = field(default_factory=dict)
    max_invalid_share: float = 0.05
    min_blocking_rows: int = 10
    engine: str = "duckdb"
    lake_dir: Path = Path("data/lake")
    spark_dbt: Path = SPARK_DBT

    def timezone_of(self, source: str) -> str:
        return self.source_timezones.get(source, "UTC")

    def dbt_vars(self) -> dict[str, Any]:
        """The effective dbt vars: dbt_project.yml defaults with the CXW_* overrides applied."""
        out = dict(self.kpi_vars)
        out["survey_scales"] = {
            name: {
                "min_score": s.min_score,
                "max_score": s.max_score,
                "higher_is_better": s.higher_is_better,
            }
            for name, s in self.survey_scales.items()
        }
        out["min_anonymity_n"] = self.min_anonymity_n
        out["interval_minutes"] = self.interval_minutes
        # the zone of naive vendor timestamps that dbt parses itself (Qualtrics responses)
        out["source_timezones"] = dict(sorted(self.source_timezones.items()))
        return out

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt subprocess: absolute database and lake paths and settings."""
        return {
            "CXW_BUILD_PATH": str(self.build_path),
            "CXW_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "CXW_DUCKDB_THREADS": str(self.duckdb_threads),
            "CXW_LAKE_DIR": str(self.lake_dir.resolve()),
        }

    @property
    def dbt_target_dir(self) -> Path:
        """The build's own dbt target folder beside the build database, which its build lock
        guards (``data/build/cxw_build.duckdb`` -> ``data/build/cxw_build_dbt/``); the
        publish keeps its compiled saved queries there too."""
        return self.build_path.with_name(self.build_path.stem + "_dbt")

    def dbt_vars_json(self) -> str:
        """dbt's ``--vars``: the effective settings, as JSON with sorted keys (one text for
        the same vars, which dbt's partial parsing and the build fingerprint rely on)."""
        return json.dumps(self.dbt_vars(), sort_keys=True)

    def dbt_target(self) -> str:
        """The output of dbt_project/profiles.yml dbt builds on."""
        return "spark" if self.engine == "spark" else "build"

    def duckdb_config(self) -> dict[str, Any]:
        return {"memory_limit": self.duckdb_memory_limit, "threads": self.duckdb_threads}


@cache
def dbt_project_vars(dbt_project_dir: Path = DBT_PROJECT_DIR) -> dict[str, Any]:
    """The ``vars:`` block of dbt_project.yml: the defaults of every KPI threshold."""
    with open(dbt_project_dir / "dbt_project.yml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh).get("vars") or {})


def _path(env: Mapping[str, str], name: str, default: str) -> Path:
    """An absolute path, links NOT followed: the published names are links into the
    current release, and a later run must publish beside them, not inside that release."""
    raw = env.get(name, "").strip() or default
    return Path(os.path.abspath(Path(raw).expanduser()))


def _check_timezone(setting: str, tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{setting}: unknown IANA time zone {tz!r}") from None
    return tz


def _pairs(setting: str, raw: str) -> list[tuple[str, str]]:
    pairs = []
    for item in filter(None, (p.strip() for p in raw.split(","))):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise SettingsError(f"{setting}: expected name=value items, got {item!r}")
        pairs.append((name.strip().lower(), value.strip()))
    return pairs


def _source_timezones(env: Mapping[str, str]) -> dict[str, str]:
    setting = "CXW_SOURCE_TIMEZONES"
    out: dict[str, str] = {}
    for source, tz in _pairs(setting, env.get(setting, "")):
        if source not in SOURCES:
            raise SettingsError(
                f"{setting}: unknown source {source!r} (known: {', '.join(SOURCES)})"
            )
        out[source] = _check_timezone(setting, tz)
    return out


# Net promoter scores are defined on 0..10 only: another scale is a configuration error.
NET_SCORE_SURVEYS = ("nps", "enps")
NET_SCORE_SCALE = (0, 10)


def _survey_scales(env: Mapping[str, str], defaults: Mapping[str, Any]) -> dict[str, SurveyScale]:
    setting = "CXW_SURVEY_SCALES"
    scales = {
        name: SurveyScale(int(v["min_score"]), int(v["max_score"]), bool(v["higher_is_better"]))
        for name, v in defaults.items()
    }
    for name, value in _pairs(setting, env.get(setting, "")):
        if name not in scales:
            raise SettingsError(f"{setting}: unknown survey {name!r} (known: {', '.join(scales)})")
        match = re.fullmatch(r"(-?\d+)\.\.(-?\d+)", value)
        if not match or int(match[1]) >= int(match[2]):
            raise SettingsError(f"{setting}: {name} needs a range like 1..5, got {value!r}")
        scales[name] = SurveyScale(int(match[1]), int(match[2]), scales[name].higher_is_better)
    for name in NET_SCORE_SURVEYS:
        scale = scales.get(name)
        if scale is not None and (scale.min_score, scale.max_score) != NET_SCORE_SCALE:
            low, high = NET_SCORE_SCALE
            raise SettingsError(
                f"{setting}: {name} is a net promoter score, defined on {low}..{high} only "
                f"(promoters 9-10, detractors 0-6); got {scale.min_score}..{scale.max_score}"
            )
    return scales


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


INTERVAL_MINUTES = (15, 30, 60)


def _interval_minutes(env: Mapping[str, str], default: int) -> int:
    name = "CXW_INTERVAL_MINUTES"
    minutes = _positive_int(env, name, default)
    if minutes not in INTERVAL_MINUTES:
        raise SettingsError(f"{name} must be 15, 30 or 60 (minutes), got {minutes}")
    return minutes


def _memory_limit(env: Mapping[str, str]) -> str:
    name = "CXW_DUCKDB_MEMORY_LIMIT"
    raw = env.get(name, "").strip() or "2GB"
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", raw, re.IGNORECASE):
        raise SettingsError(f"{name} must be a size such as 2GB or 512MiB, got {raw!r}")
    return raw


DEFAULT_FRESHNESS_DAYS = {
    "calls": 2,
    "tickets": 2,
    "surveys": 2,
    "agent_roster": 14,
    "customers": 14,
    "employee_surveys": 45,
}


def _freshness_days(env: Mapping[str, str]) -> dict[str, int]:
    setting = "CXW_FRESHNESS_DAYS"
    days = dict(DEFAULT_FRESHNESS_DAYS)
    for source, value in _pairs(setting, env.get(setting, "")):
        if source not in SOURCES:
            raise SettingsError(
                f"{setting}: unknown source {source!r} (known: {', '.join(SOURCES)})"
            )
        if not value.isdigit() or int(value) < 1:
            raise SettingsError(
                f"{setting}: {source} needs a positive number of days, got {value!r}"
            )
        days[source] = int(value)
    return days


def _cron(env: Mapping[str, str]) -> str:
    setting = "CXW_NIGHTLY_CRON"
    raw = env.get(setting, "").strip() or "0 2 * * *"
    fields = raw.split()
    if len(fields) != 5 or not all(re.fullmatch(r"[0-9*/,\-]+", f) for f in fields):
        raise SettingsError(
            f"{setting} must be a 5-field cron expression like '0 2 * * *', got {raw!r}"
        )
    return " ".join(fields)


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < 1.0:
        raise SettingsError(f"{name} must be a share between 0 and 1 (e.g. 0.05), got {raw!r}")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no"):
        return False
    raise SettingsError(f"{name} must be on or off, got {raw!r}")


ENGINES = ("duckdb", "spark")


def _engine(env: Mapping[str, str]) -> str:
    engine = env.get("CXW_ENGINE", "").strip().lower() or "duckdb"
    if engine not in ENGINES:
        raise SettingsError(f"CXW_ENGINE must be one of {', '.join(ENGINES)}, got {engine!r}")
    return engine


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting; raise :class:`SettingsError` naming the first bad one."""
    env = os.environ if environ is None else environ
    kpi_vars = dbt_project_vars()
    settings = Settings(
        landing_dir=_path(env, "CXW_LANDING_DIR", "data/landing"),
        warehouse_path=_path(env, "CXW_WAREHOUSE_PATH", "data/warehouse.duckdb"),
        build_path=_path(env, "CXW_BUILD_PATH", "data/build/cxw_build.duckdb"),
        report_path=_path(env, "CXW_REPORT_PATH", "data/kpi_report.html"),
        parquet_dir=_path(env, "CXW_PARQUET_DIR", "data/warehouse_parquet"),
        quality_page_dir=_path(
            env,
            "CXW_QUALITY_PAGE_DIR",
            env.get("CXW_DATA_DOCS_DIR", "").strip() or "data/quality_docs",
        ),
        source_timezones=_source_timezones(env),
        survey_scales=_survey_scales(env, kpi_vars["survey_scales"]),
        min_anonymity_n=_positive_int(env, "CXW_MIN_ANONYMITY_N", int(kpi_vars["min_anonymity_n"])),
        interval_minutes=_interval_minutes(env, int(kpi_vars["interval_minutes"])),
        duckdb_memory_limit=_memory_limit(env),
        duckdb_threads=_positive_int(env, "CXW_DUCKDB_THREADS", 2),
        kpi_vars=kpi_vars,
        nightly_cron=_cron(env),
        nightly_timezone=_check_timezone(
            "CXW_NIGHTLY_TIMEZONE", env.get("CXW_NIGHTLY_TIMEZONE", "").strip() or "UTC"
        ),
        landing_sensor_enabled=_switch(env, "CXW_LANDING_SENSOR", True),
        freshness_days=_freshness_days(env),
        max_invalid_share=_share(env, "CXW_MAX_INVALID_SHARE", 0.05),
        min_blocking_rows=_positive_int(env, "CXW_MIN_BLOCKING_ROWS", 10),
        engine=_engine(env),
        lake_dir=_path(env, "CXW_LAKE_DIR", "data/lake"),
        spark_dbt=_path(env, "CXW_SPARK_DBT", str(SPARK_DBT)),
    )
    if settings.build_path == settings.warehouse_path:
        raise SettingsError("CXW_BUILD_PATH must not be the published CXW_WAREHOUSE_PATH")
    return settings
