# A saved checklist is one town's (its procedures): existing ones get the first town.

import django.db.models.deletion
from django.db import migrations, models

from madoguchi.towns.migration_steps import give_rows_the_first_town


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0002_savedchecklist"),
        ("towns", "0001_towns"),
    ]

    operations = [
        migrations.AddField(
            model_name="savedchecklist",
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
            give_rows_the_first_town("residents", "SavedChecklist"), migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="savedchecklist",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
    ]
