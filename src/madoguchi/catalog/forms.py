"""The guide's web forms: the first page (date and household), then the questions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.catalog.guide import ROLE_LABELS, QuestionOut
from madoguchi.catalog.situation import MAX_MEMBERS
from madoguchi.common.forms import JapaneseDateField, JapaneseIntegerField

UNKNOWN = ""


def role_choices(language: str) -> list[tuple[str, str]]:
    names = ROLE_LABELS["en" if language.startswith("en") else "ja"]
    return [("", _("(選ばない)"))] + [(k, v) for k, v in names.items()]


class StartForm(forms.Form):
    event_date = JapaneseDateField(label=_("日付"))


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("続柄"), required=False)
    birth_date = JapaneseDateField(label=_("生年月日"), required=False)

    def __init__(self, *args, language: str = "ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(language)

    def clean(self):
        data = super().clean()
        if data.get("birth_date") and not data.get("role"):
            self.add_error("role", _("生年月日を入れた方の続柄を選んでください"))
        return data


MemberFormSet = forms.formset_factory(
    MemberForm, extra=0, max_num=MAX_MEMBERS, validate_max=True, absolute_max=MAX_MEMBERS
)


def answer_field_name(question: QuestionOut) -> str:
    who = "h" if question.member is None else str(question.member)
    return f"q-{question.id}-{who}"


class AnswersForm(forms.Form):
    """One field per open question; every answer may be left as 「わからない」."""

    def __init__(self, *args, questions: list[QuestionOut], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[answer_field_name(q)] = self._field(q)

    @staticmethod
    def _field(q: QuestionOut) -> forms.Field:
        common = {"label": q.text, "required": False, "help_text": q.help or ""}
        if q.kind == "yes_no":
            return forms.ChoiceField(
                choices=[("true", _("はい")), ("false", _("いいえ")), (UNKNOWN, _("わからない"))],
                widget=forms.RadioSelect,
                **common,
            )
        if q.kind == "choice":
            return forms.ChoiceField(
                choices=[(str(c.value), c.label) for c in q.choices] + [(UNKNOWN, _("わからない"))],
                widget=forms.RadioSelect,
                **common,
            )
        if q.kind == "number":
            return JapaneseIntegerField(
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **common,
            )
        return JapaneseDateField(**common)

    def answers(self) -> list[tuple[QuestionOut, object]]:
        """(question, value) for the questions that were answered."""
        given = []
        for q in self.questions:
            value = self.cleaned_data.get(answer_field_name(q))
            if value in (None, UNKNOWN):
                continue
            if q.kind == "yes_no":
                value = value == "true"
            given.append((q, value))
        return given
