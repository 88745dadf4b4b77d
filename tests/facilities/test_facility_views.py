from __future__ import annotations

import datetime
import io
import os

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import applying_q
from facilities.models import (
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    OutreachActivity,
    OutreachParticipation,
)
from tests.factories import FacilityFactory, tax_code


def _list(client, **params):
    return client.get(reverse("reporting:facility_list"), params)


def test_search_ignores_accents_and_case(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    names = [f.name for f in _list(client, q="gach ngoi dien chau").context["page"]]
    assert names == ["Công ty Cổ phần Gạch ngói Diễn Châu"]
    names = [f.name for f in _list(client, q="THỦY SẢN").context["page"]]
    assert names == ["Công ty TNHH Chế biến Thủy sản Quỳnh Lưu"]


def test_search_finds_a_tax_code_with_or_without_the_branch_dash(
    users, facilities, client_for
) -> None:
    branch = FacilityFactory(tax_code="0100233488-001", name="Chi nhánh Nhà máy Sữa")
    client = client_for(users["department_staff"])
    for query in ("0100233488-001", "0100233488001", "0100233488"):
        assert [f.pk for f in _list(client, q=query).context["page"]] == [branch.pk]


def test_sorting_by_name_follows_the_vietnamese_alphabet(users, client_for, db) -> None:
    for name in ["Đông Á", "Dương Phát", "Ân Thịnh", "An Bình", "Ánh Dương", "Bắc Sơn", "Ba Lan"]:
        FacilityFactory(name=name)
    client = client_for(users["department_staff"])
    names = [f.name for f in _list(client, sort="name").context["page"]]
    assert names == [
        "An Bình",
        "Ánh Dương",
        "Ân Thịnh",
        "Ba Lan",
        "Bắc Sơn",
        "Dương Phát",
        "Đông Á",
    ]
    reverse_names = [f.name for f in _list(client, sort="-name").context["page"]]
    assert reverse_names == names[::-1]


def test_filters_combine(users, facilities, client_for) -> None:
    own, other = facilities["own"], facilities["other"]
    activity = OutreachActivity.objects.create(
        kind="workshop",
        title="Hội thảo SXSH 2019",
        held_on=datetime.date(2019, 5, 1),
        organiser="Sở Công Thương",
    )
    OutreachParticipation.objects.create(activity=activity, facility=own)
    AwarenessConfirmation.objects.create(
        facility=own, confirmed_on=datetime.date(2019, 6, 1), method="survey"
    )
    DedicatedUnit.objects.create(facility=other, established_on=datetime.date(2020, 1, 1), head="A")
    client = client_for(users["department_staff"])
    assert [f.pk for f in _list(client, aware="yes").context["page"]] == [own.pk]
    assert [f.pk for f in _list(client, aware="no").context["page"]] == [other.pk]
    assert [f.pk for f in _list(client, cp_unit="yes").context["page"]] == [other.pk]
    area = own.administrative_unit.pk
    assert [f.pk for f in _list(client, area=area, aware="yes").context["page"]] == [own.pk]
    assert list(_list(client, area=area, cp_unit="yes").context["page"]) == []
    assert "Không có cơ sở nào khớp" in _list(client, area=area, cp_unit="yes").content.decode()


def test_status_filter_uses_the_dates(users, facilities, client_for) -> None:
    closed = FacilityFactory(
        started_on=datetime.date(2000, 1, 1), closed_on=datetime.date(2020, 1, 1)
    )
    suspended = FacilityFactory(suspended_on=datetime.date(2024, 1, 1))
    client = client_for(users["department_staff"])
    assert [f.pk for f in _list(client, status="closed").context["page"]] == [closed.pk]
    assert [f.pk for f in _list(client, status="suspended").context["page"]] == [suspended.pk]
    operating = {f.pk for f in _list(client, status="operating").context["page"]}
    assert operating == {facilities["own"].pk, facilities["other"].pk}


def test_a_bad_filter_value_is_ignored_not_a_crash(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    response = _list(client, area="khong-phai-so", sort="drop table", page="x", status="?")
    assert response.status_code == 200


def test_a_district_officer_sees_only_their_district(users, facilities, client_for) -> None:
    page = _list(client_for(users["agency_officer"])).context["page"]
    assert [f.pk for f in page] == [facilities["own"].pk]


def test_the_list_query_count_does_not_grow_with_rows(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    FacilityFactory.create_batch(60)
    own = facilities["own"]
    # session, user, 2 counts, 4 drop-downs (count + rows each), 4 filter values checked, the
    # reference trees of area and sector, the page rows, session save
    with django_assert_max_num_queries(22):
        response = _list(
            client,
            area=own.administrative_unit.pk,
            sector=own.sector.parent.pk,
            size=own.size_class.pk,
            aware="no",
            cp_unit="no",
            status="operating",
            sort="-employees",
        )
    assert len(response.context["page"]) == 50


def test_the_detail_query_count_does_not_grow_with_history(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    own = facilities["own"]
    activity = OutreachActivity.objects.create(
        kind="training", title="Tập huấn", held_on=datetime.date(2018, 3, 3), organiser="Sở"
    )
    OutreachParticipation.objects.create(activity=activity, facility=own)
    for n in range(15):
        own.employees = 50 + n
        own.save()
    client = client_for(users["department_staff"])
    # 20 before the energy block, which adds two for a plant without reports (the years it
    # reported in, its GHG listing) and a fixed number per year reported, never per version.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("reporting:facility_detail", args=[own.pk]))
    assert response.status_code == 200
    assert "Tập huấn" in response.content.decode()
    assert "Số lao động" in response.content.decode()  # the history tab names changed fields


def test_export_writes_the_filtered_rows_as_text_never_formulas(
    users, facilities, client_for
) -> None:
    FacilityFactory(name='=HYPERLINK("http://evil")', tax_code=tax_code(7))
    response = client_for(users["official"]).get(reverse("reporting:facility_export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Tên cơ sở"
    assert len(rows) == 4
    assert '=HYPERLINK("http://evil")' in [row[0] for row in rows]
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_staff_create_a_facility_and_bad_input_is_explained_and_kept(
    users, client_for, current_commune
) -> None:
    client = client_for(users["department_staff"])
    data = {
        "name": "Công ty TNHH Đá ốp lát Quỳ Hợp",
        "tax_code": "2900326335",
        "legal_form": "llc",
        "address": "Xã Châu Quang",
        "administrative_unit": current_commune.pk,
        "sector": Facility._meta.get_field("sector").related_model.objects.get(code="081").pk,
        "size_class": Facility._meta.get_field("size_class")
        .related_model.objects.get(code="medium")
        .pk,
        "employees": "120",
        "started_on": "15/03/2012",
        "in_scope": "on",
    }
    response = client.post(reverse("facilities:facility_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "sai chữ số kiểm tra" in body
    assert "Đá ốp lát Quỳ Hợp" in body  # what the user typed is kept
    assert not Facility.objects.exists()
    data["tax_code"] = tax_code(42)
    response = client.post(reverse("facilities:facility_create"), data)
    facility = Facility.objects.get()
    assert response["Location"] == reverse("reporting:facility_detail", args=[facility.pk])
    assert facility.started_on == datetime.date(2012, 3, 15)
    assert facility.history.first().history_user == users["department_staff"]


def test_a_manager_edits_only_contacts_of_their_own_facility(users, facilities, client_for) -> None:
    client = client_for(users["facility_manager"])
    own, other = facilities["own"], facilities["other"]
    response = client.post(
        reverse("facilities:facility_contacts", args=[own.pk]),
        {
            "contact_name": "Nguyễn Thị Hoa",
            "contact_phone": "0912345678",
            "contact_email": "",
            "name": "Tên bị đổi",
            "in_scope": "",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.contact_name == "Nguyễn Thị Hoa"
    assert own.name == "Công ty Cổ phần Gạch ngói Diễn Châu"
    assert own.in_scope is True
    response = client.post(
        reverse("facilities:facility_contacts", args=[other.pk]), {"contact_name": "Kẻ lạ"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.contact_name == ""


@pytest.mark.parametrize("guess", [10**6, 2**31])
def test_a_manager_guessing_ids_learns_nothing(users, facilities, client_for, guess) -> None:
    client = client_for(users["facility_manager"])
    response = client.get(reverse("reporting:facility_detail", args=[guess]))
    assert response.status_code == 404
    other = client.get(reverse("reporting:facility_detail", args=[facilities["other"].pk]))
    assert other.status_code == 404


@pytest.mark.skipif(
    bool(os.environ.get("CELERY_BROKER_URL")), reason="with a broker the worker sends the mail"
)
def test_inviting_a_manager_creates_the_account_and_mails_a_link(
    users, facilities, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    own = facilities["own"]
    client = client_for(users["department_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("facilities:facility_invite", args=[own.pk]),
            {"full_name": "Hồ Văn Nam", "email": "nam@gachngoi.vn"},
        )
    assert response.status_code == 302
    manager = own.managers.get(email="nam@gachngoi.vn")
    assert manager.role == "facility_manager" and not manager.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/tai-khoan/dat-lai-mat-khau/" in mailoutbox[0].body
    assert "Mời tham gia" in mailoutbox[0].subject


def test_inviting_a_staff_address_is_refused(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("facilities:facility_invite", args=[facilities["own"].pk]),
        {"full_name": "X", "email": users["department_admin"].email},
    )
    assert response.status_code == 200
    assert "vai trò khác" in response.content.decode()
    assert not facilities["own"].managers.filter(pk=users["department_admin"].pk).exists()


def test_staff_record_awareness_and_a_cp_unit(users, facilities, client_for) -> None:
    own = facilities["own"]
    client = client_for(users["department_staff"])
    client.post(
        reverse("facilities:awareness_add", args=[own.pk]),
        {"confirmed_on": "02/06/2019", "method": "survey"},
    )
    response = client.post(
        reverse("facilities:cp_unit_add", args=[own.pk]),
        {"established_on": "01/01/2020", "ended_on": "01/01/2019", "head": "Lê Văn B"},
    )
    assert response.status_code == 200  # ended before established: explained, not saved
    assert not DedicatedUnit.objects.exists()
    assert own.awareness.get().confirmed_on == datetime.date(2019, 6, 2)


def test_a_facility_applies_cp_from_its_first_verified_measure(users, facilities, client_for):
    from assessments.models import Assessment, CPOption

    own = facilities["own"]
    assessment = Assessment.objects.create(
        facility=own,
        kind="quick",
        status="completed",
        funding="provincial",
        started_on=datetime.date(2017, 3, 1),
        completed_on=datetime.date(2017, 3, 3),
    )
    option = CPOption.objects.create(
        assessment=assessment,
        technique="housekeeping",
        description="Sửa rò rỉ khí nén",
        status="implemented",
        implemented_on=datetime.date(2017, 6, 1),
    )
    assert not Facility.objects.filter(applying_q(datetime.date(2020, 1, 1))).exists()
    option.status, option.verified_on = "verified", datetime.date(2017, 9, 1)
    option.save()
    assert not Facility.objects.filter(applying_q(datetime.date(2017, 8, 31))).exists()
    assert list(Facility.objects.filter(applying_q(datetime.date(2017, 9, 1)))) == [own]
    client = client_for(users["department_staff"])
    assert [f.pk for f in _list(client, applying="yes").context["page"]] == [own.pk]
    assert [f.pk for f in _list(client, applying="no").context["page"]] == [facilities["other"].pk]


def test_hostile_list_and_outreach_queries_are_answered_not_crashed(
    users, facilities, client_for
) -> None:
    client = client_for(users["department_staff"])
    assert _list(client, q="a " * 1200).status_code == 200
    assert client.get(reverse("reporting:facility_export"), {"q": "a " * 1200}).status_code == 200
    for year in ["0", "-1", "10000", "1e5", "99999999999"]:
        response = client.get(reverse("facilities:outreach_list"), {"year": year})
        assert response.status_code == 200


def test_an_invitation_to_an_address_with_odd_characters_works(
    users, facilities, client_for
) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("facilities:facility_invite", args=[facilities["own"].pk]),
        {"full_name": "O'Brien", "email": "o'brien@example.vn"},
    )
    assert response.status_code == 302
    assert facilities["own"].managers.get(email="o'brien@example.vn").username == "obrien"


def test_a_manager_edits_contacts_even_when_another_field_breaks_a_rule(
    users, facilities, client_for
) -> None:
    own = facilities["own"]
    Facility.objects.filter(pk=own.pk).update(sector=own.sector.parent)  # a level-2 sector
    response = client_for(users["facility_manager"]).post(
        reverse("facilities:facility_contacts", args=[own.pk]),
        {"contact_name": "Trần Văn C", "contact_phone": "", "contact_email": ""},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.contact_name == "Trần Văn C"
    assert own.sector.level == 2  # untouched: staff's to mend


def test_an_import_whose_file_is_gone_is_explained(users, client_for) -> None:
    from django.core.files.base import ContentFile

    from facilities.models import FacilityImport

    batch = FacilityImport(uploaded_by=users["department_staff"], original_name="x.xlsx")
    batch.file.save("x.xlsx", ContentFile(b"PK"))
    batch.file.storage.delete(batch.file.name)
    client = client_for(users["department_staff"])
    response = client.get(reverse("facilities:import_preview", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    assert "tải lên lại" in response.content.decode()
