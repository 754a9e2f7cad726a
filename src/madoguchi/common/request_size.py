"""A request larger than ``MADOGUCHI_MAX_REQUEST_BYTES`` is refused before its body
is read: 413 and a page in the resident's language telling them to go back (what
they saved before is intact; this request changed nothing).

Django limits the non-file part of a body (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but
streams files of any size to a temporary file before a view can look at them, so a
100 MiB upload was read, and written, in full before 「大きすぎます」. Two guards:

- ``RequestSizeLimitMiddleware`` answers at once when ``Content-Length`` says too
  much (nothing is read);
- ``SizeLimitUploadHandler`` (first of ``FILE_UPLOAD_HANDLERS``) counts the bytes as
  the multipart parser reads them and stops past the limit, for a body whose length
  was not announced (chunked) or was announced falsely.

Either way the response is the one for ``RequestDataTooBig`` (``error_pages``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse


class RequestTooLarge(RequestDataTooBig):
    """The body passed ``MADOGUCHI_MAX_REQUEST_BYTES``."""


def limit() -> int:
    return settings.MADOGUCHI_MAX_REQUEST_BYTES


def _announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _announced_length(request) > limit():
            from madoguchi.common.error_pages import too_large

            return too_large(request, RequestTooLarge())
        return self.get_response(request)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops the multipart parser once the files it has read pass the limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > limit():
            raise RequestTooLarge()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > limit():
            raise RequestTooLarge()
        return raw_data  # the next handler keeps it

    def file_complete(self, file_size):
        return None
