# Audit events name their town from now on. Those written before keep none (the log
# is append-only: no UPDATE, and their hashes stay as they were); they are the first
# town's (common/models.py).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_audit_hash_chain"),
        ("towns", "0001_towns"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="town",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="towns.town",
                verbose_name="市区町村",
            ),
        ),
    ]
