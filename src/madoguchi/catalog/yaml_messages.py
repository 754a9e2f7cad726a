"""YAML mistakes explained in plain Japanese, for ``catalog check``.

ruamel.yaml reports a syntax error in English and in its own terms ("mapping values
are not allowed here", "expected <block end>"). ``syntax_error`` turns the common
ones into what the clerk did (an indentation that does not line up, a tab, a quote
or bracket left open, a missing colon) and what to write, with the line to fix.

Some mistakes are valid YAML and change the meaning silently: an extra space before
``- 印鑑`` makes YAML fold it into the item above (「母子健康手帳 - 印鑑」).
``folded_list_items`` finds such items.

Others are valid YAML 1.2 (what ruamel.yaml reads) but not YAML 1.1, which many other
tools a town may edit the files with still read (PyYAML, older editors' plugins): a
``?`` inside a plain value in ``{ … }`` or ``[ … ]`` ends the value there for them.
``yaml11_unsafe_values`` finds such values, to be quoted.
"""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from madoguchi.catalog.check_messages import show

QUOTE_IT = '値全体を "…" で囲んでください'
INDENT = "字下げ(行頭の半角スペースの数)が上の行とそろっていません。同じ階層の項目は同じ数だけ字下げしてください"
DEEPER = "この行は上の行より深く字下げされています。同じ階層の項目は、行頭の半角スペースの数をそろえてください"
FULL_WIDTH_INDENT = "行頭に全角スペースがあります。字下げは半角スペースで書いてください"


def _column(mark) -> str:
    return f"{mark.column + 1}文字目"


def _unclosed_quote(lines: list[str], first: int, last: int) -> tuple[int, str] | None:
    """The 0-based line in ``first..last`` where a value opens a quote it does not
    close on that line, and the quote."""
    for number in range(max(first, 0), min(last, len(lines) - 1) + 1):
        opened = re.search(r"(?:^\s*-\s+|:\s+|^\s*|[\[{,]\s*)([\"'])(.*)$", lines[number])
        if not opened:
            continue
        quote, rest = opened.groups()
        closing = r'(?<!\\)"' if quote == '"' else r"'(?!')"
        if not re.search(closing, rest.replace("''", "")):
            return number, quote
    return None


