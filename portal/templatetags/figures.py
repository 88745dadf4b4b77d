"""Figures as Vietnamese readers write them: 82,3% and 1.234."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

from portal.lib.numbers import band_text, percent_text, trimmed

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """A ratio (0.8235) as a percentage, rounded half up to one decimal ("82,4%"), the one rule
    of every page, report and export (`portal.lib.numbers.shown_percent`); nothing as "–"."""
    if value is None or value == "":
        return "–"
    try:
        return percent_text(Decimal(str(value)))
    except InvalidOperation:
        return "–"


@register.filter
def figure_value(figure: Any) -> str:
    """An indicator's value as printed everywhere: a count as it is, a share or a saving as a
    percentage that never reads as reaching a floor it misses; nothing as "–"."""
    if figure.value is None:
        return "–"
    if figure.is_count:
        return number_format(figure.value, decimal_pos=0, force_grouping=True)
    return percent_text(figure.value, floor=figure.floor)


@register.filter
def target_band(figure: Any) -> str:
    """An indicator's target band: 25–50% or 3–5; "–" without a target."""
    return band_text(figure.floor, figure.stretch, ratio=not figure.is_count)


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
