"""The counter's cast: 総合窓口's clerk 森さん (``madoguchi``) and a second one,
中村さん (``madoguchi2``), both in the group 「総合窓口」 and in no department, each
with a TOTP authenticator.

The virtual card reader the card tests talk to: Debian's pcscd with the
vsmartcard-vpcd driver, and our simulated card (counter/card/simulator.py)
connected to it. ``./dev test`` installs both and starts pcscd; without them the
tests fail here with what to do, they are never skipped."""

from __future__ import annotations

import contextlib

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.backoffice.cast import KOSODATE
from madoguchi.counter.card.simulator import (
    MY_NUMBER_EF,
    VPCD_READER,
    SimulatedCard,
    VirtualCard,
)
from madoguchi.counter.cast import MADOGUCHI, ensure_counter_clerk
from madoguchi.counter.models import Visit
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


@pytest.fixture(scope="session")
def virtual_reader() -> str:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        pytest.fail(
            "pcscd が動いていません。./dev test で実行するか、root で `pcscd` を起動してください"
            " / pcscd is not running: use ./dev test, or start `pcscd` as root",
            pytrace=False,
        )
    try:
        hresult, readers = scard.SCardListReaders(context, [])
    finally:
        scard.SCardReleaseContext(context)
    if VPCD_READER not in (readers or []):
        pytest.fail(
            f"仮想カードリーダー「{VPCD_READER}」がありません。vsmartcard-vpcd を入れてから pcscd を"
            " 再起動してください(./dev setup) / the vpcd reader is missing: install"
            " vsmartcard-vpcd (./dev setup), then restart pcscd",
            pytrace=False,
        )
    return VPCD_READER


@pytest.fixture
def put_card(virtual_reader):
    """``put_card(**SimulatedCard options)`` puts a simulated card on the virtual
    reader for the test. Whatever the test did, the card must never have been
    asked to SELECT the 個人番号 EF (00 01)."""
    cards: list[SimulatedCard] = []
    with contextlib.ExitStack() as stack:

        def put(**options) -> SimulatedCard:
            card = stack.enter_context(VirtualCard(SimulatedCard(**options)))
            cards.append(card)
            return card

        yield put
    for card in cards:
        assert MY_NUMBER_EF not in card.selected_files(), "the 個人番号 EF was selected"


def signed_in(user) -> Client:
    """A new client signed in through the real forms (a TOTP code is taken once per
    period: each test signs a person in once, or uses ``client_for``)."""
    from tests.sign_in import sign_in

    return sign_in(Client(), user.email, CAST_PASSWORD, SECRET)


@pytest.fixture
def clerk(madoguchi):
    return madoguchi


@pytest.fixture
def visit(clerk) -> Visit:
    now = timezone.now()
    return Visit.objects.create(
        day=timezone.localdate(), number=7, arrived_at=now, called_at=now, clerk=clerk
    )
