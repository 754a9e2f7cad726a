"""Nothing crosses a town's border.

Every model is either scoped to the active town (towns/scoping.py) or declared
installation-wide with its reason; a clerk of みどり市 gets 404 on every back-office
URL for さくら町's application and file, in either town's address, and sees
nothing of it in her own lists; a resident of みどり市 the same on the resident's
pages. The URL names come from the urlconf: a new view is covered at once."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from madoguchi.applications import urls as resident_urls
from madoguchi.applications.models import Application
from madoguchi.backoffice import urls as office_urls
from madoguchi.backoffice.cast import KOSODATE
from madoguchi.towns.context import NoActiveTown, activate
from madoguchi.towns.scoping import INSTALLATION_WIDE, is_scoped
from madoguchi.towns.work import in_town
from tests.backoffice.conftest import client_for, sent, staff
from tests.conftest import CAST_PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


def test_every_model_is_scoped_or_declared_installation_wide():
    unscoped = []
    for model in apps.get_models():
        label = model._meta.label
        if label in INSTALLATION_WIDE:
            assert not is_scoped(model), f"{label} is scoped: take it off INSTALLATION_WIDE"
        elif not is_scoped(model):
            unscoped.append(label)
    assert not unscoped, f"not scoped to a town, nor declared installation-wide: {unscoped}"
    stale = set(INSTALLATION_WIDE) - {m._meta.label for m in apps.get_models()}
    assert not stale, f"INSTALLATION_WIDE names models that do not exist: {stale}"


def test_a_town_s_rows_are_unreachable_with_no_town_active(first_town):
    from madoguchi.towns.context import _town

    token = _town.set(None)
    try:
        for model in apps.get_models():
            if is_scoped(model):
                with pytest.raises(NoActiveTown):
                    model.objects.exists()
    finally:
        _town.reset(token)


@pytest.fixture
def border(first_town, sakura, takahashi):
    """小林さん (みどり市's 子育て支援課, supervisor and auditor) and 高橋さん signed in;
    さくら町's 子育て支援課 clerk and 佐藤さん's sent 児童手当 with a file."""
    from madoguchi.residents.cast import ensure_resident

    email, family, given, department, _role = KOSODATE
    clerk_a = staff((email, family, given, department, "supervisor"))
    clerk_a.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    mine = sent(takahashi, image=True)
    with in_town(first_town):
        office = client_for(clerk_a)
        resident = sign_in(_client(), takahashi.email, CAST_PASSWORD)
    with in_town(sakura):
        staff(("kosodate@sakura.example.jp", "佐々木", "陽子", "kosodate", "clerk"))
        sato = ensure_resident(
            "sato@sakura.example.jp",
            CAST_PASSWORD,
            family_name="佐藤",
            given_name="大輔",
            family_name_kana="さとう",
            given_name_kana="だいすけ",
        )
        theirs = sent(sato, image=True)
        file_id = theirs.attachments.get().public_id
    return {"office": office, "resident": resident, "mine": mine, "theirs": theirs, "file": file_id}


def _ask(client, url):
    """GET, or POST where the view only takes POST (a new view needs no list here)."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def _client():
    from django.test import Client

    return Client()


def _kwargs(pattern, app, file_id):
    values = {"public_id": app.public_id, "file_id": file_id, "procedure_id": app.procedure_id}
    return {name: values[name] for name in pattern.pattern.converters}


def _urls(urlconf, namespace, town, app, file_id):
    with in_town(town):
        for pattern in urlconf.urlpatterns:
            yield (
                pattern.name,
                reverse(f"{namespace}:{pattern.name}", kwargs=_kwargs(pattern, app, file_id)),
            )


def test_a_clerk_gets_404_on_every_office_url_of_another_town(border, first_town, sakura):
    office, theirs, file_id = border["office"], border["theirs"], border["file"]
    checked = 0
    for town in (first_town, sakura):  # her own town's address and the other's
        for name, url in _urls(office_urls, "backoffice", town, theirs, file_id):
            if town == first_town and str(theirs.public_id) not in url:
                continue  # her own town's lists and exports: checked below for what they show
            response = _ask(office, url)
            assert response.status_code == 404, (town.slug, name, url, response.status_code)
            checked += 1
    assert checked == len(office_urls.urlpatterns) + 7  # every page there, every object here


def test_a_clerk_s_own_lists_show_nothing_of_another_town(border, first_town):
    office, mine, theirs = border["office"], border["mine"], border["theirs"]
    with in_town(first_town):
        pages = {
            name: office.get(reverse(f"backoffice:{name}"))
            for name in ("queue", "load", "audit", "export")
        }
        csv_url = reverse("backoffice:export_csv", args=[theirs.procedure_id])
        csv = office.get(csv_url, {"encoding": "utf-8"})
        assert csv.status_code == 200, (csv.status_code, csv.get("Location"))
    body = b"".join(csv.streaming_content).decode("utf-8-sig", errors="replace")
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert str(theirs.public_id) not in response.content.decode(), name
    assert str(mine.public_id) in pages["queue"].content.decode()
    # Both towns count from 000001: the CSV has her town's row alone.
    assert mine.receipt_number in body and "佐藤" not in body
    assert body.count(mine.receipt_number) == 1


def test_a_resident_gets_404_on_another_town_s_application_urls(border, first_town, sakura):
    resident, theirs, file_id = border["resident"], border["theirs"], border["file"]
    checked = 0
    for town in (first_town, sakura):
        for name, url in _urls(resident_urls, "applications", town, theirs, file_id):
            if str(theirs.public_id) not in url:
                continue  # the list and 「申請を始める」 are her own: the list is checked below
            response = _ask(resident, url)
            assert response.status_code == 404, (town.slug, name, url, response.status_code)
            checked += 1
    assert checked == 2 * sum(
        "public_id" in p.pattern.converters for p in resident_urls.urlpatterns
    )
    with in_town(first_town):
        listing = resident.get(reverse("applications:list")).content.decode()
    assert str(theirs.public_id) not in listing


def test_the_same_account_has_its_own_applications_in_each_town(
    border, first_town, sakura, takahashi
):
    """One sign-in for the prefecture: 高橋さん's みどり市 application is not in さくら町's
    MyPage, and his draft there is another draft."""
    resident, mine = border["resident"], border["mine"]
    with in_town(sakura):
        listing = resident.get(reverse("applications:list")).content.decode()
        assert str(mine.public_id) not in listing
        assert not Application.objects.filter(owner=takahashi).exists()
    with activate(first_town):
        assert Application.objects.filter(owner=takahashi).count() == 1


def test_the_prefecture_sees_counts_per_town_and_no_personal_data(border, first_town, sakura):
    from django.contrib.auth import get_user_model

    from tests.backoffice.conftest import SECRET

    office = border["office"]
    with in_town(first_town):
        assert office.get(reverse("backoffice:figures")).status_code == 404  # a town's clerk
        prefecture = staff(("kikaku@pref.example.jp", "県", "企画", "kosodate", "clerk"))
        prefecture.user_permissions.add(Permission.objects.get(codename="view_town_figures"))
        client = sign_in(_client(), prefecture.email, CAST_PASSWORD, SECRET)
        page = client.get(reverse("backoffice:figures")).content.decode()
    assert "みどり市" in page and "さくら町" in page
    for private in (
        "高橋",
        "佐藤",
        border["theirs"].receipt_number,
        str(border["theirs"].public_id),
    ):
        assert private not in page
    assert get_user_model().objects.filter(email="kikaku@pref.example.jp").exists()


def test_a_prefecture_administrator_in_no_department_finds_the_figures_in_the_menu(
    border, first_town, sakura
):
    """The prefecture's administrator belongs to no town's department: the header's
    link and the staff menu lead to the figures, and to nothing of a town's."""
    from madoguchi.backoffice.models import Membership
    from tests.backoffice.conftest import SECRET

    with in_town(first_town):
        figures = reverse("backoffice:figures")
        clerk_page = border["office"].get(reverse("backoffice:queue")).content.decode()
        assert f'href="{figures}"' not in clerk_page  # a town's clerk: no such link
        prefecture = staff(("kikaku2@pref.example.jp", "県", "企画", "kosodate", "clerk"))
        Membership.objects.filter(user=prefecture).delete()
        prefecture.user_permissions.add(Permission.objects.get(codename="view_town_figures"))
        client = sign_in(_client(), prefecture.email, CAST_PASSWORD, SECRET)
        page = client.get(figures).content.decode()
        assert f'href="{figures}" aria-current="page"' in page
        assert "さくら町" in page
        home = client.get(reverse("catalog:home")).content.decode()
        assert f'href="{figures}"' in home  # the header's link leads to the figures
        assert client.get(reverse("backoffice:queue")).status_code in (403, 404)
