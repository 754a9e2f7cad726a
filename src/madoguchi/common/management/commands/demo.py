"""``./dev manage demo --password PW``: the example city's demo people and what
they have done, to sign in as and look around (common/demo.py says who adds what).
Idempotent: running it again changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from madoguchi.common import demo


class Command(BaseCommand):
    help = (
        "デモ用の住民(高橋さん・齊藤さん)と、その保存したやることリスト・下書き・送信した申請を"
        "作ります。何度実行しても同じ結果になります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="デモの人たちに付けるパスワード(必須)")

    def handle(self, *args, password=None, **options):
        if not password:
            raise CommandError(
                "--password でパスワードを指定してください(決まったパスワードの住民は作りません)"
            )
        from madoguchi.towns.directory import ensure_first_town
        from madoguchi.towns.models import Town
        from madoguchi.towns.work import in_town

        # The steps work in the installation's first town (MADOGUCHI_CATALOG_DIR's);
        # さくら町's step activates its own (towns/demo.py).
        with transaction.atomic(), in_town(ensure_first_town(Town.objects)):
            lines = demo.run(password)
        for line in lines:
            self.stdout.write(line)
