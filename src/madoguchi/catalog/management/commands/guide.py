"""``./dev guide FILE.json``: the guide's answer for a situation, as JSON.

Exit code 2 with one line on stderr when the situation is invalid, worded as the
API words it (``--lang`` chooses the language of the answer and of the errors).
"""

import argparse
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from pydantic import TypeAdapter, ValidationError

from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import IsoDate, situation_from_json
from madoguchi.common.errors_ja import one_line
from madoguchi.common.json_input import JsonInputError

_WORDS = {
    "ja": {"unreadable": "{file} を読めません: {error}", "invalid": "{file}: {errors}"},
    "en": {"unreadable": "Cannot read {file}: {error}", "invalid": "{file}: {errors}"},
}


def _date(text: str):
    """``--today`` takes the dates the situation takes (``YYYY-MM-DD``)."""
    try:
        return TypeAdapter(IsoDate).validate_python(text)
    except ValidationError:
        raise argparse.ArgumentTypeError("YYYY-MM-DD (2026-11-20)") from None


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "状況(JSON)から、必要な手続きの一覧を JSON で出力します。- で標準入力"

    def add_arguments(self, parser):
        parser.add_argument("file", help="状況の JSON ファイル(- なら標準入力)")
        parser.add_argument("--lang", default="ja", choices=["ja", "en"])
        parser.add_argument(
            "--today",
            type=_date,
            help="できごとがあった日がないときに年齢を数える基準日(既定は今日)",
        )

    def handle(self, file, lang, today=None, **options):
        words = _WORDS[lang]
        try:
            raw = self._read(file)
        except OSError as exc:
            self._fail(words["unreadable"].format(file=file, error=exc.strerror or exc))
        try:
            situation = situation_from_json(raw)
        except JsonInputError as exc:
            self._fail(words["invalid"].format(file=file, errors=one_line(exc.errors, lang)))
        except ValidationError as exc:
            self._fail(words["invalid"].format(file=file, errors=one_line(exc.errors(), lang)))
        result = run_guide(current_catalog(), situation, lang, today=today)
        payload = result.model_dump(mode="json")
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    @staticmethod
    def _read(file: str) -> bytes | str:
        # Bytes, so that the encoding is checked as the API checks it.
        if file != "-":
            return Path(file).read_bytes()
        stdin = getattr(sys.stdin, "buffer", None)
        return stdin.read() if stdin is not None else sys.stdin.read()

    def _fail(self, message: str):
        self.stderr.write(message.replace("\n", " "))
        sys.exit(2)
