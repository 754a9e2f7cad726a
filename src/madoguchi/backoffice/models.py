"""Who works in which department (課). Departments are the catalogue's
(``departments.yaml``): a membership names one by its id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.towns.scoping import TownManager, TownOwned


class Role(models.TextChoices):
    CLERK = "clerk", _("担当者")
    SUPERVISOR = "supervisor", _("係長・課長(割り振り)")


class Membership(TownOwned):
    """A staff member's place in one department; a person may be in several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    department_id = models.CharField(_("担当課"), max_length=100)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.CLERK)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "town", "department_id"], name="one_membership")
        ]
        # Given to the administrators who read the audit log (superusers have it).
        permissions = [
            ("view_auditlog", _("操作記録を見る")),
            # The prefecture's administrators: counts per town, never a name.
            ("view_town_figures", _("市区町村ごとの件数を見る")),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department_id} ({self.role})"


class Assignment(models.Model):
    """Which clerk works on an application (one at most). Kept here, not on the
    application: who does the work is the department's business."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="assignment"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("割り振った人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("割り振った日時"), auto_now=True)

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.clerk}"
