"""The application's documents for its owner: the 申請書控え PDF and the attached
files. Sent as downloads (``attachment``, ``nosniff``), never shown inline, never
cached, and each access is audited."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from madoguchi.applications import files
from madoguchi.applications.access import owned, owned_attachment
from madoguchi.applications.correspondence import current_attachments
from madoguchi.applications.display import rows
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit
from madoguchi.common.pdf import render_pdf


def _download_headers(response: HttpResponse, filename: str, ascii_name: str) -> HttpResponse:
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def receipt_pdf(request: HttpRequest, public_id) -> HttpResponse:
    app = owned(request, public_id)
    if app.is_draft:
        raise Http404
    spec = app.spec
    catalog = current_catalog()
    current = current_attachments(app)  # not the messages' files
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
    ascii_name = f"receipt_{app.receipt_number}.pdf"
    # The name the resident sees in their downloads: in their language.
    language = get_language() or "ja"
    name = f"申請書控え_{app.receipt_number}.pdf" if language.startswith("ja") else ascii_name
    return _download_headers(response, name, ascii_name)


@never_cache
@login_required
def attachment(request: HttpRequest, public_id, file_id) -> HttpResponse:
    app = owned(request, public_id)
    found = owned_attachment(request, app, file_id)
    if not files.verify(found):
        # Changed or lost on disk: say so rather than hand out other bytes.
        raise Http404
    audit.record(
        request.user, "download", "attachment", str(found.public_id), application=str(app.public_id)
    )
    response = FileResponse(open(files.path_of(found), "rb"), content_type=found.content_type)
    return _download_headers(response, found.original_name, f"file-{found.public_id}")
