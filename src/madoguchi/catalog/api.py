"""The catalogue's part of the JSON API: ``POST /api/v1/guide`` and
``GET /api/v1/procedures?q=`` (procedures found by name).

The router is mounted on the project's one API (``madoguchi.api``)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from madoguchi.catalog.guide import GuideOut, run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.search import MAX_QUERY, ProcedureHit, hit, search_procedures
from madoguchi.catalog.situation import IsoDate, Situation
from madoguchi.common.api_errors import ErrorOut

router = Router(tags=["guide"])


@router.post(
    "/guide",
    response={200: GuideOut, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="手続きガイド: 状況から必要な手続きを返す",
)
def guide(
    request: HttpRequest,
    situation: Situation,
    lang: Literal["ja", "en"] | None = None,
    today: IsoDate = None,
):
    """状況(出来事・日付・世帯員)を受け取り、当てはまる手続き・理由・期限と、
    まだ答えが必要な質問を返します。書かれていない項目は「不明」として扱います。
    言語は `lang`、なければ Accept-Language で決まります(既定は日本語)。
    `today` はできごとがあった日がないときに年齢を数える基準日です(既定は今日)。

    日付は "2026-11-20" の形の文字列、はい・いいえは true / false、数は整数で書きます。
    同じ項目を2回書いた JSON や、UTF-8 以外の文字コードは受け付けません(先頭の BOM は
    読み飛ばします)。エラーは `{"detail": [{"field", "label", "message"}]}` の形で、
    `field` はプログラム用の場所(`members.0.birth_date`)、`label` と `message` は
    リクエストの言語の文章です。"""
    language = lang or getattr(request, "LANGUAGE_CODE", "ja")
    answer = run_guide(current_catalog(), situation, language, today=today)
    # ``answer`` is already a validated GuideOut: pydantic-core writes its JSON
    # directly, where ninja would validate it again and encode it in Python (that
    # took about a third of the request's time). The schema above still documents it.
    # As bytes (what ``model_dump_json`` decodes and HttpResponse would encode again).
    body = answer.__pydantic_serializer__.to_json(answer)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get(
    "/procedures",
    response={200: list[ProcedureHit], 422: ErrorOut},
    summary="手続きを名前で探す",
)
def procedures(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY),
    lang: Literal["ja", "en"] | None = None,
):
    """名前・やさしい名前・読み・キーワードで手続きを探します。ひらがな・カタカナ・漢字、
    全角・半角のどれでも同じように見つかります(「かいご」「カイゴ」「ｶｲｺﾞ」「介護」)。
    空白で区切ったことばは、すべてを含む手続きだけを返します。`q` が空なら空のリストです。
    `url` は手続きの説明のページ、`has_form` はこのサイトでオンライン申請できるか、
    `requires_identity` は申請の前に本人確認が要るかです。"""
    language = lang or getattr(request, "LANGUAGE_CODE", "ja")
    catalog = current_catalog()
    return [hit(catalog, p, language) for p in search_procedures(catalog, q)]
