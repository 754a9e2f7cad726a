"""Reading a municipality's catalogue from YAML, with every problem located.

``check(directory)`` returns all problems (file, line, plain-Japanese message);
``load(directory)`` returns the :class:`Catalog` or raises :class:`CatalogError`.
Files are read by ``reader``; this module checks the catalogue as a whole, one step
per kind of problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from madoguchi.catalog.check_messages import closest, show, suggest_id
from madoguchi.catalog.facts import (
    EVENTS,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    MEMBER_INPUTS,
    askable_fact,
)
from madoguchi.catalog.form_checks import check_forms
from madoguchi.catalog.procedure_checks import (
    check_options,
    check_sources,
    deadline_facts,
    enabled,
)
from madoguchi.catalog.reader import Problem, Reader, line_of
from madoguchi.catalog.rules import RuleError, Rules
from madoguchi.catalog.schema import (
    AgeRule,
    Deadline,
    Department,
    LifeEvent,
    Municipality,
    OtherOffice,
    Procedure,
    Question,
    Text,
)

__all__ = ["Catalog", "CatalogError", "Problem", "check", "load"]


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
    other_offices: list[OtherOffice] = field(default_factory=list)
    # Each procedure's deadline rule, ``same_as`` already followed (also to a procedure
    # this town does not offer).
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    # What other modules work out once from the catalogue (e.g. the guide's texts
    # per language); the catalogue itself is never changed after loading.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def question_for(self, scope: str, fact: str) -> Question | None:
        by_fact = self.derived.get("questions") or self.derived.setdefault(
            "questions", {(q.scope, q.fact): q for q in reversed(self.questions)}
        )
        return by_fact.get((scope, fact))


# What a list file's entries are called, and which key identifies one.
_ENTRIES = {
    Department: ("担当課のID", "id"),
    LifeEvent: ("出来事", "id"),
    Question: ("質問のID", "id"),
    AgeRule: ("年齢の名前", "fact"),
    OtherOffice: ("ほかの窓口のID", "id"),
}


def _check_unique(reader: Reader, name: str, items: list, model: type[BaseModel]) -> None:
    what, key = _ENTRIES[model]
    first: dict[str, tuple] = {}
    for item, path in items:
        ident = getattr(item, key)
        if ident not in first:
            first[ident] = path
            continue
        line = line_of(reader.raw.get(name), first[ident])
        reader.problem(name, path, f"{what}「{show(ident)}」が重複しています({line}行目と同じです)")


def _read_list(reader: Reader, name: str, model: type[BaseModel], optional: bool = False) -> list:
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
    _check_unique(reader, name, items, model)
    return items


def _read_procedures(reader: Reader) -> list[tuple[Procedure, str]]:
    procedures: list[tuple[Procedure, str]] = []
    folder = reader.directory / "procedures"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        reader.problems.append(Problem("procedures/", None, "手続きのファイル(*.yaml)がありません"))
    for path in sorted(folder.glob("*.yml")):
        reader.problems.append(
            Problem(
                reader.rel(path),
                None,
                f"読み込まれません。ファイル名を「{path.stem}.yaml」にしてください",
            )
        )
    for path in files:
        raw = reader.read(path)
        if raw is None:
            continue
        proc = reader.validate(Procedure, raw, reader.rel(path))
        if proc is not None:
            procedures.append((proc, reader.rel(path)))
    _check_file_names(reader, procedures)
    return procedures


def _check_file_names(reader: Reader, procedures) -> None:
    """A procedure is in ``procedures/<id>.yaml``: the file whose name differs is the
    one to fix (a copy whose id was not changed, not the original)."""
    files_of: dict[str, list[str]] = {}
    for proc, file in procedures:
        files_of.setdefault(proc.id, []).append(file)
    for proc, file in procedures:
        stem = Path(file).stem
        if stem == proc.id:
            continue
        rename = f"ファイル名を「{proc.id}.yaml」にする"
        new_id = (
            f"id を「{stem}」にしてください" if suggest_id(stem) == stem else "id を変えてください"
        )
        others = [f for f in files_of[proc.id] if f != file]
        if others:
            message = f"id「{proc.id}」が {others[0]} と同じです。コピーした手続きなら、{new_id}"
        else:
            message = f"id「{proc.id}」がファイル名と違います。{rename}か、{new_id}"
        reader.problem(file, ("id",), message)


def _raw_ids(reader: Reader, files: list[str]) -> set[str]:
    """IDs as written, also in entries that failed validation (and reported there),
    so that what refers to them is not reported a second time."""
    ids = set()
    for file in files:
        raw = reader.raw.get(file)
        for entry in raw if isinstance(raw, list) else [raw]:
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str):
                ids |= {ident, suggest_id(ident) or ident}
    return ids


def _unreadable(reader: Reader, name: str, items: list) -> list[dict]:
    """Entries of a list file that failed validation (already reported), as written:
    what they define still counts elsewhere, so one mistake is reported once."""
    raw = reader.raw.get(name)
    read = {path[0] for _, path in items}
    if not isinstance(raw, list):
        return []
    return [e for i, e in enumerate(raw) if i not in read and isinstance(e, dict)]


def _unreadable_ages(reader: Reader, ages: list) -> list[tuple[AgeRule, None]]:
    """Stand-ins for the ages whose entry is broken, so conditions using them compile."""
    stand_ins = []
    for entry in _unreadable(reader, "ages.yaml", ages):
        fact = entry.get("fact")
        fact = (
            suggest_id(fact).replace("-", "_")
            if isinstance(fact, str) and suggest_id(fact)
            else None
        )
        if fact and fact.endswith("_age"):
            effect = entry.get("takes_effect")
            effect = effect if effect in ("birthday", "day_before_birthday") else "birthday"
            rule = AgeRule.model_construct(
                fact=fact, name=Text(ja=fact), takes_effect=effect, legal_basis=""
            )
            stand_ins.append((rule, None))
    return stand_ins


def _not_found(value: str, known: set[str]) -> str:
    meant = closest(value, known)
    return f"「{meant}」のまちがいではありませんか" if meant else ""


def _check_references(reader: Reader, procedures, departments, events) -> None:
    """Departments and same_as deadlines exist; every life event is described."""
    dept_ids = {d.id for d, _ in departments}
    by_id = {p.id: p for p, _ in procedures}
    written = _raw_ids(reader, [f for f in reader.raw if f.startswith("procedures/")])
    for proc, file in procedures:
        if proc.department not in dept_ids | _raw_ids(reader, ["departments.yaml"]):
            reader.problem(
                file,
                ("department",),
                f"担当課「{show(proc.department)}」は departments.yaml にありません。"
                + _not_found(proc.department, dept_ids),
            )
        target = proc.deadline.same_as
        if target and target not in by_id and target not in written:
            reader.problem(
                file,
                ("deadline", "same_as"),
                f"期限の same_as「{show(target)}」という手続きはありません。"
                + _not_found(target, set(by_id)),
            )
        elif target in by_id and by_id[target].deadline.same_as:
            reader.problem(
                file,
                ("deadline", "same_as"),
                f"same_as の先「{target}」も same_as です。日付のある手続きを指してください",
            )
    event_ids = {e.id for e, _ in events}
    for entry in _unreadable(reader, "life_events.yaml", events):
        event_ids |= {entry.get("id"), closest(str(entry.get("id")), EVENTS)}
    for missing in [e for e in EVENTS if e not in event_ids and events]:
        reader.problem("life_events.yaml", (), f"出来事「{missing}」の説明がありません")


def _check_question_facts(reader: Reader, questions) -> None:
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


def _check_ages(reader: Reader, ages) -> None:
    """A catalogue's named age may not hide a built-in fact."""
    for rule, path in ages:
        if rule.fact in MEMBER_FACTS or rule.fact in MEMBER_INPUTS:
            reader.problem(
                "ages.yaml", (*path, "fact"), f"「{rule.fact}」は組み込みの項目と同じ名前です"
            )


