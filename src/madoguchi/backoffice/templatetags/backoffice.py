from django import template

from madoguchi.backoffice.people import name_of

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return name_of(user)


@register.simple_tag
def marks_of(app) -> dict:
    """The detail page's marks: 「補正後」 (a 補正依頼 of it was answered) and the
    same applications of the same resident (duplicates.py), oldest first, each with
    the people it shares with this one (``shared_people``, named from this one)."""
    from madoguchi.applications import duplicates

    same = []
    if app.status not in duplicates.NOT_COUNTED:
        same = list(duplicates.same_as(app).only("public_id", "receipt_number", "status")[:10])
        duplicates.shared_people(duplicates.people_keys(app.spec, app.data), same)
    return {
        "corrected": app.correction_requests.filter(answered_at__isnull=False).exists(),
        "duplicates": same,
    }
