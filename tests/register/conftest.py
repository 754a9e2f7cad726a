"""Register files written for real: a small town's households, in the contract's
columns, saved in the encoding a test asks for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from madoguchi.register.importers.contrib.madoguchi_csv import COLUMNS
from tests.towns.conftest import sakura, sakura_catalogue  # noqa: F401  (a second town)

HEADER = list(COLUMNS)

# 髙橋さんの世帯 (社保: 一郎さんが被保険者、花子さんと翔太さんが被扶養者)、
# 山﨑さんの夫婦 (後期)、齊藤さん (国保、ひとり)。
CAST = [
    ["1001", "H01", "世帯主", "髙橋 一郎", "タカハシ イチロウ", "1961-05-10", "男", "379-2313",
     "群馬県みどり市笠懸町鹿2952-1", "社保", "0", "0", "1990-04-01", "住民", ""],
    ["1002", "H01", "妻", "髙橋 花子", "たかはし はなこ", "1963-08-20", "女", "3792313",
     "群馬県みどり市笠懸町鹿2952-1", "社保", "1", "0", "1990-04-01", "住民", ""],
    ["1003", "H01", "子", "髙橋 翔太", "たかはし しょうた", "2019-06-01", "男", "3792313",
     "群馬県みどり市笠懸町鹿2952-1", "社保", "1", "0", "2019-06-01", "住民", ""],
    ["2001", "H02", "世帯主", "山﨑 和子", "やまさき かずこ", "1950-01-15", "女", "3760101",
     "群馬県みどり市大間々町大間々1-2-3", "後期", "0", "1", "1975-10-01", "住民", ""],
    ["2002", "H02", "夫", "山﨑 茂", "やまさき しげる", "1948-11-03", "男", "3760101",
     "群馬県みどり市大間々町大間々1-2-3", "後期", "0", "0", "1975-10-01", "住民", ""],
    ["3001", "H03", "世帯主", "齊藤 健", "さいとう けん", "1985-02-28", "男", "3792311",
     "群馬県みどり市笠懸町阿左美100", "国保", "0", "0", "2020-03-15", "住民", ""],
]  # fmt: skip


def rows(*changes: dict) -> list[list[str]]:
    """The cast, each row changed as given ({"宛名番号": "1001", "異動": "転出", …});
    ``of`` names the person whose 宛名番号 itself changes."""
    out = [list(r) for r in CAST]
    for change in changes:
        change = dict(change)
        of = change.pop("of", change.get("宛名番号"))
        row = next(r for r in out if r[0] == of)
        for column, value in change.items():
            row[HEADER.index(column)] = value
    return out


def csv_text(body: list[list[str]], header: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(body)
    return buffer.getvalue()


@pytest.fixture
def write(tmp_path):
    """write(rows, encoding="utf-8", bom=False, header=None, name=…) → the file's path."""
    count = iter(range(1000))

    def make(body=None, *, encoding="utf-8", bom=False, header=None, name=None, text=None):
        path = tmp_path / (name or f"jumin-{next(count)}.csv")
        content = text if text is not None else csv_text(CAST if body is None else body, header)
        data = content.encode(encoding)
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return make


def column(header_name: str) -> int:
    return HEADER.index(header_name)


__all__ = ["CAST", "HEADER", "Path", "column", "csv_text", "rows"]
