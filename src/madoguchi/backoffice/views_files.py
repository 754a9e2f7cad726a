"""An attached file, for the staff of the application's department.

Shown in the browser (``inline``) only when it is a PDF, JPEG or PNG (checked by
its bytes when it was uploaded); anything else is a download. The response is a
sandbox (``Content-Security-Policy: sandbox``: no script, no same-origin rights),
is never sniffed as another type, never cached, and only sent when its SHA-256
still matches. Every look is in the audit log.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from madoguchi.applications import files
from madoguchi.applications.models import Attachment
from madoguchi.backoffice.access import application_for, staff_required
from madoguchi.common import audit

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@never_cache
@require_safe
@staff_required
def attachment(request: HttpRequest, public_id, file_id) -> HttpResponse:
    app = application_for(request.user, public_id)
    found = get_object_or_404(Attachment, application=app, public_id=file_id)
    if not files.verify(found):
        # Changed or lost on disk: say so rather than hand out other bytes.
        raise Http404
    # On the application's trail (the audit page filters by application).
    audit.record(request, "view", "application", app.public_id, by="staff", file=found.public_id)
    inline = found.content_type in INLINE_TYPES
    response = FileResponse(
        open(files.path_of(found), "rb"),
        content_type=found.content_type if inline else "application/octet-stream",
    )
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="file-{found.public_id}"; '
        f"filename*=UTF-8''{quote(found.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response
