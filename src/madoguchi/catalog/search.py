"""Finding a procedure by name: 「かいご」「カイゴ」「ｶｲｺﾞ」「介護」 find the same one.

A query and every name are normalised alike (``normalise``): NFKC (full-width
letters and digits, half-width kana → one form), katakana → hiragana (jaconv),
lower case, no spaces or punctuation. A procedure is found by its name, its plain
name (ja and en), its ``keywords`` from the YAML, and the hiragana readings of all
of these (pykakasi), so 「さいこうふ」 finds 再交付. Readings of kanji are a
dictionary's guess and sometimes wrong (pykakasi reads 要介護 as 「ようすけご」):
``keywords`` is where staff add the right reading or the everyday word
(「保険証」「なくした」). Each query term must be found; a term is also tried by its
own reading, so 「かいご保険」 works too.

The index is built once per catalogue, on the first search, and kept in
``Catalog.derived`` (pykakasi's dictionary takes about half a second to open; a
catalogue loaded only to be checked never pays for it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import jaconv
from django.urls import reverse
from pydantic import BaseModel

from madoguchi.catalog.loader import Catalog
from madoguchi.catalog.schema import Procedure

# Spaces and punctuation people put in names or queries (「介護保険 被保険者証」「要介護・要支援」).
_SEPARATORS = re.compile(r"[\s・、。,.()()「」『』\-‐ー//]+")
_SPLIT = re.compile(r"[\s\u3000]+")
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆]")
MAX_QUERY = 100


def normalise(text: str) -> str:
    """The form a name and a query are compared in: 「ｶｲｺﾞ ﾎｹﾝ」 → 「かいごほけん」.

    The long-vowel mark stays (「サービス」→「さーびす」), other separators go."""
    text = unicodedata.normalize("NFKC", text)
    text = jaconv.kata2hira(text).lower()
    return _SEPARATORS.sub("", text.replace("ー", "\0")).replace("\0", "ー")


@functools.cache
def _kakasi():
    import pykakasi  # opened once per process, on the first search

    return pykakasi.kakasi()


def reading(text: str) -> str:
    """The hiragana reading of ``text`` (kanji read by pykakasi), normalised."""
    return _reading_parts(text)[0]


def _reading_parts(text: str) -> tuple[str, frozenset[int]]:
    """The reading, and where each of its words starts (pykakasi's segments)."""
    text = unicodedata.normalize("NFKC", text)
    if not _KANJI.search(text):
        return normalise(text), frozenset({0})
    joined, starts = "", set()
    for part in _kakasi().convert(text):
        starts.add(len(joined))
        joined += normalise(part["hira"])
    return joined, frozenset(starts)


@dataclass(frozen=True)
class Entry:
    procedure: Procedure
    names: tuple[str, ...]  # normalised name (ja, en) and its reading: ranked first
    words: str  # names, plain names and keywords as written, normalised
    # Readings, matched only from the start of a word: 「いぬ」 must not find
    # 世帯主 (せたい|ぬし) by the middle of its reading.
    readings: tuple[tuple[str, frozenset[int]], ...]

    def has(self, form: str) -> bool:
        if form in self.words:
            return True
        for text, starts in self.readings:
            at = text.find(form)
            while at != -1:
                if at in starts:
                    return True
                at = text.find(form, at + 1)
        return False


def _entry(proc: Procedure) -> Entry:
    texts = [proc.name.ja, proc.name.en or ""]
    if proc.plain_name:
        texts += [proc.plain_name.ja, proc.plain_name.en or ""]
    texts = [t for t in texts + proc.keywords if t]
    return Entry(
        procedure=proc,
        names=tuple(normalise(t) for t in (proc.name.ja, proc.name.en) if t)
        + (reading(proc.name.ja),),
        words="\n".join(normalise(t) for t in texts),
        readings=tuple(_reading_parts(t) for t in texts if _KANJI.search(t)),
    )


def _index(catalog: Catalog) -> list[Entry]:
    index = catalog.derived.get("search_index")
    if index is None:
        index = [_entry(p) for p in catalog.procedures.values()]
        catalog.derived["search_index"] = index
    return index


def _rank(entry: Entry, whole: str) -> int:
    """0: the name itself, 1: the name starts so, 2: in the name, 3: anywhere else."""
    if whole in entry.names:
        return 0
    if any(n.startswith(whole) for n in entry.names):
        return 1
    if any(whole in n for n in entry.names):
        return 2
    return 3


def search_procedures(catalog: Catalog, query: str) -> list[Procedure]:
    """The catalogue's procedures found by ``query`` (every term must match), best
    first: by name before by keyword or reading, then in the catalogue's order.
    An empty query finds nothing."""
    terms = [t for t in _SPLIT.split(query.strip()[:MAX_QUERY]) if normalise(t)]
    if not terms:
        return []
    wanted = [{normalise(t), reading(t)} - {""} for t in terms]
    whole = normalise("".join(terms))
    found = [
        entry
        for entry in _index(catalog)
        if all(any(entry.has(form) for form in forms) for forms in wanted)
    ]
    order = {pid: i for i, pid in enumerate(catalog.procedures)}
    found.sort(key=lambda e: (_rank(e, whole), order[e.procedure.id]))
    return [e.procedure for e in found]


def all_procedures(catalog: Catalog) -> list[Procedure]:
    """Every procedure, in the order of their readings (あいうえお順)."""
    key = catalog.derived.get("procedures_by_reading")
    if key is None:
        key = sorted(catalog.procedures, key=lambda pid: reading(catalog.procedures[pid].name.ja))
        catalog.derived["procedures_by_reading"] = key
    return [catalog.procedures[pid] for pid in key]


class ProcedureHit(BaseModel):
    """One procedure in a search's answer (the page's list and the API's)."""

    id: str
    name: str
    plain_name: str | None
    department: str
    online: bool
    # Whether it can be applied for on this site (a form, taken online), and whether the
    # resident's identity must be verified first.
    has_form: bool
    requires_identity: bool
    url: str


def hit(catalog: Catalog, proc: Procedure, language: str = "ja") -> ProcedureHit:
    return ProcedureHit(
        id=proc.id,
        name=proc.name.get(language),
        plain_name=proc.plain_name.get(language) if proc.plain_name else None,
        department=catalog.departments[proc.department].name.get(language),
        online=proc.online,
        has_form=proc.applies_online,
        requires_identity=proc.requires_identity,
        url=reverse("catalog:procedure", args=[proc.id]),
    )
