"""Each town's catalogue, loaded once per town per process and kept per town.

``current_catalog()`` is the active town's (``towns.context``); with no town
active (import time, the CLI on one catalogue) it is MADOGUCHI_CATALOG_DIR's.
A change on disk is picked up without a restart: at most every
``CHECK_SECONDS`` the files' sizes and modification times are compared with
those of the loaded version (a few dozen ``stat`` calls). A catalogue that does
not load never stops the other towns: the first time, its town answers 503
(``CatalogUnavailable``, towns/middleware.py); after an edit, the last good
version stays in use and the problems are logged with file and line.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from madoguchi.catalog.loader import Catalog, CatalogError, load

log = logging.getLogger(__name__)

CHECK_SECONDS = 3.0


class CatalogUnavailable(Exception):
    """The town's catalogue has never loaded in this process (problems logged)."""

    def __init__(self, directory: Path, error: CatalogError):
        super().__init__(f"{directory}: {error}")
        self.directory = directory
        self.error = error


@dataclass
class _Entry:
    catalog: Catalog | None
    signature: tuple
    checked_at: float
    error: CatalogError | None = None


_entries: dict[Path, _Entry] = {}
_lock = threading.Lock()


def signature(directory: Path) -> tuple:
    """(path, size, mtime) of every file of the catalogue: changes when one is
    edited, added, removed or renamed."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(root, name))
            except FileNotFoundError:  # removed while walking: the next check sees it
                continue
            found.append((os.path.join(root, name), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _load(directory: Path, previous: _Entry | None, now: float) -> _Entry:
    sig = signature(directory)
    try:
        catalog = load(directory)
    except CatalogError as error:
        if previous is not None and previous.catalog is not None:
            log.error(
                "カタログ %s の変更を読み込めませんでした。前の版を使い続けます:\n%s",
                directory,
                error,
            )
            return _Entry(previous.catalog, sig, now, error)
        log.error("カタログ %s を読み込めません。この町のページは停止中です:\n%s", directory, error)
        return _Entry(None, sig, now, error)
    return _Entry(catalog, sig, now)


def catalog_at(directory: Path | str) -> Catalog:
    """The catalogue of ``directory``, loaded once, reloaded when its files change."""
    directory = Path(os.path.abspath(directory))  # one entry per folder, however named
    now = time.monotonic()
    entry = _entries.get(directory)
    if entry is None or now - entry.checked_at > CHECK_SECONDS:
        with _lock:
            entry = _entries.get(directory)
            if entry is None:
                entry = _entries[directory] = _load(directory, None, now)
            elif now - entry.checked_at > CHECK_SECONDS:
                if signature(directory) != entry.signature:
                    entry = _entries[directory] = _load(directory, entry, now)
                else:
                    entry.checked_at = now
    if entry.catalog is None:
        raise CatalogUnavailable(directory, entry.error)
    return entry.catalog


def reload(directory: Path | str) -> CatalogError | None:
    """Read the catalogue again now (``towns reload``); its problems, if any (the
    last good version is kept)."""
    directory = Path(os.path.abspath(directory))
    with _lock:
        entry = _entries[directory] = _load(directory, _entries.get(directory), time.monotonic())
    return entry.error


def catalog_of(town) -> Catalog:
    return catalog_at(town.catalog_dir)


def current_catalog() -> Catalog:
    """The active town's catalogue; MADOGUCHI_CATALOG_DIR's when no town is active."""
    from madoguchi.towns.context import current_town

    town = current_town()
    return catalog_at(town.catalog_dir if town is not None else settings.CATALOG_DIR)


def cache_clear() -> None:
    """Forget every loaded catalogue (tests)."""
    with _lock:
        _entries.clear()
