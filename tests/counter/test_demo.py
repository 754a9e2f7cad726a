"""The demo's 総合窓口 clerk: 森さん signs in with the residents' password and a
TOTP key, serves the counter, and is in no department."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from madoguchi.backoffice.access import departments_of
from madoguchi.counter.access import can_serve_counter

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_counter_clerk(django_user_model):
    out = StringIO()
    call_command("demo", "--password", "demo-pass-2026", stdout=out)
    call_command("demo", "--password", "demo-pass-2026", stdout=StringIO())  # again: no change
    clerk = django_user_model.objects.get(email="madoguchi@example.jp")
    assert clerk.check_password("demo-pass-2026")
    assert can_serve_counter(clerk) and departments_of(clerk) == set()
    assert [g.name for g in clerk.groups.all()] == ["総合窓口"]
    assert Authenticator.objects.filter(user=clerk, type="totp").count() == 1
    line = next(line for line in out.getvalue().splitlines() if "madoguchi@example.jp" in line)
    assert "2段階認証キー: " in line and "/counter/" in out.getvalue()
