"""Identity proofing: the registry, the demo provider, and what is never kept."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from madoguchi.common.models import AuditEvent
from madoguchi.residents.identity import verified_identity_for
from madoguchi.residents.identity.contrib.oidc.claims import facts_from_claims
from madoguchi.residents.identity.registry import (
    IdentityError,
    IdentityProvider,
    Registry,
    registry,
)
from madoguchi.residents.models import VerifiedIdentity

pytestmark = pytest.mark.django_db


def test_the_registry_has_demo_and_oidc_and_offers_demo_by_default():
    assert {"demo", "oidc"} <= set(registry.ids())
    assert [p.id for p in registry.usable()] == ["demo"]


def test_an_unconfigured_oidc_provider_is_hidden_from_residents_and_explained(settings):
    settings.MADOGUCHI_IDENTITY_PROVIDERS = ["oidc", "demo", "nosuch"]
    settings.MADOGUCHI_OIDC = {"discovery_url": "", "client_id": "", "client_secret": ""}
    assert [p.id for p in registry.usable()] == ["demo"]
    problems = registry.settings_problems()
    assert any("MADOGUCHI_OIDC_DISCOVERY_URL" in p for p in problems["oidc"])
    assert "「nosuch」という本人確認の方法はありません" in problems["nosuch"][0]


def test_staff_see_the_providers_problems_in_the_admin(admin_client, settings):
    settings.MADOGUCHI_IDENTITY_PROVIDERS = ["oidc", "demo"]
    page = admin_client.get("/admin/residents/verifiedidentity/").content.decode()
    assert "MADOGUCHI_OIDC_CLIENT_ID" in page and "使えます" in page


def test_the_demo_provider_is_not_offered_on_a_public_site(settings):
    settings.PUBLIC_URL = object()
    assert registry.usable() == []


def test_a_registry_of_ones_own():
    mine = Registry()

    @mine.register("card")
    class Card(IdentityProvider):
        name = {"ja": "カード", "en": "Card"}

    assert mine.ids() == ["card"] and mine.get("card").label("en") == "Card"
    with pytest.raises(ValueError):
        mine.register("card")(type("Other", (IdentityProvider,), {}))


def test_demo_round_trip_records_the_facts_and_audits(client, takahashi):
    client.force_login(takahashi)
    page = client.get(reverse("residents:identity")).content.decode()
    assert "まだ本人確認をしていません" in page and "デモ" in page
    response = client.post(reverse("residents:identity_begin", args=["demo"]))
    assert response["Location"] == reverse("residents:identity_demo")
    assert "デモ" in client.get(response["Location"]).content.decode()
    client.post(reverse("residents:identity_complete", args=["demo"]))
    identity = verified_identity_for(takahashi)
    # The demo "card" says what 高橋さん's profile says (a demonstration stays his).
    assert identity.provider == "demo" and identity.birth_date == date(1992, 6, 15)
    assert identity.name == "高橋 健太"
    assert len(identity.subject_hash) == 64 and "demo-" not in identity.subject_hash
    page = client.get(reverse("residents:identity")).content.decode()
    assert "高橋 健太" in page
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["verify", "view"]


def test_verifying_from_a_page_that_needs_it_comes_back_to_that_page(client, takahashi):
    """An application's review links to 本人確認 with ``?next=``; once verified, the
    resident is back on the review, not left on the identity page."""
    client.force_login(takahashi)
    back = "/mypage/applications/00000000-0000-0000-0000-000000000001/review/"
    page = client.get(reverse("residents:identity"), {"next": back}).content.decode()
    assert f'name="next" value="{back}"' in page and f'href="{back}"' in page
    client.post(reverse("residents:identity_begin", args=["demo"]), {"next": back})
    response = client.post(reverse("residents:identity_complete", args=["demo"]))
    assert response.status_code == 302 and response["Location"] == back
    assert verified_identity_for(takahashi) is not None
    # Used once: the next verification without ``next`` ends on the identity page.
    client.post(reverse("residents:identity_begin", args=["demo"]))
    response = client.post(reverse("residents:identity_complete", args=["demo"]))
    assert response["Location"] == reverse("residents:identity")


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "mypage"]
)
def test_next_never_leads_off_the_site(client, takahashi, elsewhere):
    client.force_login(takahashi)
    page = client.get(reverse("residents:identity"), {"next": elsewhere}).content.decode()
    assert f'name="next" value="{escape(elsewhere)}"' not in page
    client.post(reverse("residents:identity_begin", args=["demo"]), {"next": elsewhere})
    response = client.post(reverse("residents:identity_complete", args=["demo"]))
    assert response["Location"] == reverse("residents:identity")


def test_a_failed_verification_keeps_the_way_back(client, takahashi):
    client.force_login(takahashi)
    back = "/mypage/applications/00000000-0000-0000-0000-000000000001/review/"
    client.post(reverse("residents:identity_begin", args=["demo"]), {"next": back})
    session = client.session
    del session["identity_demo"]  # the demo flow's marker lost: completion fails
    session.save()
    response = client.post(reverse("residents:identity_complete", args=["demo"]))
    assert verified_identity_for(takahashi) is None
    assert response["Location"] == reverse("residents:identity") + "?next=" + quote(back, safe="")


def test_completing_without_beginning_is_refused(client, takahashi):
    client.force_login(takahashi)
    client.post(reverse("residents:identity_complete", args=["demo"]))
    assert verified_identity_for(takahashi) is None


def test_a_provider_that_is_not_enabled_cannot_be_used(client, takahashi):
    client.force_login(takahashi)
    assert client.post(reverse("residents:identity_begin", args=["oidc"])).status_code == 404


def test_saito_does_not_see_takahashis_identity(client, takahashi, saito):
    VerifiedIdentity.objects.create(
        user=takahashi,
        provider="demo",
        subject_hash="x",
        name="高橋 健太",
        address="東京都",
        birth_date=date(1992, 6, 15),
    )
    assert verified_identity_for(saito) is None
    client.force_login(saito)
    assert "高橋" not in client.get(reverse("residents:identity")).content.decode()


CLAIMS = {
    "sub": "abc",
    "name": "高橋 健太",
    "family_name#ja-Kana-JP": "タカハシ",
    "given_name#ja-Kana-JP": "ケンタ",
    "address": {"formatted": "東京都千代田区千代田1-1"},
    "birthdate": "1992-06-15",
    "gender": "male",
}


@pytest.mark.parametrize(
    "my_number",
    [
        {"my_number": "123456789018"},
        {"individual_number": "1234 5678 9018"},
        {"https://example.jp/claims/kojin_bango": "x"},
        {"x_any": "123456789018"},
        {"address": {"formatted": "東京都千代田区千代田1-1", "mynumber": "123456789018"}},
    ],
)
def test_the_my_number_is_dropped_whatever_it_is_called(my_number):
    claims = {**CLAIMS, **my_number}
    if "address" in my_number:
        claims["address"] = dict(my_number["address"])
    facts = facts_from_claims(claims)
    assert "123456789018" not in repr(facts) and "kojin" not in repr(facts)
    assert facts.name_kana == "たかはし\u3000けんた" and facts.sex == "male"


def test_missing_facts_are_named_in_japanese():
    with pytest.raises(IdentityError, match="生年月日"):
        facts_from_claims({k: v for k, v in CLAIMS.items() if k != "birthdate"})


def test_the_demo_gives_made_up_facts_without_a_profile(client, takahashi):
    from madoguchi.residents.models import Profile

    Profile.objects.filter(user=takahashi).delete()
    client.force_login(takahashi)
    client.post(reverse("residents:identity_begin", args=["demo"]))
    assert "窓口 花子" in client.get(reverse("residents:identity_demo")).content.decode()
    client.post(reverse("residents:identity_complete", args=["demo"]))
    assert verified_identity_for(takahashi).birth_date == date(1980, 4, 1)
