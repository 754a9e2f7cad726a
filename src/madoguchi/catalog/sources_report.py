"""The catalogue's sources for clerks: for every procedure, the articles of law and
the official pages it was checked against (and when), and where towns differ.

``./dev catalog sources [DIR]`` prints it as Markdown; docs/sources.md is that output
for the example municipality (a test keeps the two equal). Residents never see it.
A catalogue may keep, beside its YAML, a ``sources_checked.md`` saying how and when its
pages were last checked (which were replaced or removed); it is printed after the table.
"""

from __future__ import annotations

from madoguchi.catalog.loader import Catalog

NOTES = "sources_checked.md"


def sources_markdown(catalog: Catalog) -> str:
    name = catalog.municipality.name.ja
    lines = [
        f"# 手続きの出典({name})",
        "",
        "`./dev catalog sources` が作る一覧です。手で直さず、各手続きの `sources:` を直してください。",
        "",
        "| 手続き | 根拠の法令 | 照らし合わせたページ(確認日) | 市区町村による違い |",
        "| --- | --- | --- | --- |",
    ]
    for proc in sorted(catalog.procedures.values(), key=lambda p: p.id):
        src = proc.sources
        if src is None:
            lines.append(f"| {proc.name.ja} (`{proc.id}`) | (なし) | (なし) | |")
            continue
        pages = "<br>".join(
            f"[{p.title}]({p.url})" + (f"({p.checked:%Y-%m-%d})" if p.checked else "")
            for p in src.pages
        )
        law = "<br>".join(src.law)
        differs = (src.differs or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {proc.name.ja} (`{proc.id}`) | {law} | {pages} | {differs} |")
    notes = catalog.directory / NOTES
    if notes.is_file():
        lines += ["", notes.read_text(encoding="utf-8").rstrip("\n")]
    return "\n".join(lines) + "\n"
