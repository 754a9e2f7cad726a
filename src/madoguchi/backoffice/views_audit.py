"""The audit log for administrators: who viewed or changed which application,
and when. Read-only; filtered by application (受付番号 or id), person, action and
day; 50 a page. Anyone without ``backoffice.view_auditlog`` gets 404."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from madoguchi.applications.models import Application
from madoguchi.backoffice.access import auditor_required
from madoguchi.backoffice.audit_text import Describer
from madoguchi.common.audit import ACTIONS
from madoguchi.common.forms import FilterDateField
from madoguchi.common.models import AuditEvent

PAGE_SIZE = 50
ACTION_LABELS = {
    "view": _("閲覧"),
    "change": _("変更"),
    "create": _("作成"),
    "delete": _("削除"),
    "submit": _("申請"),
    "download": _("ダウンロード"),
    "verify": _("本人確認"),
}


class AuditFilter(forms.Form):
    application = forms.CharField(label=_("申請(受付番号またはID)"), required=False, max_length=64)
    user = forms.CharField(label=_("操作した人(メールアドレス)"), required=False, max_length=254)
    action = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=[("", _("すべて"))] + [(a, ACTION_LABELS.get(a, a)) for a in ACTIONS],
    )
    # Days from 1900 to 2199 only: the day after 9999-12-31 cannot be counted.
    day_from = FilterDateField(label=_("日付(から)"), required=False)
    day_to = FilterDateField(label=_("日付(まで)"), required=False)


def _application_ids(text: str) -> list[str]:
    """The public ids an entry names: a UUID as is, else the 受付番号."""
    text = text.strip()
    try:
        return [str(uuid.UUID(text))]
    except ValueError:
        pass
    return [
        str(pid)
        for pid in Application.objects.filter(receipt_number=text).values_list(
            "public_id", flat=True
        )
    ]


def _start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@never_cache
@require_safe
@auditor_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["application"]:
            ids = _application_ids(data["application"])
            events = events.filter(
                Q(target_type="application", target_id__in=ids)
                | Q(target_type="attachment", detail__application__in=ids)
            )
        if data["user"]:
            User = get_user_model()
            events = events.filter(
                actor_id__in=User.objects.filter(email__iexact=data["user"].strip()).values("pk")
            )
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["day_from"]:
            events = events.filter(at__gte=_start(data["day_from"]))
        if data["day_to"]:
            events = events.filter(at__lt=_start(data["day_to"] + timedelta(days=1)))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    apps = {
        str(a["public_id"]): a
        for a in Application.objects.filter(
            public_id__in=[e.target_id for e in page if e.target_type == "application"]
        ).values("public_id", "receipt_number", "procedure_id", "procedure_name")
    }
    describer = Describer(page)
    rows = [
        {
            "event": e,
            "action": ACTION_LABELS.get(e.action, e.action),
            "application": apps.get(e.target_id) if e.target_type == "application" else None,
            "detail": describer.describe(e),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
