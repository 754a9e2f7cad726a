"""The back office has its own header: the town, 「職員用」, the signed-in staff
member's name and department, sign-out; not the residents' 「くらしの手続きガイド」."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db


def header_of(html: str) -> str:
    return re.search(r"<header.*?</header>", html, re.S)[0]


@pytest.mark.parametrize("name", ["queue", "export", "load"])
def test_every_staff_page_has_the_office_header(kacho, name):
    html = client_for(kacho).get(reverse(f"backoffice:{name}")).content.decode()
    header = header_of(html)
    assert "みどり市" in header and "職員用" in header
    assert "加藤 誠" in header and "子育て支援課(係長・課長)" in header
    assert reverse("account_logout") in header
    assert "くらしの手続きガイド" not in html
    assert 'class="wrap office"' in header  # as wide as the page under it


def test_the_detail_page_names_the_clerk_and_her_department(kosodate, takahashi):
    app = sent(takahashi)
    html = client_for(kosodate).get(reverse("backoffice:detail", args=[app.public_id]))
    header = header_of(html.content.decode())
    assert "小林 さくら" in header and "子育て支援課" in header and "係長" not in header


def test_the_residents_pages_keep_their_header(takahashi):
    from django.test import Client

    from tests.conftest import CAST_PASSWORD
    from tests.sign_in import sign_in

    client = sign_in(Client(), takahashi.email, CAST_PASSWORD)
    header = header_of(client.get(reverse("residents:mypage")).content.decode())
    assert "くらしの手続きガイド" in header and "職員用" not in header
