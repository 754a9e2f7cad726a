"""Reading a municipality's catalogue from YAML, with every problem located.

``check(directory)`` returns all problems (file, line, plain-Japanese message);
``load(directory)`` returns the :class:`Catalog` or raises :class:`CatalogError`.
YAML is read with ruamel.yaml, which keeps line numbers and rejects duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from madoguchi.catalog.facts import (
    EVENTS,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    MEMBER_INPUTS,
    askable_fact,
)
from madoguchi.catalog.rules import RuleError, Rules
from madoguchi.catalog.schema import (
    AgeRule,
    Department,
    LifeEvent,
    Municipality,
    Procedure,
    Question,
)
from madoguchi.common.errors_ja import error_location, error_message, field_label


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Catalog:
    directory: Path
    municipality: Municipality
    departments: dict[str, Department]
    life_events: dict[str, LifeEvent]
    questions: list[Question]
    procedures: dict[str, Procedure]
    rules: Rules = field(repr=False)
    ages: list[AgeRule] = field(default_factory=list)

    def question_for(self, scope: str, fact: str) -> Question | None:
        for question in self.questions:
            if question.scope == scope and question.fact == fact:
                return question
        return None


def _line_of(raw: object, path: tuple) -> int | None:
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


class _Reader:
    """Collects problems while reading one catalogue directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[Problem] = []
        self.raw: dict[str, object] = {}
        self._yaml = YAML(typ="rt")

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.directory))
        except ValueError:
            return str(path)

    def problem(self, file: str, path: tuple, message: str) -> None:
        self.problems.append(Problem(file, _line_of(self.raw.get(file), path), message))

    def read(self, path: Path) -> object | None:
        name = self.rel(path)
        if not path.is_file():
            self.problems.append(Problem(name, None, "ファイルがありません"))
            return None
        try:
            data = self._yaml.load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.problems.append(Problem(name, None, "UTF-8 で保存してください"))
            return None
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            what = (
                "同じ項目名が二度書かれています"
                if "duplicate" in str(exc)
                else "YAML として読めません"
            )
            self.problems.append(Problem(name, line, f"{what}: {exc.problem or exc}"))
            return None
        self.raw[name] = data
        return data

    def validate(self, model: type[BaseModel] | TypeAdapter, data: object, file: str, prefix=()):
        adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = (*prefix, *error_location(error))
                where = field_label(loc) if loc else "ファイル全体"
                self.problem(file, loc, f"{where}: {error_message(error)}")
            return None


def _check_unique(reader: _Reader, items: list[tuple[str, str, tuple]], what: str) -> None:
    seen: dict[str, str] = {}
    for file, ident, path in items:
        if ident in seen:
            reader.problem(
                file, path, f"{what}のID「{ident}」が重複しています(最初は {seen[ident]})"
            )
        else:
            seen[ident] = file


def _read_list(reader: _Reader, name: str, model: type[BaseModel], optional: bool = False) -> list:
    if optional and not (reader.directory / name).exists():
        return []
    data = reader.read(reader.directory / name)
    if data is None:
        return []
    if not isinstance(data, list):
        reader.problem(name, (), "項目のリスト(- で始まる行)にしてください")
        return []
    items = []
    for i, entry in enumerate(data):
        item = reader.validate(model, entry, name, (i,))
        if item is not None:
            items.append((item, (i,)))
    _check_unique(
        reader, [(name, getattr(it, "id", None) or it.fact, p) for it, p in items], model.__name__
    )
    return items


def _read_procedures(reader: _Reader) -> list[tuple[Procedure, str]]:
    procedures: list[tuple[Procedure, str]] = []
    files = sorted((reader.directory / "procedures").glob("*.yaml"))
    if not files:
        reader.problems.append(Problem("procedures/", None, "手続きのファイル(*.yaml)がありません"))
    for path in files:
        raw = reader.read(path)
        if raw is None:
            continue
        proc = reader.validate(Procedure, raw, reader.rel(path))
        if proc is not None:
            procedures.append((proc, reader.rel(path)))
    _check_unique(reader, [(f, p.id, ("id",)) for p, f in procedures], "手続き")
    return procedures


def _check_references(reader: _Reader, procedures, departments, events) -> None:
    """Departments and same_as deadlines exist; every life event is described."""
    dept_ids = {d.id for d, _ in departments}
    by_id = {p.id: p for p, _ in procedures}
    for proc, file in procedures:
        if proc.department not in dept_ids:
            reader.problem(
                file,
                ("department",),
                f"担当課「{proc.department}」は departments.yaml にありません",
            )
        target = proc.deadline.same_as
        if target and target not in by_id:
            reader.problem(
                file, ("deadline", "same_as"), f"期限の same_as「{target}」という手続きはありません"
            )
        elif target and by_id[target].deadline.same_as:
            reader.problem(
                file,
                ("deadline", "same_as"),
                f"same_as の先「{target}」も same_as です。日付のある手続きを指してください",
            )
    event_ids = {e.id for e, _ in events}
    for missing in [e for e in EVENTS if e not in event_ids and events]:
        reader.problem("life_events.yaml", (), f"出来事「{missing}」の説明がありません")


