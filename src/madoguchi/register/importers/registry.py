"""Register importers: one interface, one folder per file layout.

An importer reads one kind of file from the town's 住民記録システム in two passes
over the file, so that a file of any size is read as a stream:

1. ``check(path)`` reads all of it and says what is wrong (``Problem``: line,
   column, a Japanese sentence) and what is only worth a look (warnings), and which
   encoding it found. Nothing is written; a file whose ``check`` has a problem is not
   imported at all (``importing.py``).
2. ``records(path)`` yields one ``Record`` per person, in file order; it is only
   called on a file that passed ``check``.

Plugins live in ``contrib/<name>/`` and register themselves:

    @register("madoguchi-csv")
    class MadoguchiCsv(Importer): ...

Planned, not built: the 住民記録システム標準仕様書's layout and a core system's
nightly change file. Each is one new folder with its own ``check``/``records``;
the diff, the batches, the audit and the command stay as they are (a nightly file
of changes only would leave ``not_in_file`` meaningless: it says so in its name).
``check_config()`` says in Japanese what is missing (a layout file, a code table),
``[]`` when ready. Tests make their own ``Registry`` instead of patching functions.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Record:
    """One person as the file says, already checked and tidied. The names are
    ``Person``'s fields (``FACTS``)."""

    number: str
    household: str
    relationship: str
    name: str
    name_kana: str
    birth_date: date
    sex: str
    postal_code: str
    address: str
    insurance: str
    shaho_dependant: bool
    care_certified: bool
    resident_since: date
    status: str
    status_date: date | None


FACTS = tuple(f for f in Record.__dataclass_fields__ if f != "number")
HOUSEHOLD_FACTS = ("household", "relationship")


@dataclass(frozen=True)
class Problem:
    """Something that stops the import. ``line`` 0: the file as a whole."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.line}行目" if self.line else "ファイル"
        return (
            f"{where}「{self.column}」: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


@dataclass
class Check:
    """What ``check`` found: the import goes ahead only when ``problems`` is empty."""

    encoding: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0  # every problem, also those beyond the kept list
    warnings: list[str] = field(default_factory=list)
    # A 個人番号 was found: nothing else of the file is reported or read.
    my_number: bool = False

    KEEP = 10_000  # problems kept to show; the rest are counted

    def add(self, line: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < self.KEEP:
            self.problems.append(Problem(line, column, message))

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class Importer:
    """Base class. Subclasses set ``id`` (by ``@register``) and ``name``."""

    id: str = ""
    name: dict[str, str] = {"ja": "", "en": ""}

    def label(self, language: str = "ja") -> str:
        return self.name.get("en" if language.startswith("en") else "ja") or self.id

    def check_config(self) -> list[str]:
        """What is missing or wrong, each as a Japanese sentence; ``[]`` if ready."""
        return []

    def check(self, path: Path, progress: Callable[[int], None] | None = None) -> Check:
        """Read all of ``path``; ``progress(rows read)`` now and then."""
        raise NotImplementedError

    def records(self, path: Path) -> Iterator[Record]:
        raise NotImplementedError


class Registry:
    def __init__(self) -> None:
        self._classes: dict[str, type[Importer]] = {}

    def register(self, importer_id: str):
        def decorate(cls: type[Importer]) -> type[Importer]:
            if importer_id in self._classes and self._classes[importer_id] is not cls:
                raise ValueError(f"register importer {importer_id!r} is registered twice")
            cls.id = importer_id
            self._classes[importer_id] = cls
            return cls

        return decorate

    def ids(self) -> list[str]:
        return sorted(self._classes)

    def get(self, importer_id: str) -> Importer:
        try:
            return self._classes[importer_id]()
        except KeyError:
            known = "、".join(self.ids())
            raise KeyError(
                f"「{importer_id}」という取り込みの方法はありません(使えるもの: {known})"
            ) from None

    def settings_problems(self) -> dict[str, list[str]]:
        """Every importer with what is missing for it (for staff)."""
        return {i: self.get(i).check_config() for i in self.ids()}


registry = Registry()
register = registry.register


def load_contrib() -> None:
    """Import every ``contrib/<name>/`` package so its ``@register`` runs."""
    from madoguchi.register.importers import contrib

    for module in pkgutil.iter_modules(contrib.__path__):
        importlib.import_module(f"{contrib.__name__}.{module.name}")
