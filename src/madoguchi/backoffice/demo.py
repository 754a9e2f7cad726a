"""The demo's staff (``./dev manage demo``): a 子育て支援課 clerk, a 保険年金課
clerk and the 子育て支援課 supervisor (課長), and an administrator (superuser, in
no department), with the residents' password.

Staff pages need MFA. Each demo staff member and the administrator gets a TOTP authenticator with a
fresh random secret on first run; its key is printed so it can be added to an
authenticator app (or ``MADOGUCHI_REQUIRE_STAFF_MFA=false ./dev run`` to look
around locally without one). The applications in several states are the
applications app's demo; this step moves none (the residents' demo stays as sent).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings

from madoguchi.backoffice.cast import ADMIN, HOKEN, KACHO, KOSODATE, ensure_admin, ensure_staff
from madoguchi.common import demo


def _totp_key(user) -> str:
    found = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(found.data["secret"])


@demo.register("backoffice", order=30)
def staff(shared: dict, password: str) -> list[str]:
    lines = ["職員(バックヤード /office/、パスワードは住民と同じ):"]
    people = {}
    for email, family, given, department, role in (KOSODATE, KACHO, HOKEN):
        user = ensure_staff(
            email, password, family, given, department, role, totp_secret=generate_totp_secret()
        )
        people[email] = user
        lines.append(
            f"  {email} ({family} {given}、{department}・{role}) 2段階認証キー: {_totp_key(user)}"
        )
    shared["staff"] = people
    lines.append(
        "  ↑ このキーを認証アプリ(Google Authenticator など)に手入力して、ログイン時の"
        "6けたのコードを得ます。"
    )
    if settings.MADOGUCHI_REQUIRE_STAFF_MFA:
        lines.append(
            "  手元で試すだけなら MADOGUCHI_REQUIRE_STAFF_MFA=false ./dev run で"
            "2段階認証なしでも入れます。"
        )
    return lines


@demo.register("backoffice-admin", order=35)
def administrator(shared: dict, password: str) -> list[str]:
    """A superuser for the admin (/admin/: who works in which department) and the
    audit log (/office/audit/), with a TOTP key like the staff."""
    email, family, given = ADMIN
    user = ensure_admin(email, password, family, given, totp_secret=generate_totp_secret())
    return [
        "管理者(管理画面 /admin/ と操作記録 /office/audit/、パスワードは住民と同じ):",
        f"  {email} ({family} {given}) 2段階認証キー: {_totp_key(user)}",
    ]


@demo.register("backoffice-work", order=40)
def work_in_several_states(shared: dict, password: str) -> list[str]:
    """Some of the residents' applications already worked on, so the queue, the
    resident's MyPage and the thread show each state: 齊藤さん's 子ども医療費助成 is
    sent and finished (完了); 高橋さん's is waiting for his 補正 (補正依頼中)."""
    from madoguchi.applications import correspondence, workflow
    from madoguchi.applications.demo import _send
    from madoguchi.applications.models import Application, Status
    from madoguchi.catalog.registry import current_catalog

    clerk = shared["staff"][KOSODATE[0]]
    proc = current_catalog().procedures["child-medical-subsidy"]
    lines = []
    for key, goal in (("saito", Status.COMPLETED), ("takahashi", Status.CORRECTION)):
        resident = shared["people"][key]
        app = _send(resident, proc, shared["situations"][key])
        if app.status == Status.SUBMITTED:
            workflow.move(app, Status.IN_REVIEW, actor=clerk, by="staff",
                          expected_revision=app.revision)  # fmt: skip
            app = Application.objects.get(pk=app.pk)
            if goal == Status.COMPLETED:
                workflow.move(app, Status.COMPLETED, actor=clerk, by="staff",
                              expected_revision=app.revision)  # fmt: skip
            else:
                correspondence.request_correction(
                    app, actor=clerk, field_ids=[_a_field(app)],
                    note="口座の番号をもう一度お確かめのうえ、直してください。",
                    expected_revision=app.revision,
                )  # fmt: skip
            app = Application.objects.get(pk=app.pk)
        lines.append(f"  {app.procedure_name}({app.receipt_number}): {app.get_status_display()}")
    return lines


def _a_field(app) -> str:
    """The field a clerk asks to correct in the demo: an account number if the form
    has one, else its last plain text field."""
    ids = [f.id for f in app.spec.fields if f.kind in ("text", "phone")]
    return next((i for i in ids if "account" in i), ids[-1])
