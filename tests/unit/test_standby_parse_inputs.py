"""Which dbt commands may use the manifest the standby parsed ahead
(orchestration/standby_dbt.py: parse_inputs, ParsedAhead.fits): those whose parse inputs
are the parse's, whatever Dagster adds for its own output."""

from __future__ import annotations

from types import SimpleNamespace

from orchestration.standby_dbt import SOCKET_ENV, ParsedAhead, parse_inputs

ENV = {"CXW_BUILD_PATH": "/data/b.duckdb", "DBT_PROFILES_DIR": "/p", "HOME": "/root"}
PARSE = ["parse", "--target", "build", "--vars", '{"a": 1, "b": [2]}']


def parsed_ahead(read_env: dict[str, str] | None = None) -> ParsedAhead:
    manifest = SimpleNamespace(env_vars=read_env or {})
    return ParsedAhead(parse_inputs(PARSE, ENV, "/p"), manifest)


def request(argv: list[str], **env: str) -> dict:
    return {"argv": argv, "env": {**ENV, **env}, "cwd": "/p"}


def test_a_build_with_the_parses_inputs_fits_whatever_dagster_adds():
    build = ["build", "--target", "build", "--select", "x", "--vars", "{b: [2], a: 1}"]
    dagster = {
        "DBT_LOG_FORMAT": "json",
        "DBT_LOG_PATH": "/t",
        "DBT_INDIRECT_SELECTION": "empty",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        SOCKET_ENV: "/tmp/s",
        "PATH": "/bin",
    }
    assert parsed_ahead().fits(request(build, **dagster))
    assert parsed_ahead().fits(request(["build", "-t", "build", "--vars={a: 1, b: [2]}"]))


def test_another_target_vars_folder_or_setting_does_not_fit():
    assert not parsed_ahead().fits(request(["build", "--target", "spark", "--vars", PARSE[-1]]))
    assert not parsed_ahead().fits(request(["build", "--target", "build", "--vars", "{a: 2}"]))
    assert not parsed_ahead().fits(request(["build", "--target", "build"]))
    assert not parsed_ahead().fits(request(PARSE[1:], CXW_BUILD_PATH="/other.duckdb"))
    assert not parsed_ahead().fits(request(PARSE[1:], DBT_TARGET_PATH="/elsewhere"))
    moved = request(PARSE[1:])
    moved["cwd"] = "/q"
    assert not parsed_ahead().fits(moved)


def test_an_environment_variable_the_project_read_must_be_unchanged():
    read = {"MY_SCHEMA": "marts"}
    assert parsed_ahead(read).fits(request(PARSE[1:], MY_SCHEMA="marts"))
    assert not parsed_ahead(read).fits(request(PARSE[1:], MY_SCHEMA="other"))
    assert not parsed_ahead(read).fits(request(PARSE[1:]))
