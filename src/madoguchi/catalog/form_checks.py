"""Checks of a procedure's online form (``form:``) beyond its schema.

``form_schema`` says what may be written in one field; these checks look at the
form as a whole and at the rest of the catalogue: that a field's ``prefill`` names
something the city really knows and fills the field's kind, that groups and files
sit where the applications app can show them, that a form needing a verified
identity takes 氏名・住所・生年月日 from it, that no form asks for the 個人番号 (the
city looks it up itself; 番号法 limits who may collect it), and that its paper
layout (``print:``) names only the form's fields. Each problem is added to the
reader with file and line.
"""

from __future__ import annotations

import polars as pl

from madoguchi.catalog.check_messages import closest, field_kind_labels
from madoguchi.catalog.facts import MEMBER_FIELDS, ROLES, SITUATION_FIELDS, Fact
from madoguchi.catalog.form_schema import (
    DECEASED_ITEMS,
    IDENTITY_ITEMS,
    PERSON_ITEMS,
    PERSON_SOURCES,
    PROFILE_ITEMS,
    FormField,
)
from madoguchi.catalog.reader import Reader
from madoguchi.catalog.schema import Procedure
from madoguchi.catalog.situation import ROLE_CHOICES
from madoguchi.common.mynumber import names_my_number

# A form of a procedure with ``requires_identity`` takes these from the identity.
IDENTITY_REQUIRED = ("name", "address", "birth_date")
_IDENTITY_JA = {"name": "氏名", "address": "住所", "birth_date": "生年月日", "sex": "性別"}


def kind_of_fact(fact: Fact) -> str:
    """The form field kind a situation fact fills (``birth_date`` → ``date``)."""
    if fact.choices:
        return "choice"
    return {pl.Boolean: "yes_no", pl.Int64: "number", pl.Date: "date"}.get(fact.dtype, "text")


def _kind(kind: str) -> str:
    return f"{kind}({field_kind_labels().get(kind, kind)})"


def asks_for_mynumber(field: FormField) -> bool:
    """Whether the field asks for the 12-digit 個人番号 (its id or label says so)."""
    label = f"{field.label.ja} {field.label.en or ''}"
    return names_my_number(field.id) or names_my_number(label)


def _prefill_problem(field: FormField, in_member_group: bool) -> tuple[str, str] | None:
    """(what is wrong, the key to point at) for the field's ``prefill``, or None."""
    source, item = field.prefill_source, field.prefill_item
    if source == "member" and not in_member_group:
        return (
            f"prefill「{field.prefill}」: member. は each_member のある group の中の項目に"
            "だけ書けます(世帯員ひとりずつの答えを入れるため)",
            "prefill",
        )
    own = {**PERSON_ITEMS, **(DECEASED_ITEMS if source == "deceased" else {})}
    if source in PERSON_SOURCES and item in own:
        fills = own[item]
    elif source == "situation" or source in PERSON_SOURCES:
        facts = SITUATION_FIELDS if source == "situation" else MEMBER_FIELDS
        where = "世帯" if source == "situation" else "世帯員"
        if item not in facts:
            names = [*facts, *(own if source in PERSON_SOURCES else [])]
            meant = closest(item, names)
            guess = f"「{source}.{meant}」のまちがいではありませんか。" if meant else ""
            return (
                f"prefill「{field.prefill}」: 「{item}」はガイドの{where}の項目にありません。"
                f"{guess}使える項目: {'、'.join(names)}",
                "prefill",
            )
        fills = kind_of_fact(facts[item])
    else:
        items = PROFILE_ITEMS if source == "profile" else IDENTITY_ITEMS
        what = "マイページの登録内容" if source == "profile" else "本人確認で確かめた情報"
        if item not in items:
            meant = closest(item, items)
            guess = f"「{source}.{meant}」のまちがいではありませんか。" if meant else ""
            return (
                f"prefill「{field.prefill}」: 「{item}」は{what}にありません。"
                f"{guess}使える項目: {'、'.join(items)}",
                "prefill",
            )
        fills = items[item]
    if fills != field.kind:
        return (
            f"prefill「{field.prefill}」は {_kind(fills)} の項目に入る値です。"
            f"この項目の kind は {_kind(field.kind)} なので、kind を {fills} にするか、"
            "prefill を変えてください",
            "kind",
        )
    return None


