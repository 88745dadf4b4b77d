"""Places reached (Decision 889/QĐ-TTg's coverage of industrial zones, clusters and craft
villages): a place counts as reached on a date when an outreach activity held by then reached
it, or a facility in it took part in one held by then; out of the places of the entry's kinds
existing that day. One query, in `compute` and in `preview`."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from facilities.models import IndustrialZone, OutreachActivity, OutreachParticipation
from programs.models import IndicatorDefinition, Plan, Target
from reporting import indicators
from tests.reporting.test_indicators import make_facility

Kind = IndustrialZone.Kind


def _place(name: str, kind: str, **dates) -> IndustrialZone:
    return IndustrialZone.objects.create(name=name, kind=kind, **dates)


def _activity(held_on: datetime.date, *places: IndustrialZone) -> OutreachActivity:
    activity = OutreachActivity.objects.create(
        kind=OutreachActivity.Kind.WORKSHOP, title="Hội thảo", held_on=held_on, organiser="Sở"
    )
    activity.places.add(*places)
    return activity


def _entry(code: str = "K9", kinds: str = "industrial_zone,cluster,craft_village"):
    return IndicatorDefinition.objects.create(
        code=code, name=code, kind="places_reached", place_kinds=kinds, definition="…"
    )


@pytest.fixture
def places(db) -> dict[str, IndustrialZone]:
    """Only hand-made places: the shipped zones and clusters are set aside."""
    IndustrialZone.objects.update(parent=None)
    IndustrialZone.objects.all().delete()
    park = _place("KCN A", Kind.INDUSTRIAL_ZONE)
    cluster = _place("CCN B", Kind.CLUSTER)
    village = _place("Làng nghề C", Kind.CRAFT_VILLAGE, established_on=datetime.date(2023, 1, 1))
    closed = _place(
        "CCN D",
        Kind.CLUSTER,
        established_on=datetime.date(2010, 1, 1),
        closed_on=datetime.date(2023, 6, 30),
    )
    economic = _place("KKT E", Kind.ECONOMIC_ZONE)
    # The park reached directly in 2022; the village through a facility in it in 2024.
    _activity(datetime.date(2022, 5, 1), park, economic)
    plant = make_facility(zone=village)
    visit = _activity(datetime.date(2024, 3, 1))
    OutreachParticipation.objects.create(activity=visit, facility=plant)
    # The cluster: an activity planned after the dates below.
    _activity(datetime.date(2026, 1, 10), cluster)
    return {"park": park, "cluster": cluster, "village": village, "closed": closed}


@pytest.mark.parametrize(
    ("day", "reached", "existing"),
    [
        (datetime.date(2021, 12, 31), 0, 3),  # park, cluster, the closed one (no village yet)
        (datetime.date(2022, 5, 1), 1, 3),  # the park, reached that very day
        (datetime.date(2023, 12, 31), 1, 3),  # the village exists; the closed one is gone
        (datetime.date(2024, 3, 1), 2, 3),  # the village, through its facility
        (datetime.date(2026, 1, 10), 3, 3),
    ],
)
def test_places_are_reached_directly_or_through_their_facilities(
    places, day, reached, existing
) -> None:
    figure = indicators.preview(_entry(), as_of=day)
    assert (figure.numerator, figure.denominator) == (reached, existing)
    assert figure.value == (Decimal(reached) / existing)


def test_only_the_kinds_chosen_are_counted(places) -> None:
    day = datetime.date(2024, 12, 31)
    villages = indicators.preview(_entry("K8", "craft_village"), as_of=day)
    assert (villages.numerator, villages.denominator) == (1, 1)
    zones = indicators.preview(_entry("K7", "economic_zone,industrial_zone"), as_of=day)
    assert (zones.numerator, zones.denominator) == (2, 2)


def test_a_facility_outside_any_place_reaches_none(places) -> None:
    OutreachParticipation.objects.create(
        activity=_activity(datetime.date(2022, 1, 1)), facility=make_facility()
    )
    figure = indicators.preview(_entry(), as_of=datetime.date(2022, 1, 1))
    assert figure.numerator == 0


def test_the_plan_target_compares_the_share_with_its_band_in_one_query(
    places, django_assert_max_num_queries
) -> None:
    plan = Plan.objects.create(name="KH", start_year=2021, end_year=2030, status="active")
    entry = _entry()
    Target.objects.create(
        plan=plan,
        indicator=entry,
        milestone_year=2025,
        floor=Decimal("0.7"),
        stretch=1,
        unit="share",
    )
    # The plan's targets, the kept figures' state and the places (one query for them).
    with django_assert_max_num_queries(3):
        figures = indicators.compute(plan, as_of=datetime.date(2025, 12, 31))
    figure = figures["K9"]
    assert (figure.numerator, figure.denominator) == (2, 3)
    assert figure.status == indicators.Status.NOT_MET  # 66.7% < 70% once 2025 has ended
    assert figure.definition == "…"


def test_an_entry_of_places_needs_its_kinds_and_others_take_none(db) -> None:
    from django.core.exceptions import ValidationError

    entry = IndicatorDefinition(code="K6", name="K6", kind="places_reached", definition="…")
    with pytest.raises(ValidationError, match="ít nhất một loại"):
        entry.full_clean()
    entry.place_kinds = "industrial_zone,harbour"
    with pytest.raises(ValidationError, match="không hợp lệ"):
        entry.full_clean()
    share = IndicatorDefinition(
        code="K5",
        name="K5",
        kind="facility_share",
        condition="aware",
        place_kinds="cluster",
        definition="…",
    )
    with pytest.raises(ValidationError, match="Chỉ chỉ tiêu tỷ lệ khu"):
        share.full_clean()


def test_the_draft_plan_sets_decision_889s_coverage_target_with_its_source(db) -> None:
    draft = Plan.objects.get(start_year=2021, end_year=2030)
    bands = {
        t.milestone_year: (t.floor, t.stretch, t.note) for t in draft.targets.filter(indicator="K1")
    }
    assert {year: band[:2] for year, band in bands.items()} == {
        2025: (Decimal("0.7"), Decimal("0.7")),
        2030: (Decimal(1), Decimal(1)),
    }
    assert all("889/QĐ-TTg" in note for _f, _s, note in bands.values())
    assert IndicatorDefinition.objects.get(code="K1").kinds_of_place == [
        "industrial_zone",
        "cluster",
        "craft_village",
    ]
    assert "danh mục khu, cụm, làng nghề" not in draft.summary


def test_by_district_each_district_has_its_places(places) -> None:
    from facilities.models import AdministrativeUnit

    dien_chau, vinh = (
        AdministrativeUnit.objects.get(code=code, level="district") for code in ("425", "412")
    )
    IndustrialZone.objects.filter(pk=places["park"].pk).update(area=dien_chau)
    IndustrialZone.objects.filter(pk=places["village"].pk).update(area=dien_chau)
    IndustrialZone.objects.filter(pk=places["cluster"].pk).update(area=vinh)
    plan = Plan.objects.create(name="KH", start_year=2021, end_year=2030, status="active")
    Target.objects.create(
        plan=plan,
        indicator=_entry(),
        milestone_year=2025,
        floor=Decimal("0.7"),
        stretch=1,
        unit="share",
    )
    day = datetime.date(2024, 12, 31)
    for by in ("former_district", "area"):
        groups = {
            group.label: group.figures["K9"]
            for group in indicators.compute_by(plan, as_of=day, by=by)
        }
        assert {label: (f.numerator, f.denominator) for label, f in groups.items()} == {
            "Vinh": (0, 1),
            "Diễn Châu": (2, 2),
        }
    # After the reform, areas are communes: places are in the former districts only.
    later = indicators.compute_by(plan, as_of=datetime.date(2025, 12, 31), by="area")
    assert all("K9" not in group.figures for group in later)


def test_reports_head_the_figure_with_what_it_counts(places) -> None:
    from reporting.builders import parts_label

    figure = indicators.preview(_entry(), as_of=datetime.date(2024, 12, 31))
    assert parts_label(figure) == "Số khu, cụm, làng nghề / tổng"
