"""The audit log's 詳細 as a sentence a clerk reads: 「担当者: 小林 さくら」,
「項目: 電話番号、金融機関名」, 「状態: 審査中 → 補正依頼中」 (in the page's
language). The one place that knows what each key of ``AuditEvent.detail`` means;
a key it does not know is shown as it is, so nothing is hidden.

``Describer(events)`` looks up, in a few queries for a whole page, the people,
applications and procedures the entries name; ``describe(event)`` is the text.
"""

from __future__ import annotations

import re
from datetime import date

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from madoguchi.applications.models import Application, Status
from madoguchi.backoffice.people import name_of
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.japanese import format_date, join_list

SEPARATOR = " / "
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PAGES = {
    "admin": gettext_lazy("管理画面"),
    "mypage": gettext_lazy("マイページ"),
    "profile_edit": gettext_lazy("登録情報の編集"),
    "identity": gettext_lazy("本人確認の情報"),
    "correct": gettext_lazy("補正の画面"),
    "sjis_check": gettext_lazy("Shift_JIS で書けない文字の一覧"),
}
REFUSALS = {
    "stale": gettext_lazy("ほかの人が先に更新していたため"),
    "not_allowed": gettext_lazy("この状態ではできない操作のため"),
}
DOCUMENTS = {"receipt": gettext_lazy("申請書控え")}
# Keys shown as 「label: value」 as they are (numbers, codes).
PLAIN = {
    "receipt": gettext_lazy("受付番号"),
    "message": gettext_lazy("メッセージ番号"),
    "correction_request": gettext_lazy("補正依頼番号"),
    "version": gettext_lazy("版"),
    "provider": gettext_lazy("確認の方法"),
    "purpose": gettext_lazy("目的"),
    "event": gettext_lazy("できごと"),
    "file": gettext_lazy("ファイル"),
    "application": gettext_lazy("申請"),
    "with": gettext_lazy("一緒に削除されたもの"),
}
SKIPPED = {"by"}  # the 操作した人 column says it


class Describer:
    def __init__(self, events):
        events = list(events)
        user_ids = {
            int(v)
            for e in events
            for k in ("assigned_to", "assigned_from")
            if str(v := e.detail.get(k, "")).isdigit()
        }
        self.users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
        app_ids = [e.target_id for e in events if e.target_type == "application"]
        self.applications = {
            str(a.public_id): a
            for a in Application.objects.filter(public_id__in=app_ids).only(
                "public_id", "procedure_id", "form_version", "form_spec"
            )
        }

    def describe(self, event) -> str:
        detail = dict(event.detail or {})
        parts = []
        if "status_from" in detail or "status_to" in detail:
            before, after = detail.pop("status_from", None), detail.pop("status_to", None)
            parts.append(_("状態: %(from)s → %(to)s") % {
                "from": _status(before), "to": _status(after)})  # fmt: skip
        if "tried" in detail or "refused" in detail:
            tried, why = detail.pop("tried", ""), detail.pop("refused", "")
            parts.append(_("「%(move)s」にしようとして、%(why)s断られました(画面を表示)") % {
                "move": _status(tried), "why": REFUSALS.get(why, why)})  # fmt: skip
        for key, value in detail.items():
            if key not in SKIPPED:
                parts.append(self._part(event, key, value))
        return SEPARATOR.join(p for p in parts if p)

    def _part(self, event, key, value) -> str:
        if key in ("assigned_to", "assigned_from"):
            label = _("担当者") if key == "assigned_to" else _("前の担当者")
            user = self.users.get(int(value)) if str(value).isdigit() else None
            return f"{label}: {name_of(user) if user else _('なし')}"
        if key == "fields":
            return f"{_('項目')}: {join_list(self._field_labels(event, value), get_language() or 'ja') or _('なし')}"
        if key == "unknown_fields":
            return _("フォームにない項目: %(n)s件(記録していません)") % {"n": value}
        if key == "page":
            return f"{_('画面')}: {PAGES.get(value, value)}"
        if key == "procedure":
            return f"{_('手続き')}: {_procedure_name(value)}"
        if key == "document":
            return f"{_('書類')}: {DOCUMENTS.get(value, value)}"
        if key == "rows":
            return _("件数: %(n)s件") % {"n": value}
        if key == "characters":
            return _("書けない文字: %(n)s字") % {"n": value}
        if key == "files":
            return _("添付ファイル: %(n)s件") % {"n": value}
        if key == "encoding":
            return f"{_('文字コード')}: {'Shift_JIS' if value == 'cp932' else 'UTF-8'}"
        if key == "status":
            return f"{_('絞り込み')}: {_('すべて') if value == 'all' else _status(value)}"
        if key == "substitute":
            return f"{_('書けない文字の置き換え')}: {_yes_no(value)}"
        if key == "from_staff":
            return f"{_('差出人')}: {_('職員') if value else _('申請者')}"
        return f"{PLAIN.get(key, key)}: {_value(value)}"

    def _field_labels(self, event, ids) -> list[str]:
        ids = [str(i) for i in ids or []]
        app = self.applications.get(event.target_id) if event.target_type == "application" else None
        if app is not None:
            lang = get_language() or "ja"
            wanted = set(ids)  # in the form's order, as the clerk sees the form
            known = [f for f in app.spec.fields if f.id in wanted]
            return [str(f.label.get(lang)) for f in known] + sorted(wanted - {f.id for f in known})
        try:
            model = django_apps.get_model(event.target_type)
        except (LookupError, ValueError):
            return ids
        return [_verbose_name(model, i) for i in ids]


def _verbose_name(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _status(value) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return _("不明な操作")


def _procedure_name(procedure_id: str) -> str:
    found = current_catalog().procedures.get(procedure_id)
    return found.name.get(get_language() or "ja") if found else procedure_id


def _yes_no(value) -> str:
    return _("あり") if value else _("なし")


def _value(value) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return join_list([_value(v) for v in value], get_language() or "ja")
    if isinstance(value, str) and _DAY.match(value):
        return format_date(date.fromisoformat(value), get_language() or "ja")
    return "" if value is None else str(value)
