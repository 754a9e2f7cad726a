"""The common app's one table: the append-only audit log (see ``audit.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.towns.scoping import TownManager


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    # bulk_update goes through update(); _raw_delete is what Collector uses.
    def _raw_delete(self, using):
        raise AppendOnlyError("audit events cannot be deleted")


# Events written before the installation had towns (``town`` empty: the log is
# append-only, so they were never given one) belong to the first town, the
# installation's town of those days (towns/scoping.py).
AuditEventManager = TownManager.from_queryset(AuditEventQuerySet)


class AuditEvent(models.Model):
    """Who looked at or changed what, and when. Never a personal value: ``detail``
    holds field names and counts, never what was written in them.

    Rows are only ever added: ``save()`` on an existing row, ``delete()`` and the
    queryset's ``update()``/``delete()`` raise, and database triggers
    (``audit_triggers``) refuse UPDATE, DELETE, REPLACE and TRUNCATE from anything
    else too. Each entry is chained to the one before by its hash (``audit_chain``),
    so an entry changed past the triggers shows in ``./dev audit verify``."""

    # The town whose data it is about (the active town when it was written).
    town = models.ForeignKey(
        "towns.Town",
        verbose_name=_("市区町村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        # Like ``actor``: no database constraint (no deferred trigger on the log's
        # rows); a town with events is still protected from deletion by Django.
        db_constraint=False,
        related_name="+",
    )
    # Set by ``audit.record`` (not auto_now_add: the hash covers it, so it is known
    # before the row is written).
    at = models.DateTimeField(_("日時"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作した人"),
        null=True,
        blank=True,
        # The trigger forbids the SET NULL a user deletion would do; the event
        # keeps the id it had (db_constraint off so the user may still be removed).
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=32, db_index=True)
    target_type = models.CharField(_("対象の種類"), max_length=64)
    target_id = models.CharField(_("対象のID"), max_length=64)
    detail = models.JSONField(_("詳細"), default=dict, blank=True)
    ip_hash = models.CharField(_("接続元(ハッシュ)"), max_length=64, blank=True)
    # The hash chain (audit_chain.py): the entry before's hash, and this one's.
    prev_hash = models.CharField(_("前の記録のハッシュ"), max_length=64, blank=True)
    hash = models.CharField(_("ハッシュ"), max_length=64, blank=True)

    objects = AuditEventManager.through("town", with_untowned=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")

    def __str__(self) -> str:
        # ``at`` may be None if someone wrote an unreadable date into the table.
        at = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "?"
        return f"{at} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
