"""The API's one error shape, shared by every router: ``{"detail": [{field, label,
message}]}`` with the message in plain Japanese (the same words as the CLI and web)."""

from __future__ import annotations

from ninja import Schema


class FieldError(Schema):
    field: str
    label: str
    message: str


class ErrorOut(Schema):
    detail: list[FieldError]
