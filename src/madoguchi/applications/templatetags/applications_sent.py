"""``{% sent_application procedure_id as sent %}``: the signed-in resident's newest sent
application of that procedure that still counts (duplicates.py), or None — so the
checklist and the procedure's page say 「申請済み」 instead of only offering to apply.
One query per page (kept on the user object), whatever the number of procedures."""

from django import template

from madoguchi.applications.duplicates import sent_by

register = template.Library()


@register.simple_tag(takes_context=True)
def sent_application(context, procedure_id: str):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    found = getattr(user, "_sent_applications", None)
    if found is None:
        found = user._sent_applications = sent_by(user)
    same = found.get(procedure_id)
    return same[0] if same else None
