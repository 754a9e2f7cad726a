"""The catalogue's file formats, as pydantic models.

A municipality edits YAML; these models say what is allowed in it. Anything not
declared here is an error (``extra="forbid"``), so a misspelt key is caught rather
than silently ignored.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.schema_base import Choice, Strict, Text, _text
from madoguchi.catalog.situation import Event

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# [0-9], not \d: \d also matches full-width digits (「１０２１２１」).
LOCAL_GOVERNMENT_CODE = r"^[0-9]{6}$"
POSTAL_CODE = r"^[0-9]{3}-?[0-9]{4}$"
AGE_FACT = r"^[a-z][a-z0-9_]*_age$"
MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


class Look(Strict):
    """The town's own look: its colour behind the header's white text (and links),
    a darker one for hover, and its logo (a file in the catalogue's folder)."""

    key_color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    key_dark_color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    logo: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]+\.(png|svg)$")

    @field_validator("key_color", "key_dark_color")
    @classmethod
    def _readable_on_white_text(cls, colour: str | None) -> str | None:
        # White text on it must stay readable (WCAG 2.1 AA: contrast 4.5:1).
        if colour is not None and 1.05 / (_luminance(colour) + 0.05) < 4.5:
            raise PydanticCustomError("low_contrast", "too light", {"value": colour})
        return colour


class Municipality(Strict):
    name: Text
    prefecture: Text
    # 全国地方公共団体コード (6 digits, with the check digit).
    code: str = Field(pattern=LOCAL_GOVERNMENT_CODE)
    # The town's address in a shared installation (/t/<slug>/); default: the folder's name.
    slug: str | None = Field(default=None, pattern=SLUG)
    postal_code: str = Field(pattern=POSTAL_CODE)
    address: Text
    phone: str | None = None
    website: str | None = None
    # Besides Saturdays, Sundays and national holidays: the new-year closure.
    closed_days: list[str] = Field(
        default_factory=lambda: ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"]
    )
    closed_on_weekends: bool = True
    # How this town does things where towns differ (e.g. whether a dog's change of
    # address goes to the national microchip database). Procedures say which option
    # they depend on (``only_if_option`` / ``unless_option``).
    options: dict[str, bool] = Field(default_factory=dict)
    # Colours and logo of the town's pages (optional: the default look otherwise).
    look: Look | None = None

    _texts = field_validator("name", "prefecture", "address", mode="before")(_text)

    @field_validator("closed_days")
    @classmethod
    def _month_days(cls, days: list[str]) -> list[str]:
        for i, day in enumerate(days):
            if not re.match(MONTH_DAY, day):
                raise PydanticCustomError(
                    "month_day", "expected MM-DD", {"value": day, "field": f"closed_days.{i}"}
                )
        return days


class Department(Strict):
    id: str = Field(pattern=SLUG)
    name: Text
    place: Text | None = None
    phone: str | None = None

    _texts = field_validator("name", "place", mode="before")(_text)


class LifeEvent(Strict):
    id: Event
    name: Text
    description: Text
    # What the event's date is called on the guide's first page (「生まれた日」).
    date_label: Text
    # Why a procedure it brings up applies (「子どもが生まれた」); the name if not given.
    reason: Text | None = None
    # Who the guide's first page lists by default for this event.
    default_members: list[str] = Field(default_factory=lambda: ["self"])

    _texts = field_validator("name", "description", "date_label", "reason", mode="before")(_text)


class AgeRule(Strict):
    """A programme's age, named for conditions (``ages.yaml``).

    Everyone grows a year older at the end of the day before the birthday (年齢計算ニ
    関スル法律), and most programmes follow that day (介護保険 第1号: 介護保険法第10条;
    国民年金: 国民年金法第8条・第9条). Some take effect on the birthday itself:
    後期高齢者医療 starts on the 75th birthday (高齢者の医療の確保に関する法律第52条), so on
    the day before it the person is still in 国保 or 社保.
    """

    fact: str = Field(pattern=AGE_FACT)
    name: Text
    takes_effect: Literal["day_before_birthday", "birthday"]
    legal_basis: str = Field(min_length=1)

    _texts = field_validator("name", mode="before")(_text)


