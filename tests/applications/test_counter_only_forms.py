"""A form of a procedure the town takes at the counter only (``online: false``) is
printed there prefilled, but the web never offers it: no 「オンラインで申請」, no
draft, and the search says it cannot be applied for here. Procedures taken online
keep their online form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications.models import Application
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.search import hit
from tests.catalog.test_views import start

pytestmark = pytest.mark.django_db

COUNTER_ONLY = "kouki-funeral-expenses"  # the prefecture's union: at the counter
ONLINE = ("kokuho-funeral-expenses", "low-birth-weight-notice")


def test_a_counter_only_form_cannot_be_started_online(client, takahashi):
    client.force_login(takahashi)
    proc = current_catalog().procedures[COUNTER_ONLY]
    assert proc.form is not None and not proc.online
    url = reverse("applications:start", args=[COUNTER_ONLY])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Application.objects.filter(owner=takahashi).exists()


@pytest.mark.parametrize("pid", ONLINE)
def test_an_online_procedures_new_form_starts_online(client, takahashi, pid):
    client.force_login(takahashi)
    page = client.get(reverse("applications:start", args=[pid]))
    assert page.status_code == 200
    shown = client.get(reverse("catalog:procedure", args=[pid])).content.decode()
    assert reverse("applications:start", args=[pid]) in shown


def test_the_procedure_page_of_a_counter_only_form_says_counter(client):
    page = client.get(reverse("catalog:procedure", args=[COUNTER_ONLY])).content.decode()
    assert reverse("applications:start", args=[COUNTER_ONLY]) not in page
    assert "窓口で手続きします" in page


def test_the_search_says_a_counter_only_form_is_not_applied_for_here():
    catalog = current_catalog()
    assert not hit(catalog, catalog.procedures[COUNTER_ONLY]).has_form
    assert hit(catalog, catalog.procedures["kokuho-funeral-expenses"]).has_form


def test_a_death_checklist_offers_no_online_form_for_the_counters_procedures(client):
    # The deceased was 78: 後期高齢者医療, so its funeral grant applies (at the counter).
    start(
        client,
        event="death",
        date="2026-11-25",
        members=(("self", "1950-03-03"), ("deceased", "1948-05-03")),
    )
    page = client.get("/guide/death/checklist/").content.decode()
    assert "後期高齢者医療 葬祭費" in page
    assert reverse("applications:start", args=[COUNTER_ONLY]) not in page
