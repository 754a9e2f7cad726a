"""Which encoding a file from a core system is in: UTF-8 (with or without BOM) or
Shift_JIS as Windows writes it (cp932, which has 髙・﨑 and the other NEC/IBM
extension kanji that plain Shift_JIS lacks).

A BOM says UTF-8; a file that decodes as UTF-8 to its end is UTF-8; anything else
is read as cp932. The file is read in chunks (any size), never guessed from a
sample: one byte of cp932 at the end of a long file decides.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class Found:
    encoding: str  # "utf-8-sig", "utf-8" or "cp932"
    label: str  # what staff are told: 「UTF-8(BOM付き)」
    problem: str = ""  # a Japanese sentence when the bytes cannot be read
    problem_line: int = 0
    cut: bool = False  # only the last character is cut short: the rest reads


LABELS = {"utf-8-sig": "UTF-8(BOM付き)", "utf-8": "UTF-8", "cp932": "Shift_JIS(cp932)"}


def detect(path: Path) -> Found:
    with open(path, "rb") as file:
        bom = file.read(3) == codecs.BOM_UTF8
    if bom:
        found = _whole(path, "utf-8-sig")
    else:
        found = _whole(path, "utf-8")
        if found.problem and found.problem_line != -1:
            found = _whole(path, "cp932")
    return _at_end(path, found) if found.problem_line == -1 else found


def _whole(path: Path, encoding: str) -> Found:
    """Decode the whole file; the first line that does not decode, if any."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            try:
                line += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as exc:
                line += exc.object[: exc.start].count(b"\n")
                return Found(encoding, LABELS[encoding], _unreadable(encoding), line)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            # Only the last character is cut: the file ends in the middle of it.
            return Found(encoding, LABELS[encoding], "truncated", -1)
    return Found(encoding, LABELS[encoding])


def _at_end(path: Path, found: Found) -> Found:
    """UTF-8 that stops in the middle of its last character: a file cut short."""
    with open(path, "rb") as file:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(CHUNK), b""))
    return Found(
        found.encoding,
        found.label,
        "ファイルが文字の途中で終わっています。書き出しやコピーが途中で切れていないか確かめ、"
        "もう一度書き出してください",
        lines + 1,
        cut=True,
    )


def _unreadable(encoding: str) -> str:
    return (
        "UTF-8 としても Shift_JIS(cp932)としても読めない文字があります。"
        "書き出すときの文字コードを UTF-8 にしてください"
        if encoding == "cp932"
        else "UTF-8 として読めない文字があります"
    )
