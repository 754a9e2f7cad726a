"""Work outside a request (a task, a command) in one town: its data, its catalogue,
and links with its address (/t/<slug>/ when the installation serves it by path)."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

from madoguchi.towns import directory
from madoguchi.towns.context import activate


def path_prefix(town) -> str:
    """'/t/<slug>' when the town is reached by path, '' when by its own host name
    or as the installation's only town."""
    if town.hosts or directory.only_town() is not None:
        return ""
    return f"/t/{town.slug}"


@contextmanager
def in_town(town):
    previous = get_script_prefix()
    base = (settings.FORCE_SCRIPT_NAME or "").rstrip("/")
    set_script_prefix(f"{base}{path_prefix(town)}/")
    try:
        with activate(town):
            yield town
    finally:
        set_script_prefix(previous)


def use_first_town():
    """For the rest of this process, the installation's first town (a script that
    works as a single-town installation: the benchmarks). Made if there is none."""
    from madoguchi.towns.context import _town
    from madoguchi.towns.models import Town

    town = directory.ensure_first_town(Town.objects)
    _town.set(town)
    return town
