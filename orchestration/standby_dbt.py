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

Without a standby (a run Dagster's daemon launched, a second dbt command in one run, a
standby that failed to start or was never used) ``cxw-dbt`` is plain dbt: it replaces
itself with the ``dbt`` installed beside it. Nothing here imports more than the standard
library: ``cxw-dbt`` starts in milliseconds.
"""

from __future__ import annotations

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
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

SOCKET_ENV = "CXW_DBT_STANDBY"
# dbt's exit codes (dbt.cli.main): 0 success, 1 a node failed, 2 dbt itself failed
EXIT_FAILED_NODES, EXIT_DBT_ERROR = 1, 2
_HEADER = 16  # bytes: the length of the request that follows, in ASCII digits
_SHUTDOWN_SECONDS = 30
_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to about 104-108 bytes


def standby_supported() -> bool:
    return os.name == "posix" and hasattr(socket, "send_fds")


@contextlib.contextmanager
def standby_dbt(enabled: bool = True) -> Iterator[Path | None]:
    """Start a standby dbt process for this run's dbt command; on exit stop it if it was
    not used. Yields its socket (``CXW_DBT_STANDBY`` in this process's environment, which
    the dbt subprocess inherits), or None when there is no standby."""
    if not (enabled and standby_supported()):
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="cxw-dbt-"))  # private: mode 0700
    path = folder / "dbt.sock"
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.standby_dbt", str(path), str(os.getpid())],
        stdin=subprocess.DEVNULL,
    )
    before = os.environ.get(SOCKET_ENV)
    os.environ[SOCKET_ENV] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(SOCKET_ENV, None)
        else:
            os.environ[SOCKET_ENV] = before
        if path.exists():  # never took a command (no dbt build this run)
            process.kill()
        try:  # it took one: it ends once dbt has, and is left to finish its shutdown
            process.wait(timeout=_SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:  # the run was interrupted during dbt
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def serve(path: str, parent_pid: int) -> int:
    """The standby: import dbt, take one command on the socket at ``path``, run it with the
    caller's environment, folder and output, and report its exit code. Ends without a
    command when the process that started it is gone."""
    # Until it takes a command, an interrupt (Ctrl-C reaches the terminal's whole process
    # group) is for the run: the run stops this process as it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    from dbt.cli.exceptions import DbtInternalException, DbtUsageException
    from dbt.cli.main import dbtRunner  # the cost this process exists to pay early

    _import_what_a_build_uses()
    listener.settimeout(1.0)
    while True:
        try:
            connection, _ = listener.accept()
            break
        except TimeoutError:
            if os.getppid() != parent_pid:
                return 0
    connection.settimeout(None)
    with contextlib.suppress(OSError):
        os.unlink(path)  # one command: a later `cxw-dbt` runs plain dbt
    listener.close()
    try:
        request, (stdout, stderr) = _receive(connection)
    except (OSError, ValueError):
        return 0  # not a request: the caller runs plain dbt
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.close(stdout)
    os.close(stderr)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # dbt's, as plain dbt's
    connection.sendall(f"{os.getpid()}\n".encode())  # taken: interrupts go to this process
    code = EXIT_DBT_ERROR
    try:
        result = dbtRunner().invoke(request["argv"])
        if result.success:
            code = 0
        elif result.exception is None:
            code = EXIT_FAILED_NODES
        elif isinstance(result.exception, (DbtUsageException, DbtInternalException)):
            # refused before dbt logged anything (plain dbt: click's message)
            print(f"Error: {result.exception}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        with contextlib.suppress(OSError):
            connection.sendall(f"exit {code}\n".encode())
    return code


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
        _plain_dbt(argv)
    standby = int(taken)

    def forward(received: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(standby, received)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    verdict = replies.readline().decode().split()
    if len(verdict) == 2 and verdict[0] == "exit" and verdict[1].isdigit():
        os._exit(int(verdict[1]))
    print("cxw-dbt: the standby dbt process ended without an exit code", file=sys.stderr)
    os._exit(EXIT_DBT_ERROR)


if __name__ == "__main__":
    # A whole interpreter shutdown, unlike `cxw` (orchestration/cli.py:entry): it releases
    # dbt's multiprocessing semaphores, and it comes after the caller has its exit code.
    sys.exit(serve(sys.argv[1], int(sys.argv[2])))