class Question(Strict):
    id: str = Field(pattern=SLUG)
    scope: Literal["household", "member"]
    fact: str
    kind: Literal["yes_no", "choice", "number", "date"]
    text: Text
    # Asked about the deceased (おくやみ): the same question in the past tense.
    text_past: Text | None = None
    help: Text | None = None
    choices: list[Choice] = Field(default_factory=list)
    unit: str | None = None

    _texts = field_validator("text", "text_past", "help", mode="before")(_text)

    @model_validator(mode="after")
    def _choices_for_choice(self) -> Self:
        if self.kind == "choice" and not self.choices:
            raise PydanticCustomError("choices_missing", "choice needs choices", {})
        return self


class Condition(Strict):
    """One node of a procedure's condition.

    Exactly one of: ``all`` / ``any`` (lists), ``not``, ``household`` (a SQL
    expression over household facts), ``member`` (some member satisfies a SQL
    expression over member facts) or ``count`` + ``at_least`` (at least N members do).
    ``reason`` is the Japanese phrase shown when the node holds, and as the open
    condition ("…場合") while it is unknown.
    """

    all_: list[Condition] | None = Field(default=None, alias="all", min_length=1)
    any_: list[Condition] | None = Field(default=None, alias="any", min_length=1)
    not_: Condition | None = Field(default=None, alias="not")
    household: str | None = None
    member: str | None = None
    count: str | None = None
    at_least: int | None = Field(default=None, ge=1)
    reason: str | None = None
    reason_en: str | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Self:
        kinds = [
            k
            for k in ("all_", "any_", "not_", "household", "member", "count")
            if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise PydanticCustomError(
                "condition_kind",
                "a condition needs exactly one of all, any, not, household, member, count",
                {"found": ", ".join(k.rstrip("_") for k in kinds) or "なし"},
            )
        if (self.count is None) != (self.at_least is None):
            raise PydanticCustomError("count_at_least", "count and at_least go together", {})
        return self

    @property
    def kind(self) -> str:
        for k in ("all_", "any_", "not_", "household", "member", "count"):
            if getattr(self, k) is not None:
                return k.rstrip("_")
        raise AssertionError("validated above")

    @property
    def children(self) -> list[Condition]:
        if self.all_ is not None:
            return self.all_
        if self.any_ is not None:
            return self.any_
        if self.not_ is not None:
            return [self.not_]
        return []

    def reason_text(self, language: str = "ja") -> str | None:
        if language.startswith("en") and self.reason_en:
            return self.reason_en
        return self.reason


class Deadline(Strict):
    """When a procedure is due, counted from the event date.

    With ``days``/``months``/``years`` the date is computed (民法140条: the first day
    is not counted unless ``count_first_day``, as for 戸籍法 registrations). With
    ``same_as`` it is that procedure's date. With neither, there is no date and
    ``text`` says what applies ("速やかに", "期限なし", …).
    """

    days: int | None = Field(default=None, ge=1, le=3650)
    months: int | None = Field(default=None, ge=1, le=120)
    years: int | None = Field(default=None, ge=1, le=10)
    count_first_day: bool = False
    same_as: str | None = None
    # 「速やかに」: no date, but due now; the checklist lists it with the most urgent.
    promptly: bool = False
    # For some events the count starts from another date of the situation than the
    # event's: after a move-in, 児童手当 counts from the 転出予定日 (児童手当法8条3項).
    # Until that date is known, no date is given and the guide asks for it.
    counts_from: dict[Event, Literal["move_out_planned_date"]] = Field(default_factory=dict)
    text: Text

    _texts = field_validator("text", mode="before")(_text)

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        given = [k for k in ("days", "months", "years", "same_as", "promptly") if getattr(self, k)]
        if len(given) > 1:
            raise PydanticCustomError(
                "deadline_kind", "one of days, months, years, same_as", {"found": ", ".join(given)}
            )
        return self


class Page(Strict):
    """An official page a procedure was checked against."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://[^\s]+$")
    # The day someone compared the procedure with the page.
    checked: date | None = None


class Sources(Strict):
    """Where a procedure's content comes from, so that a town can keep it right:
    the articles of law and the official pages it was checked against. Shown to
    clerks and in the docs, not to residents."""

    law: list[str] = Field(min_length=1)
    pages: list[Page] = Field(min_length=1)
    # Where towns do it differently (who runs it, which counter, what they accept).
    differs: str | None = None


class OtherOffice(Strict):
    """Something a resident must do that is not the municipality's (運転免許, 電気・ガス,
    相続登記…): one line under 「ほかの窓口」, with where to go."""

    id: str = Field(pattern=SLUG)
    name: Text
    events: list[Event] = Field(min_length=1)
    where: Text
    note: Text | None = None

    _texts = field_validator("name", "where", "note", mode="before")(_text)


class Procedure(Strict):
    """One procedure. *When* it comes up and *who* it is for are kept apart:

    ``events`` are the life events that bring it up (the trigger): a list, or a
    mapping from an event to a condition that holds only for that event (e.g. on a
    death, "the deceased had 国保"; on a move-out, "someone moving has 国保").
    ``applies_when`` is who is eligible, whatever the event; it may not refer to the
    event, so the same rule also answers "who in the town is eligible now" for a
    population-wide run. The guide lists the procedure when one of its events
    happened (and that event's condition holds) and ``applies_when`` holds.

    A procedure with no ``events`` is never in a life event's checklist: it is found
    by name (the search page, ``/procedures/?q=``) and applied for with its form
    (e.g. 介護保険証の再交付). ``keywords`` are more words it is found by (「保険証」
    「なくした」), besides its name, plain name and their readings.
    """

    id: str = Field(pattern=SLUG)
    name: Text
    # The official name said plainly, once (受給事由消滅届 →「児童手当をやめる届」).
    plain_name: Text | None = None
    department: str
    legal_basis: Text | None = None
    sources: Sources | None = None
    # Only in towns where this option of municipality.yaml is on (or off).
    only_if_option: str | None = None
    unless_option: str | None = None
    events: dict[Event, Condition | None] = Field(default_factory=dict)
    applies_when: Condition | None = None
    status: Literal["required", "optional"] = "required"
    deadline: Deadline
    bring: list[Text] = Field(default_factory=list)
    online: bool = False
    online_note: Text | None = None
    explanation: Text
    # The form (``form_schema``): the counter prints it prefilled, and with
    # ``online: true`` it can also be applied for on MyPage (``applies_online``). With
    # ``requires_identity`` it cannot be submitted online until 氏名・住所・生年月日・
    # 性別 come from a verified identity provider.
    form: FormSpec | None = None
    requires_identity: bool = False
    # 標準処理期間 (行政手続法第6条): the days the department takes to decide, counted in
    # the town's open days after the day an application arrives. The back office marks
    # an application overdue past it.
    processing_days: int | None = Field(default=None, ge=1, le=365)
    # More words the search finds it by (synonyms, everyday words, readings).
    keywords: list[str] = Field(default_factory=list)

    _texts = field_validator(
        "name", "plain_name", "explanation", "online_note", "legal_basis", mode="before"
    )(_text)

    @property
    def applies_online(self) -> bool:
        """Whether a resident can apply on this site (「オンラインで申請」): a form, and
        the town takes the procedure online. A form of an ``online: false`` procedure
        is the counter's only."""
        return self.form is not None and self.online

    @field_validator("events", mode="before")
    @classmethod
    def _event_list(cls, value: object) -> object:
        # Written but empty is a slip: a procedure found by name only has no ``events:``.
        if isinstance(value, list | dict) and not value:
            raise PydanticCustomError("events_empty", "events is empty", {})
        # ``events: [birth, move_in]`` is short for a mapping without conditions.
        if isinstance(value, list):
            twice = [event for i, event in enumerate(value) if event in value[:i]]
            if twice:
                raise PydanticCustomError(
                    "events_twice", "an event is listed twice", {"event": str(twice[0])}
                )
            return {event: None for event in value}
        return value

    @field_validator("bring", mode="before")
    @classmethod
    def _bring_texts(cls, value: object) -> object:
        return [_text(v) for v in value] if isinstance(value, list) else value
