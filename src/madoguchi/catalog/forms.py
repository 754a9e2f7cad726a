"""The guide's web forms: the first page (date and household), then the questions.

Every message a resident can see is set here (no Django stock texts), and says what
to do in the page's language.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.catalog.guide import ROLE_LABELS, QuestionOut
from madoguchi.catalog.situation import EARLIEST_EVENT, LATEST_EVENT, MAX_MEMBERS
from madoguchi.common.forms import BirthDateField, EraDateField, JapaneseIntegerField

UNKNOWN = ""
CHOOSE_FROM_LIST = _("一覧から選んでください")
DATE_HINT = _("元号を選び、年・月・日を数字で入れてください(例: 昭和 17年 3月 5日)")


def role_choices(language: str) -> list[tuple[str, str]]:
    names = ROLE_LABELS["en" if language.startswith("en") else "ja"]
    return [("", _("(選ばない)"))] + [(k, v) for k, v in names.items()]


class StartForm(forms.Form):
    event_date = EraDateField(
        label=_("日付"), help_text=DATE_HINT, min_date=EARLIEST_EVENT, max_date=LATEST_EVENT
    )

    def __init__(self, *args, date_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if date_label:  # the life event's own words: 「生まれた日」「住み始めた日」
            field = self.fields["event_date"]
            field.label = date_label
            field.error_messages["required"] = _("%(label)sを入れてください") % {
                "label": date_label
            }


class MemberForm(forms.Form):
    role = forms.ChoiceField(
        label=_("続柄"), required=False, error_messages={"invalid_choice": CHOOSE_FROM_LIST}
    )
    # The hint is said once above the rows (start.html), not in every row.
    birth_date = BirthDateField(label=_("生年月日"), required=False)
    # Which stored person this row shows, so their other answers follow them when
    # rows are added or removed (see views.situation_from_start).
    was = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, language: str = "ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(language)

    def clean(self):
        data = super().clean()
        if data.get("birth_date") and not data.get("role"):
            self.add_error("role", _("生年月日を入れた方の続柄を選んでください"))
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _(
            "入力内容を読み取れませんでした。お手数ですが、もう一度入れてください。"
        ),
        "too_many_forms": _("一度に入れられるのは%(num)d人までです"),
        "too_few_forms": _("一人以上入れてください"),
    }


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    max_num=MAX_MEMBERS,
    validate_max=True,
    absolute_max=MAX_MEMBERS,
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
            self.fields[answer_field_name(q)] = answer_field(q)

    def field_for(self, fact: str, member: int | None) -> str | None:
        """The form field that asks ``fact`` (about ``member``), if this form asks it."""
        for q in self.questions:
            if q.fact == fact and q.member == member:
                return answer_field_name(q)
        return None

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

    def all_answers(self) -> list[tuple[QuestionOut, object]]:
        """(question, value) for every question, ``None`` for 「わからない」 (to forget one)."""
        given = dict((q.id, v) for q, v in self.answers())
        return [(q, given.get(q.id)) for q in self.questions]


def answer_field(q: QuestionOut) -> forms.Field:
    common = {
        "label": q.text,
        "required": False,
        "help_text": q.help or "",
        "error_messages": {"invalid_choice": CHOOSE_FROM_LIST},
    }
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
        common.pop("error_messages")
        return JapaneseIntegerField(
            min_value=0,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )
    common.pop("error_messages")
    common["help_text"] = " ".join(t for t in (q.help, str(DATE_HINT)) if t)
    if q.fact == "event_date":
        return EraDateField(min_date=EARLIEST_EVENT, max_date=LATEST_EVENT, **common)
    if q.fact == "birth_date":
        return BirthDateField(**common)
    return EraDateField(max_date=LATEST_EVENT, **common)
