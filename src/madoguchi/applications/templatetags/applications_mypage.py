from django import template

from madoguchi.applications.mypage import applications_of

register = template.Library()


@register.simple_tag
def my_applications(user):
    """``{% my_applications user as apps %}``: apps.drafts, apps.submitted."""
    return applications_of(user)
