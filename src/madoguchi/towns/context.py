"""The town a piece of work belongs to: a context variable, set by the middleware
for a request, by ``activate`` for a task or a command. Everything that holds a
town's data reads it (``scoping.py``); nothing guesses it."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.towns.models import Town

_town: ContextVar[Town | None] = ContextVar("madoguchi_town", default=None)


class NoActiveTown(LookupError):
    """A town's data was asked for with no town active (fail closed)."""


def current_town() -> Town | None:
    return _town.get()


def require_town() -> Town:
    town = _town.get()
    if town is None:
        raise NoActiveTown("no town is active: wrap the work in towns.context.activate(town)")
    return town


@contextmanager
def activate(town: Town):
    token = _town.set(town)
    try:
        yield town
    finally:
        _town.reset(token)
