"""An online application (申請) and what belongs to it.

An application starts as a draft that only its owner sees, is filled over days, and
is submitted once: then it gets a 受付番号 and goes to the department's queue. It
keeps the form it was made with (``form_spec``, ``form_version``), so a later change
of the catalogue never changes what a resident sent.

URLs use ``public_id`` (a random UUID), never the row number, so ids cannot be
guessed; every query is also filtered by owner (see ``access``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.towns.scoping import TownManager, TownOwned


class Status(models.TextChoices):
    """Where an application is. The moves between them are ``workflow.TRANSITIONS``."""

    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("受付")
    IN_REVIEW = "in_review", _("審査中")
    CORRECTION = "correction_requested", _("補正依頼中")
    COMPLETED = "completed", _("完了")
    REJECTED = "rejected", _("却下")


class Channel(models.TextChoices):
    ONLINE = "online", _("オンライン")
    COUNTER = "counter", _("窓口")
    PAPER = "paper", _("郵送・紙")


class IdentitySource(models.TextChoices):
    """How an applicant's four facts (基本4情報) were obtained."""

    CARD = "mynumber_card", _("マイナンバーカードで確認")
    TYPED = "typed", _("窓口で入力(本人確認書類を目視)")
    ACCOUNT = "account", _("オンライン(アカウント)")


class Applicant(TownOwned):
    """申請者: the person an application is made by, as its own record, so that a
    walk-in without an account can apply at the counter. The four facts as the card
    or the clerk gave them, contact, optionally the resident's account.

    The facts belong to the applicant, not to whoever is signed in: a card read by a
    clerk verifies the resident in front of them (``source``, ``verified_at``), and
    ``entered_by`` says which clerk entered them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applicant_records",
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=8, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    source = models.CharField(max_length=20, choices=IdentitySource.choices)
    # When a card (or another provider) verified the four facts; None when typed.
    verified_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applicants_entered",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申請者")
        verbose_name_plural = _("申請者")

    def __str__(self) -> str:
        return f"Applicant #{self.pk}"  # never the name: this string ends up in logs

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def identity_values(self) -> dict | None:
        """The verified facts in the shapes a form stores (``people.identity_values``),
        or None when nothing was verified (typed facts fill forms editable)."""
        from madoguchi.applications.people import facts_values

        if not self.verified:
            return None
        return facts_values(self.name, self.name_kana, self.birth_date, self.sex, self.address)

    def typed_values(self) -> dict:
        """The facts and contact as profile values (editable prefill)."""
        from madoguchi.applications.people import facts_values

        values = facts_values(self.name, self.name_kana, self.birth_date, self.sex, self.address)
        if self.postal_code and isinstance(values.get("address"), dict):
            values["address"]["postal_code"] = self.postal_code.replace("-", "")
        if self.phone:
            values["phone"] = self.phone
        if self.email:
            values["email"] = self.email
        return values


class Application(TownOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The resident's account that made it online; None for a walk-in at the counter
    # (then ``applicant`` names them).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        Applicant, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    # Who typed it in: the owner online, the clerk at the counter.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_entered",
    )
    municipality_code = models.CharField(max_length=6)
    procedure_id = models.CharField(max_length=100)
    # Snapshots, so the queue and the resident's list read well even if the
    # catalogue changes: the name, the department, the form.
    procedure_name = models.CharField(max_length=200)
    department_id = models.CharField(max_length=100, db_index=True)
    form_version = models.PositiveIntegerField()
    form_spec = models.JSONField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The clean values, by field id (see catalog/form_schema.py for each kind).
    data = models.JSONField(default=dict)
    # What the resident last typed, as sent (so a half-filled form comes back as
    # it was, mistakes included, for them to fix).
    draft_input = models.JSONField(default=dict, blank=True)
    # The digest of ``draft_input`` and the attached files when it last passed the
    # review (every required field, every check): unchanged input need not be
    # checked again to be sent.
    reviewed_digest = models.CharField(max_length=64, blank=True)
    # The life event of the checklist the application was started from, if any.
    event = models.CharField(max_length=20, blank=True)
    # The identity provider whose facts filled (and locked) the identity fields.
    identity_provider = models.CharField(max_length=50, blank=True)
    receipt_year = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt_number = models.CharField(max_length=20, blank=True)
    receipt_mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Raised on every change after submission: two clerks cannot both win.
    revision = models.PositiveIntegerField(default=1)
    # Read from ``data`` whenever it is set after submission (``applicant.refresh``),
    # so that the queue names the applicant and finds duplicates without reading
    # each row's JSON: the applicant's 氏名, and a digest of the people the form
    # is about (``duplicates.subject_key``; "" when the form names nobody else).
    applicant_name = models.CharField(max_length=200, blank=True)
    subject_key = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            # 受付番号 are unique per municipality and year.
            models.UniqueConstraint(
                fields=["municipality_code", "receipt_year", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="unique_receipt_number",
            ),
            # Two taps on 「申請を始める」 (or two tabs) resume one draft (per town:
            # one account may apply in several towns of the prefecture).
            models.UniqueConstraint(
                fields=["owner", "town", "procedure_id"],
                condition=Q(status="draft"),
                name="one_draft_per_procedure",
            ),
        ]
        indexes = [
            # MyPage: a resident's applications by status, newest first. The list's
            # order is read from this index alone (never the rows and their JSON).
            models.Index(fields=["owner", "status", "updated_at"], name="app_owner_status_updated"),
            # The back office's queue: a department's applications by status, in
            # the order they arrived (a department id is a town's: the town first).
            models.Index(
                fields=["town", "department_id", "status", "submitted_at"],
                name="app_dept_status_sent",
            ),
            # The queue's page across several statuses (対応中, すべて): read in the order
            # of arrival and stop after one page, instead of sorting every open row.
            models.Index(
                fields=["town", "department_id", "submitted_at", "id"], name="app_dept_sent"
            ),
            # "The same application" (duplicates.py): one resident, one procedure, one subject.
            models.Index(fields=["owner", "procedure_id", "subject_key"], name="app_same_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_name} {self.receipt_number or self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def spec(self):
        """The form this application was made with (parsed once per version)."""
        from madoguchi.applications.specs import parsed

        return parsed(self.procedure_id, self.form_version, self.form_spec)

    def input_digest(self) -> str:
        """The typed input and the form's files (each by id and content hash): a
        required file removed, or another put in its place, after the review is a
        change, and the submission checks everything again."""
        import hashlib
        import json

        files = sorted(
            [a.field_id, str(a.public_id), a.sha256]
            for a in self.attachments.filter(message__isnull=True).only(
                "field_id", "public_id", "sha256"
            )
        )
        raw = json.dumps(
            {"input": self.draft_input, "files": files}, sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def reviewed(self) -> bool:
        """Whether the typed input is the one that last passed the review."""
        return bool(self.draft_input) and self.reviewed_digest == self.input_digest()


class SubjectPerson(models.Model):
    """One person a sent application is about (a child of a 児童手当 claim, the
    被保険者 of a 要介護認定), as the digest of their 氏名 and 生年月日
    (``duplicates.person_key``; no name is stored). Two applications of one resident
    and one procedure that share a person may be duplicates, even when their sets of
    people differ ({A, B} then {B, C})."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subject_people"
    )
    person = models.CharField(max_length=64)

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "person"], name="subject_person_once")
        ]
        # The other applications naming a person: looked up by the person first.
        indexes = [models.Index(fields=["person", "application"], name="subject_person_apps")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.person[:8]}…"


