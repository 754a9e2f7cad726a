"""The department's queue: the filter form and the one query behind the table.

The page costs a fixed handful of queries whatever its size: the counts per
status, one page of rows with their assignee joined in, and the page's duplicates.
The counts are exact: by procedure and channel they are read from the counts the
database keeps (``applications.counts``); with a date, 自分の担当 or 期限超過 filter
they are one ``GROUP BY`` over the department's rows. Every filter is a column condition the index
``app_dept_status_sent`` (department, status, received) serves; "overdue" is a
bound on the received time per procedure (``due.overdue_q``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.applications import counts as kept_counts
from madoguchi.applications import duplicates
from madoguchi.applications.models import Channel, CorrectionRequest, Status
from madoguchi.applications.workflow import OPEN
from madoguchi.backoffice import due, queue_table
from madoguchi.backoffice.access import applications_for, departments_of
from madoguchi.backoffice.people import name_of
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.forms import FilterDateField
from madoguchi.common.templatetags.japanese import jdate, tr
from madoguchi.common.templatetags.japanese import wareki_filter as wareki

OPEN_KEY = "open"  # 「対応中」: 受付・審査中・補正依頼中
ALL_KEY = "all"
# The tabs, in the order work flows.
TAB_STATUSES = [
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.CORRECTION,
    Status.COMPLETED,
    Status.REJECTED,
]


def procedures_of(departments: set[str]) -> list:
    """The catalogue's procedures of these departments that can be applied for."""
    return [
        p
        for p in current_catalog().procedures.values()
        if p.department in departments and p.form is not None
    ]


class Select(forms.Select):
    """Django's select with its options written in place (``widgets/select.html``):
    two template includes per option were most of the filter form's cost."""

    template_name = "backoffice/widgets/select.html"


