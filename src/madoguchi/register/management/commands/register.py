"""``./dev register import FILE [--importer madoguchi-csv] [--dry-run] [--town SLUG]``:
import the town's resident register (register/importing.py), and
``./dev register importers``: the importers and whether each is ready.

Exit 0 with a Japanese summary (new, moved out, died, changed, unchanged); exit 1
with every problem (the first 100, then how many more) when the file is refused:
nothing is imported then. A progress bar is drawn on stderr when it is a terminal.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from madoguchi.common.progress import Bar
from madoguchi.register.importers.registry import registry
from madoguchi.register.importing import ImporterNotReady, Outcome, import_file
from madoguchi.towns.work import in_town

SHOWN = 100
PHASES = {"check": "確認中", "write": "書き込み中"}
SUMMARY = (
    ("new", "新しく記録した人(転入・出生など)"),
    ("returned", "住民に戻った人(再転入など)"),
    ("moved_out", "転出"),
    ("died", "死亡"),
    ("household_changed", "世帯・続柄の変更"),
    ("changed", "その他の変更(氏名・住所・保険など)"),
    ("unchanged", "変更なし"),
)


class Command(BaseCommand):
    help = "住民記録を取り込みます。import: ファイルを取り込む。importers: 取り込みの方法の一覧"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser(
            "import", help="住民記録のファイルを取り込む(すべての行が正しいときだけ)"
        )
        run.add_argument("file", help="住民記録のファイル(CSV)")
        run.add_argument(
            "--importer", default="madoguchi-csv", help="取り込みの方法(既定: madoguchi-csv)"
        )
        run.add_argument("--dry-run", action="store_true", help="確かめて数えるだけで、保存しない")
        run.add_argument("--town", help="町のURL名(町が1つだけなら省略できます)")
        sub.add_parser("importers", help="取り込みの方法と、その設定の状態")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _importers(self, **options):
        for importer_id, problems in registry.settings_problems().items():
            state = "使えます" if not problems else "設定が必要: " + "。".join(problems)
            self.stdout.write(f"{importer_id}\t{registry.get(importer_id).label()}\t{state}")

    def _import(self, file, importer, dry_run, town, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル {file} が見つかりません")
        if importer not in registry.ids():
            raise CommandError(_unknown(importer))
        bar = Bar(getattr(self.stderr, "_out", self.stderr))
        try:
            with in_town(_town(town)):
                outcome = import_file(
                    path,
                    importer=importer,
                    run_by=_login(),
                    dry_run=dry_run,
                    progress=lambda phase, done, total: bar(PHASES[phase], done, total),
                )
        except ImporterNotReady as exc:
            raise CommandError(f"取り込みの方法「{importer}」の設定が足りません: {exc}") from exc
        finally:
            bar.close()
        for warning in outcome.check.warnings:
            self.stderr.write(f"注意: {warning}")
        if outcome.refused:
            self._refused(path, outcome)
            sys.exit(1)
        self._summary(path, outcome)

    def _refused(self, path: Path, outcome: Outcome) -> None:
        check = outcome.check
        self.stderr.write(f"{path.name}: 取り込めません。問題が {check.problem_count:,}件あります")
        for problem in check.problems[:SHOWN]:
            self.stderr.write(f"  {problem}")
        if check.problem_count > SHOWN:
            self.stderr.write(f"  ほかに {check.problem_count - SHOWN:,}件の問題があります")
        self.stderr.write(
            "何も取り込んでいません(データベースは変わっていません)。直してから、もう一度実行してください。"
        )

    def _summary(self, path: Path, outcome: Outcome) -> None:
        from madoguchi.register.encoding import LABELS

        check, counts = outcome.check, outcome.counts
        head = (
            "試しに読みました(--dry-run: 何も保存していません)"
            if outcome.dry_run
            else "住民記録を取り込みました"
        )
        encoding = LABELS.get(check.encoding, check.encoding)
        self.stdout.write(f"{head}: {path.name}({encoding}、{check.rows:,}行)")
        for key, label in SUMMARY:
            self.stdout.write(f"  {label}: {counts[key]:,}")
        if counts["not_in_file"]:
            self.stdout.write(
                f"  ファイルになかった人: {counts['not_in_file']:,}"
                "(記録は消していません。転出・死亡はその行で届けてください)"
            )


def _unknown(importer: str) -> str:
    try:
        registry.get(importer)
    except KeyError as exc:
        return exc.args[0]
    return importer


def _town(slug: str | None):
    from madoguchi.towns.models import Town

    if slug:
        found = Town.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(
                f"町 {slug} は登録されていません(./dev manage towns list で確かめてください)"
            )
        return found
    towns = list(Town.objects.order_by("pk")[:2])
    if len(towns) != 1:
        raise CommandError(
            "町が複数登録されています。--town でどの町の住民記録かを指定してください"
            if towns
            else "町が登録されていません。先に ./dev run か ./dev manage migrate を実行してください"
        )
    return towns[0]


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
