from datetime import datetime

from django import template
from django.utils.translation import get_language

from madoguchi.common.japanese import format_date, join_list, list_separator, wareki

register = template.Library()


@register.filter
def jdate(value):
    """2026年12月3日(木) (a date-time is first put in the city's time zone: 00:40 on
    the 30th in Japan is 15:40 on the 29th in UTC, and the resident's day is the 30th)."""
    if isinstance(value, datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    return format_date(value, get_language() or "ja") if value else ""


@register.filter(name="wareki")
def wareki_filter(value):
    """令和8年12月3日 (a date-time is first put in the city's time zone)."""
    if isinstance(value, datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    return wareki(value) if value else ""


@register.filter
def tr(text):
    """Catalogue text (``Text``) in the current language, falling back to Japanese."""
    return text.get(get_language() or "ja") if hasattr(text, "get") else text


@register.filter
def jdatetime(value):
    """2026年12月3日(木) 14:05 (in the city's time zone) — or ``Thu 3 Dec 2026 14:05``."""
    if not value:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{format_date(local.date(), get_language() or 'ja')} {local:%H:%M}"


@register.filter
def postal(code):
    """1000001 → 〒100-0001"""
    from madoguchi.common.text_input import format_postal_code

    return format_postal_code(str(code).replace("-", "")) if code else ""


@register.filter
def phone(digits):
    """09012345678 → 090-1234-5678"""
    from madoguchi.common.text_input import format_phone

    return format_phone(str(digits)) if digits else ""


@register.filter
def listing(items):
    """A list joined as the current language joins one (「、」 or ", ")."""
    return join_list(items or [], get_language() or "ja")


@register.simple_tag
def list_sep():
    """The separator between a list's items, for a ``{% for %}`` that adds links."""
    return list_separator(get_language() or "ja")
