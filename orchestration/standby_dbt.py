"""A dbt process started before the run needs it, and ``cxw-dbt``, which hands it the run's
dbt command.

``cxw run`` spends its first seconds importing Dagster, Great Expectations and the
definitions, on one core. dbt's own start (its imports and adapter, about 2 s) would come
after the ingestion, on the run's critical path. So ``cxw run`` starts a standby dbt
process at once, which imports dbt on the other core and waits. Dagster runs ``cxw-dbt``
as its dbt executable; ``cxw-dbt`` sends the standby its arguments, environment, working
folder and output (the file descriptors themselves, so dbt writes straight to Dagster),
forwards an interrupt, and exits with dbt's exit code. The standby runs that one command
and ends.

While it waits, the standby also parses the project ahead (``parse_ahead``: the arguments,
environment and folder ``cxw run`` expects the build to have) and hands the parsed manifest
to the build, which then skips dbt's partial-parse check. It does so only when the build's
parse inputs are those it parsed with (``ParsedAhead.fits``); otherwise dbt parses as usual.

Without a standby (a run Dagster's daemon launched, a second dbt command in one run, a
standby that failed to start or was never used) ``cxw-dbt`` is plain dbt: it replaces
itself with the ``dbt`` installed beside it. Nothing here imports more than the standard
library: ``cxw-dbt`` starts in milliseconds.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

SOCKET_ENV = "CXW_DBT_STANDBY"
# dbt's exit codes (dbt.cli.main): 0 success, 1 a node failed, 2 dbt itself failed
EXIT_FAILED_NODES, EXIT_DBT_ERROR = 1, 2
_HEADER = 16  # bytes: the length of the request that follows, in ASCII digits
_MAX_SOCKET_PATH = 100
_FOLDER_PREFIX = "cxw-dbt-"  # AF_UNIX paths are limited to about 104-108 bytes
_PARSE_AHEAD_FILE = "parse.json"
PARSED_AHEAD_MARK = "parsed-ahead"  # in the standby's folder once its parse succeeded
PARTIAL_PARSE_FILE = "partial_parse.msgpack"  # dbt's partial-parsing state, in its target
# dbt options and environment variables a manifest depends on (its parse inputs)
_PARSE_OPTIONS = {
    "--target": "target",
    "-t": "target",
    "--vars": "vars",
    "--profile": "profile",
    "--profiles-dir": "profiles_dir",
    "--project-dir": "project_dir",
    "--target-path": "target_path",
}
_PARSE_ENV = {
    "DBT_TARGET": "target",
    "DBT_PROFILES_DIR": "profiles_dir",
    "DBT_PROJECT_DIR": "project_dir",
    "DBT_TARGET_PATH": "target_path",
}
# set by Dagster for each dbt command: they shape its output, selection and usage
# statistics, not the manifest
_ENV_NOT_PARSED = {
    "DBT_LOG_FORMAT",
    "DBT_LOG_PATH",
    "DBT_INDIRECT_SELECTION",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    SOCKET_ENV,
}


def standby_supported() -> bool:
    return os.name == "posix" and hasattr(socket, "send_fds")


@contextlib.contextmanager
def standby_dbt(enabled: bool = True, parse_ahead: dict | None = None) -> Iterator[Path | None]:
    """Start a standby dbt process for this run's dbt command; on exit stop it if it was
    not used. Yields its socket (``CXW_DBT_STANDBY`` in this process's environment, which
    the dbt subprocess inherits), or None when there is no standby. ``parse_ahead``: the
    ``argv`` (a ``dbt parse``), ``env`` (added to this environment) and ``cwd`` of the parse
    the standby makes while it waits."""
    if not (enabled and standby_supported()):
        yield None
        return
    # private (mode 0700), named by this process: see remove_stale_folders
    folder = Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-"))
    remove_stale_folders(folder.parent)
    path = folder / "dbt.sock"
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    command = [sys.executable, "-P", "-m", "orchestration.standby_dbt", str(path), str(os.getpid())]
    if parse_ahead is not None:
        spec = folder / _PARSE_AHEAD_FILE
        spec.write_text(json.dumps(parse_ahead), encoding="utf-8")
        command.append(str(spec))
    # -P: the run's working folder is not on the standby's import path
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    before = os.environ.get(SOCKET_ENV)
    os.environ[SOCKET_ENV] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(SOCKET_ENV, None)
        else:
            os.environ[SOCKET_ENV] = before
        # A standby that ran the run's dbt command has ended (`cxw-dbt` waits for that);
        # one still here never took a command, or the run is being interrupted.
        if process.poll() is None:
            _stop(path, process)
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _stop(path: Path, process: subprocess.Popen) -> None:
    """Stop a standby that took no command: a connection without a request ends it as a
    process ends, its exit handlers releasing what dbt's parse holds (else Python warns of
    leaked semaphores on the run's output). Killed if it does not end in time."""
    client = _connect(str(path))
    if client is not None:
        client.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    if process.poll() is None:
        process.kill()


