"""The two-tier map of 1 July 2025: units from the packages, the crosswalk, dated locations,
remapping, scopes and the unit tree by date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from facilities.forms import FacilityForm, OutreachForm
from facilities.geography import (
    REFORM_DAY,
    apply_remap,
    load_admin_units,
    move_facility,
    plan_remap,
)
from facilities.models import AdministrativeUnit, Facility, FacilityLocation, UnitCrosswalk
from portal.models import Role
from programs.models import Agency
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def communes() -> None:
    load_admin_units()


def commune(name: str, *, current: bool = True) -> AdministrativeUnit:
    era = {"valid_from__gte": REFORM_DAY} if current else {"valid_from__isnull": True}
    return AdministrativeUnit.objects.get(level="commune", name=name, **era)


def district(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, level="district")


def test_the_loader_adds_the_130_communes_and_the_plan_era_ones_with_their_source() -> None:
    first = load_admin_units()
    current = AdministrativeUnit.objects.filter(level="commune").valid_on(D(2026, 12, 1))
    old = AdministrativeUnit.objects.filter(level="commune").valid_on(D(2025, 6, 30))
    assert current.count() == 130
    assert current.filter(kind="ward").count() == 11
    assert set(current.values_list("parent__code", flat=True)) == {"40"}
    assert old.count() == 412
    assert not old.filter(parent__level="province").exists()
    assert current.filter(source__startswith="vietnam-provinces ").count() == 130
    assert old.filter(source__startswith="vietnamadminunits ").count() == 412
    # Every old commune went somewhere, and every new one came from somewhere.
    assert not old.filter(crosswalk_to__isnull=True).exists()
    assert not current.filter(crosswalk_from__isnull=True).exists()
    assert first.added == 542

    again = load_admin_units()
    assert (again.added, again.crosswalk_added, again.kept) == (0, 0, 542)
    assert AdministrativeUnit.objects.filter(level="commune").count() == 542


def test_a_changed_unit_is_a_new_row_from_the_given_day_not_an_edit(communes) -> None:
    renamed = commune("Diễn Châu")
    AdministrativeUnit.objects.filter(pk=renamed.pk).update(name="Tên cũ")
    listed = load_admin_units()
    assert any("Tên cũ → Diễn Châu" in change for change in listed.changed)
    assert listed.added == 0

    load_admin_units(changed_from=D(2026, 9, 1))
    rows = AdministrativeUnit.objects.filter(code=renamed.code, valid_from__gte=REFORM_DAY)
    assert [(row.name, row.valid_from, row.valid_to) for row in rows.order_by("valid_from")] == [
        ("Tên cũ", REFORM_DAY, D(2026, 8, 31)),
        ("Diễn Châu", D(2026, 9, 1), None),
    ]


def test_remapping_leaves_no_facility_on_an_expired_unit_and_is_idempotent(
    communes, facilities
) -> None:
    facilities["other"].address = "Khối 3, thị trấn Cầu Giát"  # Quỳnh Lưu
    facilities["other"].save()
    dry_run = plan_remap()
    assert {plan.facility.pk for plan in dry_run if plan.new_unit} == {
        facility.pk for facility in facilities.values()
    }
    assert not FacilityLocation.objects.exists()  # the dry run wrote nothing

    apply_remap(actor=None)
    today = D(2026, 12, 1)
    assert not Facility.objects.exclude(
        administrative_unit__in=AdministrativeUnit.objects.valid_on(today)
    ).exists()
    own = Facility.objects.get(pk=facilities["own"].pk)
    assert own.administrative_unit == commune("Diễn Châu")
    assert Facility.objects.get(pk=facilities["other"].pk).administrative_unit == commune(
        "Quỳnh Lưu"
    )
    # The plan era stays in the history: Diễn Châu district until 30/06/2025.
    assert [(loc.unit.code, loc.valid_from, loc.valid_to) for loc in own.locations.all()] == [
        ("425", None, D(2025, 6, 30)),
        (own.administrative_unit.code, REFORM_DAY, None),
    ]
    assert own.history.first().administrative_unit_id == own.administrative_unit_id

    assert apply_remap(actor=None) == []
    assert FacilityLocation.objects.count() == 4


def test_a_facility_whose_address_names_no_commune_is_left_for_a_person(communes) -> None:
    facility = FacilityFactory(address="Km 5, quốc lộ 1A")
    (plan,) = plan_remap()
    assert plan.new_unit is None and plan.how == "person"
    assert commune("Diễn Châu") in plan.candidates
    apply_remap(actor=None)
    facility.refresh_from_db()
    assert facility.administrative_unit == district("425")


def test_a_split_ward_asks_a_person_unless_the_address_names_the_new_ward(db) -> None:
    old = AdministrativeUnit.objects.create(
        code="99001",
        name="Thử Tách",
        kind="commune",
        level="commune",
        parent=district("412"),
        valid_to=D(2025, 6, 30),
    )
    province = AdministrativeUnit.objects.get(code="40")
    east, west = (
        AdministrativeUnit.objects.create(
            code=code,
            name=name,
            kind="ward",
            level="commune",
            parent=province,
            valid_from=REFORM_DAY,
        )
        for code, name in [("99101", "Thử Đông"), ("99102", "Thử Tây")]
    )
    for new in (east, west):
        UnitCrosswalk.objects.create(
            old_unit=old, new_unit=new, resolution="Nghị quyết thử", needs_decision=True
        )
    unsure = FacilityFactory(administrative_unit=old, address="Khối 2, xã Thử Tách")
    sure = FacilityFactory(administrative_unit=old, address="Khối 2, phường Thử Tây")

    plans = {plan.facility.pk: plan for plan in plan_remap()}
    assert plans[unsure.pk].new_unit is None
    assert set(plans[unsure.pk].candidates) == {east, west}
    assert (plans[sure.pk].new_unit, plans[sure.pk].how) == (west, "address")


def test_an_expired_unit_is_refused_for_a_dated_record_after_its_expiry(communes) -> None:
    facility = FacilityFactory()
    with pytest.raises(ValidationError) as refused:
        move_facility(
            facility, unit=commune("Diễn Kỷ", current=False), on=D(2026, 3, 1), actor=None
        )
    assert refused.value.messages == [
        "Xã Diễn Kỷ đã hết hiệu lực từ 01/07/2025; "
        "vui lòng chọn đơn vị có hiệu lực ngày 01/03/2026."
    ]
    with pytest.raises(ValidationError, match="có hiệu lực từ 01/07/2025"):
        move_facility(facility, unit=commune("Diễn Châu"), on=D(2020, 3, 1), actor=None)
    assert not FacilityLocation.objects.exists()


def test_a_commune_officer_sees_exactly_their_commune_facilities(
    communes, users, client_for
) -> None:
    here = commune("Diễn Châu")
    officer = UserFactory.for_role(
        Role.AGENCY_OFFICER,
        agency=Agency.objects.create(
            code="ubnd-xa-dien-chau", name="UBND xã Diễn Châu", kind="district", area=here
        ),
    )
    inside = [FacilityFactory(), FacilityFactory()]
    elsewhere = FacilityFactory(address="Khối 1, xã Diễn Kỷ")
    unmoved = FacilityFactory(address="Không rõ")
    apply_remap(actor=None)
    assert Facility.objects.get(pk=elsewhere.pk).administrative_unit != here

    assert set(Facility.objects.visible_to(officer)) == set(inside)
    client = client_for(officer)
    assert client.get(reverse("reporting:facility_detail", args=[inside[0].pk])).status_code == 200
    for hidden in (elsewhere, unmoved):
        url = reverse("reporting:facility_detail", args=[hidden.pk])
        assert client.get(url).status_code == 404

    # The district's officers keep their district's history, moved facilities included.
    assert set(Facility.objects.visible_to(users["agency_officer"])) >= {
        *inside,
        elsewhere,
        unmoved,
    }
    assert (
        not Facility.objects.visible_to(users["other_district_officer"])
        .filter(pk__in=[facility.pk for facility in inside])
        .exists()
    )


def test_the_unit_page_shows_the_tree_of_the_asked_date(communes, users, client_for) -> None:
    client = client_for(users["official"])
    before = client.get(reverse("facilities:unit_list"), {"ngay": "30/09/2019"})
    assert len(before.context["tree"]) == 21
    communes_of = {unit.name: len(children) for unit, children in before.context["tree"]}
    assert (
        communes_of["Diễn Châu"]
        == AdministrativeUnit.objects.filter(parent__code="425", level="commune").count()
        > 30
    )

    after = client.get(reverse("facilities:unit_list"), {"ngay": "05/12/2026"})
    assert len(after.context["tree"]) == 130
    assert all(children == [] for _unit, children in after.context["tree"])
    assert "Phường Thành Vinh" in after.content.decode()


def test_the_commands_dry_run_then_apply(communes, facilities, capsys) -> None:
    call_command("remap_facilities")
    assert "would move 1; 1 need a person." in capsys.readouterr().out
    assert not FacilityLocation.objects.exists()
    call_command("remap_facilities", "--apply")
    assert "moved 1; 1 need a person." in capsys.readouterr().out
    call_command("load_admin_units")
    assert "0 units added, 542 already there" in capsys.readouterr().out


def _edit_data(facility: Facility, **changes: object) -> dict[str, object]:
    data = model_to_dict(facility, fields=FacilityForm._meta.fields)
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


def test_the_facility_form_offers_units_valid_today_and_a_new_unit_is_a_dated_move(
    communes, users, facilities, client_for
) -> None:
    own = facilities["own"]
    offered = set(FacilityForm(instance=own).fields["administrative_unit"].queryset)
    assert commune("Diễn Châu") in offered
    assert district("425") in offered  # where it still is, until someone moves it
    assert district("421") not in offered
    assert commune("Diễn Kỷ", current=False) not in offered
    assert len(offered) == 131

    client = client_for(users["department_staff"])
    url = reverse("facilities:facility_edit", args=[own.pk])
    refused = client.post(url, _edit_data(own, administrative_unit=district("421").pk))
    assert refused.status_code == 200 and "administrative_unit" in refused.context["form"].errors

    moved = client.post(url, _edit_data(own, administrative_unit=commune("Diễn Châu").pk))
    assert moved.status_code == 302
    today = timezone.localdate()
    assert [(loc.unit, loc.valid_from, loc.valid_to) for loc in own.locations.all()] == [
        (district("425"), None, today - datetime.timedelta(days=1)),
        (commune("Diễn Châu"), today, None),
    ]


def test_an_outreach_activity_is_refused_an_area_that_had_ended_by_its_date(communes) -> None:
    data = {
        "kind": "workshop",
        "title": "Hội thảo SXSH",
        "held_on": "10/03/2026",
        "organiser": "Sở Công Thương",
        "area": district("425").pk,
    }
    form = OutreachForm(data)
    assert not form.is_valid()
    assert form.errors["area"] == [
        "Huyện Diễn Châu đã hết hiệu lực từ 01/07/2025; "
        "vui lòng chọn đơn vị có hiệu lực ngày 10/03/2026."
    ]
    assert OutreachForm({**data, "held_on": "10/03/2019"}).is_valid()
    assert OutreachForm({**data, "area": commune("Diễn Châu").pk}).is_valid()


def test_the_remap_page_shows_the_dry_run_then_applies_it(
    communes, users, facilities, client_for
) -> None:
    url = reverse("facilities:unit_remap")
    admin = client_for(users["department_admin"])
    dry_run = admin.get(url)
    assert [plan.facility for plan in dry_run.context["movable"]] == [facilities["own"]]
    assert [plan.facility for plan in dry_run.context["undecided"]] == [facilities["other"]]
    assert not FacilityLocation.objects.exists()

    assert client_for(users["department_staff"]).post(url).status_code == 403
    assert not FacilityLocation.objects.exists()

    applied = admin.post(url, follow=True)
    assert "Đã chuyển 1 cơ sở sang đơn vị cấp xã hiện hành; 1 cơ sở cần người quyết định." in (
        applied.content.decode()
    )
    assert Facility.objects.get(pk=facilities["own"].pk).administrative_unit == commune("Diễn Châu")
    assert applied.context["movable"] == []


def test_the_import_takes_a_current_commune_or_an_old_one_with_its_district(communes) -> None:
    from tests.facilities.test_importer import preview_of, valid_row

    result = preview_of(
        [
            valid_row(1, administrative_unit="Phường Thành Vinh"),
            valid_row(2, administrative_unit="Xã Diễn Kỷ, huyện Diễn Châu"),
            valid_row(3, administrative_unit="Xã Diễn Kỷ, Quỳnh Lưu"),
            valid_row(4, administrative_unit="Diễn Châu"),  # a district, as files of the plan era
        ]
    )
    current, converted, wrong, district_row = result.rows
    assert current.cleaned["facility"]["administrative_unit_id"] == commune("Thành Vinh").pk
    assert current.warnings == []
    new = UnitCrosswalk.objects.get(old_unit=commune("Diễn Kỷ", current=False)).new_unit
    assert converted.cleaned["facility"]["administrative_unit_id"] == new.pk
    assert converted.warnings == [
        f"Xã Diễn Kỷ (Huyện Diễn Châu) nay là {new}: cơ sở được ghi vào {new}."
    ]
    assert wrong.action == "error"
    assert any("Không tìm thấy xã “Xã Diễn Kỷ” của huyện “Quỳnh Lưu”" in e for e in wrong.errors)
    assert district_row.cleaned["facility"]["administrative_unit_id"] == district("425").pk


def test_the_import_asks_for_the_new_commune_of_a_split_one(communes) -> None:
    from tests.facilities.test_importer import preview_of, valid_row

    old = commune("Diễn Kỷ", current=False)
    UnitCrosswalk.objects.filter(old_unit=old).update(needs_decision=True)
    UnitCrosswalk.objects.create(
        old_unit=old, new_unit=commune("Quỳnh Lưu"), resolution="thử", needs_decision=True
    )
    (row,) = preview_of([valid_row(1, administrative_unit="Xã Diễn Kỷ, Diễn Châu")]).rows
    assert row.action == "error"
    assert any("được chia cho nhiều đơn vị" in error for error in row.errors), row.errors


def test_an_address_names_a_commune_only_outside_its_district_and_zone_parts(communes) -> None:
    from facilities.geography import _named_in

    units = [commune("Tân Kỳ"), commune("Nghĩa Đàn"), commune("Diễn Châu")]
    assert _named_in("Lô D3, KCN Tân Kỳ, xã Tân Xuân, huyện Tân Kỳ, tỉnh Nghệ An", units) == []
    assert _named_in("Xóm 12, xã Nghĩa Trung, huyện Nghĩa Đàn", units) == []
    assert _named_in("Khối 1, thị trấn Diễn Châu", units) == [commune("Diễn Châu")]
