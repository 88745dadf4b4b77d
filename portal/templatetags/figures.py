"""Figures as Vietnamese readers write them: 82,3% and 1.234."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

from portal.lib.numbers import trimmed

register = template.Library()


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    """A ratio (0.823) as a percentage ("82,3%"); nothing as "–"."""
    if value is None or value == "":
        return "–"
    try:
        share = Decimal(str(value)) * 100
    except InvalidOperation:
        return "–"
    return number_format(share, decimal_pos=int(decimals)) + "%"


@register.filter
def quantity(value: Any) -> str:
    """A measured quantity with its thousands grouped and no trailing zeros: 665.334 kWh and
    8,13 tấn, not 665.334,000 and 8,130 (which reads as eight thousand); nothing as "–"."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return "–"
    return number_format(trimmed(number), force_grouping=True)
