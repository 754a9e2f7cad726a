"""The answers a resident gave, as the checklist lists them (「入力した内容」), and one
of them asked again so it can be changed without touching the rest.

Each answer is shown with the words the resident saw: the first page's labels for
the date and the household, the catalogue question's text and choice labels for
the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.catalog.guide import (
    ROLE_LABELS,
    ChoiceOut,
    QuestionOut,
    member_labels,
    question_text,
)
from madoguchi.catalog.loader import Catalog
from madoguchi.catalog.schema import LifeEvent
from madoguchi.catalog.situation import Member, Situation
from madoguchi.common.japanese import format_date, wareki

# Facts the first page asks (the rest come from the catalogue's questions).
START_FACTS = ("event_date", "role", "birth_date")
HOUSEHOLD_FACTS = [f for f in Situation.model_fields if f not in ("event", "event_date", "members")]
MEMBER_FACTS = [f for f in Member.model_fields if f not in ("role", "birth_date")]


@dataclass
class Item:
    label: str
    value: str
    change_url: str | None = None


@dataclass
class Group:
    title: str
    items: list[Item] = field(default_factory=list)


def _lang(language: str) -> str:
    return "en" if language.startswith("en") else "ja"


def show_date(day: date | None, language: str) -> str:
    if day is None:
        return _("入れていません")
    if _lang(language) == "en":
        return format_date(day, "en")
    return f"{day.year}年{day.month}月{day.day}日({wareki(day)})"


def person_title(index: int, label: str) -> str:
    return _("%(n)s人目(%(who)s)") % {"n": index + 1, "who": label}


def change_url(event: str, fact: str, member: int | None = None) -> str:
    if member is None:
        return reverse("catalog:change", args=[event, fact])
    return reverse("catalog:change_member", args=[event, fact, member])


def summarize(
    catalog: Catalog, situation: Situation, life_event: LifeEvent, language: str
) -> list[Group]:
    """The date, each listed person, then the household's answers."""
    lang = _lang(language)
    event = situation.event
    groups = [
        Group(
            _("できごと"),
            [
                Item(
                    life_event.date_label.get(lang),
                    show_date(situation.event_date, lang),
                    change_url(event, "event_date"),
                )
            ],
        )
    ]
    household = situation.household()  # the newborn's birth date is the event date
    labels = member_labels(household, lang)
    for i, member in enumerate(situation.members or []):
        role = ROLE_LABELS[lang].get(member.role or "", _("わかりません"))
        group = Group(person_title(i, labels[i]))
        group.items.append(Item(_("続柄"), role, change_url(event, "role", i)))
        group.items.append(
            Item(
                _("生年月日"),
                show_date(household[i].birth_date, lang),
                change_url(event, "birth_date", i),
            )
        )
        for fact in MEMBER_FACTS:
            value = getattr(member, fact)
            if value is not None:
                group.items.append(
                    _answered(catalog, event, "member", fact, i, value, household, lang)
                )
        groups.append(group)
    answered = [f for f in HOUSEHOLD_FACTS if getattr(situation, f) is not None]
    if answered:
        group = Group(_("世帯のこと"))
        for fact in answered:
            value = getattr(situation, fact)
            group.items.append(
                _answered(catalog, event, "household", fact, None, value, household, lang)
            )
        groups.append(group)
    return groups


def _answered(catalog, event, scope, fact, member, value, household, lang) -> Item:
    question = ask_again(catalog, scope, fact, member, household, lang)
    if question is None:  # not asked on the web: show it, but it cannot be changed here
        return Item(fact, str(value))
    return Item(question.text, show_value(question, value, lang), change_url(event, fact, member))


def show_value(question: QuestionOut, value: object, language: str) -> str:
    if value is None:
        return _("わからない")
    if question.kind == "yes_no":
        return _("はい") if value else _("いいえ")
    if question.kind == "choice":
        for choice in question.choices:
            if choice.value == value:
                return choice.label
    if question.kind == "date" and isinstance(value, date):
        return show_date(value, language)
    if question.kind == "number" and isinstance(value, int):
        return f"{value:,}{question.unit or ''}"
    return str(value)


def ask_again(
    catalog: Catalog,
    scope: str,
    fact: str,
    member: int | None,
    household: list[Member],
    language: str,
) -> QuestionOut | None:
    """The catalogue's question for ``fact`` (about ``member`` of ``household``), worded
    as the guide words it (past tense about the deceased); None if there is none."""
    lang = _lang(language)
    question = catalog.question_for(scope, fact)
    if question is None:
        return None
    labels = member_labels(household, lang)
    label = labels[member] if member is not None and member < len(labels) else ""
    return QuestionOut(
        id=question.id,
        fact=fact,
        member=member,
        member_label=label or None,
        text=question_text(question, household, member, lang).replace("{member}", label),
        help=question.help.get(lang) if question.help else None,
        kind=question.kind,
        unit=question.unit,
        choices=[ChoiceOut(value=c.value, label=c.label.get(lang)) for c in question.choices],
    )


def date_question(life_event: LifeEvent, language: str) -> QuestionOut:
    """The event's date, asked with the first page's label (「生まれた日」)."""
    return QuestionOut(
        id="event-date",
        fact="event_date",
        text=life_event.date_label.get(_lang(language)),
        kind="date",
    )


def current_value(situation: Situation, fact: str, member: int | None) -> object:
    if member is None:
        return getattr(situation, fact)
    household = situation.household()
    return getattr(household[member], fact) if member < len(household) else None
