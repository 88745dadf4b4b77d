"""The review queue's kept warning flags (assessments/flags.py) always say what the warnings
computed from the records say, through every kind of write they depend on."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import flags, tasks
from assessments.models import (
    BaselineConsumption,
    ConversionFactor,
    ReportingSchedule,
    SelfReport,
)
from assessments.savings import plausibility_warnings_for
from facilities.models import Facility, Product
from facilities.signals import facts_changed
from tests.assessments.test_savings import make_baseline, make_report

pytestmark = pytest.mark.django_db


def _assert_kept() -> None:
    reports = list(flags.reviewed())
    live = plausibility_warnings_for(reports)
    assert {r.pk: r.has_warnings for r in reports} == {r.pk: bool(live[r.pk]) for r in reports}


@pytest.fixture
def plant(facilities) -> Facility:
    Product.objects.create(facility=facilities["own"], name="Gạch tuynel", unit="t")
    return facilities["own"]


@pytest.fixture
def reports(plant, facilities) -> list[SelfReport]:
    """The worked example's plant with a baseline, approved and submitted quarters (one with
    40% more electricity), the other facility's submitted report and a draft."""
    baseline = make_baseline(plant)
    quarter = {"electricity": "125000", "coal": "50", "main-material": "275", "water": "750"}
    made = []
    for index, q in enumerate((1, 2, 3, 4)):
        lines = quarter | ({"electricity": "175000"} if index == 2 else {})
        made.append(
            make_report(
                plant,
                year=2019,
                quarter=q,
                output="250",
                status="approved" if index < 2 else "submitted",
                lines=lines,
            )
        )
    made.append(make_report(facilities["other"], year=2019, quarter=1, status="submitted"))
    made.append(make_report(plant, year=2020, quarter=1, status="draft"))
    assert baseline
    return made


def test_the_flags_follow_every_write_the_warnings_read(reports, plant, facilities) -> None:
    _assert_kept()
    assert {r.has_warnings for r in flags.reviewed()} == {True, False}
    # The facility's products: a unit no product is made in.
    Product.objects.filter(facility=plant).update(unit="piece")  # a bulk write, announced
    facts_changed.send(sender=None, facility_ids=[plant.pk])
    _assert_kept()
    Product.objects.create(facility=plant, name="Gạch đặc", unit="t")
    _assert_kept()
    # The baseline's lines: twice the electricity flags every report of the plant, and back.
    electricity = BaselineConsumption.objects.get(
        baseline__assessment__facility=plant, resource__code="electricity"
    )
    electricity.quantity *= 2
    electricity.save()
    _assert_kept()
    assert all(flags.reviewed().filter(facility=plant).values_list("has_warnings", flat=True))
    electricity.quantity /= 2
    electricity.save()
    _assert_kept()
    BaselineConsumption.objects.get(
        baseline__assessment__facility=plant, resource__code="coal"
    ).delete()
    _assert_kept()
    # A report approved becomes the previous report of the next; a report submitted.
    third = reports[2]
    third.status = "approved"
    third.save()
    _assert_kept()
    draft = reports[-1]
    draft.status = "submitted"
    draft.save()
    _assert_kept()
    # A line of a report in review.
    line = reports[3].consumptions.get(resource__code="electricity")
    line.quantity = Decimal("400000")
    line.save()
    _assert_kept()


def test_a_change_for_every_report_forgets_the_flags_and_keeps_them_after_the_commit(
    reports, django_capture_on_commit_callbacks
) -> None:
    schedule = ReportingSchedule.objects.get(period_kind="quarter")
    with django_capture_on_commit_callbacks() as callbacks:
        schedule.intensity_change_threshold = Decimal("0.9")
        schedule.save()
    assert set(flags.reviewed().values_list("has_warnings", flat=True)) == {None}
    assert len(callbacks) == 1  # the task queued after the commit
    # What the worker then runs, here (a worker would not see this test's transaction).
    tasks.keep_warning_flags.apply()
    _assert_kept()
    with django_capture_on_commit_callbacks() as callbacks:
        ConversionFactor.objects.filter(resource__code="coal").delete()
    assert len(callbacks) == 1
    tasks.keep_warning_flags.apply()
    _assert_kept()


def test_the_queue_filters_by_the_flags_and_computes_those_not_known(
    reports, users, client_for
) -> None:
    live = plausibility_warnings_for(list(flags.reviewed()))
    with_warnings = {pk for pk, found in live.items() if found}
    client = client_for(users["department_staff"])
    queue = reverse("assessments:review_queue")

    def listed(wanted: str) -> set[int]:
        rows = client.get(queue, {"warnings": wanted, "status": ""}).context["rows"]
        return {report.pk for report, _warnings in rows}

    assert with_warnings and listed("yes") == with_warnings
    assert listed("no") == set(live) - with_warnings
    # No row of the warnings list can be ticked: no approve button under it.
    page = client.get(queue, {"warnings": "yes", "status": ""})
    assert not page.context["approvable"]
    assert "Duyệt các báo cáo đã chọn" not in page.content.decode()
    SelfReport.objects.update(has_warnings=None)  # forgotten, not yet kept again
    assert listed("yes") == with_warnings
    assert listed("no") == set(live) - with_warnings


def test_the_nightly_rebuild_fills_and_mends_the_flags(reports) -> None:
    kept = SelfReport.objects.get(pk=reports[2].pk).has_warnings
    SelfReport.objects.filter(pk=reports[2].pk).update(has_warnings=not kept)
    SelfReport.objects.filter(pk=reports[3].pk).update(has_warnings=None)
    result = flags.rebuild()
    assert (result.reports, result.filled, result.differing) == (5, 1, 1)
    _assert_kept()
    assert flags.rebuild().differing == 0


def test_a_report_in_review_gets_its_flag_in_its_own_transaction(plant) -> None:
    make_baseline(plant, completed_on=datetime.date(2017, 6, 30))
    report = make_report(plant, year=2019, quarter=1, output="0", status="submitted")
    report.refresh_from_db()
    assert report.has_warnings is True
