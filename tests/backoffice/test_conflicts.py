"""Nobody decides their own application or their household's: 小林さん's own 児童手当,
and 高橋さん's where 子育て支援課's 高橋 花子さん is named as the spouse, are shown to
them read-only with the reason; every action is refused (403, audited), and 加藤課長
gives them to another clerk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications.models import Application, Status
from madoguchi.backoffice.cast import ensure_staff
from madoguchi.backoffice.models import Assignment, Role
from madoguchi.common.models import AuditEvent
from madoguchi.residents.models import Profile
from tests.conftest import CAST_PASSWORD

from .conftest import SECRET, client_for, sent

pytestmark = pytest.mark.django_db

NOTICE = "この申請の操作はできません"


@pytest.fixture
def hanako(db):
    """子育て支援課's clerk 高橋 花子さん: 高橋 太郎さん's wife (named in his claim)."""
    return ensure_staff(
        "hanako@example.jp", CAST_PASSWORD, "高橋", "花子", "kosodate", Role.CLERK,
        totp_secret=SECRET,
    )  # fmt: skip


@pytest.fixture
def yamada(db):
    """Another 子育て支援課 clerk, with nothing to do with these applications."""
    return ensure_staff(
        "yamada@example.jp", CAST_PASSWORD, "山田", "一郎", "kosodate", Role.CLERK,
        totp_secret=SECRET,
    )  # fmt: skip


def actions(app) -> dict[str, tuple[str, dict]]:
    return {
        "assign": (reverse("backoffice:assign", args=[app.public_id]), {"clerk": "me"}),
        "move": (
            reverse("backoffice:move", args=[app.public_id]),
            {"to": Status.IN_REVIEW, "revision": app.revision},
        ),
        "request_correction": (
            reverse("backoffice:request_correction", args=[app.public_id]),
            {"fields": ["phone"], "note": "電話番号を確認してください", "revision": app.revision},
        ),
        "send_message": (
            reverse("backoffice:send_message", args=[app.public_id]),
            {"body": "ご確認ください"},
        ),
    }


def assert_read_only_with_the_reason(client, app, reason: str):
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert NOTICE in page and reason in page
    for button in ("自分が担当する", "審査を始める", "補正を依頼する", "メッセージを送る"):
        assert button not in page, button


def assert_every_action_refused(client, app):
    for name, (url, data) in actions(app).items():
        response = client.post(url, data)
        assert response.status_code == 403, name
        assert NOTICE in response.content.decode()
        assert AuditEvent.objects.filter(
            target_id=str(app.public_id), detail__tried=name, detail__refused="conflict_of_interest"
        ).exists(), name
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.revision == 1
    assert not Assignment.objects.filter(application=app).exists()
    assert not app.messages.exists()


def test_a_clerk_cannot_act_on_her_own_application(kosodate):
    own = sent(kosodate)
    client = client_for(kosodate)
    assert_read_only_with_the_reason(client, own, "あなた自身が出したもの")
    assert_every_action_refused(client, own)


def test_a_clerk_cannot_act_on_her_husbands_application(hanako, takahashi):
    his = sent(takahashi)  # names 高橋 花子 as the spouse
    client = client_for(hanako)
    assert_read_only_with_the_reason(client, his, "同じ世帯の方の申請")
    assert_every_action_refused(client, his)


def test_the_same_address_is_the_same_household(kosodate, takahashi):
    # 小林さん's household profile: the address 高橋さん wrote, in full-width digits.
    Profile.objects.create(
        user=kosodate, family_name="小林", given_name="さくら", family_name_kana="こばやし",
        given_name_kana="さくら", address="東京都千代田区千代田１－１",
    )  # fmt: skip
    app = sent(takahashi)
    assert_every_action_refused(client_for(kosodate), app)


def test_an_unrelated_clerk_still_acts(kosodate, takahashi):
    app = sent(takahashi)
    page = client_for(kosodate).get(reverse("backoffice:detail", args=[app.public_id]))
    assert NOTICE not in page.content.decode()
    assert client_for(kosodate).post(*actions(app)["assign"]).status_code == 302


def test_the_supervisor_gives_it_to_another_clerk_not_to_her(kacho, hanako, yamada, takahashi):
    app = sent(takahashi)
    client = client_for(kacho)
    page = client.get(reverse("backoffice:detail", args=[app.public_id])).content.decode()
    assert f'value="{yamada.pk}"' in page and f'value="{hanako.pk}"' not in page
    url = reverse("backoffice:assign", args=[app.public_id])
    response = client.post(url, {"clerk": str(hanako.pk)}, follow=True)
    assert "割り振れません" in response.content.decode()
    assert not Assignment.objects.filter(application=app).exists()
    assert client.post(url, {"clerk": str(yamada.pk)}).status_code == 302
    assert Assignment.objects.get(application=app).clerk == yamada
    # …and 山田さん reviews it.
    moved = client_for(yamada).post(*actions(app)["move"])
    assert moved.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Status.IN_REVIEW
