"""The published layout: releases beside the published warehouse, switched by one link.

A publish writes a release folder (a DuckDB file and its Parquet copy) and then renames
one link, ``current``, to it. The published names (``CXW_WAREHOUSE_PATH`` and
``CXW_PARQUET_DIR``) are fixed links through ``current``, so whoever opens either sees the
same release at every moment. This module owns that layout: where releases live, the
switch, and the removal of what an unfinished publish left. It writes no database.
"""

from __future__ import annotations

import contextlib
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
#   warehouse.duckdb -> .warehouse.duckdb.releases/current/warehouse.duckdb
#   CXW_PARQUET_DIR  -> (relative path to) .warehouse.duckdb.releases/current/parquet
CURRENT_RELEASE = "current"
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


def remove_publish_leftovers(settings: Settings, keep: Path | None = None) -> list[Path]:
    """Remove what an unfinished publish left: only this module's own temporary names
    (never another file), and every release but the one ``current`` points to (and
    ``keep``, a release this run prepared).

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
        current = releases / CURRENT_RELEASE
        live = os.readlink(current) if current.is_symlink() else None
        pattern = _leftover_patterns(CURRENT_RELEASE)
        for entry in releases.iterdir():
            if keep is not None and entry == keep:
                continue
            if (_RELEASE_NAME.fullmatch(entry.name) and entry.name != live) or pattern.fullmatch(
                entry.name
            ):
                _remove(entry)
                removed.append(entry)
    return sorted(removed)


def switch_release(settings: Settings, release: Path, token: str) -> None:
    """Publish ``release``: one rename of the ``current`` link switches the DuckDB file and
    its Parquet copy together; the published names are made links to it the first time."""
    _link_atomically(release.parent / CURRENT_RELEASE, release.name, token)
    for link, points_to in _published_links(settings).items():
        _link_atomically(link, points_to, token)


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


# The copies a run of this process prepares, by published path (prepare_release_copy).
_PREPARED: dict[Path, _PreparedCopy] = {}


def _identity(path: Path) -> tuple[int, ...]:
    stat = path.stat()  # the published file, through its link
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@contextlib.contextmanager
def prepare_release_copy(settings: Settings) -> Iterator[None]:
    """While a run loads and builds, copy the published DuckDB file into a new release
    folder, in a background thread: a delta publish starts from that copy
    (``take_prepared_release``) instead of copying the file then. The copy is disk work
    (hundreds of MB, seconds when the file is no longer in memory) beside the run's CPU
    work. On exit a copy the publish did not take is removed. Nothing is prepared when the
    disk has less free space than twice the file.

    Call it holding the build lock: no publish replaces the file meanwhile (and one that
    did would make the copy stale, which ``take_prepared_release`` notices)."""
    target = settings.warehouse_path
    try:
        size = target.stat().st_size
        # room for the copy and as much again for the run's own writes, or no copy now
        if shutil.disk_usage(target.parent).free < 2 * size:
            raise OSError("little free space")
        prepared = _PreparedCopy(new_release(settings), _identity(target))
    except OSError:  # no published file yet, or no room: the publish copies as before
        yield
        return
    key = target.absolute()

    def copy() -> None:
        try:
            shutil.copyfile(target, prepared.release / target.name)
        except BaseException as error:  # reported to take_prepared_release
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


def take_prepared_release(settings: Settings) -> Path | None:
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
