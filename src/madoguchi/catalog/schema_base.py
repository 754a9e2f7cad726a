"""The pieces every catalogue file format is made of: strict models and texts in
Japanese with an optional English version (``schema`` and ``form_schema``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    """Text in Japanese, with an optional English version (English falls back to it)."""

    ja: str = Field(min_length=1)
    en: str | None = None

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") and self.en else self.ja

    def __str__(self) -> str:
        return self.ja


def _text(value: object) -> object:
    # A plain string is Japanese-only text; municipalities need not write {ja: ...}.
    return {"ja": value} if isinstance(value, str) else value


class Choice(Strict):
    value: str | bool
    label: Text

    _texts = field_validator("label", mode="before")(_text)
