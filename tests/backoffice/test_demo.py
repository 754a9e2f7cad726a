"""The demo's staff: three clerks with the residents' password and a TOTP key
printed for an authenticator app; running the demo again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from madoguchi.backoffice.access import departments_of, supervises
from madoguchi.backoffice.models import Membership

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--password", "demo-pass-2026", stdout=out)
    return out.getvalue()


def test_the_demo_staff_can_sign_in_with_mfa(settings, tmp_path, django_user_model):
    settings.MADOGUCHI_FILES_DIR = tmp_path
    printed = run_demo()
    for email in ("kosodate@example.jp", "hoken@example.jp", "kacho@example.jp"):
        assert email in printed
        user = django_user_model.objects.get(email=email)
        assert user.check_password("demo-pass-2026")
        assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    kacho = django_user_model.objects.get(email="kacho@example.jp")
    assert supervises(kacho, "kosodate")
    hoken = django_user_model.objects.get(email="hoken@example.jp")
    assert departments_of(hoken) == {"hoken-nenkin"}
    assert "2段階認証キー" in printed
    keys = [line.split("2段階認証キー: ")[1] for line in printed.splitlines() if "キー: " in line]
    # The three staff, the administrator, the 総合窓口 clerk and さくら町's clerk.
    assert len(keys) == 6
    again = run_demo()
    assert [
        line.split("2段階認証キー: ")[1] for line in again.splitlines() if "キー: " in line
    ] == keys
    assert Membership.objects.count() == 3
    assert Authenticator.objects.filter(type="totp").count() == 6  # さくら町's clerk too


def test_the_demo_has_an_administrator_with_mfa(settings, tmp_path, django_user_model):
    """admin@example.jp: a superuser with the given password and a TOTP key printed
    like the staff's, in no department (nobody puts themselves in one)."""
    settings.MADOGUCHI_FILES_DIR = tmp_path
    printed = run_demo()
    admin = django_user_model.objects.get(email="admin@example.jp")
    assert admin.is_superuser and admin.is_staff and admin.check_password("demo-pass-2026")
    assert Authenticator.objects.filter(user=admin, type="totp").count() == 1
    assert not Membership.objects.filter(user=admin).exists()
    line = next(line for line in printed.splitlines() if "admin@example.jp" in line)
    assert "2段階認証キー: " in line and "/admin/" in printed
    run_demo()
    assert django_user_model.objects.filter(is_superuser=True).count() == 1
