"""A visit to the counter (来庁): its ticket, the people it is about, its applications
and its timings.

A visit starts when the resident takes a number (``arrived_at``); the waiting display
shows the number, never a name. The clerk calls it, reads the applicant's card (or
types the four facts), answers the guide with them, fills every applicable form in
one pass, prints them for one signature and confirms: each timing is kept, for the
expected wait on the display and for the DX dashboard.

The applicant (申請者, ``applications.Applicant``) is kept apart from the other
people of the visit (``VisitPerson``): at the おくやみコーナー the deceased and the
heirs are not the applicant.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.towns.scoping import TownManager, TownOwned


class VisitKind(models.TextChoices):
    GENERAL = "general", _("総合窓口")
    BEREAVEMENT = "bereavement", _("おくやみコーナー")


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("お待ちください")
    CALLED = "called", _("呼び出し中")
    SERVING = "serving", _("受付中")
    PRINTED = "printed", _("署名待ち")
    DONE = "done", _("完了")
    CANCELLED = "cancelled", _("取り消し")


class Visit(TownOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The ticket: a number per town and day (「12番」), shown on the waiting display.
    day = models.DateField()
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=VisitKind.choices, default=VisitKind.GENERAL)
    # The guide's situation answered with the resident (the same shape as the
    # resident's guide: catalog/situation.py), and the life event it is about.
    event = models.CharField(max_length=20, blank=True)
    situation = models.JSONField(default=dict, blank=True)
    applicant = models.ForeignKey(
        "applications.Applicant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The counter (窓口) the number was called to, e.g. 「3」.
    window = models.CharField(_("窓口"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_served",
    )
    # The timings (the DX dashboard and the display's expected wait read them).
    arrived_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    guide_done_at = models.DateTimeField(null=True, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town", "day", "number"], name="one_ticket_per_day")
        ]
        indexes = [models.Index(fields=["town", "day", "arrived_at"], name="visit_day")]
        permissions = [
            # The 総合窓口's clerks: file for every department, read no department's queue.
            ("serve_counter", _("窓口で申請を受け付ける")),
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.number}"

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return VisitStatus.CANCELLED
        if self.confirmed_at:
            return VisitStatus.DONE
        if self.printed_at:
            return VisitStatus.PRINTED
        if self.guide_done_at or (self.called_at and self.applicant_id):
            return VisitStatus.SERVING
        if self.called_at:
            return VisitStatus.CALLED
        return VisitStatus.WAITING

    @property
    def status_label(self) -> str:
        return str(VisitStatus(self.status).label)


class CounterClerk(TownOwned):
    """A 総合窓口 clerk of a town. The permission ``counter.serve_counter`` (through
    the group 「総合窓口」) says what the role may do; this row says in which town, so
    that one prefecture's installation keeps each town's counter to its own clerks."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counter_towns"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "town"], name="one_counter_clerk_per_town")
        ]
        verbose_name = _("総合窓口の職員")
        verbose_name_plural = _("総合窓口の職員")

    def __str__(self) -> str:
        return f"CounterClerk #{self.pk}"


class PersonRole(models.TextChoices):
    DECEASED = "deceased", _("亡くなった方")
    HEIR = "heir", _("相続人")
    MEMBER = "member", _("世帯の方")


class VisitPerson(models.Model):
    """Someone a visit is about who is not its applicant: the deceased, an heir, a
    member of the household (a newborn, the spouse). Their data fill the forms'
    ``deceased.X`` / ``member.X`` fields; they are never the applicant."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    # The guide's relationship (catalog/situation.py ROLE_CHOICES: spouse, child,
    # newborn, deceased…), so a person joins the guide's member of that role.
    relationship = models.CharField(max_length=20, blank=True)
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    name_kana = models.CharField(_("ふりがな"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)

    objects = TownManager.through("visit__town")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"VisitPerson #{self.pk} ({self.role})"  # never the name

    def as_member(self) -> dict:
        """The shape of the profile's household members (applications/prefill.py)."""
        out = {
            "role": self.relationship or self.role,
            "name": self.name,
            "name_kana": self.name_kana,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "address": self.address,
        }
        return {k: v for k, v in out.items() if v not in (None, "")}


class VisitApplication(models.Model):
    """An application made during a visit (one visit: many applications, for several
    people of one household)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_applications")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="visit_link"
    )

    objects = TownManager.through("visit__town")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.visit} → {self.application_id}"


class CardReadToken(models.Model):
    """A one-time permission for the card agent on a clerk's PC to deliver one card
    read to one visit (``counter/card_tokens.py``). Issued to the signed-in counter
    clerk's visit page; only a hash of the token is kept, so the table cannot be
    used to deliver facts."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, hex
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = TownManager.through("visit__town")

    def __str__(self) -> str:
        return f"CardReadToken #{self.pk}"
