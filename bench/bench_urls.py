"""The project's URLs plus two bare views for the benchmarks' baselines:

* ``POST /bench/bare``: no database, a small JSON answer (the guide's baseline);
* ``POST /bench/bare-submit``: what a submission must do at the least, done plainly
  (the submission's baseline): signed in (``login_required``, the session and the
  user read as for the real one), one application row with the same JSON (the form
  and its values) and one history row inserted in one transaction, then 302.
  Its rows have ``procedure_id`` ``BARE`` (the verification leaves them out).
"""

import functools

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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


urlpatterns = [
    path("bench/bare", bare),
    path("bench/bare-submit", bare_submit),
    path("", include("madoguchi.urls")),
]
