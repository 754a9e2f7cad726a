"""Nothing crosses a town's border: the one place that scopes a town's data.

Every model that holds applications or personal data of a town uses a
``TownManager`` as its default manager (``objects``): its queries see only the
active town's rows (``context.current_town``), and with no town active they
raise ``NoActiveTown`` instead of returning every town's rows (fail closed).
Models with a ``town`` column inherit ``TownOwned``; an application's children
(files, history, messages…) reach their town through their application
(``town_path``), so every query of theirs joins it. Django's own internals
(``_base_manager``: saving, related objects, cascades) stay unscoped: they only
ever follow a row already found through a scoped query.

``tests/towns/test_border.py`` lists every model and fails if one that is not
declared installation-wide (``INSTALLATION_WIDE`` below) is not scoped here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import BooleanField, Expression, F

from madoguchi.towns.context import require_town
from madoguchi.towns.directory import first_town_pk

# Models that belong to the installation, not to a town, and why. Everything else
# with rows in the database must be scoped (the test above holds this list to it).
INSTALLATION_WIDE = {
    "auth.User": "an account is one sign-in for every town of the prefecture",
    "auth.Group": "Django's groups of permissions: no personal data",
    "auth.Permission": "Django's permissions: no personal data",
    "contenttypes.ContentType": "Django's table of models",
    "sessions.Session": "the browser's session (its sign-in; the guide's answers, no names)",
    "admin.LogEntry": "unused: the admin writes the audit log instead",
    "residents.Profile": "the account's own name and address, shown only to its owner",
    "residents.VerifiedIdentity": "the account's verified identity, shown only to its owner",
    "account.EmailAddress": "the account's sign-in address (allauth)",
    "account.EmailConfirmation": "allauth: the account's address confirmation",
    "mfa.Authenticator": "the account's second factors (allauth)",
    "django_tasks_database.DBTaskResult": "queued mail: ids only, no personal data",
    "towns.Town": "the towns themselves",
}


class TownQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): the rows still get the active town.
        objs = list(objs)
        if "town" in {f.name for f in self.model._meta.fields}:
            for obj in objs:
                if obj.town_id is None:
                    obj.town = require_town()
        return super().bulk_create(objs, *args, **kwargs)


class InActiveTown(Expression):
    """``<town column> = <the active town>``, decided when the query runs, not when
    it is built: a queryset made at import time (a module's constant) still gets
    the town of the request that runs it, and with no town active it raises
    ``NoActiveTown`` (fail closed)."""

    output_field = BooleanField()

    def __init__(self, path: str, with_untowned: bool = False):
        super().__init__()
        self.path = path
        self.with_untowned = with_untowned
        self.column = None

    def get_source_expressions(self):
        return [self.column] if self.column is not None else []

    def set_source_expressions(self, exprs):
        if exprs:
            (self.column,) = exprs

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        # Resolved once, against the query it filters; again (as a subquery of
        # another query) only its column is passed on.
        source = clone.column if clone.column is not None else F(self.path)
        clone.column = source.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        town = require_town()
        column, params = compiler.compile(self.column)
        if self.with_untowned and town.pk == first_town_pk():
            return f"({column} = %s OR {column} IS NULL)", [*params, town.pk, *params]
        return f"{column} = %s", [*params, town.pk]


class TownManager(models.Manager.from_queryset(TownQuerySet)):
    """The active town's rows only; no town active: ``NoActiveTown``."""

    # Class attributes, not arguments: Django makes related managers by subclassing
    # the default manager's class and calling it without arguments.
    town_path = "town"
    with_untowned = False

    @classmethod
    def through(cls, town_path: str, with_untowned: bool = False) -> TownManager:
        """A manager whose rows reach their town by ``town_path``."""
        name = f"{cls.__name__}Through{town_path.title().replace('__', '')}"
        return type(name, (cls,), {"town_path": town_path, "with_untowned": with_untowned})()

    def get_queryset(self):
        return super().get_queryset().filter(InActiveTown(self.town_path, self.with_untowned))

    def all_towns(self):
        """Every town's rows, said in so many words where work spans towns on
        purpose (the audit chain, the orphan-file sweep, the prefecture's figures)."""
        return super().get_queryset()


class TownOwned(models.Model):
    """A row of one town: its ``town`` is the active one when it is made."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name="市区町村"
    )

    objects = TownManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.town_id is None:
            self.town = require_town()
        super().save(*args, **kwargs)


def is_scoped(model) -> bool:
    return isinstance(model._default_manager, TownManager)
