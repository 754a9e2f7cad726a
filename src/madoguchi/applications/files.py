"""Attached files: checked by their content, kept outside the web root, hashed.

A file's type is what its bytes are (``filetype`` reads the magic numbers), not what
its name or the browser says: a renamed ``.exe`` is refused. Images are also opened
with Pillow and PDFs with pypdf, so a truncated photo, or a 「PDF」 that is only the
four bytes ``%PDF`` in front of a web page, is refused while the resident can still
send it again. The name kept ends with the extension of the type found (a PDF sent
as ``poly.html`` is kept as ``poly.pdf``): whoever downloads it later gets what its
name says. Files are written under ``MADOGUCHI_FILES_DIR`` (never served by the web
server itself) with a random name, and streamed back only to whoever may see them.

Writing is two-phase: the bytes go to disk first, then the row is saved in the
caller's transaction (``atomic_with_files``). If it rolls back the file is removed;
if the process is killed in between, ``sweep_orphans`` removes it later.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.applications.models import MESSAGE_FILES, Application, Attachment

MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
# The extensions a kept name may end with, the first one added when it has none.
EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg", ".jpe"), "png": (".png",)}
NAME_MAX = 150  # characters of a kept name (``Attachment.original_name`` holds 200)
# What a web page starts with: none belongs in a PDF (its scripts are ``/JS``), and
# each would make a PDF/HTML polyglot of it.
_HTML_MARKERS = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg")
KIND_LABEL = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
CHUNK = 64 * 1024
# A file on disk with no row after this long was left by a killed request.
ORPHAN_AGE_SECONDS = 60 * 60


class FileRefused(ValueError):
    """Why an upload cannot be kept, in a sentence for the resident."""


@dataclass(frozen=True)
class Limits:
    accept: tuple[str, ...]
    max_bytes: int
    max_files: int


def files_dir() -> Path:
    path = Path(settings.MADOGUCHI_FILES_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(attachment: Attachment) -> Path:
    return files_dir() / attachment.storage_name


def _clean_name(name: str, kind: str) -> str:
    """The name shown back to the resident: no path, no control characters, at most
    ``NAME_MAX`` characters, ending with the extension of the type its bytes are (a
    long name is cut in its stem, so 「….pdf」 stays a PDF's name)."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable()).strip()
    stem, dot, ext = base.rpartition(".")
    if dot and stem and f".{ext.lower()}" in EXTENSIONS[kind]:
        ext = f".{ext}"
    elif dot and stem and ext.isascii() and ext.isalnum() and len(ext) <= 5:
        ext = EXTENSIONS[kind][0]  # another type's (poly.html → poly.pdf)
    else:  # none (「スキャン」, 「.pdf」 alone is a stem): the type's own is added
        stem, ext = base, EXTENSIONS[kind][0]
    stem = stem.strip()[: NAME_MAX - len(ext)].strip() or "file"
    return stem + ext


def _sniff(head: bytes, accept: tuple[str, ...]) -> str:
    kind = filetype.guess(head)
    found = next((k for k in accept if kind is not None and MIME[k] == kind.mime), None)
    if found is None:
        allowed = "・".join(KIND_LABEL[k] for k in accept)
        raise FileRefused(
            _("このファイルの種類は受け付けていません。%(allowed)s のファイルを選んでください")
            % {"allowed": allowed}
        )
    return found


def _check_image(path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileRefused(
            _(
                "画像を開けませんでした。ファイルが壊れているかもしれません。撮り直すか、別のファイルを選んでください"
            )
        ) from None


def _check_pdf(path: Path) -> None:
    """A PDF is what pypdf can open with at least one page, and holds no web page."""
    from pypdf import PdfReader

    broken = FileRefused(
        _(
            "PDFとして開けませんでした。ファイルが壊れているか、PDFではないかもしれません。"
            "もう一度PDFに保存してから選んでください"
        )
    )
    if _holds_html(path):
        raise broken
    try:
        with open(path, "rb") as f:
            pages = len(PdfReader(f, strict=False).pages)
    except Exception:  # pypdf raises many kinds on a damaged file; each means "broken"
        raise broken from None
    if pages < 1:
        raise broken


def _holds_html(path: Path) -> bool:
    overlap = max(len(m) for m in _HTML_MARKERS)
    tail = b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            window = (tail + chunk).lower()
            if any(m in window for m in _HTML_MARKERS):
                return True
            tail = window[-overlap:]
    return False


def store(application: Application, field_id: str, upload: UploadedFile, limits: Limits):
    """Check ``upload`` and keep it as an attachment of ``application``.

    Runs inside ``atomic_with_files()``: the row is part of that transaction, and
    the file is removed if it does not commit.
    """
    if upload.size is not None and upload.size > limits.max_bytes:
        raise FileRefused(_too_big(limits))
    if application.attachments.filter(field_id=field_id).count() >= limits.max_files:
        raise FileRefused(
            _("この項目に付けられるファイルは%(n)d個までです。先にいらないファイルを消してください")
            % {"n": limits.max_files}
        )
    written = _written.get()
    if written is None:
        raise RuntimeError("store() runs inside atomic_with_files()")
    storage_name = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    final = files_dir() / storage_name
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_suffix(".part")
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(temp, "xb") as out:
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FileRefused(_too_big(limits))
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise FileRefused(_("からのファイルです。中身のあるファイルを選んでください"))
        kind = _sniff(head, limits.accept)
        if kind in ("jpeg", "png"):
            _check_image(temp)
        else:
            _check_pdf(temp)
        os.replace(temp, final)
        written.append(final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Attachment.objects.create(
        application=application,
        field_id=field_id,
        original_name=_clean_name(upload.name or "", kind),
        content_type=MIME[kind],
        size=size,
        sha256=digest.hexdigest(),
        storage_name=storage_name,
    )


def _too_big(limits: Limits) -> str:
    return _(
        "ファイルが大きすぎます。1つ%(mb)dMBまでです。写真なら小さくしてから選んでください"
    ) % {"mb": limits.max_bytes // (1024 * 1024)}


_written: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar(
    "madoguchi_written_files", default=None
)


@contextmanager
def atomic_with_files():
    """A transaction whose new files are removed again if it does not commit."""
    written: list[Path] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    finally:
        _written.reset(token)


def by_field(application: Application) -> dict[str, list[Attachment]]:
    """The form's files of ``application`` by field id, oldest first (never a
    message's files). A draft's files are all answers: its values are made from
    them. Once sent, the answers are the files its values name, in their order: a
    補正 that replaced a field's files leaves the older ones with the older version."""
    found = application.attachments.exclude(field_id=MESSAGE_FILES)
    out: dict[str, list[Attachment]] = {}
    if application.is_draft:
        for a in found:
            out.setdefault(a.field_id, []).append(a)
        return out
    by_id = {str(a.public_id): a for a in found}
    for a in by_id.values():
        out.setdefault(a.field_id, [])
    for field_id, kept in out.items():
        named = application.data.get(field_id)
        for i in named if isinstance(named, list) else []:
            a = by_id.get(str(i))
            if a is not None and a.field_id == field_id:
                kept.append(a)
    return out


def remove(attachment: Attachment) -> None:
    """Delete a draft's attachment: the row now, the file once that is committed."""
    path = path_of(attachment)
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def verify(attachment: Attachment) -> bool:
    """Whether the file on disk is still the one that was attached."""
    digest = hashlib.sha256()
    try:
        with open(path_of(attachment), "rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == attachment.sha256


def sweep_orphans(older_than: float = ORPHAN_AGE_SECONDS) -> list[Path]:
    """Remove files no attachment row names (left by a killed request)."""
    root = files_dir()
    known = set(
        Attachment.objects.all_towns().values_list("storage_name", flat=True)
    )  # one folder for every town
    removed = []
    cutoff = time.time() - older_than
    for path in root.glob("*/*"):
        name = f"{path.parent.name}/{path.name}"
        if name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
