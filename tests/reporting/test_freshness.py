"""The figures served from the cache (reporting/freshness.py) are always those of the facts now:
every write a figure can depend on gives the facts a new version in the writer's transaction, so
the next request computes them again; a rolled-back write's version is never reused."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.urls import reverse

from assessments import energy, savings
from assessments import services as assessment_services
from assessments.models import SelfReport
from facilities.models import DedicatedUnit, Facility
from facilities.signals import facts_changed
from reporting import freshness, indicators, kept
from reporting.models import FacilitySaving, FacilityState, KeptFigures
from tests.factories import UserFactory
from tests.reporting.test_indicators import (
    AS_OF,
    attend,
    course,
    cp_unit,
    local,
    make_facility,
    official,
    project,
    reach,
    summary,
)

# Every module that reads records to compute a figure the cache serves.
ENGINE = (indicators, kept, energy, savings, assessment_services)
# Written only by reporting/kept.py's `_write` and `rebuild`, which change the version.
KEPT = {FacilityState, FacilitySaving, KeptFigures}
# Read beside the figures, not for them: who is told of a report, the reminders' schedule.
NOT_FIGURES = {"User", "PeriodicTask"}


def figures(plan, day=AS_OF) -> dict[str, tuple]:
    with indicators.one_reading():
        return {code: summary(f) for code, f in indicators.compute(plan, as_of=day).items()}


def reference(plan, day=AS_OF) -> dict[str, tuple]:
    return {code: summary(f) for code, f in indicators.compute(plan, as_of=day, live=True).items()}


def test_every_record_the_figures_read_changes_the_version_when_written() -> None:
    read = {
        value
        for module in ENGINE
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, models.Model) and not value._meta.abstract
    }
    assert len(read) > 15
    assert {model.__name__ for model in read if not freshness.is_fact(model)} <= {
        model.__name__ for model in KEPT
    } | NOT_FIGURES


def test_the_kept_tables_keep_django_s_fast_delete() -> None:
    # A receiver of every model's deletions would make Django load each kept row it deletes.
    for model in KEPT:
        assert not post_delete.has_listeners(model), model


def test_a_link_between_records_changes_the_version(world) -> None:
    version = freshness.token()
    world["f1"].managers.add(UserFactory())
    assert freshness.token() != version


def _writes(world) -> list[tuple[str, Callable[[], object]]]:
    d = datetime.date
    f3 = world["f3"]
    return [
        ("a facility", lambda: make_facility("425")),
        (
            "outreach and awareness",
            lambda: reach(f3, held_on=d(2017, 5, 1), confirmed_on=d(2018, 1, 2)),
        ),
        ("a CP unit", lambda: cp_unit(f3, established_on=d(2018, 1, 1))),
        ("a report approved", lambda: _approve(f3.self_reports.get())),
        (
            "an official trained",
            lambda: attend(official("O8", d(2016, 1, 1)), course(d(2017, 5, 10))),
        ),
        ("a project", lambda: project("provincial", 2018, "approved", approved_on=d(2018, 3, 2))),
        ("a facility closed", lambda: _close(world["f1"], d(2018, 1, 1))),
        ("a CP unit deleted", lambda: DedicatedUnit.objects.filter(facility=f3).delete()),
    ]


def _approve(report: SelfReport) -> None:
    report.status = SelfReport.Status.APPROVED
    report.save()


def _close(facility: Facility, day: datetime.date) -> None:
    facility.closed_on = day
    facility.save()


def test_after_each_write_the_cached_figures_are_the_reference_again(
    shipped_plan, world, django_assert_max_num_queries
) -> None:
    assert figures(shipped_plan) == reference(shipped_plan)
    with django_assert_max_num_queries(3):  # the version, the plan's entries: nothing computed
        figures(shipped_plan)
    for name, write in _writes(world):
        before = figures(shipped_plan)
        write()
        after = figures(shipped_plan)
        assert after == reference(shipped_plan), name
        assert after != before, f"{name}: the write changed no figure, so it proves nothing"


def test_a_bulk_write_announced_by_facts_changed_changes_the_version(shipped_plan, world) -> None:
    figures(shipped_plan)
    version = freshness.token()
    # A bulk write sends no save signal: its writer announces the facilities it changed.
    SelfReport.objects.filter(facility=world["f4"]).update(reviewed_at=local(2018, 6, 30))
    facts_changed.send(sender=None, facility_ids=[world["f4"].pk])
    assert freshness.token() != version
    assert figures(shipped_plan) == reference(shipped_plan)


def test_a_rolled_back_writes_version_is_never_used_again(shipped_plan, world) -> None:
    version = freshness.token()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_facility("425")
        inside = freshness.token()
        figures(shipped_plan)  # cached under the version that will not commit
        raise RuntimeError
    assert freshness.token() == version
    make_facility("421")
    assert freshness.token() not in {version, inside}
    assert figures(shipped_plan) == reference(shipped_plan)


def test_the_dashboard_shows_a_write_on_the_next_request(
    shipped_plan, world, users, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    query = {"plan": shipped_plan.pk, "on": AS_OF.strftime("%d/%m/%Y")}
    first = client.get(reverse("dashboard"), query)
    # Served from the cache: the page's own few queries, none of the figures'.
    with django_assert_max_num_queries(25):
        again = client.get(reverse("dashboard"), query)
    t5 = {card["figure"].indicator: card["figure"] for card in first.context["cards"]}["T5"]
    assert {c["figure"].indicator: c["figure"] for c in again.context["cards"]}["T5"] == t5
    attend(official("O9", datetime.date(2016, 1, 1)), course(datetime.date(2017, 5, 10)))
    after = client.get(reverse("dashboard"), query)
    fresh = {card["figure"].indicator: card["figure"] for card in after.context["cards"]}["T5"]
    assert fresh.numerator == t5.numerator + 1
    # The charts' tables too: rendered once per version of the facts, again after the write.
    assert _charts(again) == _charts(first)
    assert '<canvas id="chart-' in _charts(again)  # served from the cache as markup, not escaped
    assert _charts(after) != _charts(first)


def _charts(response) -> str:
    page = response.content.decode()
    start = page.index('id="charts-heading"')
    return page[start : page.index("</section>", start)]
