"""Reading the guide's answer in tests: statuses, entries by id, what is asked."""

from datetime import date

from madoguchi.catalog.guide import GuideOut, run_guide
from madoguchi.catalog.situation import Situation

TODAY = date(2026, 11, 25)


def guide(catalog, s: Situation, lang: str = "ja") -> GuideOut:
    return run_guide(catalog, s, lang, today=TODAY)


def by_id(result: GuideOut) -> dict:
    return {p.id: p for p in result.procedures}


def statuses(catalog, s: Situation) -> dict[str, str]:
    return {p.id: p.status for p in guide(catalog, s).procedures}


def asked(result: GuideOut) -> dict[str, list[str]]:
    return {q.fact: q.decides for q in result.questions}
