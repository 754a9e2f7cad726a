"""An attached file, for the staff of the application's department: shown in the
browser when it is a PDF, JPEG or PNG, else a download, with the headers and the
audit entry of every file the site hands out (``applications.serving``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from madoguchi.applications.models import Attachment
from madoguchi.applications.serving import serve_attachment
from madoguchi.backoffice.access import application_for, staff_required


@never_cache
@require_safe
@staff_required
def attachment(request: HttpRequest, public_id, file_id) -> HttpResponse:
    app = application_for(request.user, public_id)
    found = get_object_or_404(Attachment, application=app, public_id=file_id)
    return serve_attachment(request, found, inline=True)
