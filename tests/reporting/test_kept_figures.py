"""The kept figures (reporting/kept.py) always equal the reference rules.

Hypothesis writes random facilities and records (dates that collide on purpose, corrections of
self-reports approved at any hour, moves between districts and the communes of the reform,
baselines and reports of years and quarters in two units), through the models as every write
path does, and compares each facility's kept state with the reference rules (`in_denominator_on`,
`aware_q`, `applying_q`, `cp_unit_q`, `unit_on`) and its kept savings with the engine's live
comparison on every day where something changes, the day before it, and random days; and the
engine's figures counted from the kept rows with those counted live. Then records are changed and
deleted (a baseline's line, a report's line, a TOE factor), and the comparison is made again: the
figures are kept on write, not only when built.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import BooleanField, ExpressionWrapper, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments import services as assessment_services
from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    applying_q,
)
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityLocation,
    OutreachActivity,
    OutreachParticipation,
    aware_q,
    cp_unit_q,
    unit_on,
)
from facilities.signals import facts_changed, facts_in_batch
from programs.models import Plan
from reporting import builders, indicators, kept, services, tasks
from reporting.models import FacilitySaving, FacilityState, KeptFigures
from tests.factories import FacilityFactory

LOCAL = datetime.timezone(datetime.timedelta(hours=7))
REFORM = DISTRICT_LEVEL_ENDS + datetime.timedelta(days=1)
# Days records fall on: a few shared ones (so records start, end and get approved on the same
# day) and any day from 2015 to 2027.
SHARED = [
    datetime.date(2016, 3, 1),
    datetime.date(2017, 6, 30),
    datetime.date(2017, 7, 1),
    datetime.date(2019, 12, 31),
    DISTRICT_LEVEL_ENDS,
    REFORM,
]
days = st.one_of(
    st.sampled_from(SHARED),
    st.dates(datetime.date(2015, 1, 1), datetime.date(2027, 12, 31)),
)
maybe_days = st.one_of(st.none(), days)
units = st.sampled_from(["t", "t", "m3"])
quantities = st.sampled_from(["400", "500", "650"])

facility_facts = st.fixed_dictionaries(
    {
        "in_scope": st.booleans(),
        "started_on": maybe_days,
        "closed_on": maybe_days,
        "suspended_on": maybe_days,
        "resumed_on": maybe_days,
        "held": st.lists(days, max_size=2),
        "confirmed": st.lists(days, max_size=2),
        "units": st.lists(st.tuples(days, maybe_days), max_size=2),
        "options": st.lists(
            st.tuples(st.sampled_from(["verified", "proposed"]), days, days), max_size=2
        ),
        # A chain of versions of one report: status, day and hour of review, measures' days.
        "reports": st.lists(
            st.tuples(
                st.sampled_from(["approved", "approved", "submitted", "draft"]),
                days,
                st.integers(0, 23),
                st.lists(days, max_size=2),
            ),
            max_size=3,
        ),
        # Locations: which of the test's units, from (or undated), to (or open).
        "locations": st.lists(st.tuples(st.integers(0, 3), maybe_days, maybe_days), max_size=2),
        # Detailed assessments: completed on, baseline year, output unit, electricity used.
        "baselines": st.lists(
            st.tuples(days, st.sampled_from([2015, 2016]), units, quantities), max_size=2
        ),
        # Reports of other periods (quarter or None for the year, year), one version each:
        # status, day and hour of review, output unit, electricity used.
        "periods": st.lists(
            st.tuples(
                st.sampled_from([None, 1, 2, 3, 4]),
                st.integers(2015, 2019),
                st.sampled_from(["approved", "approved", "submitted"]),
                days,
                st.integers(0, 23),
                units,
                quantities,
            ),
            max_size=8,
            unique_by=lambda period: period[:2],
        ),
    }
)


def _create(facts: dict[str, Any], units: list[AdministrativeUnit]) -> Facility:
    # The facility's own dates in the order its form requires.
    names = ["started_on", "suspended_on", "resumed_on", "closed_on"]
    if facts["suspended_on"] is None:
        facts = {**facts, "resumed_on": None}
    present = [name for name in names if facts[name] is not None]
    dates = dict(zip(present, sorted(facts[name] for name in present), strict=True))
    facility = FacilityFactory(
        in_scope=facts["in_scope"], **{name: dates.get(name) for name in names}
    )
    for held in facts["held"]:
        activity = OutreachActivity.objects.create(
            kind=OutreachActivity.Kind.WORKSHOP, title="Hội thảo", held_on=held, organiser="Sở"
        )
        OutreachParticipation.objects.create(activity=activity, facility=facility)
    for confirmed in facts["confirmed"]:
        AwarenessConfirmation.objects.create(
            facility=facility, confirmed_on=confirmed, method="survey"
        )
    for start, end in facts["units"]:
        if end is not None and end < start:
            start, end = end, start
        DedicatedUnit.objects.create(
            facility=facility, established_on=start, ended_on=end, head="Trưởng ban"
        )
    for status, implemented, verified in facts["options"]:
        assessment = Assessment.objects.create(
            facility=facility, kind="quick", status="in_progress", funding="provincial"
        )
        CPOption.objects.create(
            assessment=assessment,
            technique="housekeeping",
            description="Sửa rò rỉ hơi",
            status=status,
            implemented_on=implemented,
            verified_on=verified,
        )
    previous = None
    for version, (status, day, hour, measures) in enumerate(facts["reports"], start=1):
        previous = SelfReport.objects.create(
            facility=facility,
            period_kind="year",
            year=2017,
            version=version,
            supersedes=previous,
            status=status,
            output=1000,
            output_unit="t",
            reviewed_at=datetime.datetime.combine(day, datetime.time(hour, 30), LOCAL),
        )
        for implemented in measures:
            SelfReportMeasure.objects.create(
                report=previous,
                technique="process_control",
                description="Điều chỉnh gió lò",
                implemented_on=implemented,
            )
    for index, start, end in facts["locations"]:
        if start and end and end < start:
            start, end = end, start
        FacilityLocation.objects.create(
            facility=facility, unit=units[index], valid_from=start, valid_to=end
        )
    # Two energy resources: a TOE factor changed moves the facility's energy saving.
    coal, electricity, material = Resource.objects.filter(
        code__in=["coal", "electricity", "main-material"]
    ).order_by("code")
    for completed, year, unit, used in facts["baselines"]:
        assessment = Assessment.objects.create(
            facility=facility,
            kind="detailed",
            status="completed",
            completed_on=completed,
            funding="enterprise",
        )
        baseline = Baseline.objects.create(
            assessment=assessment, year=year, output=1000, output_unit=unit
        )
        for resource, quantity in ((electricity, used), (coal, "60"), (material, "800")):
            BaselineConsumption.objects.create(
                baseline=baseline, resource=resource, quantity=quantity
            )
    for quarter, year, status, day, hour, unit, used in facts["periods"]:
        if quarter is None and year == 2017:
            continue  # the versions above
        report = SelfReport.objects.create(
            facility=facility,
            period_kind="quarter" if quarter else "year",
            year=year,
            quarter=quarter,
            status=status,
            output=250 if quarter else 1000,
            output_unit=unit,
            reviewed_at=datetime.datetime.combine(day, datetime.time(hour, 30), LOCAL),
            # Received (on time or late, as the day falls) for the reporting by area.
            submitted_at=None
            if status == "draft"
            else datetime.datetime.combine(day, datetime.time(hour), LOCAL),
        )
        share = 4 if quarter else 1
        for resource, quantity in (
            (electricity, int(used) // share),
            (coal, 40 // share),
            (material, 760 // share),
        ):
            SelfReportConsumption.objects.create(
                report=report, resource=resource, quantity=quantity
            )
    return facility


def _checked_days(facilities: list[Facility], extra: list[datetime.date]) -> list[datetime.date]:
    found = set(extra)
    rows = [
        *FacilityState.objects.filter(facility__in=facilities),
        *FacilitySaving.objects.filter(facility__in=facilities),
    ]
    for row in rows:
        found.add(row.valid_from)
        if row.valid_from > datetime.date.min:
            found.add(row.valid_from - datetime.timedelta(days=1))
    found.discard(datetime.date.min)
    return sorted(found)


def _reference(day: datetime.date) -> dict[int, tuple[Any, ...]]:
    def flag(condition: Q) -> ExpressionWrapper:
        return ExpressionWrapper(condition, output_field=BooleanField())

    rows = Facility.objects.annotate(
        counted=flag(Q(pk__in=Facility.objects.in_denominator_on(day).values("pk"))),
        is_aware=flag(aware_q(day)),
        is_applying=flag(applying_q(day)),
        with_unit=flag(cp_unit_q(day)),
        area=unit_on(day),
        district=unit_on(min(day, DISTRICT_LEVEL_ENDS), districts_only=True),
    ).values_list("pk", "counted", "is_aware", "is_applying", "with_unit", "area", "district")
    return {pk: tuple(values) for pk, *values in rows}


def _kept(day: datetime.date) -> dict[int, tuple[Any, ...]]:
    rows = FacilityState.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
    ).values_list(
        "facility_id", "in_denominator", "aware", "applying", "cp_unit", "area", "district"
    )
    found: dict[int, tuple[Any, ...]] = {}
    for pk, *values in rows:
        assert pk not in found, f"two states of facility {pk} on {day}"
        found[pk] = tuple(values)
    return found


def _assert_equal_to_reference(
    facilities: list[Facility], extra: list[datetime.date], plan: Plan
) -> None:
    days = _checked_days(facilities, extra)
    for day in days:
        assert _kept(day) == _reference(day), day
    # Each counted facility's savings: kept (every day read together, as a year series reads
    # them, and a day alone), and compared live by the engine.
    live_savings = [indicators._savings_on([day], kept=False)[0] for day in days]
    assert indicators._savings_on(days, kept=True) == live_savings
    assert [indicators._savings_on([day], kept=True)[0] for day in days] == live_savings
    for day in extra:
        kept_figures = indicators.compute(plan, as_of=day)
        live = indicators.compute(plan, as_of=day, live=True)
        for code in ("T1", "T2", "T4"):
            assert (kept_figures[code].numerator, kept_figures[code].denominator) == (
                live[code].numerator,
                live[code].denominator,
            ), (day, code)
        assert (kept_figures["T3"].value, kept_figures["T3"].extra) == (
            live["T3"].value,
            live["T3"].extra,
        ), day
        for by in ("area", "former_district"):
            assert [
                (group.key, {c: f.numerator for c, f in group.figures.items()})
                for group in indicators.compute_by(plan, as_of=day, by=by)
            ] == [
                (group.key, {c: f.numerator for c, f in group.figures.items()})
                for group in indicators.compute_by(plan, as_of=day, by=by, live=True)
            ], (day, by)
    # The dashboard's reporting by area: the kept states' areas, as the records place them.
    for day in extra:
        period = ("quarter", day.year, (day.month - 1) // 3 + 1)
        assert [(unit.pk, counts) for unit, counts in indicators.completeness_by_area(*period)] == [
            (unit.pk, counts) for unit, counts in assessment_services.completeness_by_area(*period)
        ], period
    # The year series reads its years together: the same figures as each year read alone, live.
    last = max(extra)
    assert [
        (group.key, {c: (f.numerator, f.denominator, f.value) for c, f in group.figures.items()})
        for group in indicators.compute_by(plan, as_of=last, by="period")
    ] == [
        (str(year), {c: (f.numerator, f.denominator, f.value) for c, f in figures.items()})
        for year in range(plan.start_year, min(plan.end_year, last.year) + 1)
        for figures in [
            indicators.compute(plan, as_of=min(datetime.date(year, 12, 31), last), live=True)
        ]
    ]


class KeptFiguresEqualTheReference(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        province = AdministrativeUnit.objects.get(level="province")
        dien_chau = AdministrativeUnit.objects.get(code="425", level="district")
        old_commune = AdministrativeUnit.objects.create(
            code="99001",
            name="Xã Thử Cũ",
            level="commune",
            kind="commune",
            parent=dien_chau,
            valid_to=DISTRICT_LEVEL_ENDS,
        )
        new_commune = AdministrativeUnit.objects.create(
            code="99002",
            name="Xã Thử Mới",
            level="commune",
            kind="commune",
            parent=province,
            valid_from=REFORM,
        )
        other_district = AdministrativeUnit.objects.filter(level="district").exclude(
            pk=dien_chau.pk
        )[0]
        cls.units = [dien_chau, old_commune, new_commune, other_district]
        cls.plan = Plan.objects.get(start_year=2016, end_year=2020)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        st.lists(facility_facts, min_size=1, max_size=3),
        st.lists(days, min_size=1, max_size=3),
    )
    def test_kept_states_equal_the_reference_after_writes_and_deletions(
        self, facts: list[dict[str, Any]], extra: list[datetime.date]
    ) -> None:
        facilities = [_create(one, self.units) for one in facts]
        _assert_equal_to_reference(facilities, extra, self.plan)

        # Change and delete records of the first facility: its spans follow.
        first = facilities[0]
        first.in_scope = not first.in_scope
        first.save()
        CPOption.objects.filter(assessment__facility=first).delete()
        DedicatedUnit.objects.filter(facility=first).delete()
        for report in SelfReport.objects.filter(facility=first, status="submitted"):
            report.status = "approved"
            report.save()
        activity = OutreachActivity.objects.filter(participations__facility=first).first()
        if activity is not None:
            activity.held_on = SHARED[1]
            activity.save()
        # Savings: a baseline's line changed, an approved report's line deleted, a TOE factor
        # changed (every facility with a baseline).
        baseline_line = BaselineConsumption.objects.filter(baseline__assessment__facility=first)
        if (found := baseline_line.first()) is not None:
            found.quantity = 450
            found.save()
        report_line = SelfReportConsumption.objects.filter(
            report__facility=first, report__status="approved", resource__code="main-material"
        )
        if (found := report_line.first()) is not None:
            found.delete()
        factor = ConversionFactor.objects.filter(resource__code="electricity").first()
        factor.toe_per_unit *= 2
        factor.save()
        _assert_equal_to_reference(facilities, extra, self.plan)


@pytest.mark.django_db
def test_a_bulk_write_is_kept_by_its_signal_and_the_rebuild_finds_what_escaped() -> None:
    facility = FacilityFactory()
    day = datetime.date(2020, 1, 1)
    Facility.objects.filter(pk=facility.pk).update(in_scope=False)  # past every receiver
    assert _kept(day)[facility.pk][0] is True

    facts_changed.send(sender=Facility, facility_ids=[facility.pk])
    assert _kept(day)[facility.pk][0] is False

    Facility.objects.filter(pk=facility.pk).update(in_scope=True)
    result = kept.rebuild()
    assert result.differing == [facility.pk]
    assert _kept(day)[facility.pk] == _reference(day)[facility.pk]
    assert kept.rebuild().differing == []


@pytest.mark.django_db
def test_until_built_the_engine_counts_from_the_records(monkeypatch) -> None:
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    monkeypatch.setattr(kept, "_seen_built", False)  # this process has seen them built
    FacilityFactory()
    FacilityState.objects.all().delete()  # as on a database that had facilities before
    KeptFigures.objects.all().delete()
    assert indicators.compute(plan, as_of=datetime.date(2020, 1, 1))["T1"].denominator == 1

    call_command("keep_figures")  # reports the facility as differing, and builds it
    assert KeptFigures.objects.get().facilities == 1
    assert indicators.compute(plan, as_of=datetime.date(2020, 1, 1))["T1"].denominator == 1


@pytest.mark.django_db
def test_deleting_a_facility_leaves_no_state_behind() -> None:
    facility = FacilityFactory()
    OutreachParticipation.objects.create(
        activity=OutreachActivity.objects.create(
            kind=OutreachActivity.Kind.WORKSHOP, title="Hội thảo", held_on=SHARED[0], organiser="Sở"
        ),
        facility=facility,
    )
    pk = facility.pk
    facility.delete()
    assert not FacilityState.objects.filter(facility_id=pk).exists()


@pytest.mark.django_db
def test_the_nightly_check_rebuilds_and_reports_a_drift(caplog) -> None:
    facility = FacilityFactory()
    Facility.objects.filter(pk=facility.pk).update(in_scope=False)  # past every receiver
    assert tasks.check_kept_figures() == 1
    assert "Kept figures of 1 facilities differed" in caplog.text
    assert tasks.check_kept_figures() == 0
    names = [entry.task for entry in services.ensure_report_schedules()]
    assert "reporting.tasks.check_kept_figures" in names


@pytest.mark.django_db
def test_a_batch_of_writes_is_kept_once_at_its_end_and_not_on_an_error() -> None:
    facility = FacilityFactory()
    day = datetime.date(2020, 1, 1)
    with facts_in_batch():
        DedicatedUnit.objects.create(facility=facility, established_on=day, head="Trưởng ban")
        assert _kept(day)[facility.pk][3] is False  # gathered, not yet built again
    assert _kept(day)[facility.pk] == _reference(day)[facility.pk]
    assert _kept(day)[facility.pk][3] is True

    with pytest.raises(RuntimeError), facts_in_batch():
        DedicatedUnit.objects.filter(facility=facility).update(ended_on=day)
        raise RuntimeError  # the caller's transaction rolls back: nothing to announce


def test_the_dashboards_reporting_by_area_from_kept_states_is_the_records(demo_data) -> None:
    # The demo's quarters on both maps, with reports on time, late and missing.
    found = []
    for period in [("quarter", 2019, 4), ("quarter", 2020, 2), ("quarter", 2026, 2)]:
        kept_areas = indicators.completeness_by_area(*period)
        live = assessment_services.completeness_by_area(*period)
        assert [(u.pk, c) for u, c in kept_areas] == [(u.pk, c) for u, c in live], period
        found += [counts for _unit, counts in live]
    assert any(c.expected > c.received > c.on_time > 0 for c in found)


def test_the_completeness_page_from_kept_states_is_the_records(demo_data, monkeypatch) -> None:
    """Totals, areas and the overdue list, of every facility and of one district's."""
    today = datetime.date(2026, 12, 1)
    unit = Facility.objects.order_by("pk").first().administrative_unit
    district = Facility.objects.filter(administrative_unit=unit)
    kept, live = {}, {}
    for scope in (None, district):
        for period in [("quarter", 2019, 4), ("quarter", 2020, 2), ("quarter", 2026, 2)]:
            key = (scope is None, period)
            kept[key] = _completeness_page(period, scope, today)
            with monkeypatch.context() as records:
                records.setattr(indicators, "_use_kept", lambda live: False)
                live[key] = _completeness_page(period, scope, today)
    assert kept == live
    assert any(page[2] > 0 for page in live.values())  # some overdue, in each way of reading


def test_the_report_annex_from_kept_states_is_the_records(demo_data, monkeypatch) -> None:
    """The facility annex (every facility of the province's report, those applying CP in the
    Ministry's) with its flags, areas on the day and savings, in its order."""
    for day in [
        datetime.date(2019, 12, 31),
        datetime.date(2020, 6, 30),
        datetime.date(2026, 6, 30),
    ]:
        for detailed in (True, False):
            kept = builders._facility_annex(day, detailed)
            with monkeypatch.context() as records:
                records.setattr(indicators, "_use_kept", lambda live: False)
                live = builders._facility_annex(day, detailed)
                live_rows = list(live.rows)
            assert (kept.total, list(kept.rows)) == (live.total, live_rows), (day, detailed)
            assert len({row[2] for row in live_rows}) > 1, (day, detailed)  # several areas


def _completeness_page(period, scope, today) -> tuple:
    areas = indicators.completeness_by_area(*period, facilities=scope)
    listed, count = indicators.overdue(*period, today=today, facilities=scope, limit=500)
    return (
        indicators.completeness(*period, facilities=scope),
        [(unit.pk, counts) for unit, counts in areas],
        count,
        [(facility.pk, facility.area_unit.pk) for facility in listed],
    )
