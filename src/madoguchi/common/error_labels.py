"""What an error's location is called where residents and clerks read it.

``("members", 0, "birth_date")`` is 「1人目の生年月日」 / "Person 1's date of birth":
members are counted as the guide's page counts them (「1人目」「2人目」), and each
field is called by its label from its one definition (``situation.py``), never by
its code name. Other paths (the catalogue files' checks) keep a plain
「procedures の 3番目 の name」.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable


def english(language: str) -> bool:
    return language.startswith("en")


@functools.cache
def _fields():
    from madoguchi.catalog.facts import ALL_FIELDS  # catalog imports common, not back

    return ALL_FIELDS


# The guide API's query parameters (not part of the situation).
_PARAMETERS = {"lang": ("言語", "language"), "today": ("基準日", "reference date")}


def _name(part: str, language: str) -> str:
    fact = _fields().get(part)
    if fact is not None:
        return fact.label(language)
    ja, en = _PARAMETERS.get(part, (part, part))
    return en if english(language) else ja


def known_field(name: object) -> bool:
    """Whether ``name`` is a field we have words for (else it is the sender's key)."""
    return isinstance(name, str) and (name in _fields() or name in _PARAMETERS)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def field_path(loc: Iterable[str | int]) -> str:
    """``("members", 0, "birth_date")`` → ``members.0.birth_date`` (for programs)."""
    return ".".join(str(p) for p in loc)


def field_label(loc: Iterable[str | int], language: str = "ja") -> str:
    """The location in words: 「1人目の生年月日」, 「出来事の日」, "Person 1's sex"."""
    loc = tuple(loc)
    if not loc:
        return ""
    if loc[0] == "members" and len(loc) >= 2 and isinstance(loc[1], int) and len(loc) <= 3:
        n = loc[1] + 1
        person = f"Person {n}" if english(language) else f"{n}人目"
        if len(loc) == 2:
            return person
        field = _name(str(loc[2]), language)
        return f"{person}'s {field}" if english(language) else f"{person}の{field}"
    if len(loc) == 1 and isinstance(loc[0], str):
        name = _name(loc[0], language)
        return _capitalised(name) if english(language) else name
    parts = [f"{p + 1}番目" if isinstance(p, int) else _name(p, "ja") for p in loc]
    return " › ".join(parts) if english(language) else " の ".join(parts)


def choices_text(field: str, language: str = "ja") -> str | None:
    """A field's allowed values with their names: 「self(本人)、spouse(配偶者)…」."""
    fact = _fields().get(field)
    if fact is None or not fact.choices:
        return None
    if english(language):
        named = [
            f"{v} ({fact.choice_label(v, 'en')})" if fact.choice_label(v, "en") != v else v
            for v in fact.choices
        ]
        return ", ".join(named)
    return "、".join(f"{v}({fact.choice_label(v, 'ja')})" for v in fact.choices)


def event_date_name(event: str | None, language: str = "ja") -> str:
    """The event's date as the guide's page calls it (「生まれた日」), else generically."""
    generic = _name("event_date", language)
    if event is None:
        return generic
    from madoguchi.catalog.registry import current_catalog  # the municipality's words

    life_event = current_catalog().life_events.get(event)
    if life_event is None:
        return generic
    named = life_event.date_label.get(language)
    return named[:1].lower() + named[1:] if english(language) else named
