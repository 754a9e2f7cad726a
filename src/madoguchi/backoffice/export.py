"""A department's applications of one procedure as CSV, for Excel (CSV 書き出し).

One row per application, in the order they were received; the columns are fixed
ones (受付番号, 受付日時 (JST), 状態, 経路, 様式の版) followed by the form's fields,
flattened so that every cell holds one value:

* ``name`` → 「X(氏名)」「X(ふりがな)」; ``address`` → 「X(郵便番号)」「X(住所)」;
* ``date`` → ISO ``YYYY-MM-DD`` only: core systems and Excel read it as a date and
  sort it; a 和暦 column would be a second, derived copy (the back office's detail
  page shows 和暦);
* ``yes_no`` → はい / いいえ; ``choice`` → the choice's label as the resident saw it
  (this file is read by people in Excel; the stored code is what the core-system
  layout carries, not this file), the stored value if the label is unknown;
* ``phone`` → 090-1234-5678 and the postal code → 123-4567, so that Excel keeps the
  leading 0 (it would read 09012345678 as a number);
* ``file`` → the file names, one per line in the cell;
* ``group`` → numbered columns (「対象となる子ども1 子どもの氏名(氏名)」, 「…2 …」) up
  to the largest number of repeats present in the export, never one row per
  repeat: one row per application keeps 受付番号 a unique key, so counting,
  filtering, sorting and VLOOKUP in Excel stay right.

Applications made with older versions of the form: the columns are the union, the
current form's fields first in its order, then fields found only in older versions.
Each row is formatted with its own version's form (labels of choices as they were).

Headers and words are in Japanese whatever the page's language: macros and core
systems match on them.

Memory stays constant: rows come from ``values_list(...).iterator(chunk_size=2000)``
(a server-side cursor on PostgreSQL) and leave as one encoded chunk per 2,000 rows.
Cells starting with = + - @ TAB or CR (and their full-width forms, which Japanese
Excel may take for the same) get a leading ``'`` (OWASP's rule against CSV/formula
injection: a resident's answer must never become a formula on a clerk's PC).

**Shift_JIS (cp932).** Some characters of names and addresses are not in cp932
(𠮷, 𡈽, 剝, 𠮟, … and variation selectors). They are never dropped and never turned
into '?'. ``problems`` finds every such character (受付番号, column, character,
U+XXXX) before anything is sent; the page shows that list and the clerk chooses:
UTF-8 instead (recommended: nothing changes), or cp932 with the documented
substitution of ``substitute_char`` — a standard form cp932 has (𠮷→吉, 剝→剥,
JIS/cp932 mapping differences such as ¥→￥, a canonical equivalent, a variation
selector removed), else 〓 (下駄記号, the customary mark of a missing character in
Japanese government data) — always with the report of every substitution
(``report_rows``, a second CSV). A name is a person's identity: an automatic,
unreported change would put a wrong name into another system, so the clerk must see
and carry over each change (e.g. to fix it by hand in the core system's 外字).
NFKC is never applied: it changes more than it should for names (e.g. ㈱, ｶﾅ and
compatibility ideographs all at once, silently).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F, Func, IntegerField, Max
from django.utils import translation

from madoguchi.applications.kinds import of
from madoguchi.applications.models import Attachment, Channel, Status
from madoguchi.applications.specs import parsed
from madoguchi.catalog.form_schema import FormField, FormSpec

JST = ZoneInfo("Asia/Tokyo")
CHUNK = 2000
ENCODINGS = ("utf-8", "cp932")
FIXED = ("受付番号", "受付日時(JST)", "状態", "経路", "様式の版")
GETA = "〓"  # 下駄記号: a character that cannot be written

# 異体字 → the standard form cp932 has (checked by the tests with Python's codec:
# each key is not in cp932, each value is). No library on PyPI covers this (no
# itaiji / 異体字 package), so it is a small table of the characters met in
# names and addresses: JIS X 0213 characters and the 2010 常用漢字 forms that
# cp932 lacks. 髙, 﨑, 德, 邊, 濵 need no entry: cp932 has them (NEC/IBM extensions).
SUBSTITUTES = {
    "𠮷": "吉", "𡈽": "土", "𣘺": "橋", "𥔎": "崎", "𦚰": "脇", "𠮟": "叱",
    "剝": "剥", "噓": "嘘", "鷗": "鴎", "頰": "頬", "摑": "掴", "塡": "填",
    "屛": "屏", "蔣": "蒋", "醬": "醤", "瘦": "痩", "繡": "繍", "蟬": "蝉",
    "顚": "顛", "麴": "麹", "姸": "妍",
    # Where Unicode's JIS mapping and Microsoft's cp932 differ (the same character;
    # Python's cp932 codec already maps −〜‖¢£¬ by itself, not these).
    "\u2014": "\u2015", "\u00a6": "\uffe4", "\u00a5": "\uffe5", "\u203e": "\uffe3",
}  # fmt: skip

_RISKY = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def guard(cell):
    """OWASP's CSV-injection rule: text that Excel would start a formula with."""
    if isinstance(cell, str) and cell.startswith(_RISKY):
        return "'" + cell
    return cell


