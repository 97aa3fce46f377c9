"""The published layout: releases beside the published warehouse, switched by one link.

A publish writes a release folder (a DuckDB file and its Parquet copy) and then renames
one link, ``current``, to it. The published names (``CXW_WAREHOUSE_PATH`` and
``CXW_PARQUET_DIR``) are fixed links through ``current``, so whoever opens either sees the
same release at every moment. This module owns that layout: where releases live, the
switch, and the removal of what an unfinished publish left. It writes no database.
"""

from __future__ import annotations

import os
import re
import shutil
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


def remove_publish_leftovers(settings: Settings) -> list[Path]:
    """Remove what an unfinished publish left: only this module's own temporary names
    (never another file), and every release but the one ``current`` points to.

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
