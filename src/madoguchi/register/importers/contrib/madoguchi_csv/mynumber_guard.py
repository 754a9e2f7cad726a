"""Refuse a register file that carries the 個人番号 (番号法: madoguchi may not collect it).

By header: a column named 個人番号, マイナンバー, my number … stops the file before any
row is read. By content: every cell is looked at while the file is checked (nothing
is written then), and a file is refused when

- a cell of any column but the two ids is 12 digits passing the 個人番号 check digit
  (nothing else of the contract is 12 digits: 〒 is 7, dates have hyphens); or
- half or more of the 宛名番号 or 世帯番号 column is such a number. A town's own
  12-digit numbers pass the check digit about once in eleven by chance, so one of
  them is not enough there; a column of 個人番号 passes every time. (A one-row file
  whose 12-digit 宛名番号 happens to pass is refused too: better than taking one.)

Only the column's name and how many cells are reported: never a value, nor a line
that would lead to one.
"""

from __future__ import annotations

from madoguchi.common.mynumber import is_my_number, names_my_number
from madoguchi.register.importers.registry import Check

ID_COLUMNS = ("宛名番号", "世帯番号")

_WHY = "個人番号(マイナンバー)はこのシステムでは扱いません(番号法)。"
_FIX = "その列を除いて書き出し直してください。ファイルは読み込んでいません"


class Guard:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.ids = {i for i, n in enumerate(names) if n in ID_COLUMNS}
        self.filled = [0] * len(names)
        self.passing = [0] * len(names)

    def refused_by_header(self, check: Check) -> bool:
        found = [(i, n) for i, n in enumerate(self.names) if names_my_number(n)]
        for i, name in found:
            check.add(1, name, f"{i + 1}列目の名前が個人番号の列を示しています。{_WHY}{_FIX}")
        check.my_number = bool(found)
        return check.my_number

    def see(self, row: list[str]) -> None:
        for i, cell in enumerate(row[: len(self.names)]):
            if cell:
                self.filled[i] += 1
                if is_my_number(cell):
                    self.passing[i] += 1

    def refuse_by_content(self, check: Check) -> None:
        columns = [
            i
            for i, passing in enumerate(self.passing)
            if passing and (i not in self.ids or passing * 2 >= self.filled[i])
        ]
        if not columns:
            return
        # Nothing else of the file is reported: its other problems can wait, and a
        # message about a cell might lead to the number.
        check.problems.clear()
        check.problem_count = 0
        check.my_number = True
        for i in columns:
            name = self.names[i] or "(名前なし)"
            check.add(
                0,
                name,
                f"{i + 1}列目に個人番号と思われる12けたの番号が{self.passing[i]}件あります。"
                f"{_WHY}{_FIX}",
            )
