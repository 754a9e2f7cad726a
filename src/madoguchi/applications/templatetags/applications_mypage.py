from django import template

from madoguchi.applications.mypage import PER_PAGE, applications_of, waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def my_applications(context, user):
    """``{% my_applications user as apps %}``: apps.drafts, apps.submitted (one page
    of them, ``?page=`` of the current request)."""
    request = context.get("request")
    return applications_of(user, request.GET.get("page") if request else 1)


@register.simple_tag
def asked_of(user):
    """``{% asked_of user as apps %}``: applications waiting for the resident's 補正,
    a page of them at most and one more (to say that there are more)."""
    return waiting_for(user, limit=PER_PAGE + 1)
