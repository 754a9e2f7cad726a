"""Form fields that read Japanese input the way residents type it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.common.japanese import normalize, parse_date


class JapaneseDateField(forms.CharField):
    """A date typed as 2026-11-20, 2026/11/20, 令和8年11月20日 or R8.11.20, in 全角 or 半角."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"type": "date", "autocomplete": "off", "inputmode": "numeric"}),
        )
        kwargs.setdefault(
            "help_text",
            _("カレンダーから選ぶか、2026-11-20 や 令和8年11月20日 のように入力してください"),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class JapaneseIntegerField(forms.IntegerField):
    """An integer that may be typed in 全角 digits or with a thousands comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value).replace(",", "")
        return super().to_python(value)
