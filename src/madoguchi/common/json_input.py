"""Reading JSON sent to us (API bodies, ``./dev guide FILE.json``), strictly and the
same way everywhere.

``json.loads`` alone is too forgiving for a public contract: the last of two equal
keys silently wins, ``NaN`` and ``Infinity`` are accepted, and bytes in UTF-16 or
UTF-32 are decoded by guessing. Here the text must be UTF-8 (RFC 8259 §8.1), a
leading byte order mark is ignored (Windows Notepad and PowerShell write one; the
RFC allows ignoring it), and every problem comes back as a pydantic-style error
dict, so ``errors_ja.describe`` words it like any other.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator

BOM = "\ufeff"


class JsonInputError(ValueError):
    """The text is not JSON we can read unambiguously; ``errors`` say why and where."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(errors)


class _Object(dict):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: list[str]


def _object(found: list, pairs: list[tuple[str, object]]) -> dict:
    """A plain dict, unless a key came twice: only then an ``_Object`` that says which,
    noted in ``found`` (the common case builds nothing more than ``json.loads``)."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    found.append(True)
    obj = _Object(pairs)
    counts = Counter(key for key, _ in pairs)
    obj.duplicates = [key for key, n in counts.items() if n > 1]
    return obj


def _no_constant(name: str) -> object:
    raise JsonInputError([{"type": "json_constant", "loc": (), "ctx": {"value": name}}])


def _duplicates(value: object, path: tuple = ()) -> Iterator[dict]:
    if isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            yield {"type": "duplicate_key", "loc": (*path, key), "ctx": {"key": key}}
        for key, item in value.items():
            yield from _duplicates(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _duplicates(item, (*path, i))


def load_json(raw: bytes | str) -> object:
    """Parse JSON text; raise :class:`JsonInputError` with every problem found."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JsonInputError([{"type": "not_utf8", "loc": ()}]) from None
    text = raw.removeprefix(BOM)
    if not text.strip():
        raise JsonInputError([{"type": "body_missing", "loc": ()}])
    try:
        found: list = []
        hook = functools.partial(_object, found)
        value = json.loads(text, object_pairs_hook=hook, parse_constant=_no_constant)
        # The tree is walked only when some object had a key twice (an error).
        duplicates = list(_duplicates(value)) if found else []
    except json.JSONDecodeError as exc:
        ctx = {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}
        raise JsonInputError([{"type": "json_invalid", "loc": (), "ctx": ctx}]) from None
    except RecursionError:  # [[[[…]]]] nested deeper than Python's stack
        raise JsonInputError([{"type": "json_too_deep", "loc": ()}]) from None
    if duplicates:
        raise JsonInputError(duplicates)
    return value
