"""Attached files are checked by content, hashed, kept outside the web root, and
never left behind by a transaction that did not commit."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.applications import files
from madoguchi.applications.models import Attachment

from .conftest import pdf_bytes, png_bytes
from .test_submission import new_draft

LIMITS = files.Limits(("pdf", "jpeg", "png"), 1024 * 1024, 2)
pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_kept_with_its_checksum_outside_the_web_root(takahashi, files_dir, settings):
    app = new_draft(takahashi)
    content = png_bytes()
    with files.atomic_with_files():
        kept = files.store(app, "insurance_document", upload("保険証.png", content), LIMITS)
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    assert kept.content_type == "image/png" and kept.size == len(content)
    path = files.path_of(kept)
    assert path.read_bytes() == content
    assert settings.STATIC_ROOT not in path.parents
    assert files.verify(kept)
    path.write_bytes(content + b"x")
    assert not files.verify(kept)


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "種類"),
        ("note.png", b"just text, renamed", "種類"),
        ("broken.png", png_bytes()[:60], "開けません"),
        ("empty.pdf", b"", "から"),
    ],
)
def test_files_are_judged_by_their_content(takahashi, files_dir, name, content, reason):
    app = new_draft(takahashi)
    with pytest.raises(files.FileRefused, match=reason), files.atomic_with_files():
        files.store(app, "insurance_document", upload(name, content, "image/png"), LIMITS)
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in files_dir.rglob("*"))


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(takahashi, files_dir):
    app = new_draft(takahashi)
    big = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(files.FileRefused, match="1MBまで"), files.atomic_with_files():
        files.store(app, "insurance_document", upload("big.pdf", big), LIMITS)
    assert not any(p.is_file() for p in files_dir.rglob("*"))


def test_no_more_files_than_the_field_allows(takahashi, files_dir):
    app = new_draft(takahashi)
    with files.atomic_with_files():
        for i in range(2):
            files.store(app, "insurance_document", upload(f"{i}.pdf", pdf_bytes()), LIMITS)
    with pytest.raises(files.FileRefused, match="2個まで"), files.atomic_with_files():
        files.store(app, "insurance_document", upload("3.pdf", pdf_bytes()), LIMITS)


def test_a_failure_after_the_file_was_written_leaves_no_file_and_no_row(takahashi, files_dir):
    app = new_draft(takahashi)
    with pytest.raises(RuntimeError), files.atomic_with_files():
        files.store(app, "insurance_document", upload("a.pdf", pdf_bytes()), LIMITS)
        raise RuntimeError("the database went away")
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in files_dir.rglob("*"))


def test_store_refuses_to_run_outside_a_transaction_that_cleans_up(takahashi, files_dir):
    app = new_draft(takahashi)
    with pytest.raises(RuntimeError, match="atomic_with_files"):
        files.store(app, "insurance_document", upload("a.pdf", pdf_bytes()), LIMITS)


def test_sweeping_removes_old_files_no_row_names(takahashi, files_dir):
    app = new_draft(takahashi)
    with files.atomic_with_files():
        kept = files.store(app, "insurance_document", upload("a.pdf", pdf_bytes()), LIMITS)
    orphan = files_dir / "ab" / "left-by-a-killed-worker"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    old = time.time() - 2 * files.ORPHAN_AGE_SECONDS
    os.utime(orphan, (old, old))
    os.utime(files.path_of(kept), (old, old))
    assert files.sweep_orphans() == [orphan]
    assert files.path_of(kept).exists() and not orphan.exists()


def test_by_field_gives_a_draft_all_its_files_and_a_sent_one_those_its_values_name(
    takahashi, files_dir
):
    from madoguchi.applications import correspondence
    from madoguchi.applications.models import MESSAGE_FILES, Status

    from .conftest import claim_post
    from .test_submission import send

    app = new_draft(takahashi, post=claim_post())
    with files.atomic_with_files():
        first = files.store(app, "insurance_document", upload("a.png", png_bytes()), LIMITS)
        second = files.store(app, "insurance_document", upload("b.pdf", pdf_bytes()), LIMITS)
    # A draft: every file is an answer (its values are made from them).
    assert files.by_field(app) == {"insurance_document": [first, second]}

    send(app, takahashi)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.data["insurance_document"] == [str(first.public_id), str(second.public_id)]
    correspondence.post_message(
        app, author=takahashi, from_staff=False, body="追加です",
        uploads=[upload("c.png", png_bytes())],
    )  # fmt: skip
    assert app.attachments.filter(field_id=MESSAGE_FILES).count() == 1
    # Sent: the files its values name, in their order; never a message's file.
    app.data["insurance_document"] = [str(second.public_id)]  # as a 補正 replaced them
    assert files.by_field(app) == {"insurance_document": [second]}
    app.data["insurance_document"] = [str(second.public_id), str(first.public_id)]
    assert files.by_field(app) == {"insurance_document": [second, first]}
