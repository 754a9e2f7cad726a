"""The queue's table rows as HTML, built once per row (every value escaped): 50 rows
of a dozen cells cost a template engine more than the rest of the page, and the
rows' markup is fixed. The table's head, the tabs and the filters stay in
``queue.html``.

The cells are escaped with the standard library's ``html.escape``, the function
Django's ``escape`` calls too (same output), without ``format_html``'s lazy-text
checks per value (~600 per page): that was a tenth of the page's CPU."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from madoguchi.applications.display import procedure_title


def words() -> dict[str, str]:
    """The marks' words, translated once per page (and escaped once)."""
    return {
        "unassigned": escape(_("未割り当て")),
        "overdue": escape(_("期限超過")),
        "corrected": escape(_("補正後")),
        "duplicate": escape(_("重複の可能性")),
    }


def row(item: dict, w: dict[str, str]) -> SafeString:
    app = item["app"]
    duplicate = (
        f'<br><a class="tag duplicate" href="{escape(item["duplicate_url"])}">'
        f"{w['duplicate']}: {escape(item['duplicate'])}</a>"
        if item["duplicate"]
        else ""
    )
    channel = f' <span class="tag">{escape(item["channel"])}</span>' if item["channel"] else ""
    corrected = f' <span class="tag corrected">{w["corrected"]}</span>' if item["corrected"] else ""
    clerk = escape(item["clerk"]) or f'<span class="muted">{w["unassigned"]}</span>'
    if item["due"]:
        mark = (
            f'<br><strong class="overdue-mark">{w["overdue"]}</strong>' if item["overdue"] else ""
        )
        due = escape(item["due"]) + mark
    else:
        due = "—"
    received, wareki = item["received"]
    overdue = ' class="overdue"' if item["overdue"] else ""
    return mark_safe(  # noqa: S308 (every value above is escaped)
        f'<tr{overdue}><th scope="row">'
        f'<a href="{escape(item["url"])}">{escape(item["number"])}</a>{duplicate}</th>'
        f"<td>{escape(app.applicant_name or '—')}</td>"
        f"<td>{escape(procedure_title(app))}{channel}</td>"
        f'<td class="nowrap">{escape(received)}<br><span class="wareki">{escape(wareki)}</span></td>'
        f'<td><span class="status status-{escape(app.status)}">{escape(item["status"])}</span>'
        f"{corrected}</td><td>{clerk}</td>"
        f'<td class="nowrap">{due}</td></tr>\n'
    )
