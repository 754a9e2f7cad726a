"""The clerk's window (窓口) and the kind of visit to start, as the visits page posts
them. The window's label goes onto the public waiting display: short, and only
letters, digits and a few marks (「3」「3番」「A-2」「おくやみ1」)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.common.japanese import normalize
from madoguchi.counter.models import VisitKind

WINDOW_MAX = 10
# Letters (kanji and kana included) and digits, with ・ - and spaces between them.
_WINDOW = re.compile(r"[^\W_]+([ ・\-][^\W_]+)*")


class WindowForm(forms.Form):
    window = forms.CharField(
        label=_("あなたの窓口"),
        max_length=WINDOW_MAX * 4,  # a longer one gets the sentence below, not Django's
        help_text=_("待合の表示に出ます(例: 3)"),
        error_messages={"required": _("呼ぶ前に、あなたの窓口の番号を入れてください。")},
    )

    def clean_window(self) -> str:
        window = normalize(self.cleaned_data["window"])
        window = re.sub(r"\s+", " ", window)
        if len(window) > WINDOW_MAX or not _WINDOW.fullmatch(window):
            raise forms.ValidationError(
                _(
                    "窓口は %(max)d 文字までの数字や文字で入れてください"
                    "(記号や絵文字は使えません。例: 3、3番、A-2)。"
                ),
                params={"max": WINDOW_MAX},
            )
        return window


class StartForm(forms.Form):
    kind = forms.ChoiceField(choices=VisitKind.choices)
