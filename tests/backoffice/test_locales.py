"""The back office names a procedure in the page's language, from the catalogue,
wherever staff see it: the queue (rows and filter), the detail page, the export
page and the audit log. (The CSV itself keeps Japanese headers: core systems and
macros match on them, see backoffice/export.py.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from madoguchi.catalog.registry import current_catalog

from .conftest import CLAIM, client_for, sent

pytestmark = pytest.mark.django_db

NAME = current_catalog().procedures[CLAIM].name


@pytest.fixture(params=["ja", "en"])
def lang(request):
    return request.param


def _pages(client, app) -> dict[str, str]:
    export = reverse("backoffice:export")
    return {
        "queue": client.get(reverse("backoffice:queue")).content.decode(),
        "detail": client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode(),
        "export list": client.get(export).content.decode(),
        "export": client.get(export, {"procedure": CLAIM}).content.decode(),
        "audit": client.get(reverse("backoffice:audit")).content.decode(),
    }


def test_staff_see_the_procedure_in_their_language(lang, kacho, takahashi, settings):
    assert NAME.en and NAME.en != NAME.ja
    kacho.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    app = sent(takahashi)
    client = client_for(kacho)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.get(reverse("backoffice:detail", args=[app.public_id]))  # an audit entry
    shown, other = (NAME.ja, NAME.en) if lang == "ja" else (NAME.en, NAME.ja)
    for page, html in _pages(client, app).items():
        assert shown in html, page
        assert other not in html, page
    detail = _pages(client, app)["detail"]
    assert f"<h1>{shown} " in detail and f"<title>{app.receipt_number} {shown}" in detail
