"""Who works in which department (課). Departments are the catalogue's
(``departments.yaml``): a membership names one by its id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("担当者")
    SUPERVISOR = "supervisor", _("係長・課長(割り振り)")


class Membership(models.Model):
    """A staff member's place in one department; a person may be in several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    department_id = models.CharField(_("担当課"), max_length=100)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.CLERK)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "department_id"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department_id} ({self.role})"