class QueueFilter(forms.Form):
    status = forms.ChoiceField(label=_("状況"), required=False, widget=Select)
    procedure = forms.ChoiceField(label=_("手続き"), required=False, widget=Select)
    channel = forms.ChoiceField(
        label=_("受付の方法"),
        required=False,
        choices=[("", _("すべて")), *Channel.choices],
        widget=Select,
    )
    # Days from 1900 to 2199 only: the day after 9999-12-31 cannot be counted.
    received_from = FilterDateField(label=_("受付日(から)"), required=False)
    received_to = FilterDateField(label=_("受付日(まで)"), required=False)
    mine = forms.BooleanField(label=_("自分の担当だけ"), required=False)
    overdue = forms.BooleanField(label=_("期限超過だけ"), required=False)

    def __init__(self, data, *, procedures, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["status"].choices = [
            (OPEN_KEY, _("対応中(受付・審査中・補正依頼中)")),
            *[(s.value, s.label) for s in TAB_STATUSES],
            (ALL_KEY, _("すべて")),
        ]
        self.fields["procedure"].choices = [("", _("すべて"))] + [
            (p.id, tr(p.name)) for p in procedures
        ]

    def value(self, name, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Queue:
    form: QueueFilter
    rows: QuerySet  # before paging
    counts: dict[str, int]  # per status key (and "open", "all"), other filters applied
    status: str
    procedure_ids: list[str]


def build(user, params, *, on=None) -> Queue:
    """The user's departments' applications as the filters in ``params`` ask."""
    departments = departments_of(user)
    procedures = procedures_of(departments)
    data = params if params else None
    form = QueueFilter(data, procedures=procedures)
    qs = applications_for(user)
    status = form.value("status", OPEN_KEY)
    procedure = form.value("procedure")
    if procedure:
        qs = qs.filter(procedure_id=procedure)
    channel = form.value("channel")
    if channel:
        qs = qs.filter(channel=channel)
    received_from = form.value("received_from")
    if received_from:
        qs = qs.filter(submitted_at__gte=_day_start(received_from))
    received_to = form.value("received_to")
    if received_to:
        qs = qs.filter(submitted_at__lt=_day_start(received_to + timedelta(days=1)))
    if form.value("mine"):
        qs = qs.filter(assignment__clerk=user)
    # Overdue is counted over the procedures the queue can hold (also ones no
    # longer in the catalogue have no due day, so they are never overdue).
    procedure_ids = [p.id for p in procedures]
    if form.value("overdue"):
        qs = qs.filter(due.overdue_q(procedure_ids, on))

    if received_from or received_to or form.value("mine") or form.value("overdue"):
        # COUNT(*), not COUNT(id): the (department, status, received) index answers alone.
        by_status = dict(qs.order_by().values_list("status").annotate(n=Count("*")))
    else:  # the tabs as most pages ask: the kept counts (exact, a few rows)
        by_status = kept_counts.by_status(departments, procedure_id=procedure, channel=channel)
    counts = {s.value: by_status.get(s.value, 0) for s in TAB_STATUSES}
    counts[OPEN_KEY] = sum(by_status.get(s, 0) for s in OPEN)
    counts[ALL_KEY] = sum(by_status.values())

    if status == OPEN_KEY:
        qs = qs.filter(status__in=OPEN)
    elif status != ALL_KEY:
        qs = qs.filter(status=status)
    # Open work oldest first (what waits longest comes first); closed ones newest first.
    if status in (OPEN_KEY, Status.SUBMITTED, Status.IN_REVIEW, Status.CORRECTION):
        order = ("submitted_at", "pk")
    else:
        order = ("-submitted_at", "-pk")
    # The table shows a few columns: the forms, the answers and the typed input (the
    # big JSON of each row) are not read for it.
    qs = (
        qs.select_related("assignment__clerk")
        .defer("form_spec", "data", "draft_input")
        .annotate(corrected=_corrected)
        .order_by(*order)
    )
    qs = duplicates.with_first_other(qs)
    if not counts.get(status, 0):
        # Known to be empty (the counts are exact): no scan of the department's rows
        # in search of 50 that do not exist (e.g. a rare channel with open work).
        qs = qs.none()
    return Queue(form, qs, counts, status, procedure_ids)


# Came back from a 補正: a 補正依頼 of it was answered (a subquery run for the page's
# rows only, on the correction's application index).
_corrected = Exists(
    CorrectionRequest.objects.filter(application=OuterRef("pk"), answered_at__isnull=False)
)


def items(apps, *, today) -> list[dict]:
    """The page's rows as the table shows them, every cell already text: the labels
    looked up once per request (not a gettext and a filter per row and cell); the
    duplicates came with the rows (``duplicates.with_first_other``)."""
    status_labels = {s.value: str(s.label) for s in Status}
    channel_labels = {c.value: str(c.label) for c in Channel}
    detail = reverse("backoffice:detail", args=[_PLACEHOLDER])
    days: dict = {}

    def day(value):
        if value is None:
            return ("", "")
        d = timezone.localtime(value).date() if isinstance(value, datetime) else value
        if d not in days:
            days[d] = (jdate(d), wareki(d))
        return days[d]

    out = []
    w = queue_table.words()
    for app in apps:
        due_day = due.due_for(app)
        clerk = app.assignment.clerk if _has_assignment(app) else None
        other = getattr(app, "other_public_id", None)
        if app.status in duplicates.NOT_COUNTED:
            other = None
        out.append(
            {
                "app": app,
                "url": detail.replace(_PLACEHOLDER, str(app.public_id)),
                "number": app.receipt_number or str(app.public_id),
                "received": day(app.submitted_at),
                "status": status_labels.get(app.status, app.status),
                "channel": "" if app.channel == Channel.ONLINE else channel_labels.get(app.channel),
                "due": day(due_day)[0] if due_day else "",
                "overdue": due.is_overdue(app, due_day, today),
                "clerk": name_of(clerk) if clerk else "",
                "corrected": getattr(app, "corrected", False),
                "duplicate": app.other_receipt_number if other else "",
                "duplicate_url": detail.replace(_PLACEHOLDER, str(other)) if other else "",
            }
        )
        out[-1]["html"] = queue_table.row(out[-1], w)
    return out


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _has_assignment(app) -> bool:
    try:
        return app.assignment is not None
    except ObjectDoesNotExist:  # joined by select_related: none there raises
        return False
