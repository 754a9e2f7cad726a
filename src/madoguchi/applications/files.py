"""Attached files: checked by their content, kept outside the web root, hashed.

A file's type is what its bytes are (``filetype`` reads the magic numbers), not what
its name or the browser says: a renamed ``.exe`` is refused. Images are also opened
with Pillow and PDFs with pypdf, so a truncated photo, or a 「PDF」 that is only the
four bytes ``%PDF`` in front of a web page, is refused while the resident can still
send it again. The name kept ends with the extension of the type found (a PDF sent
as ``poly.html`` is kept as ``poly.pdf``): whoever downloads it later gets what its
name says. Files are kept in Django's default storage (``STORAGES["default"]``,
common/file_storage.py): a folder under ``MADOGUCHI_FILES_DIR`` on one server (never
served by the web server itself), or a private S3-compatible bucket shared by several
app servers. Each has a random name and is streamed back only to whoever may see it.

An upload is checked whole before anything is kept (its bytes hashed, its type and
its image or PDF opened from the request's own upload), so a refused file is never
written. Keeping it is two-phase: the bytes go to the storage first (synced to disk
locally), then the row is saved in the caller's transaction
(``atomic_with_files``). If it rolls back the file is removed; if the process is
killed in between, ``sweep_orphans`` removes it later.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
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


def storage() -> Storage:
    """Where attached files are kept (common/file_storage.py)."""
    return storages["default"]


def files_dir() -> Path:
    """The local folder of the embedded default (not used with S3)."""
    path = Path(settings.MADOGUCHI_FILES_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(attachment: Attachment) -> Path:
    """The file on local disk (the embedded default only: S3 has no path)."""
    return Path(storage().path(attachment.storage_name))


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


def _check_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileRefused(
            _(
                "画像を開けませんでした。ファイルが壊れているかもしれません。撮り直すか、別のファイルを選んでください"
            )
        ) from None


def _check_pdf(upload: UploadedFile) -> None:
    """A PDF is what pypdf can open with at least one page, and holds no web page."""
    from pypdf import PdfReader

    broken = FileRefused(
        _(
            "PDFとして開けませんでした。ファイルが壊れているか、PDFではないかもしれません。"
            "もう一度PDFに保存してから選んでください"
        )
    )
    if _holds_html(upload):
        raise broken
    upload.seek(0)
    try:
        pages = len(PdfReader(upload, strict=False).pages)
    except Exception:  # pypdf raises many kinds on a damaged file; each means "broken"
        raise broken from None
    if pages < 1:
        raise broken


def _holds_html(upload: UploadedFile) -> bool:
    overlap = max(len(m) for m in _HTML_MARKERS)
    tail = b""
    for chunk in upload.chunks(CHUNK):  # from its start
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
    digest, size, head = hashlib.sha256(), 0, b""
    for chunk in upload.chunks(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FileRefused(_too_big(limits))
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        digest.update(chunk)
    if size == 0:
        raise FileRefused(_("からのファイルです。中身のあるファイルを選んでください"))
    kind = _sniff(head, limits.accept)
    if kind in ("jpeg", "png"):
        _check_image(upload)
    else:
        _check_pdf(upload)
    upload.seek(0)
    storage_name = storage().save(f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}", upload)
    written.append(storage_name)
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


_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "madoguchi_written_files", default=None
)


@contextmanager
def atomic_with_files():
    """A transaction whose new files are removed again if it does not commit."""
    written: list[str] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in written:
            storage().delete(name)
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
    name = attachment.storage_name
    attachment.delete()
    transaction.on_commit(lambda: storage().delete(name))


def open_verified(attachment: Attachment) -> File | None:
    """The file, opened and read once to check it is still the one that was
    attached (rewound, for the caller to send and close), or ``None`` when it was
    changed or lost. From S3 it is fetched once, into the request's own buffer."""
    try:
        kept = storage().open(attachment.storage_name, "rb")
    except FileNotFoundError:
        return None
    digest = hashlib.sha256()
    try:
        for chunk in kept.chunks(CHUNK):
            digest.update(chunk)
    except BaseException:
        kept.close()
        raise
    if digest.hexdigest() != attachment.sha256:
        kept.close()
        return None
    kept.seek(0)
    return kept


def verify(attachment: Attachment) -> bool:
    """Whether the stored file is still the one that was attached."""
    kept = open_verified(attachment)
    if kept is None:
        return False
    kept.close()
    return True


def sweep_orphans(older_than: float = ORPHAN_AGE_SECONDS) -> list[Path | PurePosixPath]:
    """Remove files no attachment row names (left by a killed request); returns
    where each was (its path on local disk, its key in a bucket)."""
    kept = storage()
    # One folder (or bucket) for every town.
    known = set(Attachment.objects.all_towns().values_list("storage_name", flat=True))
    cutoff = timezone.now() - timedelta(seconds=older_than)
    removed = []
    try:
        folders = kept.listdir("")[0]
    except FileNotFoundError:  # no file was ever kept here
        return []
    for folder in folders:
        for leaf in kept.listdir(folder)[1]:
            name = f"{folder}/{leaf}"
            # Only an unknown name costs a look at its age (a HEAD request on S3).
            if name in known or kept.get_modified_time(name) >= cutoff:
                continue
            where = _where(name)
            kept.delete(name)
            removed.append(where)
    return removed


def _where(name: str) -> Path | PurePosixPath:
    try:
        return Path(storage().path(name))
    except NotImplementedError:  # a bucket has keys, not paths
        return PurePosixPath(name)
