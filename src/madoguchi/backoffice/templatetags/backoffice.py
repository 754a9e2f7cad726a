from django import template

from madoguchi.backoffice.people import name_of

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return name_of(user)
