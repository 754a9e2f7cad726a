"""``email``: a mail address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.applications.kinds.base import ERRORS, Single
from madoguchi.applications.kinds.registry import register


@register("email")
class Email(Single):
    label = {"ja": "メールアドレス", "en": "mail address"}

    def form_fields(self, field, name, common):
        messages = ERRORS | {
            "invalid": _("メールアドレスの形が正しくありません(例: taro@example.jp)")
        }
        return {name: forms.EmailField(error_messages=messages, **common)}

    def display(self, field, value, attachments):
        return [value]

    def csv_cells(self, field, value, files):
        return {(): value}

    def sample(self, field, name):
        return {name: "demo@example.jp"}

    def check(self, field, group):
        return []
