"""The project's URLs plus bare views that do the least work the same answer needs,
served by the same gunicorn through the same middleware (sessions, auth, CSRF …):

* ``POST /bench/bare``: no database, a small JSON answer (the guide API's baseline);
* ``POST /bench/bare-submit``: what a submission must do at the least, done plainly
  (the submission's baseline): signed in (``login_required``, the session and the
  user read as for the real one), one application row with the same JSON (the form
  and its values) and one history row inserted in one transaction, then 302.
  Its rows have ``procedure_id`` ``BARE`` (the verification leaves them out).
* ``GET /bench/bare-queue``: the signed-in clerk's departments' first 50 open
  applications (or of ``?status=``), read with one query and written as a bare
  table — the back office queue's baseline: the same 50 rows, without the counts,
  the filters, the due days, the duplicates or the page around them;
* ``GET /bench/bare-export/<procedure>.csv``: the same rows as the export, each
  as its fixed columns and the form's top-level values as text, streamed and
  encoded per 2,000 rows — the CSV export's baseline.
"""

import codecs
import csv
import functools

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.template import engines
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from madoguchi.applications.models import Application
from madoguchi.applications.workflow import OPEN
from madoguchi.backoffice.models import Membership

BARE = "bench-bare"
PROCEDURE = "child-allowance-claim"


@csrf_exempt  # posted to like the guide API (which ninja exempts), with the same body
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@functools.cache
def _row() -> dict:
    """The columns of a submitted 児童手当 with the sample answers (made once)."""
    from madoguchi.applications.entry_form import ApplicationForm
    from madoguchi.applications.samples import complete_input
    from madoguchi.catalog.form_schema import FormSpec
    from madoguchi.catalog.registry import current_catalog

    catalog = current_catalog()
    proc = catalog.procedures[PROCEDURE]
    spec_json = proc.form.model_dump(mode="json", by_alias=True)
    spec = FormSpec.model_validate(spec_json)
    form = ApplicationForm(spec, data=complete_input(spec), values={}, draft=True)
    form.is_valid()
    return {
        "municipality_code": catalog.municipality.code, "procedure_id": BARE,
        "procedure_name": proc.name.ja, "department_id": proc.department,
        "form_version": proc.form.version, "form_spec": spec_json, "data": form.values(),
        "draft_input": complete_input(spec), "status": "submitted",
    }  # fmt: skip


@login_required
@require_POST
def bare_submit(request: HttpRequest) -> HttpResponseRedirect:
    from madoguchi.applications.models import Application, StatusChange

    with transaction.atomic():
        app = Application.objects.create(owner=request.user, **_row())
        StatusChange.objects.create(
            application=app, actor=request.user, status_from="draft", status_to="submitted"
        )
    return HttpResponseRedirect("/bench/done/")


ROWS = engines["django"].from_string(
    "<!doctype html><title>queue</title><table>{% for r in rows %}<tr><th><a href='{{ r.0 }}'>"
    "{{ r.1 }}</a></th><td>{{ r.2 }}</td><td>{{ r.3 }}</td><td>{{ r.4|date:'Y-m-d' }}</td>"
    "<td>{{ r.5 }}</td></tr>{% endfor %}</table>"
)


def _departments(request) -> list[str] | None:
    if not request.user.is_authenticated:
        return None
    return list(
        Membership.objects.filter(user=request.user).values_list("department_id", flat=True)
    )


def bare_queue(request: HttpRequest) -> HttpResponse:
    departments = _departments(request)
    if departments is None:
        return HttpResponseForbidden()
    qs = Application.objects.filter(department_id__in=departments)
    status = request.GET.get("status")
    if status == "all":
        qs = qs.exclude(status="draft")
    else:
        qs = qs.filter(**({"status": status} if status else {"status__in": OPEN}))
    if request.GET.get("channel"):
        qs = qs.filter(channel=request.GET["channel"])
    rows = qs.order_by("submitted_at", "pk").values_list(
        "public_id", "receipt_number", "applicant_name", "procedure_name", "submitted_at", "status"
    )[:50]
    return HttpResponse(ROWS.render({"rows": rows}))


class _Lines(list):
    def write(self, text):
        self.append(text)


def bare_export(request: HttpRequest, procedure_id: str) -> HttpResponse:
    departments = _departments(request)
    if departments is None:
        return HttpResponseForbidden()
    encoding = request.GET.get("encoding", "utf-8")
    qs = Application.objects.filter(department_id__in=departments, procedure_id=procedure_id)
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    rows = qs.order_by("submitted_at", "pk").values_list(
        "receipt_number", "submitted_at", "status", "channel", "form_version", "data"
    )

    def stream():
        if encoding == "utf-8":
            yield codecs.BOM_UTF8
        lines = _Lines()
        writer = csv.writer(lines, lineterminator="\r\n")
        for number, at, status, channel, version, data in rows.iterator(chunk_size=2000):
            writer.writerow([number, at, status, channel, version,
                             *(str(v) for v in (data or {}).values())])  # fmt: skip
            if len(lines) >= 2000:
                yield "".join(lines).encode(encoding, "replace")
                lines.clear()
        yield "".join(lines).encode(encoding, "replace")

    return StreamingHttpResponse(stream(), content_type="text/csv")


urlpatterns = [
    path("bench/bare", bare),
    path("bench/bare-submit", bare_submit),
    path("bench/bare-queue", bare_queue),
    path("bench/bare-export/<str:procedure_id>.csv", bare_export),
    path("", include("madoguchi.urls")),
]