def remove_stale_folders(temp: Path) -> list[Path]:
    """Remove this user's standby folders whose run is gone: a run killed outright (and
    its standby with it) has no time to remove its own. A folder is named by the process
    id of its run; one whose process still exists (or another user's) is left alone."""
    removed = []
    for folder in temp.glob(f"{_FOLDER_PREFIX}*-*"):
        pid = folder.name.removeprefix(_FOLDER_PREFIX).split("-", 1)[0]
        try:
            if not pid.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except OSError:  # gone meanwhile, or a process of another user: not ours to judge
            continue
    return removed


def serve(path: str, parent_pid: int, parse_ahead: str | None = None) -> int:
    """The standby: import dbt, parse the project ahead (``parse_ahead``: a JSON file, see
    standby_dbt), take one command on the socket at ``path``, run it with the caller's
    environment, folder and output, and report its exit code. Ends without a command when
    the process that started it is gone."""
    # Until it takes a command, an interrupt (Ctrl-C reaches the terminal's whole process
    # group) is for the run: the run stops this process as it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    from dbt.cli.exceptions import DbtInternalException, DbtUsageException
    from dbt.cli.main import dbtRunner  # the cost this process exists to pay early

    _import_what_a_build_uses()
    parsed = None
    if parse_ahead is not None:
        parsed = ParsedAhead.parse(json.loads(Path(parse_ahead).read_text(encoding="utf-8")))
        if parsed is not None:
            (Path(path).parent / PARSED_AHEAD_MARK).touch()
    listener.settimeout(1.0)
    while True:
        try:
            connection, _ = listener.accept()
            break
        except TimeoutError:
            if os.getppid() != parent_pid:  # the run died without stopping this process
                shutil.rmtree(Path(path).parent, ignore_errors=True)
                atexit._run_exitfuncs()
                return 0
    connection.settimeout(None)
    with contextlib.suppress(OSError):
        os.unlink(path)  # one command: a later `cxw-dbt` runs plain dbt
    listener.close()
    try:
        request, (stdout, stderr) = _receive(connection)
    except (OSError, ValueError):
        # not a request (the run stopping this process, or a caller that runs plain dbt)
        atexit._run_exitfuncs()
        return 0
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.close(stdout)
    os.close(stderr)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=True)
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), line_buffering=True, errors="backslashreplace"
    )
    sys.argv = ["dbt", *request["argv"]]  # what dbt records as its invocation command
    signal.signal(signal.SIGINT, _first_interrupt)
    connection.sendall(f"{os.getpid()}\n".encode())  # taken: interrupts go to this process
    code, interrupted = EXIT_DBT_ERROR, True
    try:
        manifest = parsed.manifest if parsed is not None and parsed.fits(request) else None
        result = dbtRunner(manifest=manifest).invoke(request["argv"])
        interrupted = isinstance(result.exception, KeyboardInterrupt)
        if result.success:
            code = 0
        elif result.exception is None:
            code = EXIT_FAILED_NODES
        elif isinstance(result.exception, (DbtUsageException, DbtInternalException)):
            # refused before dbt logged anything (plain dbt: click's message)
            print(f"Error: {result.exception}", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # dbt is done: nothing to interrupt
        # What plain dbt does as its process ends, before the caller hears of the end:
        # dbt-duckdb's exit handler closes the database (the next step opens it), and
        # multiprocessing's releases dbt's semaphores. Not after an interrupt: a query
        # dbt could not cancel may still run in a worker thread, and those handlers would
        # wait for it; the end of the process stops it, as it stops plain dbt's.
        if not interrupted:
            atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        with contextlib.suppress(OSError):
            connection.sendall(f"exit {code}\n".encode())
    return code


def parse_inputs(argv: list[str], env: dict[str, str], cwd: str) -> dict[str, object]:
    """What a dbt command's manifest depends on, from its arguments (first), environment
    and folder: target, vars (parsed), profile, profiles, project and target folders, the
    folder itself, and the environment's CXW_ and DBT_ variables (not those of Dagster's
    output and selection, nor the standby's socket)."""
    inputs: dict[str, object] = {
        _PARSE_ENV[name]: value for name, value in env.items() if name in _PARSE_ENV
    }
    for i, token in enumerate(argv):
        option, equals, value = token.partition("=")
        if option in _PARSE_OPTIONS and not equals:
            value = argv[i + 1] if i + 1 < len(argv) else ""
        if option in _PARSE_OPTIONS:
            inputs[_PARSE_OPTIONS[option]] = value
    if "vars" in inputs:
        import yaml  # dbt's --vars is YAML (JSON is YAML)

        inputs["vars"] = yaml.safe_load(str(inputs["vars"]))
    inputs["cwd"] = cwd
    inputs["env"] = {
        name: value
        for name, value in env.items()
        if name.startswith(("CXW_", "DBT_")) and name not in _ENV_NOT_PARSED
    }
    return inputs


class ParsedAhead:
    """A manifest parsed while the standby waits, and the inputs it was parsed with."""

    def __init__(self, inputs: dict[str, object], manifest: object) -> None:
        self.inputs = inputs
        self.manifest = manifest

    @classmethod
    def parse(cls, spec: dict) -> ParsedAhead | None:
        """``dbt <spec argv>`` (a parse), silent, with ``spec["env"]`` added to this
        environment, in ``spec["cwd"]``; None when it fails, or when the target folder has
        no partial-parsing state yet (the run's first build: the build copies it there)."""
        from dbt.cli.main import dbtRunner

        env = {**os.environ, **spec["env"]}
        inputs = parse_inputs(spec["argv"], env, spec["cwd"])
        target = Path(spec["cwd"], str(inputs.get("target_path", "target")))
        if not (target / PARTIAL_PARSE_FILE).exists():
            return None
        saved_env, saved_cwd = dict(os.environ), os.getcwd()
        os.environ.update(spec["env"])
        os.chdir(spec["cwd"])
        try:
            quiet = ["--no-write-json", "--log-level", "none", "--log-level-file", "none"]
            result = dbtRunner().invoke([*spec["argv"], *quiet])
        except Exception:  # noqa: BLE001 (any failure: the build parses as usual)
            return None
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
        if not result.success or result.result is None:
            return None
        return cls(inputs, result.result)

    def fits(self, request: dict) -> bool:
        """Whether ``request`` (argv, env, cwd) parses to this manifest: the same parse
        inputs, and the same value of every environment variable the project read."""
        inputs = parse_inputs(request["argv"], request["env"], request["cwd"])
        if inputs != self.inputs:
            return False
        read = getattr(self.manifest, "env_vars", {}) or {}
        return all(request["env"].get(name) == value for name, value in read.items())


def _first_interrupt(_signum: int, _frame: object) -> None:
    """dbt's interrupt, once. A Ctrl-C reaches this process from the terminal and again
    through `cxw-dbt` (and Dagster's stop through `cxw-dbt` alone); a second interrupt
    would cut short dbt's cancelling of its queries."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _import_what_a_build_uses() -> None:
    """The modules a dbt build imports after its start (the adapter, the build task),
    loaded now rather than on the run's critical path."""
    import dbt.adapters.duckdb  # noqa: F401
    import dbt.parser.manifest  # noqa: F401
    import dbt.task.build  # noqa: F401


def _receive(connection: socket.socket) -> tuple[dict, tuple[int, int]]:
    header, fds, _, _ = socket.recv_fds(connection, _HEADER, 2)
    if len(fds) != 2 or len(header) != _HEADER:
        for fd in fds:
            os.close(fd)
        raise ValueError("malformed request")
    size = int(header)
    body = b""
    while len(body) < size:
        chunk = connection.recv(size - len(body))
        if not chunk:
            raise ValueError("truncated request")
        body += chunk
    return json.loads(body), (fds[0], fds[1])


def _plain_dbt(argv: list[str]) -> NoReturn:
    beside = Path(sys.executable).parent / "dbt"
    executable = str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
    os.execv(executable, [executable, *argv])


def _connect(path: str) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    except OSError:
        client.close()
        return None
    return client


def launch() -> NoReturn:
    """``cxw-dbt``: dbt's command line, run by this run's standby when there is one."""
    argv = sys.argv[1:]
    path = os.environ.get(SOCKET_ENV)
    client = _connect(path) if path else None
    if client is None:
        _plain_dbt(argv)
    body = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    header = str(len(body)).rjust(_HEADER).encode()
    # An interrupt or a stop is for dbt: forwarded to the standby, held until the standby
    # says it took the command (it would otherwise end this process and leave dbt running).
    standby: list[int] = []
    held: list[int] = []

    def forward(received: int, _frame: object) -> None:
        if not standby:
            held.append(received)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(standby[0], received)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    try:
        sys.stdout.flush()
        socket.send_fds(client, [header], [sys.stdout.fileno(), sys.stderr.fileno()])
        client.sendall(body)
        replies = client.makefile("rb")
        taken = replies.readline()
    except OSError:
        taken = b""
    if not taken.strip().isdigit():  # the standby did not take it (it was stopping)
        client.close()
        if held:  # stopped before dbt started
            os._exit(EXIT_DBT_ERROR)
        _plain_dbt(argv)  # exec: plain dbt starts with the default signal handlers
    standby.append(int(taken))
    for received in held:
        forward(received, None)
    verdict = replies.readline().decode().split()
    # Then the end of the connection, which comes with the end of the standby's process:
    # like plain dbt's, cxw-dbt's exit means dbt's process and its database are closed.
    with contextlib.suppress(OSError):
        replies.read()
    if len(verdict) == 2 and verdict[0] == "exit" and verdict[1].isdigit():
        os._exit(int(verdict[1]))
    print("cxw-dbt: the standby dbt process ended without an exit code", file=sys.stderr)
    os._exit(EXIT_DBT_ERROR)


if __name__ == "__main__":
    # The exit handlers ran before the reply (serve); then, as `cxw` ends
    # (orchestration/cli.py:entry), no final garbage collection of dbt's manifest.
    try:
        code = serve(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
    except BaseException:  # an interrupt outside dbt's own handling: it ends here
        traceback.print_exc()
        code = EXIT_DBT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
