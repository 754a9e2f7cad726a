"""``./dev catalog check [DIR]``: check a catalogue and list every problem."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madoguchi.catalog.facts import facts_markdown
from madoguchi.catalog.loader import check


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "カタログ(YAML)を検査し、問題をファイル名と行番号つきで一覧にします"

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["check", "facts"], help="check: 検査する / facts: 項目の表を出す"
        )
        parser.add_argument("directory", nargs="?", help="カタログのフォルダ(省略時は設定のもの)")

    def handle(self, action, directory=None, **options):
        if action == "facts":
            self.stdout.write(facts_markdown(), ending="")
            return
        folder = Path(directory) if directory else Path(settings.CATALOG_DIR)
        problems = check(folder)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{folder}: {len(problems)} 件の問題があります", returncode=1)
        self.stdout.write(f"{folder}: 問題はありません")
