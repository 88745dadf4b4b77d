"""Navigation helpers for templates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def within(path: str, section: str) -> bool:
    """Whether `path` is `section` or a page under it: /nhiem-vu/8/ is within /nhiem-vu/."""
    return bool(section) and str(path).startswith(str(section))
