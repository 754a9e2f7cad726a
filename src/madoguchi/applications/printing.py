"""The counter's printed, prefilled application forms: one PDF with a form per
application, for the resident's one signature each, then their checklist.

Each form reads like the town's paper form (title, 「〇〇市長 様」, the date in 和暦,
bordered label/value cells, ふりがな above names, the declaration and a 「署名」 box)
and carries the application's 受付番号 and a QR code of its ``public_id``
(``madoguchi:application:<uuid>``) on every page, so that paper intake finds the
application again from a scanned, signed copy. Same PDF stack as the receipts
(``common.pdf``); values are drawn by their kinds (``print_layout``).

The forms are in Japanese whatever the clerk's screen language: the signed paper
is the town's record. The checklist is the resident's, in the language its
context was built in.
"""

from __future__ import annotations

import base64
import io
from datetime import date

import qrcode
from django.template.loader import render_to_string
from django.utils import timezone, translation

from madoguchi.applications import files
from madoguchi.applications.print_layout import sections
from madoguchi.catalog.registry import current_catalog
from madoguchi.common.japanese import era_parts, wareki
from madoguchi.common.pdf import pdf_of_htmls

QR_PREFIX = "madoguchi:application:"
# The head of each kind of municipality, as a form is addressed to them.
_HEADS = {"市": "市長", "町": "町長", "村": "村長", "区": "区長"}
# A procedure's name already ending in a document's word needs no 「申請書」 added.
_DOCUMENT_ENDINGS = ("届", "書")
_ACT_ENDINGS = ("申請", "請求", "申込", "申出", "届出")


def qr_text(app) -> str:
    return f"{QR_PREFIX}{app.public_id}"


def qr_png(text: str) -> str:
    """The QR code of ``text`` as a ``data:`` URI of a PNG with one pixel per module
    (no file, no network), printed with ``image-rendering: pixelated`` so that each
    module stays a sharp square. (An SVG path drew the same squares, but WeasyPrint
    parsed it in Python: a tenth of each form's time.) Medium error correction
    survives a signature or a stamp over its edge."""
    image = qrcode.make(
        text, box_size=1, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    png = io.BytesIO()
    image.save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def addressee(municipality) -> str:
    """「みどり市長　様」 from the municipality's name (its head, by the last character)."""
    name = municipality.name.ja
    head = next((name[:-1] + h for k, h in _HEADS.items() if name.endswith(k)), f"{name}長")
    return f"{head}\u3000様"


def title(app, spec) -> str:
    """The form's title: its ``print.title``, else the procedure's name as a document
    (「児童手当 認定請求」 → 「児童手当 認定請求書」)."""
    layout = spec.print_layout
    if layout and layout.title:
        return layout.title.ja
    name = app.procedure_name
    if name.endswith(_DOCUMENT_ENDINGS):
        return name
    if name.endswith(_ACT_ENDINGS):
        return f"{name}書"
    return f"{name} 申請書"


def date_label(heading: str, spec) -> str:
    layout = spec.print_layout
    if layout and layout.date_label:
        return layout.date_label.ja
    if heading.endswith("届"):
        return "届出日"
    if heading.endswith("請求書"):
        return "請求日"
    return "申請日"


def form_date(today: date | None) -> str:
    """Today in 和暦, or the era with blanks to write in by hand (「令和　年　月　日」)."""
    if today is not None:
        return wareki(today)
    era = era_parts(timezone.localdate())[0]
    return f"{era}\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def _attachments(app, spec) -> dict:
    # Asked only of a form with files: most counter forms have none.
    has_files = app.pk is not None and any(f.kind == "file" for f in spec.fields)
    return files.by_field(app) if has_files else {}


def _context(app, municipality, today: date | None, visit_label: str) -> dict:
    spec = app.spec
    heading = title(app, spec)
    layout = spec.print_layout
    return {
        "app": app,
        "title": heading,
        "addressee": layout.addressee.ja
        if layout and layout.addressee
        else addressee(municipality),
        "date_label": date_label(heading, spec),
        "date": form_date(today),
        "municipality": municipality,
        "sections": sections(spec, app.data, _attachments(app, spec)),
        "notes": [n.ja for n in layout.notes] if layout else [],
        "declaration": spec.declaration.ja if spec.declaration else "",
        "qr": qr_png(qr_text(app)),
        "visit_label": visit_label,
    }


def forms_pdf(
    applications: list,
    *,
    checklist: dict | None = None,
    visit_label: str = "",
    dated: bool = True,
) -> bytes:
    """One PDF: a form per application (in the given order; a form starts on a new
    page and a long one runs on with its header repeated), then the checklist.

    ``checklist`` is the context of the guide's checklist PDF
    (``catalog.views.checklist_context``); ``visit_label`` (e.g. the visit's number)
    is printed in each form's header; ``dated=False`` leaves the date to be written
    by hand (「令和　年　月　日」) instead of today's.
    """
    municipality = current_catalog().municipality
    today = timezone.localdate() if dated else None
    with translation.override("ja"):
        htmls = [
            render_to_string(
                "applications/print/form.html", _context(app, municipality, today, visit_label)
            )
            for app in applications
        ]
    if checklist is not None:
        htmls.append(render_to_string("catalog/checklist_pdf.html", checklist))
    if not htmls:
        raise ValueError("印刷する申請書もやることリストもありません")
    return pdf_of_htmls(htmls)
