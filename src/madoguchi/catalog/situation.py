"""The guide's input: a *situation* (public contract, see CATALOGUE.md).

A field that is not given is unknown (``None``), never false.

This module is where each fact of the vocabulary is defined, once: its type and
allowed values (the annotation), its label in Japanese and English and the labels of
its values (``fact(...)``). The rules' fact tables (``facts``), the error messages'
field names (``errors_ja``), the guide's member names and the catalogue guide's table
of facts (``./dev catalog facts``) are all derived from the fields below.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from madoguchi.common.json_input import load_json

MAX_MEMBERS = 20
OLDEST_AGE = 130
# Deadlines run up to a few years past the event; beyond this range they (and
# 和暦) stop making sense, so such a date is refused rather than computed.
EARLIEST_EVENT = date(1900, 1, 1)
LATEST_EVENT = date(2199, 12, 31)

# Each choice: value → (Japanese label, English label).
EVENT_CHOICES = {
    "birth": ("出生", "birth"),
    "move_in": ("転入", "moving in"),
    "move_out": ("転出", "moving out"),
    "move_within": ("転居", "moving within the city"),
    "marriage": ("婚姻", "marriage"),
    "death": ("死亡", "death"),
}
ROLE_CHOICES = {
    "self": ("本人", "you"),
    "spouse": ("配偶者", "your spouse"),
    "child": ("子", "child"),
    "parent": ("父母", "parent"),
    "other": ("世帯員", "household member"),
    "newborn": ("生まれた子", "the newborn"),
    "deceased": ("亡くなった方", "the deceased"),
}
SEX_CHOICES = {"female": ("女性", "female"), "male": ("男性", "male")}
INSURANCE_CHOICES = {
    "kokuho": ("国民健康保険", "National Health Insurance"),
    "shaho": ("勤め先の健康保険(社会保険)", "employee health insurance"),
    "kouki": ("後期高齢者医療制度", "late-stage elderly medical care"),
    "none": ("加入していない", "none"),
}

Event = Literal[tuple(EVENT_CHOICES)]  # type: ignore[valid-type]
Role = Literal[tuple(ROLE_CHOICES)]  # type: ignore[valid-type]
Sex = Literal[tuple(SEX_CHOICES)]  # type: ignore[valid-type]
Insurance = Literal[tuple(INSURANCE_CHOICES)]  # type: ignore[valid-type]
# Which pension a recipient receives decides the 年金受給権者死亡届's deadline: 10 days
# with a 厚生年金 (厚生年金保険法施行規則41条), 14 with the 国民年金 only (国民年金法施行規則24条).
PENSION_KIND_CHOICES = {
    "employees": ("厚生年金・共済年金を含む", "includes an Employees' or mutual-aid pension"),
    "national_only": ("国民年金(基礎年金)だけ", "National Pension (basic pension) only"),
}
PensionKind = Literal[tuple(PENSION_KIND_CHOICES)]  # type: ignore[valid-type]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_as_in_json(value: object) -> object:
    """A date is a ``date`` or the string ``YYYY-MM-DD``, nothing else.

    Pydantic would also take a number (seconds since 1970), a timestamp string or a
    date-time at midnight; sent by mistake they give a wrong date without an error."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_impossible", "no such date: {value}", {"value": value}
            ) from None
    raise PydanticCustomError("date_format", "a date must be written YYYY-MM-DD")


