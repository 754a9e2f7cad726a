"""Steps of the migrations that made an existing single-town database the first
town's (applications 0010, backoffice 0003, residents 0003): the town of
MADOGUCHI_CATALOG_DIR is made if there is none, and every existing row gets it."""

from __future__ import annotations

from madoguchi.towns.directory import ensure_first_town


def give_rows_the_first_town(app_label: str, *model_names: str):
    def forward(apps, schema_editor):
        alias = schema_editor.connection.alias
        Town = apps.get_model("towns", "Town")
        town = None
        for name in model_names:
            # The historical model's plain manager: every row, whatever the town.
            rows = apps.get_model(app_label, name)._base_manager.using(alias)
            if rows.filter(town__isnull=True).exists():
                town = town or ensure_first_town(Town.objects.using(alias))
                rows.filter(town__isnull=True).update(town=town.pk)
        checks_now(schema_editor)

    return forward


def checks_now(schema_editor) -> None:
    """PostgreSQL: check the deferred foreign keys of the rows just written now, so
    the migration's next step may build an index on those tables ("cannot CREATE
    INDEX … because it has pending trigger events" otherwise)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
