"""Handing out an attached file: one way for every page that does it (the resident's
own files, the department's view of a form's files and of a message's files).

The bytes are sent only while their SHA-256 still matches (a changed or lost file is
a 404, not other bytes), read once from the storage (local disk or the S3 bucket) and
streamed by the view itself: a bucket URL, even a short-lived presigned one, would
skip these headers, could not be withdrawn once handed out, and would need the
bucket reachable from residents' browsers. Every response carries the same headers: a
``Content-Disposition`` with the name as uploaded (RFC 5987, UTF-8) and an ASCII one
for old clients, ``nosniff``, never cached (``no-store``, ``private``) and a
``Content-Security-Policy: sandbox`` (no script, no same-origin rights, should a
browser render it). Only a PDF, JPEG or PNG is ever shown in the browser
(``inline``); anything else is a download of ``application/octet-stream``. Each
access is one audit entry of the same shape: action ``view`` (shown) or
``download``, target the attachment, and the application's public id.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from madoguchi.applications import files
from madoguchi.applications.models import Attachment
from madoguchi.common import audit

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
_PLAIN_ASCII = re.compile(r"^[A-Za-z0-9._\- ()]+$")


def ascii_name(filename: str, fallback: str) -> str:
    """The name for clients that do not read ``filename*``: the name itself when it
    is plain ASCII, else ``fallback`` (with the name's extension)."""
    if _PLAIN_ASCII.match(filename):
        return filename
    extension = re.search(r"\.[A-Za-z0-9]{1,5}$", filename)
    return fallback + (extension.group(0) if extension else "")


def protect(
    response: HttpResponse, filename: str, *, fallback: str, inline: bool = False
) -> HttpResponse:
    """The headers of every file the site hands out (an attachment or a document
    it makes, such as the 申請書控え PDF)."""
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{ascii_name(filename, fallback)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private
    return response


def serve_attachment(
    request: HttpRequest, attachment: Attachment, *, inline: bool = False
) -> HttpResponse:
    """``attachment``, already known to be reachable by ``request.user``; ``inline``
    asks to show it in the browser (kept only for a PDF, JPEG or PNG)."""
    kept = files.open_verified(attachment)
    if kept is None:
        # Changed or lost in storage: say so rather than hand out other bytes.
        raise Http404
    shown = inline and attachment.content_type in INLINE_TYPES
    content_type = (
        attachment.content_type
        if attachment.content_type in INLINE_TYPES
        else "application/octet-stream"
    )
    try:
        audit.record(
            request,
            "view" if shown else "download",
            "attachment",
            str(attachment.public_id),
            application=str(attachment.application.public_id),
        )
    except BaseException:
        kept.close()
        raise
    # Streamed by this view, never a bucket URL: the headers above, the check and
    # the audit entry hold for S3 as for local disk (common/file_storage.py).
    response = FileResponse(kept, content_type=content_type)
    return protect(
        response, attachment.original_name, fallback=f"file-{attachment.public_id}", inline=shown
    )
