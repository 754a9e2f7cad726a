"""Plain-Japanese explanations for ``catalog check``, for a clerk who is not a programmer.

A message names what is wrong in words and says what to write instead: the closest
valid key for a misspelt one, the character an ID may not contain (a full-width
hyphen looks like a hyphen), invisible characters shown visibly, the allowed events
with their labels. Never a regular expression, never pydantic's English. YAML syntax
errors are explained in ``yaml_messages``.
"""

from __future__ import annotations

import difflib
import re
import types
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Union, get_args, get_origin

from pydantic import BaseModel

from madoguchi.catalog.schema import AGE_FACT, LOCAL_GOVERNMENT_CODE, POSTAL_CODE, SLUG
from madoguchi.catalog.situation import EVENT_CHOICES
from madoguchi.common.errors_ja import error_location, error_message

# isort: split
# After ``schema``: the form models build on it, and it imports them at its end.
from madoguchi.catalog.form_schema import FIELD_ID, PREFILL_SOURCES

# Characters that cannot be seen in a message, and how a message shows them.
_INVISIBLE = {
    "\u3000": "(全角スペース)",
    "\t": "(タブ)",
    "\u00a0": "(特殊なスペース)",
    "\u200b": "(見えない文字)",
    "\ufeff": "(見えない文字)",
}
# Characters that look like ASCII but are not: (what it is, the ASCII to write).
_LOOKALIKES = {
    "\u3000": ("全角スペース", " "),
    "\u00a0": ("特殊なスペース", " "),
    "\t": ("タブ", " "),
    "\u2010": ("ハイフンに似た記号", "-"),
    "\u2011": ("ハイフンに似た記号", "-"),
    "\u2012": ("ダッシュ", "-"),
    "\u2013": ("ダッシュ", "-"),
    "\u2014": ("ダッシュ", "-"),
    "\u2015": ("ダッシュ", "-"),
    "\u2212": ("マイナス記号", "-"),
    "\uff0d": ("全角のハイフン", "-"),
    "\u30fc": ("長音記号", "-"),
    "\uff70": ("半角の長音記号", "-"),
    "\u2018": ("全角の引用符", "'"),
    "\u2019": ("全角の引用符", "'"),
    "\u201c": ("全角の引用符", '"'),
    "\u201d": ("全角の引用符", '"'),
}
_ASCII_NAMES = {" ": "半角スペース", "_": "アンダーバー"}
# In an ID, a space or an underscore between words was meant as a hyphen.
ID_MEANT = {" ": "-", "_": "-"}


# A form field's kinds and what each asks for, as ``catalog check`` names them.
def field_kind_labels() -> dict[str, str]:
    """Each form field kind's Japanese name, as its class says (applications/kinds/)."""
    from typing import get_args

    from madoguchi.applications.kinds import registry
    from madoguchi.catalog.form_schema import FieldKind

    return {k: registry.get(k).label["ja"] for k in get_args(FieldKind) if k in registry}


FILE_TYPES_JA = {"pdf": "PDF", "jpeg": "JPEG の写真", "png": "PNG の画像"}
PREFILL_SOURCES_JA = {
    "situation": "ガイドで答えた世帯のこと",
    "profile": "マイページに登録された内容",
    "identity": "マイナンバーカードなどの本人確認で確かめた氏名・住所・生年月日・性別",
    "member": (
        "ガイドで答えた世帯員ひとりずつのこと(name はマイページの世帯員の氏名)。"
        "each_member のグループの中だけ"
    ),
    "self": "ガイドで答えた申請する方ご本人のこと(健康保険など)",
    "spouse": "配偶者のこと(ガイドの答えと、マイページの世帯員の氏名)",
    "deceased": (
        "亡くなった方のこと(ガイドの答え、世帯員の氏名、address は住所、death_date は"
        "亡くなった日)。申請する方(identity)とは別の人です"
    ),
}
assert set(PREFILL_SOURCES_JA) == set(PREFILL_SOURCES)


