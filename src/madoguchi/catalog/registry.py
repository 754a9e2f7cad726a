"""The running municipality's catalogue, loaded once per process."""

from __future__ import annotations

import functools

from django.conf import settings

from madoguchi.catalog.loader import Catalog, load


@functools.cache
def current_catalog() -> Catalog:
    """The catalogue at ``settings.CATALOG_DIR``; a broken catalogue stops start-up."""
    return load(settings.CATALOG_DIR)
