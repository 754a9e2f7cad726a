"""allauth's code forms, taking the code as residents type it (全角 digits too)."""

from __future__ import annotations

from allauth.account.forms import ConfirmEmailVerificationCodeForm, ConfirmPasswordResetCodeForm
from django.utils.translation import gettext_lazy as _

from madoguchi.common.japanese import normalize


class _CodeInput:
    def _set_up_code(self) -> None:
        field = self.fields["code"]
        field.label = _("確認コード(6けたの数字)")
        field.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": ""}
        )

    def clean_code(self) -> str:
        self.cleaned_data["code"] = normalize(self.cleaned_data.get("code") or "")
        return super().clean_code()


class EmailCodeForm(_CodeInput, ConfirmEmailVerificationCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_code()


class PasswordResetCodeForm(_CodeInput, ConfirmPasswordResetCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_code()
