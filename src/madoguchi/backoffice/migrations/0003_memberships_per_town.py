# A staff member's membership is in one town's department: existing ones get the first
# town. The prefecture's administrators may see counts per town (a permission).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from madoguchi.towns.migration_steps import give_rows_the_first_town


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_assignment_auditlog_permission"),
        ("towns", "0001_towns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="membership",
            options={
                "permissions": [
                    ("view_auditlog", "操作記録を見る"),
                    ("view_town_figures", "市区町村ごとの件数を見る"),
                ]
            },
        ),
        migrations.RemoveConstraint(
            model_name="membership",
            name="one_membership",
        ),
        migrations.AddField(
            model_name="membership",
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
            give_rows_the_first_town("backoffice", "Membership"), migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="membership",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("user", "town", "department_id"), name="one_membership"
            ),
        ),
    ]
