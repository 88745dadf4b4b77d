"""Decimals as people read them."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def trimmed(value: Decimal) -> Decimal:
    """`value` without trailing zeros, never in exponent form: 22484.000 → 22484, 8.130 → 8.13
    (normalize() alone would write 1000.000 as 1E+3)."""
    return value.quantize(1) if value == value.to_integral() else value.normalize()


ONE_DECIMAL = Decimal("0.1")


def shown_percent(ratio: Decimal, *, floor: Decimal | None = None) -> Decimal:
    """A share or a saving (a ratio: 0.06667) as every page, report, workbook and command
    prints it: a percentage rounded half up to one decimal (6.7). The status of a figure is
    decided on the unrounded value, so where one decimal would make a value below `floor` read
    as reaching it (0.49996 → 50.0 against 50%), as many decimals as it takes to show that it
    does not (49.996), up to four."""
    percent = Decimal(ratio) * 100
    shown = percent.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    if floor is None or ratio >= floor:
        return shown
    floor_percent = Decimal(floor) * 100
    for places in ("0.01", "0.001", "0.0001"):
        if shown < floor_percent:
            break
        shown = percent.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return (
        shown if shown < floor_percent else percent.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    )


def percent_text(ratio: Decimal | None, *, floor: Decimal | None = None) -> str:
    """`shown_percent` written the way of the active language (6,7% in Vietnamese, 6.7% in
    English); nothing as "–"."""
    if ratio is None:
        return "–"
    shown = shown_percent(ratio, floor=floor)
    return number_format(shown, decimal_pos=max(1, -shown.as_tuple().exponent)) + "%"


def band_text(floor: Decimal | None, stretch: Decimal | None, *, ratio: bool) -> str:
    """A target's band as people write it: 25–50% (ratios) or 3–5 (counts), one number when
    floor and stretch are the same; "–" without a target."""
    if floor is None:
        return "–"
    scale = 100 if ratio else 1
    low, high = (number_format(trimmed(Decimal(v) * scale)) for v in (floor, stretch or floor))
    band = low if low == high else f"{low}–{high}"
    return f"{band}%" if ratio else band
