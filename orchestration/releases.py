"""The published layout: releases beside the published warehouse, switched by one link.

A publish writes a release folder (a DuckDB file and its Parquet copy) and then renames
one link, ``current``, to it. The published names (``CXW_WAREHOUSE_PATH`` and
``CXW_PARQUET_DIR``) are fixed links through ``current``, so whoever opens either sees the
same release at every moment. The release it replaced stays, as ``previous``, until the
next publish: that one starts from it (``take_starting_release``) rather than from a copy of
the current file. This module owns that layout: where releases live, the switch, the
release a publish starts from, and the removal of what an unfinished publish left. It
writes no database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.settings import Settings

# The published layout, beside CXW_WAREHOUSE_PATH (``warehouse.duckdb`` here):
#   .warehouse.duckdb.releases/release-<token>/warehouse.duckdb   a published DuckDB file
#   .warehouse.duckdb.releases/release-<token>/parquet/           its Parquet copy
#   .warehouse.duckdb.releases/current -> release-<token>         the one switch
#   .warehouse.duckdb.releases/previous -> release-<token>        the release it replaced
#   warehouse.duckdb -> .warehouse.duckdb.releases/current/warehouse.duckdb
#   CXW_PARQUET_DIR  -> (relative path to) .warehouse.duckdb.releases/current/parquet
CURRENT_RELEASE = "current"
PREVIOUS_RELEASE = "previous"
RELEASE_PARQUET = "parquet"
_TOKEN = r"[0-9a-f]{12}"
_RELEASE_NAME = re.compile(rf"release-{_TOKEN}")


def releases_dir(settings: Settings) -> Path:
    """The folder of the published releases, beside the published warehouse."""
    target = settings.warehouse_path
    return target.with_name(f".{target.name}.releases")


def _published_links(settings: Settings) -> dict[Path, str]:
    """Each published name and what its link holds (relative, so the folder can move)."""
    releases = releases_dir(settings)
    current = releases / CURRENT_RELEASE
    parquet = settings.parquet_dir
    return {
        settings.warehouse_path: f"{releases.name}/{CURRENT_RELEASE}/{settings.warehouse_path.name}",
        parquet: os.path.relpath(current / RELEASE_PARQUET, parquet.parent),
    }


def _link_atomically(link: Path, points_to: str, token: str) -> None:
    """Make ``link`` a symbolic link to ``points_to`` with one rename (nothing when it is
    one already). A file in its place is replaced by that rename; a directory (the layout
    of an earlier release, or a deployment copied without its links) is moved aside first,
    to ``.<name>.retired``, and removed with the other leftovers."""
    if link.is_symlink() and os.readlink(link) == points_to:
        return
    temp = link.with_name(f".{link.name}.{token}.link")
    temp.unlink(missing_ok=True)
    os.symlink(points_to, temp)
    if link.is_dir() and not link.is_symlink():
        retired = link.with_name(f".{link.name}.retired")
        _remove(retired)
        os.replace(link, retired)
    os.replace(temp, link)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _leftover_patterns(name: str) -> re.Pattern[str]:
    """The temporary names this module gives beside a published ``name``: a link being
    made, a directory moved aside, and (earlier releases) a file or folder being written
    and its write-ahead log."""
    n = re.escape(name)
    return re.compile(rf"\.{n}\.(?:{_TOKEN}\.link|retired|{_TOKEN}\.publishing(?:\.wal)?)")


def new_release(settings: Settings) -> Path:
    """A new, empty release folder (not published until ``switch_release``)."""
    release = releases_dir(settings) / f"release-{uuid.uuid4().hex[:12]}"
    release.mkdir(parents=True)
    return release


def release_token(release: Path) -> str:
    return release.name.removeprefix("release-")


def _linked_release(releases: Path, link: str) -> str | None:
    """The release folder name a link of the releases folder holds (None: no link)."""
    path = releases / link
    return os.readlink(path) if path.is_symlink() else None


def remove_publish_leftovers(settings: Settings, keep: Path | None = None) -> list[Path]:
    """Remove what an unfinished publish left: only this module's own temporary names
    (never another file), and every release but the ones ``current`` and ``previous``
    point to (and ``keep``, a release this run prepared).

    Call it holding the build lock, so that no publish is under way."""
    removed: list[Path] = []
    for link in _published_links(settings):
        pattern = _leftover_patterns(link.name)
        if link.parent.is_dir():
            for entry in link.parent.iterdir():
                if pattern.fullmatch(entry.name):
                    _remove(entry)
                    removed.append(entry)
    releases = releases_dir(settings)
    if releases.is_dir():
        live = {_linked_release(releases, link) for link in (CURRENT_RELEASE, PREVIOUS_RELEASE)}
        previous = releases / PREVIOUS_RELEASE
        if previous.is_symlink() and not previous.exists():  # its release was taken or lost
            previous.unlink()
        patterns = [_leftover_patterns(link) for link in (CURRENT_RELEASE, PREVIOUS_RELEASE)]
        for entry in releases.iterdir():
            if keep is not None and entry == keep:
                continue
            if (_RELEASE_NAME.fullmatch(entry.name) and entry.name not in live) or any(
                pattern.fullmatch(entry.name) for pattern in patterns
            ):
                _remove(entry)
                removed.append(entry)
    return sorted(removed)


def switch_release(settings: Settings, release: Path, token: str) -> None:
    """Publish ``release``: one rename of the ``current`` link switches the DuckDB file and
    its Parquet copy together; the published names are made links to it the first time.
    The release it replaced becomes ``previous`` (after the switch: a publish killed
    between the two renames leaves no ``previous``, never one naming the live release)."""
    replaced = _linked_release(release.parent, CURRENT_RELEASE)
    _link_atomically(release.parent / CURRENT_RELEASE, release.name, token)
    for link, points_to in _published_links(settings).items():
        _link_atomically(link, points_to, token)
    if replaced is not None and replaced != release.name:
        _link_atomically(release.parent / PREVIOUS_RELEASE, replaced, token)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link (a Parquet file shared by two releases); a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@dataclass
class _PreparedCopy:
    release: Path
    published: tuple[int, ...]  # the published file copied (device, inode, size, mtime)
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass(frozen=True)
class StartingRelease:
    """The release folder a delta publish writes, holding the published file it starts
    from: a copy of the current one, or (``one_publish_behind``) the previous release's
    own file, one publish older, whose Parquet copy was removed."""

    folder: Path
    one_publish_behind: bool = False


# The copies a run of this process prepares, by published path (prepare_release_copy).
_PREPARED: dict[Path, _PreparedCopy] = {}


def _identity(path: Path) -> tuple[int, ...]:
    stat = path.stat()  # the published file, through its link
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _in_use(database: Path) -> bool:
    """Whether another process has the DuckDB file open: DuckDB holds a POSIX lock on the
    files it opens (shared when read-only), which this asks for exclusively and releases.

    Never ask it of a file this process has open: closing this descriptor would release
    this process's own locks on the file."""
    try:
        with open(database, "r+b") as fh:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.lockf(fh, fcntl.LOCK_UN)
    except OSError:  # locked, or not there
        return True
    return False


