"""Content-Security-Policy: every page carries it, and nothing we send needs
'unsafe-inline' (no inline script, style or event handler anywhere)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "madoguchi"

INLINE = {
    "inline <script> (move it to a static .js file)": re.compile(
        # Data for a static script (json_script, allauth's onload data) is not code.
        r"<script\b(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>",
        re.I,
    ),
    "<style> element (move it to a static .css file)": re.compile(r"<style\b", re.I),
    "style= attribute (use a class in a static .css file)": re.compile(r"\sstyle\s*=", re.I),
    "on…= event handler (attach it from a static .js file)": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def inline_code(html: str) -> list[str]:
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


def templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def test_the_scan_finds_what_it_looks_for():
    assert inline_code('<p style="color:red">') == [
        "style= attribute (use a class in a static .css file)"
    ]
    assert len(inline_code("<script>alert(1)</script><style></style>")) == 2
    assert inline_code('<button onclick="x()">') and inline_code('<a href="javascript:x()">')
    assert inline_code('<script src="/static/a.js"></script><p class="lead">') == []
    assert inline_code('<script id="d" type="application/json">{"a": 1}</script>') == []


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_script_or_style(template: Path):
    assert inline_code(template.read_text()) == [], template


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/guide/birth/", "/api/v1/docs", "/no/such/page/"])
def test_pages_carry_the_policy_and_no_inline_code(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_api_docs_page_is_our_accessible_template(client):
    page = client.get("/api/v1/docs").content.decode()
    assert '<html lang="ja">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "/static/madoguchi/api-docs.js" in page and "/static/madoguchi/api-docs.css" in page
    # Swagger UI's settings travel in an attribute, not an inline JSON script.
    assert 'data-settings="{' in page and "/api/v1/openapi.json" in page


def test_no_file_keeps_a_merge_conflict_marker():
    """A marker left by a merge made browsers drop the CSS rules around it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    markers = ("<<<<<<< ", ">>>>>>> ", "=======\n")
    found = []
    for folder in ("src", "municipalities", "docs", "bench", "scripts"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in {
                ".py",
                ".html",
                ".css",
                ".js",
                ".yaml",
                ".md",
                ".txt",
                ".po",
                ".sh",
            }:
                text = path.read_text(encoding="utf-8", errors="replace")
                if any(("\n" + m) in ("\n" + text) for m in markers):
                    found.append(str(path.relative_to(root)))
    assert not found, found
