"""One writer at a time: the build lock refuses a second process with a clear message."""

import subprocess
import sys
import textwrap
import time

import pytest

from orchestration.run_lock import BRIEF_HOLD_SECONDS, exclusive_build
from orchestration.settings import load_settings


@pytest.fixture
def settings(tmp_path):
    return load_settings({"CXW_BUILD_PATH": str(tmp_path / "build" / "b.duckdb")})


def _try_lock_in_another_process(settings) -> subprocess.CompletedProcess:
    code = textwrap.dedent(
        f"""
        from orchestration.run_lock import RunInProgress, exclusive_build
        from orchestration.settings import load_settings
        settings = load_settings({{"CXW_BUILD_PATH": {str(settings.build_path)!r}}})
        try:
            with exclusive_build(settings, "second run"):
                print("acquired")
        except RunInProgress as error:
            print(error)
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_a_second_process_is_refused_while_a_run_holds_the_lock(settings):
    with exclusive_build(settings, "cxw run"):
        out = _try_lock_in_another_process(settings).stdout.strip()
    assert out.startswith("another CX Warehouse run is writing the build database (cxw run, pid ")
    assert out.endswith("; try again when it has finished")
    assert _try_lock_in_another_process(settings).stdout.strip() == "acquired"


def test_the_lock_is_reentrant_within_a_process(settings):
    with exclusive_build(settings, "cxw run"), exclusive_build(settings, "asset raw/calls"):
        assert "cxw run" in _try_lock_in_another_process(settings).stdout
    # released only when the outermost holder leaves
    assert _try_lock_in_another_process(settings).stdout.strip() == "acquired"


def test_a_run_waits_for_the_landing_sensor_s_moment_with_the_lock(settings):
    """The landing sensor holds the lock only while it reads the build: a run that finds
    it held by the sensor waits for it instead of being refused."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from orchestration.run_lock import BRIEF_HOLD_SECONDS, exclusive_build
                from orchestration.settings import load_settings
                settings = load_settings({{"CXW_BUILD_PATH": {str(settings.build_path)!r}}})
                with exclusive_build(settings, "landing sensor"):
                    print("held", flush=True)
                    time.sleep(1.0)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        started = time.monotonic()
        with exclusive_build(settings, "cxw run"):
            waited = time.monotonic() - started
    finally:
        holder.wait()
    assert 0.2 < waited < BRIEF_HOLD_SECONDS
