"""The application's documents for its owner: the 申請書控え PDF and the attached
files. Sent as downloads, never shown inline, with the headers of every file the
site hands out (``serving``); each access is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from madoguchi.applications import files
from madoguchi.applications.access import owned, owned_attachment
from madoguchi.applications.display import rows
from madoguchi.applications.serving import protect, serve_attachment
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit
from madoguchi.common.pdf import render_pdf


@never_cache
@login_required
def receipt_pdf(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if app.is_draft:
        raise Http404
    spec = app.spec
    catalog = current_catalog()
    current = files.by_field(app)  # not the messages' files
    department = catalog.departments.get(app.department_id)
    pdf = render_pdf(
        "applications/receipt_pdf.html",
        {
            "app": app,
            "rows": rows(spec, app.data, current),
            "attachments": [a for found in current.values() for a in found],
            "municipality": catalog.municipality,
            "department": department,
        },
        request=request,
    )
    audit.record(request.user, "download", "application", str(app.public_id), document="receipt")
    response = HttpResponse(pdf, content_type="application/pdf")
    # The name the resident sees in their downloads: in their language.
    fallback = f"receipt_{app.receipt_number}"
    language = get_language() or "ja"
    name = (
        f"申請書控え_{app.receipt_number}.pdf" if language.startswith("ja") else f"{fallback}.pdf"
    )
    return protect(response, name, fallback=fallback)


@never_cache
@login_required
def attachment(request: HttpRequest, public_id, file_id) -> HttpResponse:
    app = owned(request, public_id)
    return serve_attachment(request, owned_attachment(request, app, file_id))
