"""Pydantic validation errors, said in plain Japanese.

Pydantic's own messages are English; residents, clerks and the staff who edit the
catalogue read Japanese. Each message names the field (with its Japanese label
where we have one) and says what is expected.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping


@functools.cache
def _field_labels() -> dict[str, str]:
    """Every situation field's Japanese label, from its one definition (situation.py)."""
    from madoguchi.catalog.facts import ALL_FIELDS

    return {name: f.label_ja for name, f in ALL_FIELDS.items()}


_MESSAGES = {
    "missing": "必須の項目です",
    "extra_forbidden": "この項目は使えません(名前の綴りを確認してください)",
    "literal_error": "使えない値です。次のどれかにしてください: {expected}",
    "enum": "使えない値です。次のどれかにしてください: {expected}",
    "bool_type": "true か false で指定してください",
    "bool_parsing": "true か false で指定してください",
    "int_type": "整数で指定してください",
    "int_parsing": "整数で指定してください",
    "int_from_float": "整数で指定してください",
    "string_type": "文字列で指定してください",
    "list_type": "リスト(配列)で指定してください",
    "dict_type": "項目の集まり(オブジェクト)で指定してください",
    "model_type": "項目の集まり(オブジェクト)で指定してください",
    "model_attributes_type": "項目の集まり(オブジェクト)で指定してください",
    "date_type": "日付は YYYY-MM-DD の形で指定してください(例: 2026-11-20)",
    "date_parsing": "日付は YYYY-MM-DD の形で指定してください(例: 2026-11-20)",
    "date_from_datetime_parsing": "日付は YYYY-MM-DD の形で指定してください(例: 2026-11-20)",
    "date_from_datetime_inexact": "日付は YYYY-MM-DD の形で指定してください(例: 2026-11-20)",
    "greater_than_equal": "{ge} 以上にしてください",
    "less_than_equal": "{le} 以下にしてください",
    "greater_than": "{gt} より大きくしてください",
    "less_than": "{lt} より小さくしてください",
    "too_short": "{min_length} 個以上必要です",
    "too_long": "{max_length} 個までにしてください",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "形式が違います(決まった形: {pattern})",
    "json_invalid": "JSON として読めません: {error}",
    "birth_after_event": "生年月日が出来事の日より後になっています",
    "birth_too_old": "生年月日が古すぎます(130年以上前)",
    "self_twice": "「本人」は1人だけにしてください",
    "deceased_without_death": "「亡くなった方」は、死亡(おくやみ)の案内でだけ選べます",
    "events_twice": "同じ出来事が二度書かれています",
    "condition_kind": "条件には all・any・not・household・member・count のどれか一つだけを書いてください(書かれていたもの: {found})",
    "count_at_least": "count と at_least は組にして書いてください",
    "deadline_kind": "期限には days・months・years・same_as のどれか一つだけを書いてください(書かれていたもの: {found})",
    "choices_missing": "kind: choice の質問には choices が必要です",
    "month_day": "日付は MM-DD の形で書いてください(例: 12-29)。書かれていた値: {value}",
}


def _label(part: str | int) -> str:
    if isinstance(part, int):
        return f"{part + 1}番目"
    return _field_labels().get(part, part)


def field_path(loc: Iterable[str | int]) -> str:
    """``("members", 0, "birth_date")`` → ``members.0.birth_date``."""
    return ".".join(str(p) for p in loc)


def field_label(loc: Iterable[str | int]) -> str:
    """``("members", 0, "birth_date")`` → ``世帯員 1番目 の 生年月日``."""
    return " の ".join(_label(p) for p in loc)


def error_message(error: Mapping) -> str:
    """One pydantic error dict → its Japanese message (without the location)."""
    template = _MESSAGES.get(error.get("type", ""))
    if template is None:
        return f"値が正しくありません({error.get('msg', '')})"
    ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic joins choices with an English "or"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip(":: ")  # noqa: B005 (a set of characters)


def error_location(error: Mapping) -> tuple:
    """Where the error is: validators that check two fields say which in ``ctx.field``."""
    ctx = error.get("ctx") or {}
    if "field" in ctx:
        return tuple(int(p) if p.isdigit() else p for p in str(ctx["field"]).split("."))
    # The body wrapper (API) and union tags are not part of the user's field path.
    return tuple(p for p in error.get("loc", ()) if p not in ("body", "payload"))


def describe(errors: Iterable[Mapping]) -> list[dict]:
    """Errors as ``{"field", "label", "message"}`` dicts, for the API, CLI and web."""
    described = []
    for error in errors:
        loc = error_location(error)
        described.append(
            {"field": field_path(loc), "label": field_label(loc), "message": error_message(error)}
        )
    return described


def one_line(errors: Iterable[Mapping]) -> str:
    return "; ".join(
        f"{d['label']}({d['field']}): {d['message']}" if d["field"] else d["message"]
        for d in describe(errors)
    )
