"""`manage.py compute_indicators`: the engine's figures as a table or as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from programs.models import Plan
from tests.factories import FacilityFactory
from tests.reporting.test_indicators import AS_OF, verified_option

CODES = ["T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("compute_indicators", *args, stdout=out)
    return out.getvalue()


def test_it_prints_every_indicator_as_json_with_exact_decimals(shipped_plan, world) -> None:
    document = json.loads(run("--as-of", "2018-06-30", "--json"))
    assert document["plan"]["id"] == shipped_plan.pk
    assert document["as_of"] == "2018-06-30"
    assert list(document["indicators"]) == CODES
    for figure in document["indicators"].values():
        assert {"value", "numerator", "denominator", "floor", "stretch", "status"} <= set(figure)
    # The world of test_indicators: T1 2 of 4; T3's median of 0.075 and 0.02.
    t1 = document["indicators"]["T1"]
    assert (t1["value"], t1["numerator"], t1["denominator"]) == ("0.5", 2, 4)
    assert (t1["floor"], t1["stretch"], t1["status"]) == ("0.9000", "0.9000", "on_track")
    t3 = document["indicators"]["T3"]
    assert (t3["value"], t3["median"], t3["facilities_with_figure"]) == ("0.0475", "0.0475", 2)
    assert document["indicators"]["A1"]["denominator"] is None
    assert "breakdown" not in document


def test_it_prints_a_table_in_text_mode(shipped_plan, world) -> None:
    lines = run("--as-of", "2018-06-30").splitlines()
    assert lines[0].startswith("Kế hoạch thực hiện Chiến lược")
    assert lines[1] == "As of 30/06/2018"
    assert lines[3].split() == ["code", "value", "num/den", "floor–stretch", "milestone", "status"]
    rows = {line.split()[0]: line.split() for line in lines[4:13]}
    assert list(rows) == CODES
    assert rows["T1"] == ["T1", "50.0%", "2/4", "90.0%–90.0%", "2020", "on_track"]
    assert rows["T5"] == ["T5", "40.0%", "2/5", "100.0%–100.0%", "2020", "behind"]
    assert rows["A3"] == ["A3", "2", "2", "3–5", "2020", "on_track"]


def test_it_breaks_the_figures_down_by_area(shipped_plan, world) -> None:
    document = json.loads(run("--as-of", "2018-06-30", "--by", "area", "--json"))
    assert [group["label"] for group in document["breakdown"]] == ["Quỳnh Lưu", "Diễn Châu"]
    quỳnh_lưu = document["breakdown"][0]["indicators"]
    assert (quỳnh_lưu["T2"]["numerator"], quỳnh_lưu["T2"]["denominator"]) == (2, 2)
    assert set(document["breakdown"][0]) == {"key", "label", "indicators"}

    text = run("--as-of", "2018-06-30", "--by", "area")
    assert "== Quỳnh Lưu ==" in text and "== Diễn Châu ==" in text


def test_the_active_plan_is_the_default_and_another_can_be_chosen(shipped_plan, db) -> None:
    active = Plan.objects.create(
        name="Kế hoạch đến 2030", start_year=2021, end_year=2030, status=Plan.Status.ACTIVE
    )
    assert json.loads(run("--as-of", "2022-05-01", "--json"))["plan"]["id"] == active.pk
    chosen = json.loads(run("--as-of", "2022-05-01", "--plan", str(shipped_plan.pk), "--json"))
    assert chosen["plan"]["id"] == shipped_plan.pk


def test_a_draft_plan_is_never_the_default_the_last_finished_plan_is(shipped_plan, db) -> None:
    # A draft to 2030 ends later, but only a published plan is shown unless asked for.
    Plan.objects.create(
        name="Dự thảo đến 2030", start_year=2021, end_year=2030, status=Plan.Status.DRAFT
    )
    assert json.loads(run("--as-of", "2022-05-01", "--json"))["plan"]["id"] == shipped_plan.pk


def test_a_date_that_is_not_a_date_is_refused(shipped_plan) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--as-of", "30/06/2018")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--as-of", "2018-02-30")


def test_an_unknown_plan_is_refused(shipped_plan) -> None:
    with pytest.raises(CommandError, match="no plan with id 999"):
        run("--as-of", "2018-06-30", "--plan", "999")


def test_it_says_so_when_there_is_no_plan_at_all(db) -> None:
    Plan.objects.all().delete()
    with pytest.raises(CommandError, match="no plan yet"):
        run("--as-of", "2018-06-30")


def test_an_unknown_breakdown_is_refused(shipped_plan) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        run("--as-of", "2018-06-30", "--by", "district")


def test_a_share_with_no_target_shows_no_band(db) -> None:
    plan = Plan.objects.create(name="Kế hoạch chưa có chỉ tiêu", start_year=2016, end_year=2020)
    plant = FacilityFactory()
    verified_option(plant, implemented_on=AS_OF, verified_on=AS_OF)
    rows = {
        line.split()[0]: line.split()
        for line in run("--as-of", "2018-06-30", "--plan", str(plan.pk)).splitlines()[4:13]
    }
    assert rows["T2"] == ["T2", "100.0%", "1/1", "–", "–", "no_target"]
    assert rows["T1"] == ["T1", "0.0%", "0/1", "–", "–", "no_target"]
