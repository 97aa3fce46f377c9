"""Settings: defaults, overrides, and one-line errors naming the setting."""

from pathlib import Path

import pytest

from orchestration.settings import SettingsError, SurveyScale, load_settings


def test_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.landing_dir == tmp_path / "data/landing"
    assert settings.warehouse_path == tmp_path / "data/warehouse.duckdb"
    assert settings.build_path == tmp_path / "data/build/cxw_build.duckdb"
    assert settings.timezone_of("calls") == "UTC"
    assert settings.min_anonymity_n == 5
    assert settings.survey_scales["csat"] == SurveyScale(1, 5, True)
    assert settings.survey_scales["ces"] == SurveyScale(1, 5, False)
    assert settings.survey_scales["nps"] == SurveyScale(0, 10, True)
    assert settings.dbt_vars()["service_level_answer_seconds"] == 20
    assert (settings.nightly_cron, settings.nightly_timezone) == ("0 2 * * *", "UTC")
    assert settings.landing_sensor_enabled is True
    assert settings.freshness_days["calls"] == 2
    assert "clients" not in settings.freshness_days  # dimensions may stay unchanged for months


def test_the_quality_page_folder_is_also_read_by_its_earlier_name(tmp_path):
    assert load_settings({}).quality_page_dir.parts[-2:] == ("data", "quality_docs")
    older = load_settings({"CXW_DATA_DOCS_DIR": str(tmp_path / "docs")})
    assert older.quality_page_dir == tmp_path / "docs"
    both = {"CXW_DATA_DOCS_DIR": str(tmp_path / "docs"), "CXW_QUALITY_PAGE_DIR": str(tmp_path)}
    assert load_settings(both).quality_page_dir == tmp_path


def test_overrides_reach_the_dbt_vars():
    settings = load_settings(
        {
            "CXW_LANDING_DIR": "/srv/landing",
            "CXW_SOURCE_TIMEZONES": "calls=America/New_York, tickets=Europe/Paris",
            "CXW_SURVEY_SCALES": "csat=1..10",
            "CXW_MIN_ANONYMITY_N": "8",
            "CXW_INTERVAL_MINUTES": "15",
        }
    )
    assert settings.landing_dir == Path("/srv/landing")
    assert settings.timezone_of("calls") == "America/New_York"
    assert settings.timezone_of("tickets") == "Europe/Paris"
    assert settings.timezone_of("surveys") == "UTC"
    dbt_vars = settings.dbt_vars()
    assert dbt_vars["interval_minutes"] == 15
    assert dbt_vars["survey_scales"]["csat"] == {
        "min_score": 1,
        "max_score": 10,
        "higher_is_better": True,
    }
    assert dbt_vars["min_anonymity_n"] == 8


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"CXW_MIN_ANONYMITY_N": "five"},
            "CXW_MIN_ANONYMITY_N must be a positive whole number, got 'five'",
        ),
        (
            {"CXW_INTERVAL_MINUTES": "20"},
            "CXW_INTERVAL_MINUTES must be 15, 30 or 60 (minutes), got 20",
        ),
        (
            {"CXW_MIN_ANONYMITY_N": "0"},
            "CXW_MIN_ANONYMITY_N must be a positive whole number, got '0'",
        ),
        (
            {"CXW_SOURCE_TIMEZONES": "calls=Mars/Olympus"},
            "CXW_SOURCE_TIMEZONES: unknown IANA time zone 'Mars/Olympus'",
        ),
        ({"CXW_SOURCE_TIMEZONES": "phone=UTC"}, "CXW_SOURCE_TIMEZONES: unknown source 'phone'"),
        (
            {"CXW_SOURCE_TIMEZONES": "calls"},
            "CXW_SOURCE_TIMEZONES: expected name=value items, got 'calls'",
        ),
        (
            {"CXW_SURVEY_SCALES": "csat=5..1"},
            "CXW_SURVEY_SCALES: csat needs a range like 1..5, got '5..1'",
        ),
        ({"CXW_SURVEY_SCALES": "stars=1..5"}, "CXW_SURVEY_SCALES: unknown survey 'stars'"),
        (
            {"CXW_SURVEY_SCALES": "nps=1..10"},
            "CXW_SURVEY_SCALES: nps is a net promoter score, defined on 0..10 only "
            "(promoters 9-10, detractors 0-6); got 1..10",
        ),
        (
            {"CXW_SURVEY_SCALES": "enps=0..5"},
            "CXW_SURVEY_SCALES: enps is a net promoter score, defined on 0..10 only "
            "(promoters 9-10, detractors 0-6); got 0..5",
        ),
        (
            {"CXW_DUCKDB_MEMORY_LIMIT": "lots"},
            "CXW_DUCKDB_MEMORY_LIMIT must be a size such as 2GB or 512MiB, got 'lots'",
        ),
        (
            {"CXW_DUCKDB_THREADS": "0"},
            "CXW_DUCKDB_THREADS must be a positive whole number, got '0'",
        ),
        ({"CXW_NIGHTLY_CRON": "daily"}, "CXW_NIGHTLY_CRON must be a 5-field cron expression"),
        ({"CXW_NIGHTLY_TIMEZONE": "Lagos"}, "CXW_NIGHTLY_TIMEZONE: unknown IANA time zone 'Lagos'"),
        ({"CXW_LANDING_SENSOR": "maybe"}, "CXW_LANDING_SENSOR must be on or off, got 'maybe'"),
        ({"CXW_ENGINE": "snowflake"}, "CXW_ENGINE must be one of duckdb, spark, got 'snowflake'"),
        (
            {"CXW_FRESHNESS_DAYS": "calls=0"},
            "CXW_FRESHNESS_DAYS: calls needs a positive number of days",
        ),
        (
            {"CXW_BUILD_PATH": "/x/w.duckdb", "CXW_WAREHOUSE_PATH": "/x/w.duckdb"},
            "CXW_BUILD_PATH must not be the published CXW_WAREHOUSE_PATH",
        ),
    ],
)
def test_bad_configuration_names_the_setting(env, message):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_engine_picks_the_dbt_target_and_the_lake():
    duckdb_settings = load_settings({})
    assert (duckdb_settings.engine, duckdb_settings.dbt_target()) == ("duckdb", "build")
    spark = load_settings({"CXW_ENGINE": " Spark ", "CXW_LAKE_DIR": "/lake/prod"})
    assert (spark.engine, spark.dbt_target()) == ("spark", "spark")
    assert spark.dbt_env()["CXW_LAKE_DIR"] == "/lake/prod"


def test_the_spark_engine_names_what_is_missing(tmp_path):
    from orchestration import cli

    absent = tmp_path / "engines/spark/.venv/bin/dbt"
    assert cli.missing_for_engine("duckdb", absent) is None
    assert cli.missing_for_engine("spark", absent) == (
        f"the Spark engine's environment ({absent}): `make spark`"
    )
