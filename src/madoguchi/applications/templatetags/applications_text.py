from django import template

from madoguchi.applications.display import procedure_title as _procedure_title

register = template.Library()


@register.filter
def procedure_title(app) -> str:
    """The procedure's name in the current language (an application or its row)."""
    return _procedure_title(app)
