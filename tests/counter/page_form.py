"""What a browser would send for a form of a page: every input's current value
(checked boxes and radios only, selected options), so that a test changes only
what a person would type."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str, str]]] = []  # (name, value, kind)
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = True
            self.forms.append([])
        if not self._in_form:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.append((name, a.get("value", "on"), kind))
                else:
                    form.append((name, a.get("value", "on"), f"{kind}-unchecked"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.append((name, a.get("value", ""), kind))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.append((self._select, value, "select"))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].append((self._select, self._select_first, "select"))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1].append((self._textarea, self._text, "textarea"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_data(html: str, containing: str) -> dict[str, str]:
    """The values of the page's form that has an input named ``containing``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == containing for name, _, _ in form):
            return {name: value for name, value, kind in form if not kind.endswith("unchecked")}
    raise AssertionError(f"no form with an input {containing!r}")


def input_names(html: str, containing: str) -> set[str]:
    """Every input name of that form, checked or not."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == containing for name, _, _ in form):
            return {name for name, _, _ in form}
    raise AssertionError(f"no form with an input {containing!r}")
