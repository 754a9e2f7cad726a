"""Validation errors said in plain words, in Japanese or English.

Pydantic's own messages are English and name fields by code; residents, clerks, the
staff who edit the catalogue and the developers of other municipal systems read
these instead. Every message reads as a clerk would say it and never shows a code
name; the API keeps the machine-readable ``field`` next to the ``label`` and
``message`` (``describe``). The API, the CLI and the web all word errors here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

from madoguchi.common.error_labels import (
    choices_text,
    english,
    event_date_name,
    field_label,
    field_path,
    known_field,
)
from madoguchi.common.errors_en import JSON_REASONS_EN, MESSAGES_EN

__all__ = ["describe", "error_location", "error_message", "field_label", "field_path", "one_line"]

logger = logging.getLogger(__name__)

_MESSAGES = {
    "missing": "必ず書いてください",
    "extra_forbidden": "この項目は使えません(「{key}」という項目はありません。綴りを確認してください)",
    "literal_error": "使えない値です。次のどれかにしてください: {expected}",
    "enum": "使えない値です。次のどれかにしてください: {expected}",
    "bool_type": "true か false で書いてください(はい は true、いいえ は false。引用符は付けません)",
    "bool_parsing": "true か false で書いてください(はい は true、いいえ は false。引用符は付けません)",
    "int_type": "引用符を付けずに整数で書いてください(例: 2400)",
    "int_parsing": "引用符を付けずに整数で書いてください(例: 2400)",
    "int_from_float": "引用符を付けずに整数で書いてください(例: 2400)",
    "string_type": "文字列で指定してください",
    "list_type": "[ ] で囲んだ一覧(配列)で書いてください",
    "dict_type": "{{ }} で囲んだ項目の集まり(オブジェクト)で書いてください",
    "model_type": "{{ }} で囲んだ項目の集まり(オブジェクト)で書いてください",
    "model_attributes_type": "{{ }} で囲んだ項目の集まり(オブジェクト)で書いてください",
    "date_type": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
    "date_parsing": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
    "date_from_datetime_parsing": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
    "date_from_datetime_inexact": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
    "greater_than_equal": "{ge} 以上にしてください",
    "less_than_equal": "{le} 以下にしてください",
    "greater_than": "{gt} より大きくしてください",
    "less_than": "{lt} より小さくしてください",
    "too_short": "{min_length} 個以上必要です",
    "too_long": "{max_length} 個までにしてください",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "形式が違います(決まった形: {pattern})",
    "json_invalid": "JSON として読めません({line}行目の{column}文字目): {reason}",
    "birth_after_event": "{event_date}より後の日付になっています",
    "birth_too_old": "{years}年以上前の日付になっています。確かめてください",
    "self_twice": "「本人」(self)は1人だけにしてください",
    "deceased_without_death": "「亡くなった方」(deceased)は、出来事が死亡のときだけ選べます",
    "events_twice": "同じ出来事が二度書かれています",
    "condition_kind": "条件には all・any・not・household・member・count のどれか一つだけを書いてください(書かれていたもの: {found})",
    "count_at_least": "count と at_least は組にして書いてください",
    "deadline_kind": "期限には days・months・years・same_as のどれか一つだけを書いてください(書かれていたもの: {found})",
    "choices_missing": "kind: choice の質問には choices が必要です",
    "month_day": "日付は MM-DD の形で書いてください(例: 12-29)。書かれていた値: {value}",
    # --- The API's and CLI's input (JSON text, the situation's variants) ---
    "missing:root": "状況(JSON)が送られていません",
    "model_type:root": "状況は {{ }} で囲んだ JSON のオブジェクトで送ってください",
    "model_type:member": "世帯員は1人ずつ {{ }} で囲んで書いてください",
    "greater_than_equal:date": "{ge} 以降の日付にしてください",
    "less_than_equal:date": "{le} 以前の日付にしてください",
    "too_long:members": "{max_length}人までにしてください",
    "date_format": "日付は 2026-11-20 のように「年-月-日」で、引用符で囲んで書いてください",
    "date_format:today": "日付は 2026-11-20 のように「年-月-日」で書いてください",
    "date_impossible": "{value} という日付はありません",
    "json_invalid:bare": "JSON として読めません",
    "json_constant": "{value} は JSON では使えません。数か null を書いてください",
    "json_too_deep": "JSON の入れ子が深すぎて読めません",
    "duplicate_key": "「{key}」が2回以上書かれています。1回だけにしてください",
    "not_utf8": "文字コードを UTF-8 にして保存してください(Shift_JIS や UTF-16 は読めません)",
    "body_missing": "状況(JSON)が送られていません",
    "too_large": "送られたデータが大きすぎます(上限は {limit} です)",
    "bad_request": "リクエストを読み取れませんでした",
    "unknown": "この値は使えません",
    # --- The My Number card reader (counter/card): said to the clerk and the resident ---
    "card_no_service": (
        "カードリーダーのサービス(pcscd)が動いていません。"
        "パソコンを再起動するか、管理者に pcscd の起動を依頼してください"
    ),
    "card_no_reader": "カードリーダーが見つかりません。リーダーのケーブルがパソコンにつながっているか確かめてください",
    "card_reader_unknown": "カードリーダー「{reader}」が見つかりません。つながっているリーダー: {readers}",
    "card_no_card": "カードリーダーにカードが置かれていません。マイナンバーカードを置いてから、もう一度読み取ってください",
    "card_pin_format": (
        "暗証番号は数字4桁で入力してください。"
        "カードには送っていないので、入力できる残りの回数は減っていません"
    ),
    "card_wrong_pin": (
        "暗証番号が違います。あと{tries_left}回間違えるとカードがロックされます。"
        "ご本人に確かめてから、もう一度入力してください"
    ),
    "card_wrong_pin_last": (
        "暗証番号が違います。あと1回間違えるとカードがロックされます。"
        "次に間違えるとこのカードは窓口で使えなくなります。思い出せないときは入力せず、"
        "暗証番号の再設定(市区町村の窓口)をご案内してください"
    ),
    "card_blocked": (
        "暗証番号を続けて間違えたため、このカードの券面事項入力補助用の暗証番号はロックされています。"
        "暗証番号の再設定が必要です(ご本人が窓口で手続きします)。それまでは4つの情報を手で入力してください"
    ),
    "card_removed": "読み取りの途中でカードがリーダーから離れました。カードを置き直して、もう一度読み取ってください",
    "card_transmit": (
        "カードとの通信に失敗しました。カードを置き直して、もう一度読み取ってください"
        "(繰り返すときはリーダーをつなぎ直してください)"
    ),
    "card_in_use": "別のプログラムがカードを使っています。そのプログラムを閉じてから、もう一度読み取ってください",
    "card_data": "カードの情報を正しく読み取れませんでした({detail})。もう一度読み取り、繰り返すときは手で入力してください",
    "card_not_mynumber": (
        "マイナンバーカードではないようです(券面事項入力補助APがありません。カードの応答 {sw})。"
        "置かれたカードを確かめてください"
    ),
    "card_status": "カードが予期しない応答を返しました({step}で {sw})。カードを置き直して、もう一度読み取ってください",
    # --- The card agent on the clerk's PC, and the server's side of it ---
    "card_token_invalid": (
        "読み取りの許可が無効か、期限が切れています。窓口の画面で、もう一度「カードを読み取る」を押してください"
    ),
    "card_visit_closed": "この来庁は完了または取り消し済みです。カードの情報は登録していません",
    "card_facts_invalid": "カードから届いた4情報の形が正しくありません({detail})。もう一度読み取ってください",
    "agent_origin": "この画面からはカードリーダーを使えません(許可された madoguchi の画面だけが使えます)",
    "agent_bad_request": "読み取りの依頼の形が正しくありません",
    "agent_busy": "別の読み取りの途中です。終わってから、もう一度押してください",
    "agent_server_unreachable": (
        "madoguchi のサーバー({server})に接続できませんでした。ネットワークを確かめて、もう一度読み取ってください"
    ),
    "agent_server_refused": "サーバーが読み取った情報を受け付けませんでした: {why}",
}

# Python's json module explains a syntax error in English; these are said plainly.
_JSON_REASONS = {
    "Expecting value": "値がないか、書き方が違います",
    "Expecting ',' delimiter": "「,」が足りません",
    "Expecting ':' delimiter": "項目名の後の「:」が足りません",
    "Expecting property name enclosed in double quotes": (
        '項目名は "…" で囲んでください(最後の「,」が余分なこともあります)'
    ),
    "Unterminated string starting at": '文字列を閉じる「"」がありません',
    "Invalid control character at": "文字列の中に改行やタブがあります",
    "Invalid \\escape": "「\\」の使い方が違います",
    "Invalid \\uXXXX escape": "「\\」の使い方が違います",
    "Extra data": "JSON の終わりの後に余分な文字があります",
}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _variants(kind: str, loc: tuple, ctx: Mapping) -> list[str]:
    """Keys to try before the plain ``kind``: 「1900-01-01 以降の日付」 rather than
    「以上」, the whole body rather than a field, a member rather than any object."""
    keys = []
    if not loc:
        keys.append(f"{kind}:root")
    if len(loc) == 2 and loc[0] == "members" and isinstance(loc[1], int):
        keys.append(f"{kind}:member")
    if loc and isinstance(loc[-1], str):  # a field's own words: too_long:members
        keys.append(f"{kind}:{loc[-1]}")
    if any(_ISO_DATE.fullmatch(str(ctx.get(k, ""))) for k in ("ge", "le", "gt", "lt")):
        keys.append(f"{kind}:date")
    if kind == "json_invalid" and "line" not in ctx:
        keys.append(f"{kind}:bare")
    return [*keys, kind]


def _template(keys: list[str], language: str) -> str | None:
    tables = [MESSAGES_EN, _MESSAGES] if english(language) else [_MESSAGES]
    for table in tables:  # English falls back to Japanese (catalogue-only messages)
        for key in keys:
            if key in table:
                return table[key]
    return None


def _json_reason(reason: str, language: str) -> str:
    table = JSON_REASONS_EN if english(language) else _JSON_REASONS
    for start, words in table.items():
        if reason.startswith(start):
            return words
    return "the text is not written as JSON" if english(language) else "書き方が違います"


def _context(error: Mapping, loc: tuple, template: str, language: str) -> dict:
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    names = [p for p in loc if isinstance(p, str)]
    if "expected" in ctx:  # the field's values with their names, not pydantic's list
        choices = choices_text(names[-1], language) if names else None
        ctx["expected"] = choices or ctx["expected"].replace(" or ", ", ")
    if names and "key" not in ctx:
        ctx["key"] = names[-1]
    if "reason" in ctx:
        ctx["reason"] = _json_reason(ctx["reason"], language)
    if "{event_date}" in template:  # reads the catalogue: only when needed
        ctx["event_date"] = event_date_name(ctx.get("event"), language)
    return ctx


def error_message(error: Mapping, language: str = "ja") -> str:
    """One error dict (pydantic's, or ``json_input``'s) → its message, without the
    location; never pydantic's English."""
    kind = str(error.get("type", ""))
    loc = error_location(error)
    template = _template(_variants(kind, loc, error.get("ctx") or {}), language)
    if template is None:
        # A message is missing here: say something plain, and tell the developers.
        logger.warning("no message for validation error type %r", kind)
        template = _template(["unknown"], language) or ""
    try:
        return template.format(**_context(error, loc, template, language))
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip(":: (")  # noqa: B005 (a set of characters)


