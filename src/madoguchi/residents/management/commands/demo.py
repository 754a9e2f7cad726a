"""``./dev manage demo --password PW``: the example city's residents, to try MyPage.

Idempotent. Later versions add checklists and applications to the same people."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from madoguchi.residents.cast import SAITO, TAKAHASHI, ensure_cast


class Command(BaseCommand):
    help = "デモ用の住民(高橋さん・齊藤さん)を作ります。何度実行しても同じ結果になります。"

    def add_arguments(self, parser):
        parser.add_argument("--password", help="2人に付けるパスワード(必須)")

    def handle(self, *args, password=None, **options):
        if not password:
            raise CommandError(
                "--password でパスワードを指定してください(決まったパスワードの住民は作りません)"
            )
        ensure_cast(password)
        for person in (TAKAHASHI, SAITO):
            self.stdout.write(f"{person['family_name']}さん: {person['email']}")
