"""The towns of the installation as this process knows them: read once, kept in
memory (a request costs no query to find its town), read again when a Town row
changes in this process or after ``REFRESH_SECONDS`` (another process's
``towns add``)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0


@dataclass(frozen=True)
class Directory:
    towns: tuple = ()
    by_slug: dict = field(default_factory=dict)
    by_host: dict = field(default_factory=dict)
    read_at: float = 0.0
    first_pk: int | None = None


_lock = threading.Lock()
_current: Directory | None = None


def directory() -> Directory:
    global _current
    now = time.monotonic()
    if _current is None or now - _current.read_at > REFRESH_SECONDS:
        with _lock:
            if _current is None or now - _current.read_at > REFRESH_SECONDS:
                _current = _read(now)
    return _current


def _read(now: float) -> Directory:
    from madoguchi.towns.models import Town

    towns = tuple(Town.objects.filter(active=True).order_by("code"))
    by_host = {}
    for town in towns:
        for host in town.hosts or []:
            by_host[host.lower()] = town
    first_pk = Town.objects.order_by("pk").values_list("pk", flat=True).first()
    return Directory(towns, {t.slug: t for t in towns}, by_host, now, first_pk)


def forget(*args, **kwargs) -> None:
    """Read the towns again at the next request (a Town row changed)."""
    global _current
    _current = None


def active_towns() -> tuple:
    return directory().towns


def town_by_slug(slug: str):
    return directory().by_slug.get(slug)


def town_by_code(code: str):
    return next((t for t in directory().towns if t.code == code), None)


def first_town_pk() -> int | None:
    """The oldest town's id: the installation's town before there were several."""
    found = directory()
    return found.first_pk


def only_town():
    """The town of a single-town installation (today's URLs), else None."""
    towns = directory().towns
    return towns[0] if len(towns) == 1 else None


# --- The first town: MADOGUCHI_CATALOG_DIR --------------------------------------


def default_town_fields(catalog_dir: Path | None = None) -> dict:
    """What a Town row of ``catalog_dir`` (default: settings.CATALOG_DIR) says,
    read from its municipality.yaml alone (a broken procedure elsewhere in the
    catalogue does not stop a migration)."""
    from ruamel.yaml import YAML

    folder = Path(catalog_dir or settings.CATALOG_DIR).resolve()
    data = YAML(typ="safe").load((folder / "municipality.yaml").read_text(encoding="utf-8"))
    slug = data.get("slug") or folder.name
    return {"code": str(data["code"]), "slug": slug, "catalog_dir": str(folder)}


def ensure_first_town(towns):
    """The town of MADOGUCHI_CATALOG_DIR when there is no town at all (a new
    database, or one from before towns existed); the existing one otherwise.
    ``towns``: a manager of Town (a migration's historical model's too)."""
    first = towns.order_by("pk").first()
    if first is not None:
        return first
    fields = default_town_fields()
    log.info("町のデータがないため、%s を最初の町として登録します", fields["catalog_dir"])
    return towns.create(**fields, hosts=[], active=True)


def ensure_a_town(sender=None, using="default", **kwargs) -> None:
    """post_migrate: a database always has at least one town."""
    from django.db import router

    from madoguchi.towns.models import Town

    if not router.allow_migrate_model(using, Town):
        return
    ensure_first_town(Town.objects.db_manager(using))
    forget()


def load_catalogues() -> list:
    """Load every active town's catalogue (start-up); the towns whose catalogue did
    not load (already logged with file and line)."""
    from madoguchi.catalog.registry import CatalogUnavailable, catalog_of

    broken = []
    for town in active_towns():
        try:
            catalog_of(town)
        except CatalogUnavailable:
            broken.append(town)
    return broken
