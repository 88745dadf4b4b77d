from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.lib.numbers import shown_percent
from programs.models import Plan
from reporting import indicators
from reporting.indicators import Breakdown, Figure

COLUMNS = ("code", "value", "num/den", "floor–stretch", "milestone", "status")


class Command(BaseCommand):
    help = (
        "Print the plan's indicators (T1–T5, A1–A4) as of a date, optionally broken down by "
        "area, sector, size or year, as a table or as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", type=int, help="Plan id (default: the active plan, else the latest one)."
        )
        parser.add_argument("--as-of", required=True, help="Date of the figures, YYYY-MM-DD.")
        parser.add_argument("--by", choices=indicators.BREAKDOWNS, help="Also break down by.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _parse_date(options["as_of"])
        plan = _plan(options["plan"])
        figures = indicators.compute(plan, as_of=as_of)
        breakdown = (
            indicators.compute_by(plan, as_of=as_of, by=options["by"]) if options["by"] else None
        )
        if options["json"]:
            self.stdout.write(_as_json(plan, as_of, figures, breakdown))
        else:
            self.stdout.write(_as_text(plan, as_of, figures, breakdown))


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {value!r}.") from exc


def _plan(plan_id: int | None) -> Plan:
    if plan_id is not None:
        try:
            return Plan.objects.get(pk=plan_id)
        except Plan.DoesNotExist as exc:
            raise CommandError(f"There is no plan with id {plan_id}.") from exc
    plan = Plan.objects.shown_by_default()
    if plan is None:
        raise CommandError("There is no plan yet: add one (with its targets) first.")
    return plan


# --- JSON -----------------------------------------------------------------------------------


def _json_value(value: Decimal | int | str | None) -> str | int | None:
    # Decimals as strings: the ratios are unrounded, and a float would not keep them exactly.
    return str(value) if isinstance(value, Decimal) else value


def _figure_json(figure: Figure) -> dict[str, str | int | None]:
    fields = {
        "label": figure.label,
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "floor": figure.floor,
        "stretch": figure.stretch,
        "milestone_year": figure.milestone_year,
        "status": str(figure.status),
        **figure.extra,
    }
    return {key: _json_value(value) for key, value in fields.items()}


def _as_json(
    plan: Plan,
    as_of: datetime.date,
    figures: dict[str, Figure],
    breakdown: list[Breakdown] | None,
) -> str:
    document: dict[str, Any] = {
        "plan": {
            "id": plan.pk,
            "name": plan.name,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "as_of": as_of.isoformat(),
        "indicators": {code: _figure_json(figure) for code, figure in figures.items()},
    }
    if breakdown is not None:
        document["breakdown"] = [
            {
                "key": group.key,
                "label": group.label,
                "indicators": {code: _figure_json(f) for code, f in group.figures.items()},
            }
            for group in breakdown
        ]
    return json.dumps(document, ensure_ascii=False, indent=2)


# --- text -----------------------------------------------------------------------------------


def _percent(value: Decimal | None, floor: Decimal | None = None) -> str:
    # The rule of every page and report (shown_percent), written with a point.
    return "–" if value is None else f"{shown_percent(value, floor=floor)}%"


def _amount(figure: Figure, value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if figure.denominator is None else _percent(value, figure.floor)


def _row(figure: Figure) -> tuple[str, ...]:
    if figure.denominator is None:  # a yearly count (A1–A4)
        counts = str(figure.numerator)
    else:
        numerator = "–" if figure.numerator is None else str(figure.numerator)
        counts = f"{numerator}/{figure.denominator}"
    band = (
        "–"
        if figure.floor is None
        else f"{_amount(figure, figure.floor)}–{_amount(figure, figure.stretch)}"
    )
    return (
        figure.indicator,
        _amount(figure, figure.value),
        counts,
        band,
        str(figure.milestone_year or "–"),
        str(figure.status),
    )


def _table(figures: dict[str, Figure]) -> list[str]:
    rows = [COLUMNS, *(_row(figure) for figure in figures.values())]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _as_text(
    plan: Plan,
    as_of: datetime.date,
    figures: dict[str, Figure],
    breakdown: list[Breakdown] | None,
) -> str:
    lines = [
        f"{plan.name} ({plan.start_year}–{plan.end_year})",
        f"As of {as_of:%d/%m/%Y}",
        "",
        *_table(figures),
    ]
    if figures.get("T3") is not None:
        extra = figures["T3"].extra
        lines.append(
            f"T3: median of the {extra['facilities_with_figure']} of "
            f"{extra['applying_facilities']} applying facilities that have a savings figure; "
            f"of the applying facilities {_percent(extra['share_reaching_floor'])} reach the "
            f"floor, {_percent(extra['share_reaching_stretch'])} the stretch"
        )
    for group in breakdown or []:
        lines += ["", f"== {group.label} ==", *_table(group.figures)]
    return "\n".join(lines)
