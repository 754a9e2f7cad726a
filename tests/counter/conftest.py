"""The virtual card reader the card tests talk to: Debian's pcscd with the
vsmartcard-vpcd driver, and our simulated card (counter/card/simulator.py)
connected to it. ``./dev test`` installs both and starts pcscd; without them the
tests fail here with what to do, they are never skipped."""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from madoguchi.backoffice.cast import ensure_staff
from madoguchi.backoffice.models import Membership
from madoguchi.counter.card.simulator import (
    MY_NUMBER_EF,
    VPCD_READER,
    SimulatedCard,
    VirtualCard,
)
from madoguchi.counter.models import Visit


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


SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def counter_clerk(email: str = "madoguchi@example.jp", family: str = "窓口", given: str = "花子"):
    """A 総合窓口 clerk: the counter's permission, no department, TOTP like all staff."""
    from tests.conftest import CAST_PASSWORD

    user = ensure_staff(email, CAST_PASSWORD, family, given, "kosodate", totp_secret=SECRET)
    Membership.objects.filter(user=user).delete()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="counter", codename="serve_counter")
    )
    return user


def signed_in(user) -> Client:
    from tests.conftest import CAST_PASSWORD
    from tests.sign_in import sign_in

    return sign_in(Client(), user.email, CAST_PASSWORD, SECRET)


@pytest.fixture
def clerk(db):
    return counter_clerk()


@pytest.fixture
def visit(clerk) -> Visit:
    now = timezone.now()
    return Visit.objects.create(
        day=timezone.localdate(), number=7, arrived_at=now, called_at=now, clerk=clerk
    )
