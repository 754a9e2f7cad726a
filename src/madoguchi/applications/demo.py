"""The demo people's applications (``./dev manage demo``): for each, one draft
started from their saved checklist and one application already sent (with a
file and a 受付番号), so MyPage and, later, the back office have something to show."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.applications import drafting, files
from madoguchi.applications.models import Application, Status
from madoguchi.applications.people import identity_values
from madoguchi.applications.samples import complete_input
from madoguchi.applications.submission import submit
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import demo

# Who has what: (draft, sent). 高橋さん's 児童手当 is left as a draft to finish.
PLANS = {
    "takahashi": ("child-allowance-claim", "child-medical-subsidy"),
    "saito": ("kokuho-enroll", "dog-registration-change"),
}


def demo_pdf() -> bytes:
    """A one-page A4 PDF: what a resident might attach (a scanned document). Made by
    pypdf, so it is a whole PDF (xref, trailer) that the upload check opens."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _verified(user) -> None:
    """The demo identity (the profile's four facts), as if confirmed with a card."""
    if identity_values(user) is not None:
        return
    from madoguchi.residents.identity.contrib.demo.plugin import demo_facts
    from madoguchi.residents.identity.registry import VerifiedFacts
    from madoguchi.residents.identity.store import store

    store(user, user, "demo", VerifiedFacts(subject=f"demo-{user.pk}", **demo_facts(user)))


def _send(user, proc, situation) -> Application:
    sent = Application.objects.filter(owner=user, procedure_id=proc.id).exclude(status=Status.DRAFT)
    if (found := sent.first()) is not None:
        return found
    app = drafting.open_draft(user, proc, situation)
    identity = identity_values(user)
    app.draft_input = complete_input(proc.form, app.data)
    app.save(update_fields=["draft_input"])
    file_field = next((f for f in proc.form.fields if f.kind == "file"), None)
    if file_field is not None and not app.attachments.exists():
        with files.atomic_with_files():
            upload = SimpleUploadedFile("書類.pdf", demo_pdf(), content_type="application/pdf")
            limits = files.Limits(tuple(file_field.accept), 10 * 1024 * 1024, 10)
            files.store(app, file_field.id, upload, limits)
    return submit(
        app.pk,
        user,
        identity=identity[1] if identity else None,
        identity_provider=identity[0] if identity else "",
        requires_identity=proc.requires_identity,
    ).application


@demo.register("applications", order=20)
def drafts_and_sent(shared: dict, password: str) -> list[str]:
    catalog = current_catalog()
    lines = []
    for key, (draft_id, sent_id) in PLANS.items():
        user, situation = shared["people"][key], shared["situations"][key]
        _verified(user)
        draft = drafting.open_draft(user, catalog.procedures[draft_id], situation)
        sent = _send(user, catalog.procedures[sent_id], situation)
        lines.append(
            f"  下書き: {draft.procedure_name} / 送信済み: {sent.procedure_name}"
            f"(受付番号 {sent.receipt_number})"
        )
    return lines
