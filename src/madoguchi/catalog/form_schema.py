"""A procedure's online form (``form:`` in its YAML), as pydantic models.

Staff describe the form as data: its fields, their kinds, whether they are required,
help text, and where a field's first value comes from (``prefill``), so that nothing
the city already knows is asked twice:

* ``situation.<fact>``: the guide's answers (a household fact, e.g. ``event_date``);
* ``member.<fact>``: inside a ``group`` filled from the guide's members (``each_member``);
* ``profile.<item>``: the resident's household profile on MyPage;
* ``identity.<item>``: facts from a verified identity provider (氏名・住所・生年月日・
  性別). Such a field cannot be changed by the resident once the identity is verified.
  On a death this is the applicant (the bereaved), never the deceased;
* ``self.<fact>``, ``spouse.<fact>``, ``deceased.<fact>``: one person of the household
  (the guide's facts, the people list's name); ``deceased`` also has its ``address``
  and its ``death_date`` (the death's ``situation.event_date``).

The value each kind stores in an application (``Application.data``, JSON):

==========  =====================================================================
kind        value
==========  =====================================================================
text        ``"..."``                           textarea: the same, several lines
name        ``{"name": "高橋 太郎", "kana": "たかはし たろう"}`` (kana in hiragana)
date        ``"2026-11-20"`` (entered as 西暦 or 和暦)
address     ``{"postal_code": "1000001", "address": "東京都千代田区千代田1-1"}``
phone       ``"090-1234-5678"`` (libphonenumber's national form; digits only before 2026-12)
email       ``"taro@example.jp"``
choice      the chosen ``value`` (a string)
yes_no      ``true`` / ``false``
number      an integer
group       a list of objects, one per repeat, keyed by the group's field ids
file        a list of attachment ids (the files themselves are kept apart)
bank_acc…   ``{"bank_code": "0001", "branch_code": "001", "type": "ordinary",
            "number": "1234567", "holder": "ﾀｶﾊｼ ﾀﾛｳ"}`` (``bank_account``)
==========  =====================================================================

Each kind is one class in ``applications/kinds/`` (its inputs, display, CSV columns,
sample and checks); ``FieldKind`` below must name exactly those classes (checked
when the server starts).

``version`` is raised by staff whenever the fields change; each application keeps
the version and the whole form it was made with.

``print`` (optional) lays the form out on paper as the town's own paper form does,
for the counter's printed, prefilled forms (``applications/printing.py``): its
title, addressee, date label, shorter labels, sections of fields and notes. Without
it the printed form shows every field in the form's order under the procedure's name.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from madoguchi.catalog.schema_base import Choice, Strict, Text, _text

FIELD_ID = r"^[a-z][a-z0-9_]*$"

FieldKind = Literal[
    "text",
    "textarea",
    "name",
    "date",
    "address",
    "phone",
    "email",
    "choice",
    "yes_no",
    "number",
    "group",
    "file",
    "bank_account",
]
FileType = Literal["pdf", "jpeg", "png"]

# What a profile / a verified identity can fill, and the kinds each fills.
PROFILE_ITEMS = {
    "name": "name",
    "birth_date": "date",
    "sex": "choice",
    "address": "address",
    "phone": "phone",
    "email": "email",
}
IDENTITY_ITEMS = {"name": "name", "birth_date": "date", "sex": "choice", "address": "address"}
# A person of the household: ``member`` (each repeat of an each_member group),
# ``self`` (the resident, as the guide knows them), ``spouse`` and ``deceased`` (the
# one who died, on a death: kept apart from the applicant, who is ``identity``).
# Besides the guide's facts of a member, the profile's household gives their ``name``.
PERSON_SOURCES = ("member", "self", "spouse", "deceased")
PERSON_ITEMS = {"name": "name"}
# What only the deceased has: where they lived, and the day they died.
DECEASED_ITEMS = {"address": "address", "death_date": "date"}
PREFILL_SOURCES = ("situation", "profile", "identity", *PERSON_SOURCES)

# Upload limits a municipality may set per field (the server refuses bigger bodies).
MAX_FILE_MB = 20
MAX_GROUP_ITEMS = 20


class FormField(Strict):
    id: str = Field(pattern=FIELD_ID)
    kind: FieldKind
    label: Text
    help: Text | None = None
    required: bool = True
    prefill: str | None = None
    # choice
    choices: list[Choice] = Field(default_factory=list)
    # text / textarea
    max_length: int | None = Field(default=None, ge=1, le=4000)
    # number
    min_value: int | None = None
    max_value: int | None = None
    unit: Text | None = None
    # group: its fields, how many repeats, and whether to start from the guide's members
    fields: list[FormField] = Field(default_factory=list)
    min_items: int = Field(default=0, ge=0, le=MAX_GROUP_ITEMS)
    max_items: int = Field(default=10, ge=1, le=MAX_GROUP_ITEMS)
    # e.g. ``[newborn, child]``: one repeat per such member of the guide's situation
    each_member: list[str] = Field(default_factory=list)
    # file
    accept: list[FileType] = Field(default_factory=lambda: ["pdf", "jpeg", "png"])
    max_size_mb: int = Field(default=10, ge=1, le=MAX_FILE_MB)
    max_files: int = Field(default=3, ge=1, le=10)

    _texts = field_validator("label", "help", "unit", mode="before")(_text)

    @field_validator("prefill")
    @classmethod
    def _prefill_path(cls, value: str | None) -> str | None:
        if value is None:
            return value
        source, _, item = value.partition(".")
        if source not in PREFILL_SOURCES or not item:
            raise PydanticCustomError(
                "prefill_source",
                "prefill is source.item",
                {"value": value, "sources": "、".join(PREFILL_SOURCES)},
            )
        return value

    @model_validator(mode="after")
    def _kind_needs(self) -> Self:
        if self.kind == "choice" and not self.choices:
            raise PydanticCustomError("choices_missing", "choice needs choices", {})
        if self.kind == "group" and not self.fields:
            raise PydanticCustomError("group_fields_missing", "group needs fields", {})
        if self.kind != "group" and (self.fields or self.each_member):
            raise PydanticCustomError("fields_not_group", "only a group has fields", {})
        if self.kind == "group" and self.min_items > self.max_items:
            raise PydanticCustomError("group_items", "min_items is more than max_items", {})
        return self

    @property
    def is_birth_date(self) -> bool:
        """A date of birth (by the catalogue's naming: ``…birth_date``, or filled from a
        ``birth_date``): the form refuses a day after today or before 1900."""
        return self.kind == "date" and (
            self.id.endswith("birth_date") or self.prefill_item == "birth_date"
        )

    @property
    def prefill_source(self) -> str | None:
        return self.prefill.partition(".")[0] if self.prefill else None

    @property
    def prefill_item(self) -> str | None:
        return self.prefill.partition(".")[2] if self.prefill else None

    def walk(self):
        """This field and, for a group, its fields."""
        yield self
        for sub in self.fields:
            yield from sub.walk()


def _texts_in(value: object) -> object:
    """A list or mapping of texts, each a plain string or ``{ja, en}``."""
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


class PrintSection(Strict):
    """A bordered block of the printed form: a heading and the fields under it, in
    this order; ``columns: 2`` sets two short fields side by side (生年月日 | 性別)."""

    title: Text | None = None
    fields: list[str] = Field(min_length=1)
    columns: int = Field(default=1, ge=1, le=2)

    _texts = field_validator("title", mode="before")(_text)


class PrintLayout(Strict):
    """How the form is printed at the counter (``print:`` in the form). Every field id
    named here must be one of the form's (checked by the catalogue check). Fields no
    section names are printed after the sections, so nothing signed is left out."""

    # 「国民健康保険被保険者資格取得届」: default the procedure's name + 申請書.
    title: Text | None = None
    # 「みどり市長 様」: default the municipality's head (市長・町長・村長・区長).
    addressee: Text | None = None
    # 「届出日」「請求日」: default from the title (…届 → 届出日, …請求書 → 請求日).
    date_label: Text | None = None
    # Shorter labels for the paper, by field id (a group's fields too).
    labels: dict[str, Text] = Field(default_factory=dict)
    sections: list[PrintSection] = Field(default_factory=list)
    # 「注意」 printed under the fields, one paragraph each.
    notes: list[Text] = Field(default_factory=list)

    _texts = field_validator("title", "addressee", "date_label", mode="before")(_text)
    _many = field_validator("labels", "notes", mode="before")(_texts_in)


class FormSpec(Strict):
    """The online form of one procedure."""

    version: int = Field(ge=1)
    intro: Text | None = None
    fields: list[FormField] = Field(min_length=1)
    # What the resident confirms before submitting (誓約・同意).
    declaration: Text | None = None
    # The paper layout of the counter's printed form (``PrintLayout``).
    print_layout: PrintLayout | None = Field(default=None, alias="print")

    _texts = field_validator("intro", "declaration", mode="before")(_text)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for top in self.fields:
            for scope in (self.fields, top.fields):
                ids = [f.id for f in scope]
                twice = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
                if twice and twice not in seen:
                    seen.add(twice)
                    raise PydanticCustomError(
                        "field_id_twice", "a field id is used twice", {"value": twice}
                    )
        return self

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def all_fields(self):
        for top in self.fields:
            yield from top.walk()
