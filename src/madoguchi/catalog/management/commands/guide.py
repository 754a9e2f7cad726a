"""``./dev guide FILE.json``: the guide's answer for a situation, as JSON.

Exit code 2 with one line on stderr when the situation is invalid.
"""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand
from pydantic import ValidationError

from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.situation import Situation
from madoguchi.common.errors_ja import one_line


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "状況(JSON)から、必要な手続きの一覧を JSON で出力します。- で標準入力"

    def add_arguments(self, parser):
        parser.add_argument("file", help="状況の JSON ファイル(- なら標準入力)")
        parser.add_argument("--lang", default="ja", choices=["ja", "en"])
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="出来事の日がないときに年齢を数える基準日(既定は今日)",
        )

    def handle(self, file, lang, today=None, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"{file} を読めません: {exc}")
        try:
            situation = Situation.model_validate_json(text)
        except ValidationError as exc:
            self._fail(f"{file}: 状況が正しくありません: {one_line(exc.errors())}")
        result = run_guide(current_catalog(), situation, lang, today=today)
        payload = result.model_dump(mode="json")
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _fail(self, message: str):
        self.stderr.write(message.replace("\n", " "))
        sys.exit(2)
