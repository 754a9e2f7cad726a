"""Two towns: the first (みどり市, MADOGUCHI_CATALOG_DIR's, active in every test) and
さくら町 (the demo's: the example catalogue with its differences), each with a
子育て支援課 clerk and a resident with a sent 児童手当."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from madoguchi.towns.demo_town import CODE, SLUG, write_catalogue
from madoguchi.towns.models import Town


@pytest.fixture(scope="session")
def sakura_catalogue(tmp_path_factory) -> Path:
    return write_catalogue(Path(settings.CATALOG_DIR), tmp_path_factory.mktemp("towns") / SLUG)


@pytest.fixture
def first_town(db) -> Town:
    return Town.objects.order_by("pk").first()


@pytest.fixture
def sakura(db, sakura_catalogue) -> Town:
    return Town.objects.create(slug=SLUG, code=CODE, catalog_dir=str(sakura_catalogue))


@pytest.fixture(autouse=True)
def _fresh_sign_ins():
    """The back office's clients are kept per user id within a test only."""
    from tests.backoffice.conftest import _signed_in

    _signed_in.clear()
    yield
    _signed_in.clear()