def _check_question_facts(reader: _Reader, questions) -> None:
    for question, path in questions:
        if question.scope == "household":
            askable = question.fact in HOUSEHOLD_FACTS
        else:
            fact = MEMBER_FACTS.get(question.fact)
            askable = question.fact in MEMBER_INPUTS or (fact is not None and not fact.asked_as)
        if not askable:
            reader.problem(
                "questions.yaml",
                (*path, "fact"),
                f"質問「{question.id}」の項目「{question.fact}」は尋ねられる項目ではありません",
            )


def _check_ages(reader: _Reader, ages) -> None:
    """A catalogue's named age may not hide a built-in fact."""
    for rule, path in ages:
        if rule.fact in MEMBER_FACTS or rule.fact in MEMBER_INPUTS:
            reader.problem(
                "ages.yaml", (*path, "fact"), f"「{rule.fact}」は組み込みの項目と同じ名前です"
            )


def _compile_rules(reader: _Reader, procedures, ages, events) -> tuple[Rules, bool]:
    """Compile every condition; report the broken ones and compile the rest.

    Returns the rules and whether all conditions compiled (only then can we tell
    which questions are used).
    """
    by_file = {p.id: f for p, f in procedures}
    ages = [a for a, _ in ages if a.fact not in MEMBER_FACTS]
    life_events = {e.id: e for e, _ in events}
    try:
        return Rules([p for p, _ in procedures], ages, life_events), True
    except ExceptionGroup as group:
        broken = set()
        for exc in group.exceptions:
            assert isinstance(exc, RuleError)
            proc_id, *path = exc.path
            broken.add(proc_id)
            reader.problem(by_file[proc_id], tuple(path), str(exc))
        kept = [p for p, _ in procedures if p.id not in broken]
        return Rules(kept, ages, life_events), False


def _check_reasons_and_questions(
    reader: _Reader, rules: Rules, procedures, questions, complete: bool
) -> None:
    """Every leaf has a reason; every question is used; every used fact is asked."""
    used: set[tuple[str, str]] = set()
    for proc, file in procedures:
        root = rules.roots.get(proc.id)
        if root is None:
            continue
        for node in root.walk():
            for fact in node.facts:
                used.add((node.scope, askable_fact(node.scope, fact, rules.member_facts)))
            if (node.scope or node.kind == "not") and not _has_reason(root, node):
                reader.problem(
                    file, node.path, "この条件には reason(当てはまる理由の文)を書いてください"
                )
    if not complete:
        return  # which questions are used is unknowable while conditions are unreadable
    asked = {(q.scope, q.fact) for q, _ in questions}
    for question, path in questions:
        if (question.scope, question.fact) not in used:
            reader.problem(
                "questions.yaml",
                path,
                f"質問「{question.id}」はどの手続きの条件にも使われていません",
            )
    for scope, fact in sorted(used - asked):
        if fact != "event":  # the event is the guide's first choice, not a question
            reader.problem(
                "questions.yaml", (), f"条件で使う項目「{fact}」({scope})を尋ねる質問がありません"
            )


def _read(directory: Path) -> tuple[_Reader, Catalog | None]:
    reader = _Reader(directory)
    if not directory.is_dir():
        reader.problems.append(Problem(str(directory), None, "カタログのフォルダがありません"))
        return reader, None

    data = reader.read(directory / "municipality.yaml")
    municipality = None
    if data is not None:
        municipality = reader.validate(Municipality, data, "municipality.yaml")
    departments = _read_list(reader, "departments.yaml", Department)
    events = _read_list(reader, "life_events.yaml", LifeEvent)
    questions = _read_list(reader, "questions.yaml", Question)
    ages = _read_list(reader, "ages.yaml", AgeRule, optional=True)
    procedures = _read_procedures(reader)

    _check_references(reader, procedures, departments, events)
    _check_question_facts(reader, questions)
    _check_ages(reader, ages)
    rules, complete = _compile_rules(reader, procedures, ages, events)
    _check_reasons_and_questions(reader, rules, procedures, questions, complete)

    if reader.problems or municipality is None:
        return reader, None
    catalog = Catalog(
        directory=directory,
        municipality=municipality,
        departments={d.id: d for d, _ in departments},
        life_events={e.id: e for e, _ in events},
        questions=[q for q, _ in questions],
        procedures={p.id: p for p, _ in procedures},
        rules=rules,
        ages=[a for a, _ in ages],
    )
    return reader, catalog


def _has_reason(root, target) -> bool:
    """Whether ``target`` or one of its ancestors carries a ``reason``."""

    def visit(node, inherited: bool) -> bool | None:
        here = inherited or bool(node.condition.reason)
        if node is target:
            return here
        for child in node.children:
            found = visit(child, here)
            if found is not None:
                return found
        return None

    return bool(visit(root, False))


def check(directory: Path) -> list[Problem]:
    reader, _ = _read(Path(directory))
    return reader.problems


def load(directory: Path) -> Catalog:
    reader, catalog = _read(Path(directory))
    if catalog is None:
        raise CatalogError(reader.problems)
    return catalog
