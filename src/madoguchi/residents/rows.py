"""Redrawing a form without saving it (住所を入れる, 世帯員を追加・削除) — the way the
page works without JavaScript."""

from __future__ import annotations

import re

from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict


def quiet(form) -> None:
    """Keep what was typed, but show no errors yet (the resident is not done)."""
    form.full_clean()
    form._errors = ErrorDict()


def quiet_formset(formset) -> None:
    formset.full_clean()
    formset._non_form_errors = ErrorList()
    formset._errors = [ErrorDict() for _ in formset.forms]
    for form in formset.forms:
        quiet(form)


def with_row_added(data: QueryDict, prefix: str, limit: int) -> QueryDict:
    data = data.copy()
    total = _total(data, prefix)
    data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, limit))
    return data


def with_row_removed(data: QueryDict, prefix: str, index: int) -> QueryDict:
    """Row ``index`` dropped and the rows after it moved up by one."""
    total = _total(data, prefix)
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    kept = QueryDict(mutable=True)
    for key, values in data.lists():
        match = pattern.match(key)
        if not match:
            kept.setlist(key, values)
            continue
        row = int(match[1])
        if row == index:
            continue
        new = row - 1 if row > index else row
        kept.setlist(f"{prefix}-{new}-{match[2]}", values)
    if 0 <= index < total:
        kept[f"{prefix}-TOTAL_FORMS"] = str(total - 1)
    return kept


def _total(data: QueryDict, prefix: str) -> int:
    try:
        return max(0, int(data.get(f"{prefix}-TOTAL_FORMS", "0")))
    except ValueError:
        return 0
