"""Banks and their branches by 全銀 code (金融機関コード 4 digits, 支店コード 3),
from the ``zengin-code`` data package (npm, installed by ``./dev`` with the other
front-end assets; updated every few months from the 全銀協 list). Read once, on
first use; no network."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.conf import settings

DATA = "node_modules/zengin-code/lib/zengin-data.js"


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    text = (settings.PROJECT_DIR / DATA).read_text(encoding="utf-8")
    # The package ships its data as ``module.exports = {…};``: the object is JSON.
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def bank(code: str) -> Place | None:
    found = _data().get(code)
    return Place(code, found["name"]) if found else None


def branch(bank_code: str, code: str) -> Place | None:
    found = (_data().get(bank_code) or {}).get("branches", {}).get(code)
    return Place(code, found["name"]) if found else None
