"""``./dev catalog check [DIR]``: check a catalogue and list every problem.
``./dev catalog facts``: the facts conditions may use; ``./dev catalog sources [DIR]``:
each procedure's law and checked pages (for clerks)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madoguchi.catalog.facts import facts_markdown
from madoguchi.catalog.loader import CatalogError, check, load
from madoguchi.catalog.sources_report import sources_markdown


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "カタログ(YAML)を検査し、問題をファイル名と行番号つきで一覧にします"

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["check", "facts", "sources"],
            help="check: 検査する / facts: 項目の表を出す / sources: 手続きの出典の一覧を出す",
        )
        parser.add_argument("directory", nargs="?", help="カタログのフォルダ(省略時は設定のもの)")

    def handle(self, action, directory=None, **options):
        if action == "facts":
            self.stdout.write(facts_markdown(), ending="")
            return
        folder = Path(directory) if directory else Path(settings.CATALOG_DIR)
        if action == "sources":
            try:
                self.stdout.write(sources_markdown(load(folder)), ending="")
            except CatalogError as exc:
                raise CommandError(f"{folder}: 先に check の問題を直してください\n{exc}") from exc
            return
        folders = [folder] if directory else _every_town(folder)
        broken = []
        for folder in folders:
            problems = check(folder)
            for problem in problems:
                self.stderr.write(f"{folder}: {problem}" if len(folders) > 1 else str(problem))
            if problems:
                broken.append(f"{folder}: {len(problems)} 件の問題があります")
            else:
                self.stdout.write(f"{folder}: 問題はありません")
        if len(folders) == 1 and broken:
            raise CommandError(broken[0], returncode=1)
        if broken:
            self.stderr.write("\n".join(broken))
            raise CommandError(f"問題のあるカタログ: {len(broken)} 件", returncode=1)


def _every_town(default: Path) -> list[Path]:
    """Every town's catalogue (the installation's); without a database, the
    configured one alone."""
    from django.db import DatabaseError

    from madoguchi.towns.models import Town

    try:
        folders = [
            Path(d) for d in Town.objects.order_by("code").values_list("catalog_dir", flat=True)
        ]
    except DatabaseError:
        folders = []
    return folders or [default]
