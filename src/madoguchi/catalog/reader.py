"""One catalogue folder's YAML files, read with every problem located.

:class:`Reader` reads a file (a syntax error, or list items YAML folded together,
become problems with their line), validates it against a model (pydantic's errors
in plain Japanese, see ``check_messages``) and collects :class:`Problem` s. ruamel.yaml
keeps the line of every key and item, and rejects duplicate keys.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from madoguchi.catalog.check_messages import plain_errors
from madoguchi.catalog.yaml_messages import folded_list_items, syntax_error, yaml11_unsafe_values
from madoguchi.common.errors_ja import error_message, field_label


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def line_of(raw: object, path: tuple) -> int | None:
    """1-based line of the deepest part of ``path`` that exists in the YAML."""
    line = None
    node = raw
    for part in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                line = lc.item(part)[0] + 1 if lc else line
                node = node[part]
            elif isinstance(node, dict) and part in node:
                line = lc.key(part)[0] + 1 if lc else line
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(raw, "lc", None) is not None:
        line = raw.lc.line + 1
    return line


@functools.lru_cache(maxsize=2048)
def _parse(text: str) -> tuple[object, tuple[tuple[int, str], ...]]:
    """A file's data and the problems its layout shows (folded list items, values a
    YAML 1.1 reader cuts short), composed once.

    Kept by content: a catalogue is read again on every check, reload and (in tests)
    with one file changed, and the unchanged files need not be parsed again. Callers
    get a deep copy (ruamel keeps the lines in it), so the cached tree stays as read."""
    yaml = YAML(typ="rt")
    node = yaml.compose(text)
    data = None if node is None else yaml.constructor.construct_document(node)
    return data, (*folded_list_items(text, node), *yaml11_unsafe_values(text, node))


class Reader:
    """Collects problems while reading one catalogue directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[Problem] = []
        self.raw: dict[str, object] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.directory))
        except ValueError:
            return str(path)

    def problem(self, file: str, path: tuple, message: str) -> None:
        self.problems.append(Problem(file, line_of(self.raw.get(file), path), message))

    def read(self, path: Path) -> object | None:
        name = self.rel(path)
        if not path.is_file():
            self.problems.append(Problem(name, None, "ファイルがありません"))
            return None
        try:
            text = path.read_text(encoding="utf-8")
            data, folded = _parse(text)
        except UnicodeDecodeError:
            self.problems.append(Problem(name, None, "UTF-8 で保存してください"))
            return None
        except MarkedYAMLError as exc:
            self.problems.append(Problem(name, *syntax_error(exc, text)))
            return None
        self.problems.extend(Problem(name, line, m) for line, m in folded)
        data = copy.deepcopy(data)
        self.raw[name] = data
        return data

    def validate(self, model: type[BaseModel] | TypeAdapter, data: object, file: str, prefix=()):
        adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            errors = exc.errors()
            if isinstance(model, TypeAdapter):
                plain = [(tuple(e["loc"]), error_message(e)) for e in errors]
            else:
                plain = plain_errors(model, errors)
            for loc, message in plain:
                loc = (*prefix, *loc)
                where = field_label(loc) if loc else "ファイル全体"
                self.problem(file, loc, f"{where}: {message}")
            return None
