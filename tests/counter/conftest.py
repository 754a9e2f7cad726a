"""The counter's cast: 総合窓口's clerk 森さん (``madoguchi``) and a second one,
中村さん (``madoguchi2``), both in the group 「総合窓口」 and in no department, each
with a TOTP authenticator."""

from __future__ import annotations

import pytest

from madoguchi.backoffice.cast import KOSODATE
from madoguchi.counter.cast import MADOGUCHI, ensure_counter_clerk
from tests.backoffice.conftest import SECRET, staff
from tests.conftest import CAST_PASSWORD

MADOGUCHI2 = ("madoguchi2@example.jp", "中村", "浩二")


def counter_clerk(who=MADOGUCHI):
    email, family, given = who
    return ensure_counter_clerk(email, CAST_PASSWORD, family, given, totp_secret=SECRET)


@pytest.fixture
def madoguchi(db):
    return counter_clerk()


@pytest.fixture
def madoguchi2(db):
    return counter_clerk(MADOGUCHI2)


@pytest.fixture
def kosodate(db):
    """子育て支援課's clerk 小林さん: a department's clerk, not the counter's."""
    return staff(KOSODATE)


@pytest.fixture(autouse=True)
def _fresh_sign_ins():
    """The back office's signed-in clients are kept per user id within a test only."""
    from tests.backoffice.conftest import _signed_in

    _signed_in.clear()
    yield
    _signed_in.clear()