def _reusable_previous(settings: Settings) -> Path | None:
    """The previous release, when a publish may start from it: it is not the live one, it
    holds its DuckDB file, and no reader has that file open (a BI tool that opened it before
    the last switch keeps reading it, and the publish copies the current file instead)."""
    releases = releases_dir(settings)
    previous = _linked_release(releases, PREVIOUS_RELEASE)
    if previous is None or previous == _linked_release(releases, CURRENT_RELEASE):
        return None
    folder = releases / previous
    database = folder / settings.warehouse_path.name
    if not _RELEASE_NAME.fullmatch(previous) or not database.is_file() or _in_use(database):
        return None
    return folder


@contextlib.contextmanager
def prepare_release_copy(settings: Settings) -> Iterator[None]:
    """While a run loads and builds, copy the published DuckDB file into a new release
    folder, in a background thread, when the publish cannot start from the previous
    release: a delta publish starts from that copy (``take_starting_release``) instead of
    copying the file then. The copy is disk work (hundreds of MB, seconds when the file is
    no longer in memory) beside the run's CPU work. On exit a copy the publish did not take
    is removed. Nothing is prepared when the disk has less free space than twice the file.

    Call it holding the build lock: no publish replaces the file meanwhile (and one that
    did would make the copy stale, which ``take_starting_release`` notices)."""
    target = settings.warehouse_path
    try:
        if _reusable_previous(settings) is not None:
            raise OSError("the publish starts from the previous release")
        size = target.stat().st_size
        # room for the copy and as much again for the run's own writes, or no copy now
        if shutil.disk_usage(target.parent).free < 2 * size:
            raise OSError("little free space")
        prepared = _PreparedCopy(new_release(settings), _identity(target))
    except OSError:  # no published file yet, no room, or no need: no copy now
        yield
        return
    key = target.absolute()

    def copy() -> None:
        try:
            shutil.copyfile(target, prepared.release / target.name)
        except BaseException as error:  # reported to take_starting_release
            prepared.error = error
        finally:
            prepared.done.set()

    _PREPARED[key] = prepared
    threading.Thread(target=copy, name="cxw-prepare-release", daemon=True).start()
    try:
        yield
    finally:
        _PREPARED.pop(key, None)
        prepared.done.wait()
        current = prepared.release.parent / CURRENT_RELEASE
        if not (current.is_symlink() and os.readlink(current) == prepared.release.name):
            _remove(prepared.release)


def _take_prepared_copy(settings: Settings) -> Path | None:
    """The release folder this run prepared, holding a finished copy of the file published
    now (waiting for the copy if it is still under way); None when there is none, the copy
    failed, or the published file changed since it was copied."""
    target = settings.warehouse_path
    prepared = _PREPARED.pop(target.absolute(), None)
    if prepared is None:
        return None
    prepared.done.wait()
    if prepared.error is None and target.exists() and _identity(target) == prepared.published:
        return prepared.release
    _remove(prepared.release)
    return None


def take_starting_release(settings: Settings) -> StartingRelease | None:
    """The release folder a delta publish starts from: the copy of the current file this
    run prepared, or else the previous release, renamed to a new release (so that a publish
    killed while it writes leaves a leftover, never a ``previous`` that is not a publish)
    and without its Parquet copy, which the publish writes again. None when there is
    neither: the publish copies the current file itself."""
    copied = _take_prepared_copy(settings)
    if copied is not None:
        return StartingRelease(copied)
    previous = _reusable_previous(settings)
    if previous is None:
        return None
    folder = new_release(settings)
    os.replace(previous, folder)  # over the empty folder just made, one rename
    (previous.parent / PREVIOUS_RELEASE).unlink(missing_ok=True)
    _remove(folder / RELEASE_PARQUET)
    return StartingRelease(folder, one_publish_behind=True)