def _variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def substitute_char(ch: str) -> str | None:
    """The documented stand-in for a character cp932 cannot hold, or None (→ 〓).

    In this order: a variation selector (異体字セレクタ, IVS) is removed — the base
    character before it stays, only the glyph's variant is lost; the table above;
    the character's canonical equivalent (a CJK compatibility ideograph such as
    U+FA10 塚 → U+585A 塚, the same character by Unicode's definition)."""
    if _variation_selector(ch):
        return ""
    if ch in SUBSTITUTES:
        return SUBSTITUTES[ch]
    nfc = unicodedata.normalize("NFC", ch)
    if nfc != ch and _encodable(nfc):
        return nfc
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _substituting(error: UnicodeEncodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start : error.end]:
        sub = substitute_char(ch)
        out.append(GETA if sub is None else sub)
    return "".join(out), error.end


codecs.register_error("madoguchi_cp932", _substituting)


@dataclass(frozen=True)
class Problem:
    """A character of one cell that cp932 cannot hold."""

    receipt_number: str
    column: str
    char: str
    substitute: str | None  # None: written as 〓

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def written_as(self) -> str:
        if self.substitute is None:
            return GETA
        return self.substitute or "(削除: 異体字セレクタ)"


class Unwritable(ValueError):
    """A row holds characters cp932 lacks and no substitution was chosen."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            ", ".join(f"{p.receipt_number} {p.column} {p.codepoint}" for p in problems)
        )
        self.problems = problems


class _ArrayLength(Func):
    """The length of ``data -> key`` when it is a JSON array (else NULL)."""

    output_field = IntegerField()

    def __init__(self, key: str):
        super().__init__(F("data"))
        self.key = key

    def as_sql(self, compiler, connection, **extra):  # SQLite
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_ARRAY_LENGTH({sql}, %s)", [*params, f'$."{self.key}"']

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        value = f"({sql} -> %s)"
        return (
            f"CASE WHEN jsonb_typeof({value}) = 'array' THEN jsonb_array_length({value}) END",
            [*params, self.key, *params, self.key],
        )


def _field_columns(f: FormField, key: tuple, label: str, repeats: dict) -> list:
    """(cell key, header) of each column of ``f``: its kind says which."""
    return [(key + sub, header) for sub, header in of(f).csv_columns(f, label, repeats)]


class Export:
    """The export of ``queryset`` (already scoped to the clerk's departments) for
    one procedure. ``current`` is the catalogue's form today (its order comes
    first), None if the procedure left the catalogue."""

    def __init__(self, queryset, procedure_id: str, current: FormSpec | None = None):
        self.procedure_id = procedure_id
        self.qs = queryset.filter(procedure_id=procedure_id).order_by("submitted_at", "pk")
        self.specs: dict[int, FormSpec] = {}
        versions = self.qs.order_by().values_list("form_version", flat=True).distinct()
        for version in sorted(set(versions), reverse=True):
            raw = self.qs.filter(form_version=version).values_list("form_spec", flat=True)[:1]
            self.specs[version] = parsed(procedure_id, version, raw[0])
        order = ([current] if current else []) + list(self.specs.values())
        groups = {f.id for spec in order for f in spec.fields if f.kind == "group"}
        found = self.qs.aggregate(**{g: Max(_ArrayLength(g)) for g in groups}) if groups else {}
        self.repeats = {g: n or 0 for g, n in found.items()}
        self.keys: list[tuple] = []
        self.headers: list[str] = list(FIXED)
        seen: set[tuple] = set()
        for spec in order:
            for f in spec.fields:
                for key, header in _field_columns(f, (f.id,), f.label.ja, self.repeats):
                    if key not in seen:
                        seen.add(key)
                        self.keys.append(key)
                        self.headers.append(header)
        self.has_files = any(
            f.kind == "file" for spec in self.specs.values() for f in spec.all_fields()
        )
        with translation.override("ja"):
            self._status = {s.value: str(s.label) for s in Status}
            self._channel = {c.value: str(c.label) for c in Channel}

    def count(self) -> int:
        return self.qs.count()

    # --- rows --------------------------------------------------------------------

    def _put(self, out: dict, f: FormField, key: tuple, value, files: dict) -> None:
        if value in (None, "", [], {}):
            return
        for sub, cell in of(f).csv_cells(f, value, files).items():
            out[key + sub] = cell

    def _files(self, pks: list[int]) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = {}
        rows = Attachment.objects.filter(application_id__in=pks)
        for app, public_id, name in rows.values_list(
            "application_id", "public_id", "original_name"
        ):
            found.setdefault(app, {})[str(public_id)] = name
        return found

    def rows(self) -> Iterator[tuple[str, list]]:
        """(受付番号, cells) per application, cells guarded, in header order."""
        wanted = ("pk", "receipt_number", "submitted_at", "status", "channel",
                  "form_version", "data")  # fmt: skip
        source = self.qs.values_list(*wanted).iterator(chunk_size=CHUNK)
        while True:
            # One batch of decoded rows at a time: the previous one is let go
            # before the next is read (else two are held at once).
            batch = list(itertools.islice(source, CHUNK))
            if not batch:
                return
            files = self._files([r[0] for r in batch]) if self.has_files else {}
            for pk, number, at, status, channel, version, data in batch:
                spec = self.specs.get(version)
                values: dict = {}
                if spec is not None:
                    for f in spec.fields:
                        self._put(values, f, (f.id,), (data or {}).get(f.id), files.get(pk, {}))
                when = at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if at else ""
                fixed = [number, when, self._status.get(status, status),
                         self._channel.get(channel, channel), version]  # fmt: skip
                cells = fixed + [values.get(k, "") for k in self.keys]
                yield number, [guard(c) for c in cells]
            del batch, files

    # --- CSV ---------------------------------------------------------------------

    def stream(
        self, encoding: str = "utf-8", *, substitute: bool = False, problems: list | None = None
    ) -> Iterator[bytes]:
        """The CSV as bytes in one pass over the rows, one chunk per 2,000 rows (the
        first chunk holds the BOM, the headers and the first rows). UTF-8 starts
        with a BOM (so Excel reads it as UTF-8). Each row is encoded as it is
        written: cp932 is strict unless ``substitute`` (the clerk's explicit choice
        after seeing ``problems()``), so a row with a character cp932 lacks raises
        ``Unwritable`` (with that row's problems) rather than losing it; with
        ``substitute`` it is written with the documented stand-ins and its problems
        are added to ``problems`` (when given) — no second pass to find them."""
        if encoding not in ENCODINGS:
            raise ValueError(encoding)
        lines = _Lines()
        lines.writer.writerow(self.headers)
        out = [codecs.BOM_UTF8] if encoding == "utf-8" else []
        out.append(
            self._encode("(見出し)", self.headers, lines.take(), encoding, substitute, problems)
        )
        for number, cells in self.rows():
            lines.writer.writerow(cells)
            out.append(self._encode(number, cells, lines.take(), encoding, substitute, problems))
            if len(out) >= CHUNK:
                yield b"".join(out)
                out.clear()
        yield b"".join(out)

    def _encode(self, number, cells, text: str, encoding, substitute, problems) -> bytes:
        try:
            return text.encode(encoding)
        except UnicodeEncodeError:
            headers = self.headers if number != "(見出し)" else cells
            found = list(_cell_problems(number, headers, cells))
            if not substitute:
                raise Unwritable(found) from None
            if problems is not None:
                problems.extend(found)
            return text.encode(encoding, "madoguchi_cp932")

    def problems(self) -> Iterator[Problem]:
        """Every character of the export that cp932 cannot hold (headers too)."""
        yield from _cell_problems("(見出し)", self.headers, self.headers)
        for number, cells in self.rows():
            line = "".join(c for c in cells if isinstance(c, str))
            if not _encodable(line):
                yield from _cell_problems(number, self.headers, cells)


def _cell_problems(number: str, headers: list[str], cells: list) -> Iterator[Problem]:
    for header, cell in zip(headers, cells, strict=True):
        if not isinstance(cell, str) or _encodable(cell):
            continue
        for ch in cell:
            if not _encodable(ch):
                yield Problem(number, header, ch, substitute_char(ch))


def summarize(problems: Iterable[Problem], limit: int = 200) -> tuple[int, list[Problem], int]:
    """(how many, the first ``limit`` for the page, how many rows) — constant memory."""
    total, shown, rows, last = 0, [], 0, None
    for p in problems:
        total += 1
        if len(shown) < limit:
            shown.append(p)
        if p.receipt_number != last:
            rows, last = rows + 1, p.receipt_number
    return total, shown, rows


REPORT_HEADERS = ("受付番号", "列", "文字", "符号位置", "書き出した文字")


def report_stream(problems: Iterable[Problem]) -> Iterator[bytes]:
    """The substitution report, in UTF-8 with BOM (it must show the originals)."""
    yield codecs.BOM_UTF8
    lines = _Lines()
    lines.writer.writerow(REPORT_HEADERS)
    for p in problems:
        lines.writer.writerow(
            [guard(p.receipt_number), guard(p.column), p.char, p.codepoint, p.written_as]
        )
        if len(lines) >= CHUNK:
            yield lines.take().encode("utf-8")
    yield lines.take().encode("utf-8")


class _Lines:
    """A csv.writer's target that keeps the lines until taken."""

    def __init__(self):
        self.parts: list[str] = []
        # CRLF and minimal quoting, as Excel writes CSV; a cell with a line break,
        # a comma or a quote is quoted and Excel keeps it in one cell.
        self.writer = csv.writer(self, lineterminator="\r\n")

    def write(self, text: str) -> None:
        self.parts.append(text)

    def __len__(self) -> int:
        return len(self.parts)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text
