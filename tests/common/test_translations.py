"""Every message the project shows has its English: each msgid that Django's own
``makemessages`` finds in the code and templates today has a translated, not fuzzy,
msgstr in ``locale/en/LC_MESSAGES/django.po``. A string added without its English,
or a msgid changed so that the old English no longer matches, fails here with the
msgid to translate.

The extraction runs on a copy of the package (the .po in the tree is never
rewritten); the check reads the merged copy with gettext's ``msgattrib``, the tool
``makemessages`` itself stands on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import madoguchi

PACKAGE = Path(madoguchi.__file__).parent
PO = Path("locale/en/LC_MESSAGES/django.po")

pytestmark = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgattrib")),
    reason="GNU gettext is needed (Debian: gettext), as for makemessages",
)


def _msgids(po_text: str) -> list[str]:
    """The msgids of a .po text, without the header (whose msgid is empty)."""
    found = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "".join(re.findall(r'^(?:msgid )?"(.*)"$', "\n".join(_msgid_lines(lines)), re.M))
        if text:
            found.append(text)
    return found


def _msgid_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith("msgid "):
            out = [line]
        elif out and line.startswith('"'):
            out.append(line)
        elif out:
            break
    return out


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> Path:
    """The .po as ``makemessages -l en`` would make it from today's code."""
    copy = tmp_path_factory.mktemp("i18n") / "madoguchi"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    here = os.getcwd()
    os.chdir(copy)  # makemessages reads the folder it is run in
    try:
        # Its default output is the first of LOCALE_PATHS: the copy's, never the tree's.
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    return copy / PO


def _attrib(po: Path, *options: str) -> str:
    return subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", *options, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_every_message_has_its_english(merged):
    untranslated = _msgids(_attrib(merged, "--untranslated"))
    fuzzy = _msgids(_attrib(merged, "--only-fuzzy"))
    assert not untranslated, "msgstr missing in django.po for:\n" + "\n".join(untranslated)
    assert not fuzzy, "msgstr fuzzy (its msgid changed) in django.po for:\n" + "\n".join(fuzzy)


def test_the_check_sees_a_message_without_english(tmp_path):
    """The check itself: an entry with an empty msgstr and a fuzzy one are found."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "受付"\nmsgstr "Received"\n\n'
        'msgid "完了"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "審査中"\nmsgstr "Review"\n',
        encoding="utf-8",
    )
    assert _msgids(_attrib(po, "--untranslated")) == ["完了"]
    assert _msgids(_attrib(po, "--only-fuzzy")) == ["審査中"]
