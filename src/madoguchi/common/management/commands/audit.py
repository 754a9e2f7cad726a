"""``./dev audit verify``: walk the audit log's hash chain (``audit_chain``) and say,
in Japanese, the first entry that was edited, removed or relinked (exit code 1), or
how many entries are intact (0). It reads only; run it from cron and keep the last
hash it prints somewhere else: an entry removed from the end shows only that way."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from madoguchi.common import audit_chain
from madoguchi.common.models import AuditEvent


class Command(BaseCommand):
    help = "操作記録(監査ログ)を調べます。verify: ハッシュのつながりをたどり、書き換え・削除を探します。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify: つながりを確かめる")

    def handle(self, *args, action, **options):
        entries = AuditEvent.objects.all_towns().order_by("id").iterator(chunk_size=2000)
        count, problem = audit_chain.first_problem(entries)
        if problem is not None:
            self.stderr.write(f"操作記録に改ざんが見つかりました: {problem.message}")
            self.stderr.write(
                f"(ID {problem.entry_id} までの {count}件を確かめたところで止めました)"
            )
            sys.exit(1)
        last = AuditEvent.objects.all_towns().order_by("-id").values_list("id", "hash").first()
        self.stdout.write(
            f"操作記録 {count}件のつながりを確かめました。書き換えや削除はありません。"
        )
        if last:
            self.stdout.write(f"最後の記録: ID {last[0]} ハッシュ {last[1]}")