class Attachment(models.Model):
    """A file a resident attached: kept outside the web root (``files``), named by a
    random id, with its SHA-256 so that a changed or damaged file is noticed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="attachments"
    )
    field_id = models.CharField(max_length=100)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A file sent with a message of the correspondence (``field_id`` is then
    # ``MESSAGE_FILES``), not an answer of the form.
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


MESSAGE_FILES = "_message"  # the ``field_id`` of a message's attachments


class StatusChange(models.Model):
    """The application's history, as the resident and the department see it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_from or '-'} → {self.status_to}"

    @property
    def status_to_label(self) -> str:
        """「受付」, as the resident reads it (a status this version does not know
        stays as stored rather than failing)."""
        try:
            return str(Status(self.status_to).label)
        except ValueError:
            return self.status_to


class ReceiptCounter(TownOwned):
    """The last 受付番号 given, per municipality and year (locked while one is taken)."""

    municipality_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality_code", "year"], name="one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_code} {self.year}: {self.last}"


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("メッセージ")
    CORRECTION_REQUEST = "correction_request", _("補正依頼")
    CORRECTED = "corrected", _("修正")


class CorrectionRequest(models.Model):
    """A 補正依頼: the department names the fields (top-level ids of the application's
    form) the resident is to correct; the rest stays as sent."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="correction_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    field_ids = models.JSONField(default=list)
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {', '.join(self.field_ids)}"


class Message(models.Model):
    """One entry of the thread between the department and the resident: a message,
    a 補正依頼 (its note) or the resident's correction. Never changed once written."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    from_staff = models.BooleanField()
    kind = models.CharField(max_length=20, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    body = models.TextField(blank=True)
    correction = models.ForeignKey(
        CorrectionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class VersionReason(models.TextChoices):
    SUBMITTED = "submitted", _("申請")
    CORRECTED = "corrected", _("補正")


class ApplicationVersion(models.Model):
    """The application's values as they were sent: number 1 is the submission, each
    correction adds the next; ``Application.data`` is the newest. Never overwritten."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    made_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=VersionReason.choices)
    correction = models.ForeignKey(
        CorrectionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )

    # Scoped through the application (towns/scoping.py).
    objects = TownManager.through("application__town")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class StatusCount(TownOwned):
    """How many sent applications (not drafts) there are per department, procedure,
    channel and status: the back office's tabs read these few rows instead of
    counting a department's rows on every page.

    Kept exact by database triggers on the applications table (migration
    ``0008_status_counts``), in the same transaction as the change, whatever made it
    (a submission, a clerk's move, ``bulk_create``, ``update()``): never written by
    Python code. ``counts.py`` reads them."""

    department_id = models.CharField(max_length=100)
    procedure_id = models.CharField(max_length=100)
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["town", "department_id", "procedure_id", "channel", "status"],
                name="one_status_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.procedure_id} {self.channel} {self.status}: {self.n}"