def _check_field(
    reader: Reader, file: str, field: FormField, path: tuple, group: FormField | None
) -> None:
    def problem(message: str, key: str | None = None) -> None:
        reader.problem(file, (*path, key) if key else path, message)

    if asks_for_mynumber(field):
        problem(
            f"項目「{field.label.ja}」は個人番号(マイナンバー)をたずねています。個人番号は"
            "市が住民基本台帳で確かめるので、申請では聞かないでください",
            "label",
        )
    if field.prefill:
        found = _prefill_problem(field, bool(group and group.each_member))
        if found:
            problem(*found)
    from madoguchi.applications.kinds import registry

    if field.kind in registry:  # else the schema has said the kind is unknown
        for message, key in registry.get(field.kind).check(field, group):
            problem(message, key)
    wrong_roles = [r for r in field.each_member if r not in ROLES]
    for role in wrong_roles:
        meant = closest(role, ROLES)
        guess = (
            f"「{meant}」({ROLE_CHOICES[meant][0]})のまちがいではありませんか。" if meant else ""
        )
        allowed = "、".join(f"{r}({ja})" for r, (ja, _) in ROLE_CHOICES.items())
        problem(
            f"each_member の続柄「{role}」はありません。{guess}使える続柄: {allowed}",
            "each_member",
        )
    for i, sub in enumerate(field.fields):
        _check_field(reader, file, sub, (*path, "fields", i), field)


def _check_identity(reader: Reader, proc: Procedure, file: str) -> None:
    """``requires_identity``: the form takes 氏名・住所・生年月日 from the identity."""
    filled = {
        f.prefill_item for f in proc.form.fields if f.prefill_source == "identity"
    }  # top level: the applicant's own, not a group's
    missing = [item for item in IDENTITY_REQUIRED if item not in filled]
    if missing:
        named = "・".join(_IDENTITY_JA[m] for m in missing)
        examples = "、".join(f"identity.{m}" for m in missing)
        reader.problem(
            file,
            ("requires_identity",),
            f"requires_identity: true の手続きのフォームは、申請する方の{named}を本人確認の情報から"
            f"入れてください(prefill: {examples} の項目を書いてください)",
        )


def _check_print(reader: Reader, proc: Procedure, file: str) -> None:
    """``print:``: sections name top-level fields of this form, each once; ``labels``
    name any field of it (a group's fields too)."""
    layout = proc.form.print_layout
    top = [f.id for f in proc.form.fields]
    inside = {sub.id: f.id for f in proc.form.fields for sub in f.fields}
    seen: dict[str, int] = {}
    for i, section in enumerate(layout.sections):
        for j, field_id in enumerate(section.fields):
            path = ("form", "print", "sections", i, "fields", j)
            if field_id in inside:
                reader.problem(
                    file,
                    path,
                    f"print の sections の「{field_id}」は group「{inside[field_id]}」の中の項目"
                    f"です。section には group ごと「{inside[field_id]}」と書いてください",
                )
            elif field_id not in top:
                meant = closest(field_id, top)
                guess = f"「{meant}」のまちがいではありませんか。" if meant else ""
                reader.problem(
                    file,
                    path,
                    f"print の sections の「{field_id}」は、このフォームの項目にありません。"
                    f"{guess}使える項目: {'、'.join(top)}",
                )
            elif field_id in seen:
                reader.problem(
                    file,
                    path,
                    f"print の sections に「{field_id}」が2回あります(section {seen[field_id] + 1}"
                    f" と {i + 1})。紙の様式に同じ項目は1回だけ書いてください",
                )
            else:
                seen[field_id] = i
    every = [f.id for f in proc.form.all_fields()]
    for field_id in layout.labels:
        if field_id not in every:
            meant = closest(field_id, every)
            guess = f"「{meant}」のまちがいではありませんか。" if meant else ""
            reader.problem(
                file,
                ("form", "print", "labels", field_id),
                f"print の labels の「{field_id}」は、このフォームの項目にありません。{guess}",
            )


def check_forms(reader: Reader, procedures: list[tuple[Procedure, str]]) -> None:
    """Every procedure's form (and its requires_identity setting). A form of a
    procedure with ``online: false`` is the counter's and the paper's only (the
    counter prints it prefilled); ``Procedure.applies_online`` keeps it off the web."""
    for proc, file in procedures:
        if proc.requires_identity and proc.form is None:
            reader.problem(
                file,
                ("requires_identity",),
                "requires_identity: true はオンラインの申請フォーム(form:)のある手続きにだけ"
                "書けます。form: を書くか、requires_identity を消してください",
            )
        if proc.form is None:
            continue
        for i, field in enumerate(proc.form.fields):
            _check_field(reader, file, field, ("form", "fields", i), None)
        if proc.requires_identity:
            _check_identity(reader, proc, file)
        if proc.form.print_layout is not None:
            _check_print(reader, proc, file)
