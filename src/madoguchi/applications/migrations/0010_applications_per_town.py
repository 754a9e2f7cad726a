# Applications become a town's: every existing row gets the first town (the one of
# MADOGUCHI_CATALOG_DIR), the queue's indexes lead with the town, a draft is one per
# resident, town and procedure, and the status counts are kept per town.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from madoguchi.applications import count_triggers
from madoguchi.towns.migration_steps import checks_now, give_rows_the_first_town


def drop_counts(apps, schema_editor):
    count_triggers.drop(schema_editor)
    schema_editor.execute(f"DELETE FROM {count_triggers.COUNT}")


def counts_per_town(apps, schema_editor):
    count_triggers.create(schema_editor)
    checks_now(schema_editor)


def counts_without_town(apps, schema_editor):
    count_triggers.drop(schema_editor)
    count_triggers.create(schema_editor, "department_id, procedure_id, channel, status")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_mypage_list_index"),
        ("towns", "0001_towns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_counts, counts_without_town),
        migrations.RemoveConstraint(
            model_name="application",
            name="one_draft_per_procedure",
        ),
        migrations.RemoveConstraint(
            model_name="statuscount",
            name="one_status_count",
        ),
        migrations.RemoveIndex(
            model_name="application",
            name="app_dept_status_sent",
        ),
        migrations.RemoveIndex(
            model_name="application",
            name="app_dept_sent",
        ),
        migrations.AddField(
            model_name="application",
            name="town",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AddField(
            model_name="receiptcounter",
            name="town",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AddField(
            model_name="statuscount",
            name="town",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.RunPython(
            give_rows_the_first_town("applications", "Application", "ReceiptCounter"),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="application",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AlterField(
            model_name="receiptcounter",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AlterField(
            model_name="statuscount",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["town", "department_id", "status", "submitted_at"],
                name="app_dept_status_sent",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["town", "department_id", "submitted_at", "id"], name="app_dept_sent"
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "draft")),
                fields=("owner", "town", "procedure_id"),
                name="one_draft_per_procedure",
            ),
        ),
        migrations.AddConstraint(
            model_name="statuscount",
            constraint=models.UniqueConstraint(
                fields=("town", "department_id", "procedure_id", "channel", "status"),
                name="one_status_count",
            ),
        ),
        migrations.RunPython(counts_per_town, drop_counts),
    ]
