from django import template

from madoguchi.applications.mypage import applications_of, waiting_for

register = template.Library()


@register.simple_tag
def my_applications(user):
    """``{% my_applications user as apps %}``: apps.drafts, apps.submitted."""
    return applications_of(user)


@register.simple_tag
def asked_of(user):
    """``{% asked_of user as apps %}``: applications waiting for the resident's 補正."""
    return waiting_for(user)
