"""The guide's input: a *situation* (public contract, see CATALOGUE.md).

A field that is not given is unknown (``None``), never false.
"""

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Event = Literal["birth", "move_in", "move_out", "move_within", "marriage", "death"]
Role = Literal["self", "spouse", "child", "parent", "other", "newborn", "deceased"]
Sex = Literal["female", "male"]
Insurance = Literal["kokuho", "shaho", "kouki", "none"]

MAX_MEMBERS = 20
OLDEST_AGE = 130
# Deadlines run up to a few years past the event; beyond this range they (and
# 和暦) stop making sense, so such a date is refused rather than computed.
EARLIEST_EVENT = date(1900, 1, 1)
LATEST_EVENT = date(2199, 12, 31)


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    birth_date: date | None = Field(default=None, ge=date(1800, 1, 1), le=LATEST_EVENT)
    sex: Sex | None = None
    insurance: Insurance | None = None
    has_mynumber_card: bool | None = None
    birth_weight_g: int | None = Field(default=None, ge=200, le=8000)
    care_certified: bool | None = None
    receives_child_allowance: bool | None = None
    head_of_household: bool | None = None


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event: Event
    event_date: date | None = Field(default=None, ge=EARLIEST_EVENT, le=LATEST_EVENT)
    members: list[Member] | None = Field(default=None, max_length=MAX_MEMBERS)
    single_parent: bool | None = None
    has_dog: bool | None = None
    owns_real_estate: bool | None = None

    @model_validator(mode="after")
    def _dates_are_possible(self) -> Self:
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
                    {"field": f"members.{i}.birth_date"},
                )
            if self.event_date.year - born.year > OLDEST_AGE:
                raise PydanticCustomError(
                    "birth_too_old",
                    "birth_date is too long ago",
                    {"field": f"members.{i}.birth_date"},
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


def with_answers(situation: Situation, answers: list[tuple[str, int | None, object]]) -> Situation:
    """A new situation with the answered facts filled in (validated again).

    ``answers`` are (fact, member index or None, value). Answering about a member
    fixes the household as the guide showed it, implied members included.
    """
    data = situation.model_dump()
    if any(member is not None for _, member, _ in answers):
        data["members"] = [m.model_dump() for m in situation.household()]
    for fact, member, value in answers:
        if member is None:
            data[fact] = value
        else:
            data["members"][member][fact] = value
    return Situation.model_validate(data)
