"""``./dev manage towns add SLUG --catalog DIR [--host H]``, ``towns list``,
``towns reload [SLUG]``: the towns of a shared installation (towns/models.py)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from madoguchi.catalog.loader import CatalogError, load
from madoguchi.catalog.registry import reload, signature
from madoguchi.towns.models import Town


class Command(BaseCommand):
    help = "市区町村(テナント)を登録・一覧・再読み込みします"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="町を登録する(カタログを検査してから)")
        add.add_argument("slug", help="URL名(/t/<slug>/)。英小文字・数字・ハイフン")
        add.add_argument("--catalog", required=True, help="その町のカタログのフォルダ")
        add.add_argument("--host", action="append", default=[], help="その町だけのホスト名")
        sub.add_parser("list", help="登録されている町の一覧")
        again = sub.add_parser("reload", help="カタログを読み直す(全サーバーが数秒で反映)")
        again.add_argument("slug", nargs="?", help="町のURL名(省略時はすべての町)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, slug, catalog, host, **options):
        folder = Path(catalog).resolve()
        try:
            loaded = load(folder)
        except (CatalogError, FileNotFoundError) as exc:
            raise CommandError(
                f"{folder}: カタログに問題があります。登録しませんでした\n{exc}"
            ) from exc
        town = Town(
            slug=slug,
            code=loaded.municipality.code,
            catalog_dir=str(folder),
            hosts=[h.lower() for h in host],
        )
        try:
            town.full_clean()
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("登録できません: " + " / ".join(lines)) from exc
        town.save()
        name = loaded.municipality.name.ja
        self.stdout.write(f"{name}を登録しました: {town.slug} (団体コード {town.code})")

    def _list(self, **options):
        for town in Town.objects.order_by("code"):
            state = "公開中" if town.active else "停止中"
            hosts = ", ".join(town.hosts) or "-"
            self.stdout.write(
                f"{town.slug}\t{town.code}\t{state}\t/t/{town.slug}/\t{hosts}\t{town.catalog_dir}"
            )

    def _reload(self, slug=None, **options):
        towns = Town.objects.filter(slug=slug) if slug else Town.objects.order_by("code")
        if slug and not towns:
            raise CommandError(f"町 {slug} は登録されていません")
        failed = 0
        for town in towns:
            error = reload(town.catalog_dir)
            if error is not None:
                failed += 1
                self.stderr.write(
                    f"{town.slug}: 読み込めません(サーバーは前の版を使い続けます)\n{error}"
                )
                continue
            # The servers compare the files' signature every few seconds: bumping
            # municipality.yaml's time makes each of them read the catalogue again.
            os.utime(Path(town.catalog_dir) / "municipality.yaml")
            self.stdout.write(
                f"{town.slug}: 読み込みました({len(signature(Path(town.catalog_dir)))} ファイル)"
            )
        if failed:
            raise CommandError(f"読み込めなかった町: {failed}", returncode=1)