def show(text: object) -> str:
    """``text`` with its invisible characters named (「birth(全角スペース)registration」)."""
    return "".join(_INVISIBLE.get(c, c) for c in str(text))


def describe_char(char: str) -> tuple[str, str | None]:
    """What ``char`` is, in Japanese, and the ASCII character meant by it (if any)."""
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    if char in _ASCII_NAMES:
        return _ASCII_NAMES[char], char
    if "A" <= char <= "Z":
        return "大文字", char.lower()
    ascii_form = unicodedata.normalize("NFKC", char)
    if ascii_form != char and ascii_form.isascii() and len(ascii_form) == 1:
        kind = "英字" if ascii_form.isalpha() else "数字" if ascii_form.isdigit() else "記号"
        return f"全角の{kind}", ascii_form.lower() if ascii_form.isalpha() else ascii_form
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "日本語の文字", None
    if char.isascii():
        return "記号", char
    return f"記号 U+{ord(char):04X}", None


def _fix(char: str, meant: str | None) -> str:
    if meant is None or meant == char:
        return ""
    if meant == " ":
        return "半角スペースにしてください"
    if char.isupper():
        return f"小文字の {meant} にしてください"
    return f"「{meant}」にしてください" if char.isascii() else f"半角の {meant} にしてください"


def wrong_characters(text: str, allowed: str, meant: Mapping[str, str] | None = None) -> str:
    """「使えない文字「－」(全角のハイフン、6文字目)があります。半角の - にしてください」.

    ``allowed`` is a regex character class of what may be written; each distinct
    other character is named once, with where it first is. ``meant`` maps the ASCII
    a character stands for to what to write instead (in an ID, a space is a hyphen).
    """
    found: dict[str, int] = {}
    for position, char in enumerate(text, start=1):
        if not re.fullmatch(allowed, char):
            found.setdefault(char, position)
    if not found:
        return ""
    named = []
    fixes = []
    for char, position in found.items():
        what, ascii_char = describe_char(char)
        if char in _INVISIBLE:  # 「(全角スペース)」(全角スペース) would say it twice
            named.append(f"({what}、{position}文字目)")
        else:
            named.append(f"「{char}」({what}、{position}文字目)")
        fixes.append(_fix(char, (meant or {}).get(ascii_char, ascii_char)))
    more = "など" if len(named) > 3 else ""
    sentence = f"使えない文字{'、'.join(named[:3])}{more}があります。"
    if len(found) == 1 and fixes[0]:
        return sentence + fixes[0]
    return sentence


def suggest_id(value: str) -> str | None:
    """The ID a clerk most likely meant (look-alikes made ASCII), or None if unclear."""
    meant = []
    for char in value:
        ascii_char = char if char.isascii() and char.isalnum() else describe_char(char)[1]
        if ascii_char is None:
            return None
        meant.append(ID_MEANT.get(ascii_char, ascii_char))
    text = re.sub(r"-{2,}", "-", "".join(meant).lower()).strip("-")
    return text if re.match(SLUG, text) else None


def id_message(value: str, what: str = "ID") -> str:
    """Why ``value`` is not a valid ID, in words (never the pattern)."""
    rule = f"{what}に使えるのは英小文字(a〜z)・数字(0〜9)・ハイフン(-)です"
    if not value:
        return f"{what}が空です。{rule}"
    bad = wrong_characters(value, r"[a-z0-9-]", ID_MEANT)
    if not bad:
        return f"{what}「{value}」は、ハイフン(-)で始めたり終えたり、2つ続けたりできません"
    message = f"{what}「{show(value)}」に{bad}"
    if message.endswith("ください"):
        return message
    meant = suggest_id(value)
    return message + (f"「{meant}」のように書いてください" if meant else rule)


