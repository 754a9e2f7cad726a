"""Remove attached files that no application names (left by a request that was
killed between writing the file and committing its row). Run it daily (cron or
the task worker); files younger than an hour are never touched."""

from django.core.management.base import BaseCommand

from madoguchi.applications.files import sweep_orphans


class Command(BaseCommand):
    help = "どの申請にも付いていない古いファイルを消します(1時間より新しいものは残します)"

    def handle(self, *args, **options):
        removed = sweep_orphans()
        self.stdout.write(f"消したファイル: {len(removed)}")