def _compile_rules(reader: Reader, procedures, ages, events) -> tuple[Rules, bool]:
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
    reader: Reader, rules: Rules, procedures, questions, complete: bool
) -> None:
    """Every leaf has a reason; every question is used; every used fact is asked."""
    used: set[tuple[str, str]] = deadline_facts(procedures)
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
    asked |= {
        (q.get("scope"), q.get("fact")) for q in _unreadable(reader, "questions.yaml", questions)
    }
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


def _read(directory: Path) -> tuple[Reader, Catalog | None]:
    reader = Reader(directory)
    if not directory.is_dir():
        reader.problems.append(Problem(str(directory), None, "カタログのフォルダがありません"))
        return reader, None

    data = reader.read(directory / "municipality.yaml")
    municipality = None
    if data is not None:
        municipality = reader.validate(Municipality, data, "municipality.yaml")
        logo = municipality and municipality.look and municipality.look.logo
        if logo and not (directory / logo).is_file():
            reader.problem(
                "municipality.yaml",
                ("look", "logo"),
                f"ロゴのファイル「{logo}」がフォルダにありません",
            )
    departments = _read_list(reader, "departments.yaml", Department)
    events = _read_list(reader, "life_events.yaml", LifeEvent)
    questions = _read_list(reader, "questions.yaml", Question)
    ages = _read_list(reader, "ages.yaml", AgeRule, optional=True)
    others = _read_list(reader, "other_offices.yaml", OtherOffice, optional=True)
    procedures = _read_procedures(reader)

    _check_references(reader, procedures, departments, events)
    _check_question_facts(reader, questions)
    _check_ages(reader, ages)
    check_options(reader, procedures, municipality)
    check_sources(reader, procedures)
    check_forms(reader, procedures)
    compiled_ages = ages + _unreadable_ages(reader, ages)
    rules, complete = _compile_rules(reader, procedures, compiled_ages, events)
    # A procedure file that could not be read may use any question: which are unused
    # is unknowable then (one mistake, e.g. in a form, is reported once).
    complete = complete and len(procedures) == len(
        [f for f in reader.raw if f.startswith("procedures/")]
    )
    _check_reasons_and_questions(reader, rules, procedures, questions, complete)

    if reader.problems or municipality is None:
        return reader, None
    # A procedure this town does not offer (its options) is checked above, but neither
    # served nor evaluated (the guide and a population run see the same procedures).
    offered = [(p, f) for p, f in procedures if enabled(p, municipality)]
    if len(offered) != len(procedures):
        rules, _ = _compile_rules(reader, offered, compiled_ages, events)
    catalog = Catalog(
        directory=directory,
        municipality=municipality,
        departments={d.id: d for d, _ in departments},
        life_events={e.id: e for e, _ in events},
        questions=[q for q, _ in questions],
        procedures={p.id: p for p, _ in offered},
        deadlines=_deadline_rules([p for p, _ in procedures]),
        rules=rules,
        ages=[a for a, _ in ages],
        other_offices=[o for o, _ in others],
    )
    return reader, catalog


def _deadline_rules(procedures: list[Procedure]) -> dict[str, Deadline]:
    by_id = {p.id: p for p in procedures}
    return {
        p.id: by_id[p.deadline.same_as].deadline if p.deadline.same_as else p.deadline
        for p in procedures
    }


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
