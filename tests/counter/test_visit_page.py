"""The visit page: its applicant's facts as a clerk reads them, and its Content
Security Policy.

The Content Security Policy lets its script reach both the card
agent on the clerk's PC and its own server (the one-time token): a ``connect-src``
with the agent only blocked the token's fetch, so no card could ever be read."""

from __future__ import annotations

from django.urls import reverse

from madoguchi.applications.models import Applicant, IdentitySource
from tests.backoffice.conftest import client_for


def _connect_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("connect-src"))
    return directive.split()[1:]


def test_the_visit_page_may_fetch_its_own_server_and_the_agent(clerk, visit, settings):
    settings.MADOGUCHI_CARD_AGENT_URL = "http://127.0.0.1:47999"  # another port on this PC
    response = client_for(clerk).get(reverse("counter:visit", args=[visit.public_id]))
    assert response.status_code == 200
    assert set(_connect_src(response)) == {"'self'", "http://127.0.0.1:47999"}
    assert 'data-agent="http://127.0.0.1:47999"' in response.content.decode()


def test_other_counter_pages_do_not_open_the_agent(clerk, visit):
    response = client_for(clerk).get(reverse("counter:identity", args=[visit.public_id]))
    assert "connect-src" not in response["Content-Security-Policy"]


def test_the_postal_code_is_written_as_people_write_it(clerk, visit):
    """Typed facts keep the 〒 as digits; the page writes 〒379-2311, not 〒3792311."""
    visit.applicant = Applicant.objects.create(
        name="高橋　ふみ", birth_date="1943-07-01", postal_code="3792311",
        address="群馬県みどり市笠懸町阿左美1000番地", source=IdentitySource.TYPED,
    )  # fmt: skip
    visit.save(update_fields=["applicant"])
    html = client_for(clerk).get(reverse("counter:visit", args=[visit.public_id])).content.decode()
    assert "〒379-2311 群馬県みどり市" in html
