"""The audit log refuses UPDATE and DELETE in the database itself, so neither raw
SQL nor another program can rewrite history (SQLite and PostgreSQL triggers)."""

from django.db import migrations

from madoguchi.common import audit_triggers


def forwards(apps, schema_editor):
    audit_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
