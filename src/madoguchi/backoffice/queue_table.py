"""The queue's table rows as HTML, built once per row with ``format_html`` (every
value escaped): 50 rows of a dozen cells cost a template engine more than the rest
of the page, and the rows' markup is fixed. The table's head, the tabs and the
filters stay in ``queue.html``."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from madoguchi.applications.display import procedure_title


def words() -> dict[str, str]:
    """The marks' words, translated once per page."""
    return {
        "unassigned": _("未割り当て"),
        "overdue": _("期限超過"),
        "corrected": _("補正後"),
        "duplicate": _("重複の可能性"),
    }


def row(item: dict, w: dict[str, str]) -> SafeString:
    app = item["app"]
    empty = mark_safe("")
    duplicate = (
        format_html(
            '<br><a class="tag duplicate" href="{}">{}: {}</a>',
            item["duplicate_url"], w["duplicate"], item["duplicate"],
        )
        if item["duplicate"]
        else empty
    )  # fmt: skip
    channel = (
        format_html(' <span class="tag">{}</span>', item["channel"]) if item["channel"] else empty
    )
    corrected = (
        format_html(' <span class="tag corrected">{}</span>', w["corrected"])
        if item["corrected"]
        else empty
    )
    clerk = item["clerk"] or format_html('<span class="muted">{}</span>', w["unassigned"])
    if item["due"]:
        due = format_html("{}{}", item["due"], format_html(
            '<br><strong class="overdue-mark">{}</strong>', w["overdue"]
        ) if item["overdue"] else empty)  # fmt: skip
    else:
        due = "—"
    return format_html(
        '<tr{}><th scope="row"><a href="{}">{}</a>{}</th><td>{}</td><td>{}{}</td>'
        '<td class="nowrap">{}<br><span class="wareki">{}</span></td>'
        '<td><span class="status status-{}">{}</span>{}</td><td>{}</td>'
        '<td class="nowrap">{}</td></tr>\n',
        mark_safe(' class="overdue"') if item["overdue"] else empty,
        item["url"], item["number"], duplicate,
        app.applicant_name or "—",
        procedure_title(app), channel,
        item["received"][0], item["received"][1],
        app.status, item["status"], corrected, clerk,
        due,
    )  # fmt: skip
