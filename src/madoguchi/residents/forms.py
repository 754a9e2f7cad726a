"""The household profile form: the resident, then the people who live with them.

Input is taken the way residents type it (全角 digits, カタカナ or 半角 kana, 和暦
dates) and kept tidy (ふりがなはひらがな、郵便番号と電話番号は数字だけ)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.common.forms import BirthDateField
from madoguchi.common.text_input import (
    tidy_free_text,
    tidy_kana,
    tidy_name,
    tidy_phone,
    tidy_postal_code,
)
from madoguchi.residents.models import SEX_CHOICES, Profile

MEMBER_ROLES = [
    ("spouse", _("配偶者")),
    ("child", _("子")),
    ("parent", _("父母")),
    ("other", _("その他の世帯員")),
]
MAX_MEMBERS = 10
DATE_HINT = _("元号を選び、年・月・日を数字で入れてください(例: 昭和 17年 3月 5日)")


class ProfileForm(forms.ModelForm):
    birth_date = BirthDateField(label=_("生年月日"), required=False, help_text=DATE_HINT)
    sex = forms.ChoiceField(
        label=_("性別"),
        required=False,
        choices=[("", _("答えない"))] + SEX_CHOICES,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Profile
        fields = [
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "birth_date",
            "sex",
            "postal_code",
            "address",
            "phone",
        ]
        help_texts = {
            "family_name_kana": _("ひらがなかカタカナで"),
            "given_name_kana": _("ひらがなかカタカナで"),
            "postal_code": _("7けたの数字(例: 100-0001)。「住所を入れる」で住所が入ります"),
            "address": _("番地や部屋番号まで入れてください"),
            "phone": _("日中につながる番号(例: 090-1234-5678)"),
        }
        error_messages = {
            "family_name": {"required": _("姓を入れてください")},
            "given_name": {"required": _("名を入れてください")},
            "family_name_kana": {"required": _("せいのふりがなを入れてください")},
            "given_name_kana": {"required": _("めいのふりがなを入れてください")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "family_name": "family-name",
            "given_name": "given-name",
            "postal_code": "postal-code",
            "address": "street-address",
            "phone": "tel",
        }
        for name, field in self.fields.items():
            if name in autocomplete:
                field.widget.attrs["autocomplete"] = autocomplete[name]
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def _tidy(self, name: str, tidy) -> str:
        value = self.cleaned_data.get(name) or ""
        if not value:
            return ""
        try:
            return tidy(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def clean_family_name(self):
        return self._tidy("family_name", tidy_name)

    def clean_given_name(self):
        return self._tidy("given_name", tidy_name)

    def clean_address(self):
        return self._tidy("address", tidy_free_text)

    def clean_family_name_kana(self):
        return self._tidy("family_name_kana", tidy_kana)

    def clean_given_name_kana(self):
        return self._tidy("given_name_kana", tidy_kana)

    def clean_postal_code(self):
        return self._tidy("postal_code", tidy_postal_code)

    def clean_phone(self):
        return self._tidy("phone", tidy_phone)


class MemberForm(forms.Form):
    role = forms.ChoiceField(
        label=_("続柄"),
        choices=[("", _("(選んでください)"))] + MEMBER_ROLES,
        error_messages={"required": _("続柄を選んでください")},
    )
    # Names let the forms fill in the spouse's and the children's names.
    name = forms.CharField(
        label=_("氏名"),
        required=False,
        max_length=100,
        help_text=_("例: 高橋 陽翔(申請書に最初から入ります)"),
    )
    name_kana = forms.CharField(
        label=_("ふりがな"), required=False, max_length=200, help_text=_("ひらがなかカタカナで")
    )
    birth_date = BirthDateField(label=_("生年月日"), required=False)
    sex = forms.ChoiceField(
        label=_("性別"), required=False, choices=[("", _("答えない"))] + SEX_CHOICES
    )

    def clean_name(self):
        return tidy_name(self.cleaned_data.get("name") or "")

    def clean_name_kana(self):
        value = self.cleaned_data.get("name_kana") or ""
        try:
            return tidy_kana(value) if value else ""
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def as_member(self) -> dict:
        data = self.cleaned_data
        birth = data.get("birth_date")
        member = {
            "role": data["role"],
            "birth_date": birth.isoformat() if birth else None,
            "sex": data.get("sex") or None,
        }
        if data.get("name"):
            member["name"] = data["name"]
        if data.get("name_kana"):
            member["name_kana"] = data["name_kana"]
        return member


class BaseMemberFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _(
            "入力内容を読み取れませんでした。お手数ですが、もう一度入れてください。"
        ),
        "too_many_forms": _("一度に入れられるのは%(num)d人までです"),
    }

    def members(self) -> list[dict]:
        # A row added but left empty is skipped (it has no cleaned data).
        return [f.as_member() for f in self.forms if f.cleaned_data]


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    max_num=MAX_MEMBERS,
    validate_max=True,
    absolute_max=MAX_MEMBERS,
)


def member_initial(members: list[dict]) -> list[dict]:
    """The stored JSON as the formset's initial rows."""
    rows = []
    for m in members:
        birth = m.get("birth_date")
        rows.append(
            {
                "role": m.get("role") or "",
                "birth_date": date.fromisoformat(birth) if birth else None,
                "sex": m.get("sex") or "",
                "name": m.get("name") or "",
                "name_kana": m.get("name_kana") or "",
            }
        )
    return rows