def _duplicate_key(exc: MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    found = re.search(r'duplicate key "(.*?)" with value', exc.problem or "")
    key = found.group(1) if found else "?"
    mark = exc.problem_mark
    first = None
    for number in range(mark.line - 1, -1, -1):
        line = lines[number]
        indent = line[: mark.column]
        if line[mark.column :].startswith(f"{key}:") and re.fullmatch(r"\s*(-\s+)?", indent):
            first = number + 1
            break
    also = f"({first}行目にもあります)" if first else ""
    return mark.line + 1, f"同じ項目名「{show(key)}」が二度書かれています{also}。1つにしてください"


def _missing_colon(exc: MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    mark = exc.context_mark or exc.problem_mark
    text = lines[mark.line].strip() if mark.line < len(lines) else ""
    if re.match(r"-[^\s-]", text):
        return (
            mark.line + 1,
            f"「{text}」の「-」のあとに半角スペースを入れてください(例: - {text[1:]})",
        )
    words = text.split(maxsplit=1)
    if len(words) == 1 and ":" in text:  # 「online:false」
        words = [part.strip() for part in text.split(":", 1)]
    example = f"(例: {words[0]}: {words[1]})" if len(words) == 2 else ""
    return (
        mark.line + 1,
        f"「{show(text)}」に「:」がありません。項目名のあとに「:」と半角スペースを書いてください"
        + example,
    )


def _mapping_value(exc: MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    mark = exc.problem_mark
    before = lines[mark.line][: mark.column]
    if re.search(r":(\s|$)", before):
        return (
            mark.line + 1,
            f"値の中に「: 」(コロンと空白、{_column(mark)})があるため、項目の区切りと読まれます。"
            f"{QUOTE_IT}",
        )
    return mark.line + 1, DEEPER


def _block_end(exc: MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    mark = exc.problem_mark
    start = exc.context_mark.line if exc.context_mark else 0
    opened = _unclosed_quote(lines, start, mark.line)
    if opened is not None:
        number, quote = opened
        return number + 1, (
            f"「{quote}」で始めた値がその行で閉じられていません。値の終わりにも {quote} を書いてください"
        )
    before = lines[mark.line][: mark.column].rstrip() if mark.line < len(lines) else ""
    if re.search(r"""(:|-)\s+(["']).*\2$""", before):
        return mark.line + 1, f"引用符で囲んだ値のあとに文字が続いています。{QUOTE_IT}"
    if re.search(r"[\]}]$", before + lines[mark.line][mark.column : mark.column + 1]):
        closing = lines[mark.line][mark.column]
        return (
            mark.line + 1,
            f"「{closing}」が多すぎます({_column(mark)})。余分な「{closing}」を消してください",
        )
    return mark.line + 1, INDENT


def syntax_error(exc: MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line to fix and what to do, for a YAML syntax error."""
    try:
        return _explain(exc, text)
    except (IndexError, AttributeError):  # a mark past the last line: never crash the check
        mark = exc.problem_mark or exc.context_mark
        return (mark.line + 1 if mark else None), f"YAML として読めません(原文: {exc.problem})"


def _explain(exc: MarkedYAMLError, text: str) -> tuple[int | None, str]:
    lines = text.splitlines()
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    # YAML does not take a full-width space for indentation: whatever it then says
    # about the line, the full-width space is what to fix.
    for near in (exc.context_mark, exc.problem_mark):
        for number in (near.line - 1, near.line) if near else ():
            if 0 <= number < len(lines) and re.match(r"[ \u3000]*\u3000", lines[number]):
                return number + 1, FULL_WIDTH_INDENT
    if "duplicate key" in problem:
        return _duplicate_key(exc, lines)
    if "'\\t'" in problem or "'\t'" in problem:
        return mark.line + 1, (
            f"タブ文字があります({_column(mark)})。字下げや区切りには半角スペースを使ってください"
        )
    start = re.search(r"found character '(.)' that cannot start any token", problem)
    if start:
        return (
            mark.line + 1,
            f"値の最初に「{start.group(1)}」は書けません({_column(mark)})。{QUOTE_IT}",
        )
    marks = ("alias", "anchor", "block scalar", "directive", "block node")
    if any(k in context for k in marks) or "alias" in problem:
        # 「* 注意」「& 」「|x」「,a」: YAML's own marks at the start of a value
        at = exc.context_mark or mark
        char = lines[at.line][at.column]
        return at.line + 1, f"値の最初に「{char}」は書けません({_column(at)})。{QUOTE_IT}"
    if "flow node" in context:  # 「[birth,,]」
        return mark.line + 1, (
            f"「{lines[mark.line][mark.column]}」の前に値がありません({_column(mark)})。"
            "余分な記号を消してください"
        )
    if "sequence entries are not allowed" in problem:  # 「online: - false」
        return mark.line + 1, (
            f"ここに「- 」(リストの項目)は書けません({_column(mark)})。"
            f"リストなら次の行から字下げして書き、そうでなければ{QUOTE_IT}"
        )
    if "quoted scalar" in context:
        opened = exc.context_mark
        quote = lines[opened.line][opened.column]
        return opened.line + 1, (
            f"「{quote}」で始めた値が閉じられていません({_column(opened)})。"
            f"値の終わりにも {quote} を書いてください"
        )
    for kind, (left, right) in {"flow sequence": "[]", "flow mapping": "{}"}.items():
        if kind in context:
            opened = exc.context_mark
            return opened.line + 1, (
                f"「{left}」({_column(opened)})が「{right}」で閉じられていないか、"
                f"区切りの「,」がありません。{left} … {right} は1行に書いてください"
            )
    if "could not find expected ':'" in problem:
        return _missing_colon(exc, lines)
    if "mapping values are not allowed" in problem:
        return _mapping_value(exc, lines)
    if "expected <block end>" in problem or "did not find expected" in problem:
        return _block_end(exc, lines)
    line = mark.line + 1 if mark else None
    return line, f"YAML として読めません(原文: {problem or exc})"


def folded_list_items(text: str, node=None) -> list[tuple[int, str]]:
    """List items that YAML folded over several lines into one, with the line to fix.

    A plain (unquoted) item never spans lines on purpose in a catalogue: it is a
    ``- 印鑑`` indented one space too far, or a line break inside an item.
    """
    lines = text.splitlines()
    found = []

    def visit(node) -> None:
        if isinstance(node, MappingNode):
            for _, value in node.value:
                if _plain_multiline(value) and any(
                    lines[n].lstrip().startswith("- ")
                    for n in range(value.start_mark.line + 1, value.end_mark.line + 1)
                ):  # 「online: false」 then 「  - x」: a list item read as the value's end
                    found.append(_folded(value, lines, "値"))
                else:
                    visit(value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                if _plain_multiline(item):
                    found.append(_folded(item, lines))
                else:
                    visit(item)

    visit(YAML(typ="rt").compose(text) if node is None else node)
    return found


def _plain_multiline(node) -> bool:
    return (
        isinstance(node, ScalarNode)
        and node.style is None
        and node.end_mark.line > node.start_mark.line
    )


def _folded(item: ScalarNode, lines: list[str], what: str = "項目") -> tuple[int, str]:
    first = item.start_mark.line
    for number in range(first + 1, item.end_mark.line + 1):
        stripped = lines[number].strip()
        if stripped.startswith("-"):
            head = lines[first][item.start_mark.column :].strip()
            return number + 1, (
                f"「{show(stripped)}」の字下げが上の行と違うため、上の{what}「{show(head)}」の続きと読まれ、"
                f"「{show(item.value)}」という1つの{what}になっています。「-」の位置を上の行とそろえてください"
            )
    return first + 2, (
        f"項目「{show(item.value)}」が{first + 1}行目から2行以上にまたがり、1つの項目と読まれています。"
        "1行に書くか、別の項目なら行頭を「- 」にして字下げを上の行とそろえてください"
    )


# In a flow collection, a YAML 1.1 reader ends a plain scalar at any of these (PyYAML's
# scanner: ``self.flow_level and ch in ',?[]{}'``); ruamel.yaml already stops at the others.
_FLOW_1_1_STOPS = "?"


def yaml11_unsafe_values(text: str, node=None) -> list[tuple[int, str]]:
    """Plain (unquoted) values inside ``{ … }``/``[ … ]`` that a YAML 1.1 reader cuts
    short, with their line and what to write."""
    found: list[tuple[int, str]] = []

    def visit(node, in_flow: bool) -> None:
        if isinstance(node, MappingNode | SequenceNode):
            inner = in_flow or bool(node.flow_style)
            pairs = node.value if isinstance(node, MappingNode) else [(None, v) for v in node.value]
            for key, value in pairs:
                for child in (key, value):
                    if child is not None:
                        visit(child, inner)
        elif isinstance(node, ScalarNode) and in_flow and node.style is None:
            stops = [i for i, c in enumerate(node.value) if c in _FLOW_1_1_STOPS]
            if stops:
                found.append(_cut_short(node, stops[0], text))

    visit(YAML(typ="rt").compose(text) if node is None else node, False)
    return found


def _cut_short(node: ScalarNode, index: int, text: str) -> tuple[int, str]:
    char = node.value[index]
    line = text.splitlines()[node.start_mark.line]
    at = line.find(char, node.start_mark.column)
    where = f"({at + 1}文字目)" if at >= 0 else ""
    return node.start_mark.line + 1, (
        f"{{ … }} や [ … ] の中の値「{show(node.value)}」に「{char}」{where}があります。"
        f"ほかの道具(YAML 1.1 の読み手)では、ここで値が切れて読めません。{QUOTE_IT}"
    )