def _pattern_message(value: str, pattern: str) -> str:
    if pattern == SLUG:
        return id_message(value)
    described = {
        LOCAL_GOVERNMENT_CODE: "全国地方公共団体コード(半角数字6けた、例: 102121)で書いてください",
        POSTAL_CODE: "郵便番号は半角で 379-2395 のように書いてください",
        AGE_FACT: (
            "名前は英小文字で始め、英小文字・数字・_ だけで書き、_age で終えてください"
            "(例: kouki_age)"
        ),
    }.get(pattern, "書き方が決まった形になっていません")
    bad = wrong_characters(value, r"[\x21-\x7e]")
    if bad.endswith("ください"):
        return f"「{show(value)}」に{bad}"
    return f"「{show(value)}」に{bad}{described}" if bad else f"「{show(value)}」: {described}"


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` was most likely meant to be (difflib), if any is close."""
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    key = word.strip(" \u3000\t").lower()
    if key in lowered:
        return lowered[key]
    found = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _models_in(annotation: object) -> list[object]:
    """The types a value of ``annotation`` may be (``X | None`` → ``[X]``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model whose keys are at ``loc`` inside ``model`` (following lists, mappings)."""
    current: object = model
    for part in loc:
        nxt = None
        for kind in _models_in(current):
            origin = get_origin(kind)
            if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(part, str):
                field = next(
                    (f for n, f in kind.model_fields.items() if part in (n, f.alias)), None
                )
                nxt = field.annotation if field else None
            elif origin is list and isinstance(part, int):
                nxt = get_args(kind)[0]
            elif origin is dict and isinstance(part, str):
                nxt = get_args(kind)[1]
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    models = [k for k in _models_in(current) if isinstance(k, type) and issubclass(k, BaseModel)]
    return models[0] if models else None


def keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a catalogue file may use for ``model`` (aliases such as ``all``)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _unknown_key(model: type[BaseModel], loc: tuple) -> tuple[str, str | None]:
    """The message for an unknown key, and the key it was probably meant to be."""
    key = str(loc[-1])
    parent = model_at(model, loc[:-1])
    keys = keys_of(parent) if parent else []
    if key.strip(" \u3000\t") != key and key.strip(" \u3000\t") in keys:
        meant = key.strip(" \u3000\t")
        return (
            f"「{show(key)}」の前後に空白があります。字下げは半角スペースで、"
            f"項目名は「{meant}」と書いてください",
            meant,
        )
    meant = closest(key, keys)
    if meant:
        return f"この項目は使えません。「{meant}」のまちがいではありませんか", meant
    return f"この項目は使えません(使える項目: {'、'.join(keys)})", None


def _events_message(value: object) -> str:
    allowed = "、".join(f"{e}({ja})" for e, (ja, _) in EVENT_CHOICES.items())
    meant = closest(str(value), EVENT_CHOICES)
    guess = f"{meant}({EVENT_CHOICES[meant][0]})のまちがいではありませんか。" if meant else ""
    return f"出来事「{show(value)}」は使えません。{guess}使える出来事: {allowed}"


def _explained_message(value: object, explained: Mapping[str, str], what: str) -> str:
    meant = closest(str(value), explained)
    guess = f"「{meant}」({explained[meant]})のまちがいではありませんか。" if meant else ""
    allowed = "、".join(f"{k}({ja})" for k, ja in explained.items())
    return f"{what}「{show(value)}」は使えません。{guess}使える{what}: {allowed}"


def _prefill_message(value: str) -> str:
    source, dot, item = value.partition(".")
    sources = "、".join(f"{k}({ja})" for k, ja in PREFILL_SOURCES_JA.items())
    meant = closest(source, PREFILL_SOURCES)
    if dot and item and meant:
        return (
            f"prefill「{show(value)}」の「{show(source)}」は使えません。"
            f"「{meant}.{item}」のまちがいではありませんか。使える元: {sources}"
        )
    return (
        f"prefill「{show(value)}」は「元.項目」の形で書いてください"
        f"(例: identity.name)。使える元: {sources}"
    )


def _literal_message(value: object, expected: str) -> str:
    choices = re.findall(r"'([^']*)'", expected)
    if set(choices) == set(EVENT_CHOICES):
        return _events_message(value)
    kinds = field_kind_labels()
    if set(choices) == set(kinds):
        return _explained_message(value, kinds, "項目の種類(kind)")
    if set(choices) == set(FILE_TYPES_JA):
        return _explained_message(value, FILE_TYPES_JA, "ファイルの種類")
    meant = closest(str(value), choices)
    guess = f"「{meant}」のまちがいではありませんか。" if meant else ""
    return f"「{show(value)}」は使えません。{guess}使える値: {'、'.join(choices)}"


_FORM_MESSAGES = {
    "choices_missing": "kind: choice には choices(選択肢)を書いてください",
    "group_fields_missing": "kind: group には fields(まとめて聞く項目)を書いてください",
    "fields_not_group": (
        "fields と each_member は kind: group の項目にだけ書けます。"
        "group にするか、fields・each_member を消してください"
    ),
    "group_items": "min_items(いちばん少ない数)が max_items(いちばん多い数)より大きくなっています",
    "field_id_twice": (
        "項目のID「{value}」が同じ画面で二度使われています。"
        "申請の中身はIDで区別するので、別のIDにしてください"
    ),
}


def _field_id_message(value: str) -> str:
    rule = "項目のIDは英小文字で始め、英小文字・数字・_(アンダーバー)で書いてください"
    bad = wrong_characters(value, r"[a-z0-9_]", {"-": "_", " ": "_"})
    example = "(例: child_name)"
    return f"項目のID「{show(value)}」に{bad}{'' if bad.endswith('ください') else rule + example}"


def _message(model: type[BaseModel], loc: tuple, error: Mapping) -> str:
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)[0]
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == FIELD_ID:
        return _field_id_message(str(value))
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return _pattern_message(value, str(ctx.get("pattern", "")))
    if kind in ("literal_error", "enum"):
        return _literal_message(value, str(ctx.get("expected", "")))
    if kind == "events_twice":
        event = ctx.get("event", "")
        label = EVENT_CHOICES.get(event, ("",))[0]
        return f"出来事「{show(event)}」({label})が二度書かれています。1つにしてください"
    if kind in ("dict_type", "events_empty") and loc == ("events",):
        return (
            "案内するできごとを events: [birth, move_in] のように1つ以上書いてください"
            "(できごとでは案内せず、名前で探すだけの手続きなら、events: の行を消してください)"
        )
    if kind in _FORM_MESSAGES:
        return _FORM_MESSAGES[kind].format(**{k: show(v) for k, v in ctx.items()})
    if kind == "prefill_source":
        return _prefill_message(str(ctx.get("value", value)))
    if kind == "low_contrast":
        written = show(ctx.get("value", value))
        return (
            f"色「{written}」は明るすぎて、上に載せる白い文字が読みにくくなります"
            "(コントラスト比 4.5:1 以上になる、もっと濃い色にしてください)"
        )
    if kind == "month_day":
        written = show(ctx.get("value", value))
        return f"日付「{written}」は、月-日 の形で書いてください(例: 12-29)"
    return error_message(error)


def plain_errors(model: type[BaseModel], errors: Iterable[Mapping]) -> list[tuple[tuple, str]]:
    """Pydantic errors → ``(location, message)`` for a clerk.

    A misspelt key also makes the key it stands for "missing": only the misspelling
    is reported, since its message already names the right key.
    """
    errors = list(errors)
    meant = set()
    for error in errors:
        loc = error_location(error)
        if error.get("type") == "extra_forbidden" and loc:
            meant.add((*loc[:-1], _unknown_key(model, loc)[1]))
    plain = []
    for error in errors:
        loc = error_location(error)
        if error.get("type") == "missing" and loc in meant:
            continue
        shown = tuple(p for p in loc if p != "[key]")
        plain.append((shown, _message(model, loc, error)))
    return plain
