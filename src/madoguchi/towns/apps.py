from django.apps import AppConfig


class TownsConfig(AppConfig):
    name = "madoguchi.towns"
    verbose_name = "市区町村"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from madoguchi.towns import demo, directory  # noqa: F401 - registers the demo step
        from madoguchi.towns.models import Town

        # A fresh or flushed database gets the town of MADOGUCHI_CATALOG_DIR: a
        # single-town installation needs no configuration of its own.
        post_migrate.connect(directory.ensure_a_town, sender=self)
        post_save.connect(directory.forget, sender=Town)
        post_delete.connect(directory.forget, sender=Town)