def error_location(error: Mapping) -> tuple:
    """Where the error is: validators that check two fields say which in ``ctx.field``."""
    ctx = error.get("ctx") or {}
    if "field" in ctx:
        return tuple(int(p) if p.isdigit() else p for p in str(ctx["field"]).split("."))
    # The body wrapper (API) and union tags are not part of the user's field path.
    return tuple(p for p in error.get("loc", ()) if p not in ("body", "payload"))


def _label_of(error: Mapping, loc: tuple, language: str) -> str:
    # An unknown key is named in the message; the label says whose it is (「1人目」).
    kind = error.get("type")
    if kind in ("extra_forbidden", "duplicate_key") and loc:
        if kind == "extra_forbidden" or not known_field(loc[-1]):
            return field_label(loc[:-1], language)
    return field_label(loc, language)


def describe(errors: Iterable[Mapping], language: str = "ja") -> list[dict]:
    """Errors as ``{"field", "label", "message"}`` dicts, for the API, CLI and web:
    ``field`` for programs (``members.0.birth_date``), ``label`` and ``message`` for
    people (「1人目の生年月日」, 「生まれた日(出来事の日)より後の日付になっています」)."""
    described = []
    for error in errors:
        loc = error_location(error)
        described.append(
            {
                "field": field_path(loc),
                "label": _label_of(error, loc, language),
                "message": error_message(error, language),
            }
        )
    return described


def one_line(errors: Iterable[Mapping], language: str = "ja") -> str:
    """All errors on one line, each as 「label: message」 (no code names)."""
    parts = [
        f"{d['label']}: {d['message']}" if d["label"] else d["message"]
        for d in describe(errors, language)
    ]
    return " ".join(parts) if english(language) else "。".join(parts)
