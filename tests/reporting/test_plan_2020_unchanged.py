"""The plan to 2020 gives the figures it gave before indicators became catalogue entries.

`data/plan_2020_figures.json` holds every figure of the demo programme's plan to 2020 as the
engine computed them when T1–T5 and A1–A4 were fixed in code (commit 580d105): value,
numerator, denominator, band, status and the extra numbers, at three data dates, for the whole
province and by year, area and sector. Figures are signed by the Department: a change here is a
change of a signed figure, so the file is never regenerated to make this test pass.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from programs.models import Plan
from reporting import indicators

EXPECTED = Path(__file__).parent / "data" / "plan_2020_figures.json"
DATES = [datetime.date(2016, 12, 31), datetime.date(2018, 6, 30), datetime.date(2020, 12, 31)]
CODES = ("T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4")


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _figure(figure: indicators.Figure) -> dict[str, Any]:
    return {
        "value": _text(figure.value),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "floor": _text(figure.floor),
        "stretch": _text(figure.stretch),
        "milestone_year": figure.milestone_year,
        "status": str(figure.status),
        "year": figure.year,
        "extra": {key: _text(value) for key, value in sorted(figure.extra.items())},
    }


def figures_of(plan: Plan) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for day in DATES:
        figures = indicators.compute(plan, as_of=day)
        entry: dict[str, Any] = {"province": {code: _figure(figures[code]) for code in CODES}}
        for by in ("period", "area", "sector"):
            entry[by] = [
                {
                    "key": group.key,
                    "label": group.label,
                    "figures": {
                        code: _figure(group.figures[code])
                        for code in CODES
                        if code in group.figures
                    },
                }
                for group in indicators.compute_by(plan, as_of=day, by=by)
            ]
        result[day.isoformat()] = entry
    return result


def test_the_plan_to_2020_gives_the_same_figures_at_three_dates(demo_data) -> None:
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    actual = figures_of(plan)
    for day in expected:
        assert actual[day]["province"] == expected[day]["province"], day
        for by in ("period", "area", "sector"):
            assert actual[day][by] == expected[day][by], (day, by)
    assert actual == expected
