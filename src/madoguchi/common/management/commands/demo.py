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
        with transaction.atomic():
            lines = demo.run(password)
        for line in lines:
            self.stdout.write(line)
