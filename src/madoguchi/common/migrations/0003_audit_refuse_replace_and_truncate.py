"""The audit log also refuses REPLACE INTO over an entry and an unreadable time
(SQLite), and TRUNCATE of a log that is not empty (PostgreSQL)."""

from django.db import migrations

from madoguchi.common import audit_triggers


def forwards(apps, schema_editor):
    audit_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    pass  # 0002's triggers stay; the new ones are harmless to keep


class Migration(migrations.Migration):
    dependencies = [("common", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
