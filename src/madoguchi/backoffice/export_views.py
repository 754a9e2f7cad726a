"""The export's pages: choose a procedure of one's departments, see how many rows
and (for Shift_JIS) which characters cannot be written, then download.

Progress: the page shows the number of rows (one count query) before the download,
and the file's name carries it; the download is streamed (no Content-Length), so
the browser shows the bytes coming from the first row on, without the server
building the file first. A cp932 download whose rows hold characters cp932 lacks
is refused (sent back to the page with the list) unless the clerk chose the
substitution there (``substitute=1``), whose report is a second download.
"""

from __future__ import annotations

import itertools
import logging
from urllib.parse import urlencode

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from madoguchi.applications.display import procedure_title
from madoguchi.applications.models import Status
from madoguchi.backoffice import access
from madoguchi.backoffice.export import ENCODINGS, Export, Unwritable, report_stream, summarize
from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.registry import current_catalog
from madoguchi.common import audit
from madoguchi.common.templatetags.japanese import tr

STATUSES = [s for s in Status if s != Status.DRAFT]
logger = logging.getLogger(__name__)


def procedures_for(user) -> dict[str, str]:
    """The procedures the user may export, id → name: those with a form of the
    user's departments in the catalogue, and any their departments have applications for."""
    departments = access.departments_of(user)
    found = {
        p.id: tr(p.name)
        for p in current_catalog().procedures.values()
        if p.department in departments and p.form
    }
    rows = access.applications_for(user).order_by().values("procedure_id", "procedure_name")
    for row in rows.distinct():  # (a procedure gone from the catalogue: its stored name)
        found.setdefault(row["procedure_id"], procedure_title(row))
    return found


def _choices(request) -> tuple[str, str, str]:
    encoding = request.GET.get("encoding", "utf-8")
    status = request.GET.get("status", "")
    if encoding not in ENCODINGS or status not in ("", *(s.value for s in STATUSES)):
        raise Http404
    return request.GET.get("procedure", ""), encoding, status


def _export(user, procedure_id: str, status: str) -> Export:
    if procedure_id not in procedures_for(user):
        raise Http404  # another department's procedure: as if it did not exist
    queryset = access.applications_for(user)
    if status:
        queryset = queryset.filter(status=status)
    proc = current_catalog().procedures.get(procedure_id)
    current = None
    if proc and proc.form:
        current = FormSpec.model_validate(proc.form.model_dump(mode="json", by_alias=True))
    return Export(queryset, procedure_id, current)


@access.staff_required
def export_page(request):
    procedure_id, encoding, status = _choices(request)
    procedures = procedures_for(request.user)
    context = {
        "procedures": sorted(procedures.items(), key=lambda p: p[1]),
        "statuses": STATUSES,
        "chosen": {"procedure": procedure_id, "encoding": encoding, "status": status},
    }
    if procedure_id:
        export = _export(request.user, procedure_id, status)
        query = {"encoding": encoding, "status": status}
        csv_url = reverse("backoffice:export_csv", args=[procedure_id])
        context |= {
            "procedure_name": procedures[procedure_id],
            "count": export.count(),
            "download_url": f"{csv_url}?{urlencode(query)}",
            "utf8_url": f"{csv_url}?{urlencode(query | {'encoding': 'utf-8'})}",
            "substitute_url": f"{csv_url}?{urlencode(query | {'substitute': '1'})}",
            "report_url": reverse("backoffice:export_report", args=[procedure_id])
            + f"?{urlencode({'status': status})}",
        }
        if encoding == "cp932":
            total, shown, rows = summarize(export.problems())
            context |= {"problem_total": total, "problems": shown, "problem_rows": rows}
            # The list shows characters of residents' names, with their 受付番号.
            audit.record(request, "view", "export", procedure_id, page="sjis_check",
                         status=status or "all", characters=total, rows=rows)  # fmt: skip
    return render(request, "backoffice/export.html", context)


@access.staff_required
def export_csv(request, procedure_id: str):
    _, encoding, status = _choices(request)
    export = _export(request.user, procedure_id, status)
    substitute = encoding == "cp932" and request.GET.get("substitute") == "1"
    chunks = export.stream(encoding, substitute=substitute)
    try:
        # The headers and the first 2,000 rows before answering: a small export with a
        # character cp932 lacks goes back to the page, which lists them and offers the
        # choices. One pass: the rows are checked as they are encoded, so a later row
        # that fails (written after the page's check) ends the download as failed
        # (the browser says so) — never a silent loss.
        first = next(chunks)
    except Unwritable:
        query = {"procedure": procedure_id, "encoding": encoding, "status": status}
        return redirect(f"{reverse('backoffice:export')}?{urlencode(query)}")
    count = export.count()
    audit.record(request.user, "download", "export", procedure_id, rows=count,
                 encoding=encoding, status=status or "all", substitute=substitute)  # fmt: skip
    day = timezone.localdate().strftime("%Y%m%d")
    name = f"{procedure_id}-{day}-{count}rows-{'sjis' if encoding == 'cp932' else 'utf8'}.csv"
    charset = "shift_jis" if encoding == "cp932" else "utf-8"
    response = StreamingHttpResponse(
        itertools.chain([first], _logged(chunks, procedure_id)),
        content_type=f"text/csv; charset={charset}",
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Row-Count"] = str(count)
    return response


def _logged(chunks, procedure_id: str):
    try:
        yield from chunks
    except Unwritable as exc:
        logger.warning("export %s stopped: cp932 cannot write %s", procedure_id, exc)
        raise


@access.staff_required
def export_report(request, procedure_id: str):
    """Every character cp932 lacks and what the substituted file has instead (UTF-8)."""
    _, _, status = _choices(request)
    export = _export(request.user, procedure_id, status)
    audit.record(request.user, "download", "export_report", procedure_id, status=status or "all")
    day = timezone.localdate().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        report_stream(export.problems()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{procedure_id}-{day}-sjis-report.csv"
    )
    return response