def _integer_as_in_json(value: object) -> object:
    """A whole number; ``2400.0`` counts as one, as JSON Schema's ``integer`` says (our
    OpenAPI promises that type). ``"2400"``, ``true`` and ``2400.5`` do not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The situation's types, strict in both of pydantic's modes (the model config below
# is ``strict``): the API and the CLI validate parsed JSON (``load_json``) in Python
# mode, the web its hidden field in JSON mode, Python callers pass ``date`` objects.
IsoDate = Annotated[date | None, BeforeValidator(_date_as_in_json)]
WholeNumber = Annotated[int | None, BeforeValidator(_integer_as_in_json)]


def fact(
    ja: str,
    en: str,
    *,
    choices: dict[str, tuple[str, str]] | None = None,
    meaning: str | None = None,
    **field: Any,
) -> Any:
    """A situation field that is also a fact of the rules' vocabulary.

    ``ja``/``en`` name it (errors, the catalogue guide); ``meaning`` says in Japanese
    what a condition using it tests (the catalogue guide's table)."""
    extra = {"label_ja": ja, "label_en": en, "meaning": meaning or ja}
    if choices:
        extra["choice_labels"] = {k: list(v) for k, v in choices.items()}
    return Field(default=None, title=ja, json_schema_extra=extra, **field)


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    role: Role | None = fact("続柄", "relationship", choices=ROLE_CHOICES)
    birth_date: IsoDate = fact(
        "生年月日",
        "date of birth",
        ge=date(1800, 1, 1),
        le=LATEST_EVENT,
        meaning="生年月日(条件では age などの年齢として使います)",
    )
    sex: Sex | None = fact("性別", "sex", choices=SEX_CHOICES)
    insurance: Insurance | None = fact("健康保険", "health insurance", choices=INSURANCE_CHOICES)
    has_mynumber_card: bool | None = fact(
        "マイナンバーカードの有無", "has a My Number card", meaning="マイナンバーカードを持っている"
    )
    birth_weight_g: WholeNumber = fact(
        "出生体重(グラム)", "birth weight (g)", ge=200, le=8000, meaning="出生体重(グラム)"
    )
    care_certified: bool | None = fact(
        "要介護・要支援の認定",
        "certified as needing care",
        meaning="要介護・要支援の認定を受けている",
    )
    receives_child_allowance: bool | None = fact(
        "児童手当の受給", "receives child allowance", meaning="児童手当を受けている"
    )
    receives_pension: bool | None = fact(
        "年金の受給",
        "receives a public pension",
        meaning="公的年金(国民年金・厚生年金など)を受けている",
    )
    pension_kind: PensionKind | None = fact(
        "年金の種類",
        "kind of pension",
        choices=PENSION_KIND_CHOICES,
        meaning="受けている年金に厚生年金・共済年金が含まれるか、国民年金(基礎年金)だけか",
    )
    head_of_household: bool | None = fact("世帯主", "head of household", meaning="世帯主である")
    receives_child_rearing_allowance: bool | None = fact(
        "児童扶養手当の受給",
        "receives child-rearing allowance",
        meaning="児童扶養手当を受けている",
    )
    has_disability_certificate: bool | None = fact(
        "障害者手帳",
        "has a disability certificate",
        meaning="障害者手帳(身体・療育・精神)を持っている",
    )
    pregnant: bool | None = fact("妊娠", "pregnant", meaning="妊娠している")
    joins_national_pension: bool | None = fact(
        "国民年金への加入・種別変更",
        "joins the National Pension",
        meaning="会社をやめた・扶養から外れたなどで、国民年金に自分で入る(第1号になる)",
    )
    surname_changes: bool | None = fact(
        "名字(氏)の変更", "surname changes", meaning="結婚などで名字(氏)が変わる"
    )


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    event: Event = Field(
        title="出来事",
        json_schema_extra={
            "label_ja": "出来事",
            "label_en": "life event",
            "choice_labels": {k: list(v) for k, v in EVENT_CHOICES.items()},
        },
    )
    event_date: IsoDate = Field(
        default=None,
        ge=EARLIEST_EVENT,
        le=LATEST_EVENT,
        title="できごとがあった日",
        json_schema_extra={"label_ja": "できごとがあった日", "label_en": "date of the event"},
    )
    members: list[Member] | None = Field(
        default=None,
        max_length=MAX_MEMBERS,
        title="世帯員",
        json_schema_extra={"label_ja": "世帯員", "label_en": "household members"},
    )
    single_parent: bool | None = fact("ひとり親", "single parent", meaning="ひとり親の家庭である")
    has_dog: bool | None = fact("犬の飼育", "keeps a dog", meaning="犬を飼っている")
    owns_real_estate: bool | None = fact(
        "不動産の所有", "owns real estate", meaning="土地や家屋を持っている"
    )
    owns_moped: bool | None = fact(
        "原付などの所有",
        "owns a moped",
        meaning="原付バイク(125cc以下)や小型特殊自動車を持っている(亡くなった方の名義を含む)",
    )
    moved_from_other_prefecture: bool | None = fact(
        "ほかの都道府県からの転入",
        "moved from another prefecture",
        meaning="前の住所がほかの都道府県だった",
    )
    childbirth_grant_to_claim: bool | None = fact(
        "出産育児一時金の申請",
        "childbirth grant to claim",
        meaning="直接支払制度を使わなかった、または出産費用が一時金より少なかった",
    )
    # The 転出予定日 on the 転出証明書: after a move-in, 児童手当 counts from the next day.
    move_out_planned_date: IsoDate = fact(
        "転出予定日",
        "planned move-out date",
        ge=EARLIEST_EVENT,
        le=LATEST_EVENT,
        meaning="転出証明書の転出予定日(転入のとき。期限の数え始めに使います)",
    )

    @model_validator(mode="after")
    def _dates_are_possible(self) -> Self:
        roles = [m.role for m in self.members or []]
        if roles.count("self") > 1:
            index = [i for i, r in enumerate(roles) if r == "self"][1]
            raise PydanticCustomError(
                "self_twice", "only one member can be self", {"field": f"members.{index}.role"}
            )
        if "deceased" in roles and self.event != "death":
            raise PydanticCustomError(
                "deceased_without_death",
                "a deceased member belongs to a death only",
                {"field": f"members.{roles.index('deceased')}.role"},
            )
        if self.event_date is None:
            return self
        for i, member in enumerate(self.members or []):
            born = member.birth_date
            if born is None:
                continue
            if born > self.event_date:
                raise PydanticCustomError(
                    "birth_after_event",
                    "birth_date is after event_date",
                    # The event names its date in the message (「生まれた日」).
                    {"field": f"members.{i}.birth_date", "event": self.event},
                )
            if self.event_date.year - born.year > OLDEST_AGE:
                raise PydanticCustomError(
                    "birth_too_old",
                    "birth_date is too long ago",
                    {"field": f"members.{i}.birth_date", "years": OLDEST_AGE},
                )
        return self

    def household(self) -> list[Member]:
        """The members the rules see.

        The event implies people the caller may not have listed: a birth has a
        newborn (born on the event date), a death a deceased. With no member list at
        all, the composition is unknown, so one member of unknown role stands for it
        and the guide asks rather than assuming nobody is there.
        """
        members = [m.model_copy() for m in self.members] if self.members is not None else []
        if self.members is None:
            members.append(Member())
        if self.event == "birth" and not any(m.role == "newborn" for m in members):
            members.append(Member(role="newborn", birth_date=self.event_date))
        if self.event == "birth":
            for m in members:
                if m.role == "newborn" and m.birth_date is None:
                    m.birth_date = self.event_date
        if self.event == "death" and not any(m.role == "deceased" for m in members):
            members.append(Member(role="deceased"))
        return members


def situation_from_json(raw: bytes | str) -> Situation:
    """A situation from JSON text, as the API reads its body (``madoguchi.api``).

    Raises ``JsonInputError`` (not JSON, duplicate keys) or ``ValidationError``."""
    return Situation.model_validate(load_json(raw))


def with_answers(situation: Situation, answers: list[tuple[str, int | None, object]]) -> Situation:
    """A new situation with the answered facts filled in (validated again).

    ``answers`` are (fact, member index or None, value). Answering about a member
    fixes the household as the guide showed it, implied members included.
    """
    data = situation.model_dump()
    if any(member is not None for _, member, _ in answers):
        data["members"] = [m.model_dump() for m in situation.household()]
    for fact_name, member, value in answers:
        if member is None:
            data[fact_name] = value
        else:
            data["members"][member][fact_name] = value
    return Situation.model_validate(data)
