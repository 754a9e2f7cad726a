"""An application's values arranged as a paper form: sections of label/value rows
and, for a group (children, members), a table with one row per repeat.

The form's ``print:`` options (``catalog/form_schema.PrintLayout``) give the
sections, their order and shorter labels; without them every field is printed in
the form's order. Each value is drawn by its kind (``Kind.printed``), so a date or a
bank account reads the same on paper as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from madoguchi.applications.kinds import Printed, of
from madoguchi.catalog.form_schema import FormField, FormSpec, PrintLayout, PrintSection

# A group's fields per line of its table: more would squeeze an A4 row below
# readable type; the rest go on a second line of the same repeat.
GROUP_COLUMNS = 4
EMPTY = (None, "", [], {})


@dataclass
class Cell:
    label: str
    value: Printed | None  # None: left blank (to be written by hand, or not asked)


@dataclass
class Line:
    """One row of label/value cells (two side by side with ``columns: 2``)."""

    cells: list[Cell]


@dataclass
class Lines:
    """Consecutive rows, drawn as one bordered table."""

    lines: list[Line]
    columns: int = 1
    kind: str = "lines"


@dataclass
class Table:
    """A group: its label, the header lines (labels of up to GROUP_COLUMNS fields
    each) and, per repeat, the same lines of values. Each cell is (content, colspan):
    a shorter last line's last cell spans the columns left."""

    label: str
    span: int
    heads: list[list[tuple[str, int]]]
    repeats: list[list[list[tuple[Printed | None, int]]]] = field(default_factory=list)
    kind: str = "table"

    @property
    def columns(self) -> range:
        return range(self.span)


def _spanned(cells: list, span: int) -> list[tuple]:
    return [(c, 1 + (span - len(cells) if i == len(cells) - 1 else 0)) for i, c in enumerate(cells)]


@dataclass
class Section:
    title: str
    blocks: list[Lines | Table]


def printed(f: FormField, value, attachments: dict) -> Printed | None:
    return None if value in EMPTY else of(f).printed(f, value, attachments)


def _label(f: FormField, layout: PrintLayout) -> str:
    short = layout.labels.get(f.id)
    return (short or f.label).ja


def _table(f: FormField, value, layout: PrintLayout) -> Table:
    chunks = [f.fields[i : i + GROUP_COLUMNS] for i in range(0, len(f.fields), GROUP_COLUMNS)]
    span = len(chunks[0])
    heads = [_spanned([_label(s, layout) for s in chunk], span) for chunk in chunks]
    table = Table(_label(f, layout), span, heads)
    for item in value or []:
        table.repeats.append(
            [
                _spanned([printed(s, (item or {}).get(s.id), {}) for s in chunk], span)
                for chunk in chunks
            ]
        )
    return table


def _lines(fields: list[FormField], columns: int, data: dict, attachments: dict, layout):
    out: list[Line] = []
    pending: list[Cell] = []
    for f in fields:
        cell = Cell(_label(f, layout), printed(f, data.get(f.id), attachments))
        if f.kind == "file" and cell.value is None:
            continue  # no file attached: nothing to show or sign for
        if columns == 1 or of(f).print_wide:
            out.extend([Line(pending)] if pending else [])
            out.append(Line([cell]))
            pending = []
            continue
        pending.append(cell)
        if len(pending) == columns:
            out.append(Line(pending))
            pending = []
    return out + ([Line(pending)] if pending else [])


def _blocks(fields: list[FormField], columns: int, data: dict, attachments: dict, layout):
    """Runs of plain fields as one table each, and a table per group."""
    blocks: list[Lines | Table] = []
    run: list[FormField] = []
    for f in [*fields, None]:
        if f is not None and f.kind != "group":
            run.append(f)
            continue
        if run:
            blocks.append(Lines(_lines(run, columns, data, attachments, layout), columns))
            run = []
        if f is not None:
            blocks.append(_table(f, data.get(f.id), layout))
    return blocks


def sections(spec: FormSpec, data: dict, attachments: dict | None = None) -> list[Section]:
    """The printed form's sections, in order; fields no section names come last."""
    layout = spec.print_layout or PrintLayout()
    attachments = attachments or {}
    by_id = {f.id: f for f in spec.fields}
    chosen: list[PrintSection] = list(layout.sections)
    named = {i for s in chosen for i in s.fields}
    rest = [f.id for f in spec.fields if f.id not in named]
    if rest:
        chosen.append(PrintSection(fields=rest))
    out = []
    for section in chosen:
        # An id the form no longer has (the catalogue check reports it) is skipped.
        fields = [by_id[i] for i in section.fields if i in by_id]
        if fields:
            title = section.title.ja if section.title else ""
            out.append(Section(title, _blocks(fields, section.columns, data, attachments, layout)))
    return out
