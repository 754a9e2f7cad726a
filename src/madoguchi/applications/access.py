"""Who may reach an application: its owner only (the back office adds its own
scoping by department). Anything else is 404, never 403, so that ids cannot be
probed."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from madoguchi.applications.models import Application, Attachment


def owned(request, public_id) -> Application:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Application, public_id=public_id, owner=request.user)


def owned_attachment(request, application: Application, file_id) -> Attachment:
    return get_object_or_404(Attachment, public_id=file_id, application=application)
