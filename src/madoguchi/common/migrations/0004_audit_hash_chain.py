"""The audit log becomes a hash chain (``audit_chain``): the entries already there
are chained in id order, as if each had been written with its hash.

On SQLite, adding the columns rebuilds the table, which drops its triggers: they
are put back at the end (after the hashes are written, the one UPDATE allowed)."""

import django.utils.timezone
from django.db import migrations, models

from madoguchi.common import audit_chain, audit_triggers


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("common", "AuditEvent")
    connection = schema_editor.connection
    audit_triggers.remove(connection)
    last = ""
    for entry in AuditEvent.objects.using(connection.alias).order_by("id").iterator(2000):
        audit_chain.link(entry, last)
        AuditEvent.objects.using(connection.alias).filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, hash=entry.hash
        )
        last = entry.hash
    audit_triggers.install(connection)


def unchain(apps, schema_editor):
    audit_triggers.install(schema_editor.connection)  # the columns go; the triggers stay


class Migration(migrations.Migration):
    dependencies = [("common", "0003_audit_refuse_replace_and_truncate")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="ハッシュ"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="前の記録のハッシュ"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="日時",
            ),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
