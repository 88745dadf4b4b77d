"""Decimals as people read them."""

from __future__ import annotations

from decimal import Decimal


def trimmed(value: Decimal) -> Decimal:
    """`value` without trailing zeros, never in exponent form: 22484.000 → 22484, 8.130 → 8.13
    (normalize() alone would write 1000.000 as 1E+3)."""
    return value.quantize(1) if value == value.to_integral() else value.normalize()
