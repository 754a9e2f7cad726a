from django import template
from django.utils import timezone
from django.utils.translation import get_language

from madoguchi.residents.checklists import summaries

register = template.Library()


@register.simple_tag
def saved_checklists(user):
    """``{% saved_checklists user as lists %}``: each with its nearest deadlines."""
    return summaries(user, get_language() or "ja", timezone.localdate())
