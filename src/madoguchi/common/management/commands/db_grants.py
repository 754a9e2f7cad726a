"""``manage.py db_grants WEB_ROLE``, run as the tables' owner (PostgreSQL): give the
web role what the application needs and, on the audit log, only SELECT and INSERT
(``common/db_roles.py``). Run again after each migration; it is idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from madoguchi.common import db_roles


class Command(BaseCommand):
    help = (
        "PostgreSQL で、Web のロールに必要な権限だけを与えます(操作記録は読むことと"
        "追記だけ)。テーブルの所有者のロールで実行します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="Web のプロセスが接続に使うロール名")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "db_grants は PostgreSQL 用です(SQLite には利用者の区別がありません)。"
            )
        try:
            with transaction.atomic():
                db_roles.apply(role)
        except ValueError:
            raise CommandError(
                f"{role} はいま接続しているロール(テーブルの所有者)です。"
                "Web 用には別のロールを指定してください。"
            ) from None
        self.stdout.write(f"{role} に権限を与えました(操作記録は SELECT と INSERT だけ)。")
