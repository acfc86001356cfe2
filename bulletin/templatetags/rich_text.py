"""Rich text is cleaned when saved and again when shown: a row written by another
path (a raw import, a restored backup, a database edit) still cannot run script."""

from django import template
from django.utils.safestring import mark_safe

from bulletin.text import sanitize_html

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value: str) -> str:
    return mark_safe(sanitize_html(value))  # noqa: S308 - nh3 output is an allow-list
