"""``./dev manage demo --password PW``: the example city's demo people and their
things, so a newcomer can sign in and look around.

Each app adds what it owns (residents: the people; applications: their
checklists and applications; later the back office: its clerks) by registering a
step here from its ``AppConfig.ready()``. Steps run in ``order`` and share one
dict (e.g. ``people``). Every step must be idempotent: running the command again
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[[dict, str], list[str]]  # (shared, password) -> lines to print
_steps: dict[str, tuple[int, Step]] = {}


def register(name: str, order: int) -> Callable[[Step], Step]:
    def add(step: Step) -> Step:
        _steps[name] = (order, step)
        return step

    return add


def run(password: str) -> list[str]:
    shared: dict = {}
    lines: list[str] = []
    for _name, (_order, step) in sorted(_steps.items(), key=lambda item: item[1][0]):
        lines += step(shared, password)
    return lines
