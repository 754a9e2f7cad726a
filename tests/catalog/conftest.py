"""Fixtures for the catalogue's tests."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE


@pytest.fixture
def city(tmp_path) -> Path:
    """A copy of the example catalogue that a test may break."""
    target = tmp_path / "city"
    shutil.copytree(EXAMPLE, target)
    return target
