"""Checks of a catalogue's procedures beyond their conditions: the municipality's
options they depend on, the dates their deadlines count from, and their sources.

Each adds its problems to the reader with file and line, like the rest of the check.
"""

from __future__ import annotations

from madoguchi.catalog.facts import HOUSEHOLD_FACTS
from madoguchi.catalog.reader import Reader
from madoguchi.catalog.schema import Municipality, Procedure


def check_options(reader: Reader, procedures, municipality: Municipality | None) -> None:
    """``only_if_option`` / ``unless_option`` name an option of municipality.yaml."""
    if municipality is None:
        return
    known = municipality.options
    for proc, file in procedures:
        for key in ("only_if_option", "unless_option"):
            name = getattr(proc, key)
            if name is not None and name not in known:
                listed = "、".join(known) or "なし"
                reader.problem(
                    file,
                    (key,),
                    f"{key}: 「{name}」は municipality.yaml の options にありません"
                    f"(書かれている options: {listed})",
                )


def enabled(proc: Procedure, municipality: Municipality) -> bool:
    """Whether this town offers the procedure, given its options."""
    options = municipality.options
    if proc.only_if_option and not options.get(proc.only_if_option, False):
        return False
    return not (proc.unless_option and options.get(proc.unless_option, False))


def deadline_facts(procedures) -> set[tuple[str, str]]:
    """The (scope, fact) of the dates deadlines count from: their questions are used."""
    return {
        ("household", fact)
        for proc, _ in procedures
        for fact in proc.deadline.counts_from.values()
        if fact in HOUSEHOLD_FACTS
    }


def check_sources(reader: Reader, procedures) -> None:
    """Every procedure says where its content comes from (law and official pages)."""
    for proc, file in procedures:
        if proc.sources is None:
            reader.problem(
                file,
                ("id",),
                "sources がありません。根拠の法令(law)と、照らし合わせた公式のページ(pages)を"
                "書いてください(書き方は docs/catalogue.md の「出典」)",
            )
