"""``madoguchi-csv``: the register as madoguchi's public CSV contract lays it out
(docs/operations.md 「住民記録の取り込み」): one row per person, columns found by
their header in any order, UTF-8 (with or without BOM) or Shift_JIS (cp932).

Checking reads the whole file once and reports every bad cell with its line and
column; a column that is or holds a 個人番号 stops it at once (``mynumber_guard``)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from madoguchi.common.japanese import normalize
from madoguchi.register.encoding import detect
from madoguchi.register.importers.contrib.madoguchi_csv import cells
from madoguchi.register.importers.contrib.madoguchi_csv.mynumber_guard import Guard
from madoguchi.register.importers.registry import Check, Importer, Record, register

# The contract's headers (keep them: towns' systems are set up to write them) and
# the ``Record`` field each fills, in the contract's order.
COLUMNS = {
    "宛名番号": "number",
    "世帯番号": "household",
    "続柄": "relationship",
    "氏名": "name",
    "氏名かな": "name_kana",
    "生年月日": "birth_date",
    "性別": "sex",
    "郵便番号": "postal_code",
    "住所": "address",
    "保険": "insurance",
    "社保被扶養者": "shaho_dependant",
    "要介護認定": "care_certified",
    "住民となった日": "resident_since",
    "異動": "status",
    "異動日": "status_date",
}
FIELD_HEADERS = {field: header for header, field in COLUMNS.items()}


@register("madoguchi-csv")
class MadoguchiCsv(Importer):
    name = {"ja": "madoguchi の CSV(住民記録)", "en": "madoguchi's register CSV"}

    def check(self, path: Path, progress: Callable[[int], None] | None = None) -> Check:
        found = detect(path)
        check = Check(encoding=found.encoding)
        if found.problem:
            check.add(max(found.problem_line, 0), "", found.problem)
            if not found.cut:
                return check  # bytes that do not decode: nothing further is read
        with _open(path, found.encoding) as file:
            reader = csv.reader(file, strict=True)
            names = _first_line(reader, check)
            if names is None:
                return check
            guard = Guard(names)
            if guard.refused_by_header(check):
                return check  # a 個人番号 column: the rows are not read at all
            header = _header(names, check)
            if header is None:
                return check
            width = len(names)
            seen: dict[str, int] = {}
            ends_with_newline = _ends_with_newline(path)
            for line, row, last in _rows(reader, check, ends_with_newline):
                guard.see(row)
                check.rows += 1
                if progress and check.rows % 1000 == 0:
                    progress(check.rows)
                record = _record(header, width, row, line, check, truncated=last)
                if record is None:
                    continue
                if record.number in seen:
                    check.add(
                        line,
                        "宛名番号",
                        f"この宛名番号は{seen[record.number]}行目にもあります。1人1行にしてください",
                    )
                else:
                    seen[record.number] = line
            guard.refuse_by_content(check)
        return check

    def records(self, path: Path) -> Iterator[Record]:
        found = detect(path)
        with _open(path, found.encoding) as file:
            reader = csv.reader(file, strict=True)
            names = next(reader)
            header = _positions(names)
            for line, row, _last in _rows(reader, Check(), True):
                record = _record(header, len(names), row, line, Check(), truncated=False)
                if record is None:  # only a file that passed check() is given here
                    raise ValueError(f"{path}: line {line} no longer reads: the file changed")
                yield record


def _open(path: Path, encoding: str):
    # newline="": the csv module reads line breaks inside quoted cells (an address).
    # A last character cut short (already a problem) is read as U+FFFD.
    return open(path, encoding=encoding, errors="replace", newline="")


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as file:
        file.seek(0, 2)
        if file.tell() == 0:
            return True
        file.seek(-1, 2)
        return file.read(1) in (b"\n", b"\r")


def _positions(names: list[str]) -> dict[str, int]:
    return {normalize(name): i for i, name in enumerate(names)}


def _first_line(reader, check: Check) -> list[str] | None:
    try:
        return [normalize(name) for name in next(reader)]
    except StopIteration:
        check.add(0, "", "ファイルが空です。1行目に列の名前(宛名番号,世帯番号,…)を書いてください")
    except csv.Error as exc:
        check.add(1, "", cells.csv_error(exc))
    return None


def _header(names: list[str], check: Check) -> dict[str, int] | None:
    """The header's column of each contract field; every missing column and every
    name written twice are problems, columns of other names are warnings."""
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in positions:
            check.add(1, name, f"同じ名前の列が2つあります({positions[name] + 1}列目と{i + 1}列目)")
        positions.setdefault(name, i)
    for name in COLUMNS:
        if name not in positions:
            check.add(1, name, "この列がありません。1行目に列の名前を書いてください")
    extra = [n for n in names if n not in COLUMNS]
    for name in extra:
        check.warnings.append(f"列「{name or '(名前なし)'}」は使わないので読み飛ばしました")
    return positions if check.ok else None


def _rows(reader, check: Check, ends_with_newline: bool):
    """(line, cells, is_last) per row; line is where the row starts (a quoted cell
    may span lines). A row cut off by the end of the file is the last one."""
    line = reader.line_num + 1
    previous = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            check.add(line, "", cells.csv_error(exc))
            break
        if row:  # blank lines are skipped
            if previous is not None:
                yield (*previous, False)
            previous = (line, row)
        line = reader.line_num + 1
    if previous is not None:
        yield (*previous, not ends_with_newline)


def _record(
    header: dict[str, int], width: int, row: list[str], line: int, check: Check, truncated: bool
) -> Record | None:
    if len(row) < width:
        message = f"列が足りません({width}列のはずが{len(row)}列です)"
        if truncated:
            message += "。ファイルが途中で切れているようです。もう一度書き出してください"
        check.add(line, "", message)
        return None
    if len(row) > width and any(c.strip() for c in row[width:]):
        check.add(line, "", f"列が多すぎます(1行目の{width}列より多い{len(row)}列です)")
        return None
    before = check.problem_count
    values = {}
    for header_name, field in COLUMNS.items():
        try:
            values[field] = cells.PARSERS[field](row[header[header_name]])
        except ValueError as exc:
            check.add(line, header_name, str(exc))
    if check.problem_count > before:
        return None
    for column, message in cells.across(values):
        check.add(line, column, message)
    if check.problem_count > before:
        return None
    return Record(**values)
