"""What a user sees when the programme forms refuse input: the reason, next to the right field,
with what they typed still in place."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from programs.forms import PlanForm, TargetFormSet
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    Official,
    Plan,
    SupportProject,
    Target,
)
from tests.programs.test_pages import SHIPPED_PLANS, _plan, _plan_data


def _official(name: str, **fields: object) -> Official:
    return Official.objects.create(
        full_name=name, level="province", dedicated_from=datetime.date(2017, 1, 5), **fields
    )


# --- Errors shown where the user can act on them -----------------------------------------------


def test_a_task_at_150_percent_is_refused_next_to_its_progress(users, client_for) -> None:
    data = {
        "plan": str(_plan().pk),
        "agency": str(Agency.objects.get(code="so-tai-chinh").pk),
        "title": "Bố trí kinh phí",
        "due_on": "2019-12-31",
        "status": "in_progress",
        "progress": "150",
    }
    response = client_for(users["department_staff"]).post(reverse("programs:task_create"), data)
    assert response.status_code == 200 and not AgencyTask.objects.exists()
    assert response.context["form"].errors == {"progress": ["Tiến độ tối đa 100%."]}
    assert 'value="150"' in response.text
    assert "Tiến độ tối đa 100%." in response.text


def test_an_agency_reporting_150_percent_is_told_the_maximum(users, client_for) -> None:
    task = AgencyTask.objects.create(
        plan=_plan(),
        agency=users["agency_officer"].agency,
        title="Tuyên truyền SXSH trên địa bàn huyện",
        due_on=datetime.date(2019, 12, 31),
    )
    response = client_for(users["agency_officer"]).post(
        reverse("programs:task_detail", args=[task.pk]), {"text": "Xong", "progress": "150"}
    )
    assert response.status_code == 200 and not task.updates.exists()
    assert response.context["form"].errors == {"progress": ["Tiến độ tối đa 100%."]}


def test_a_plan_ending_before_it_starts_is_marked_on_its_end_year(users, client_for) -> None:
    data = _plan_data(start_year="2030", end_year="2021")
    response = client_for(users["department_staff"]).post(reverse("programs:plan_create"), data)
    assert response.status_code == 200 and Plan.objects.count() == SHIPPED_PLANS
    assert response.context["form"].errors == {
        "end_year": ["Năm kết thúc không được trước năm bắt đầu."]
    }
    assert "Năm kết thúc không được trước năm bắt đầu." in response.text
    assert 'value="2021"' in response.text


def test_a_floor_above_the_stretch_is_marked_on_the_stretch(users, client_for) -> None:
    data = _plan_data(**{"targets-1-floor": "8", "targets-1-stretch": "5"})
    response = client_for(users["department_staff"]).post(reverse("programs:plan_create"), data)
    assert response.status_code == 200 and Plan.objects.count() == SHIPPED_PLANS
    row = response.context["formset"].forms[1]
    assert row.errors == {"stretch": ["Mức phấn đấu không được thấp hơn mức tối thiểu."]}
    assert "Mức phấn đấu không được thấp hơn mức tối thiểu." in response.text


def test_a_year_outside_1990_to_2100_is_refused_on_every_programme_form(users, client_for) -> None:
    client = client_for(users["department_staff"])
    plan = client.post(reverse("programs:plan_create"), _plan_data(end_year="20300"))
    assert "end_year" in plan.context["form"].errors
    target = client.post(
        reverse("programs:plan_create"), _plan_data(**{"targets-0-milestone_year": "3030"})
    )
    assert "milestone_year" in target.context["formset"].forms[0].errors
    project = client.post(
        reverse("programs:project_create"),
        {
            "title": "Hỗ trợ SXSH",
            "year": "1066",
            "funding": "provincial",
            "status": "proposed",
            "budget_vnd": "0",
            "state_support_vnd": "0",
        },
    )
    assert "year" in project.context["form"].errors
    assert Plan.objects.count() == SHIPPED_PLANS and not SupportProject.objects.exists()


def test_an_award_for_the_year_3000_is_refused(users, facilities, client_for) -> None:
    data = {
        "year": "3000",
        "title": "Bằng khen của UBND tỉnh",
        "document_kind": "plan",
        "issued_by": "UBND tỉnh Nghệ An",
        "facility_code": facilities["own"].tax_code,
    }
    client = client_for(users["department_staff"])
    response = client.post(reverse("programs:award_create"), data)
    assert response.status_code == 200 and not Award.objects.exists()
    assert list(response.context["form"].errors) == ["year"]
    assert 'value="3000"' in response.text
    client.post(reverse("programs:award_create"), data | {"year": "2019"})
    assert Award.objects.get().year == 2019


def test_an_official_dedicated_until_before_they_started_is_refused(users, client_for) -> None:
    data = {
        "full_name": "Nguyễn Văn An",
        "level": "province",
        "dedicated_from": "2018-03-01",
        "dedicated_to": "2017-12-31",
    }
    client = client_for(users["department_staff"])
    response = client.post(reverse("programs:official_create"), data)
    assert response.status_code == 200 and not Official.objects.exists()
    assert response.context["form"].errors == {
        "dedicated_to": ["Ngày kết thúc chuyên trách không được trước ngày bắt đầu."]
    }
    assert "Ngày kết thúc chuyên trách không được trước ngày bắt đầu." in response.text


def test_the_database_refuses_what_the_forms_refuse(db) -> None:
    impossible_rows = [
        lambda: _official("Trần Thị Bình", dedicated_to=datetime.date(2016, 1, 1)),
        lambda: Plan.objects.create(name="P", start_year=2016, end_year=3000),
        lambda: SupportProject.objects.create(title="D", year=3000, funding="provincial"),
        lambda: Target.objects.create(
            plan=_plan(),
            indicator_id="A1",
            milestone_year=2025,
            floor=Decimal("-1"),
            stretch=Decimal("2"),
            unit="count_per_year",
        ),
    ]
    for create in impossible_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


def test_models_explain_what_is_wrong_with_a_row(db) -> None:
    official = Official(
        full_name="Lê Văn Cường",
        level="province",
        dedicated_from=datetime.date(2018, 1, 1),
        dedicated_to=datetime.date(2017, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        official.full_clean()
    assert set(refused.value.message_dict) == {"dedicated_to"}
    course = Course(
        title="Tập huấn",
        kind="technical",
        organiser="Sở Công Thương",
        starts_on=datetime.date(2019, 5, 2),
        ends_on=datetime.date(2019, 5, 1),
    )
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert set(refused.value.message_dict) == {"ends_on"}
    share = Target(
        plan=_plan(),
        indicator_id="T1",
        milestone_year=2025,
        floor=Decimal("0.5"),
        stretch=Decimal("70"),
        unit="share",
    )
    with pytest.raises(ValidationError) as refused:
        share.full_clean()
    assert refused.value.message_dict == {"stretch": ["Tỷ lệ không được vượt quá 100%."]}


def test_errors_of_no_single_field_are_shown_above_the_form(db) -> None:
    form = PlanForm({})
    form.add_error(None, "Lỗi chung của biểu mẫu")
    formset = TargetFormSet(
        {"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0", "targets-0-note": "x"},
        instance=Plan(),
        prefix="targets",
    )
    formset.forms[0].add_error(None, "Lỗi chung của dòng")
    html = render_to_string(
        "programs/object_form.html",
        {"form": form, "formset": formset, "title": "T", "back": "programs:plan_list"},
        request=RequestFactory().get("/"),
    )
    assert "Lỗi chung của biểu mẫu" in html
    assert "Lỗi chung của dòng" in html


# --- Participants listed twice -----------------------------------------------------------------


def test_an_official_listed_twice_on_a_course_is_named_once(users, client_for) -> None:
    official = _official("Phạm Thị Dung")
    data = {
        "title": "Tập huấn kỹ thuật SXSH năm 2019",
        "kind": "technical",
        "starts_on": "2019-05-06",
        "ends_on": "2019-05-08",
        "organiser": "Sở Công Thương Nghệ An",
        "qualifies_for_t5": "on",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-0-official": str(official.pk),
        "participants-0-completed": "on",
        "participants-1-official": str(official.pk),
    }
    client = client_for(users["department_staff"])
    response = client.post(reverse("programs:course_create"), data)
    assert response.status_code == 200 and not Course.objects.exists()
    message = "Phạm Thị Dung đã có ở một dòng trên; mỗi cán bộ chỉ ghi một lần."
    # On the repeated row, and in the summary above the form as a link to that row's field.
    assert response.text.count(message) == 2
    assert 'href="#id_participants-1-official">Dòng 2, ' in response.text
    assert not response.context["formset"].non_form_errors()
    del data["participants-1-official"]
    client.post(reverse("programs:course_create"), data)
    assert CourseParticipant.objects.get().official == official


def test_a_course_of_many_participants_opens_in_as_many_queries_as_one_of_few(
    users, client_for, django_assert_max_num_queries
) -> None:
    # The officials offered on each row are read once for every row, not once per row.
    course = Course.objects.create(
        title="Tập huấn kỹ thuật SXSH năm 2019",
        kind="technical",
        starts_on=datetime.date(2019, 5, 6),
        ends_on=datetime.date(2019, 5, 8),
        organiser="Sở Công Thương Nghệ An",
    )
    for index in range(30):
        CourseParticipant.objects.create(course=course, official=_official(f"Cán bộ {index}"))
    client = client_for(users["department_staff"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("programs:course_edit", args=[course.pk]))
    assert page.text.count("Cán bộ 29</option>") == 33  # 30 rows and 3 empty ones


# --- Shares entered as percentages -------------------------------------------------------------


def test_share_targets_are_edited_as_percentages_and_stored_as_fractions(
    users, client_for, django_assert_max_num_queries
) -> None:
    plan = _plan()
    client = client_for(users["department_staff"])
    url = reverse("programs:plan_edit", args=[plan.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    rows = {
        row.instance.indicator_id: row for row in page.context["formset"].forms if row.instance.pk
    }
    assert rows["T2"]["floor"].value() == Decimal("25")
    assert rows["T2"]["stretch"].value() == Decimal("50")
    assert rows["A3"]["floor"].value() == Decimal("3")
    assert "ví dụ 90 cho 90%" in page.content.decode()  # said once, above the rows

    data = {
        "name": plan.name,
        "document_kind": plan.document_kind,
        "issued_by": plan.issued_by,
        "start_year": str(plan.start_year),
        "end_year": str(plan.end_year),
        "status": plan.status,
        "targets-TOTAL_FORMS": str(len(rows)),
        "targets-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows.values()):
        for name in ("id", "indicator", "milestone_year", "floor", "stretch", "unit", "note"):
            value = row[name].value()
            data[f"targets-{index}-{name}"] = "" if value is None else str(value)
    t2 = list(rows).index("T2")
    data[f"targets-{t2}-stretch"] = "90"
    versions_before = Target.history.count()
    response = client.post(url, data)
    assert response.status_code == 302
    # Only the edited row is written: the others read back as they were shown.
    assert Target.history.count() == versions_before + 1
    targets = {t.indicator_id: (t.floor, t.stretch) for t in plan.targets.all()}
    assert targets["T2"] == (Decimal("0.25"), Decimal("0.9"))
    assert targets["T3"] == (Decimal("0.05"), Decimal("0.13"))
    assert targets["A3"] == (Decimal("3"), Decimal("5"))

    data[f"targets-{t2}-stretch"] = "9000"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert 'value="9000"' in refused.text
    assert list(refused.context["formset"].forms[t2].errors) == ["stretch"]
    assert plan.targets.get(indicator="T2").stretch == Decimal("0.9")


def test_a_target_listed_twice_for_a_year_is_marked_on_the_repeated_row(users, client_for) -> None:
    data = _plan_data(
        **{
            "targets-1-indicator": "T2",
            "targets-1-floor": "60",
            "targets-1-stretch": "80",
            "targets-1-unit": "share",
        }
    )
    response = client_for(users["department_staff"]).post(reverse("programs:plan_create"), data)
    assert response.status_code == 200 and Plan.objects.count() == SHIPPED_PLANS
    formset = response.context["formset"]
    assert not formset.non_form_errors() and not formset.forms[0].errors
    message = "Chỉ tiêu T2 năm mốc 2030 đã có ở một dòng trên."
    assert formset.forms[1].errors == {"milestone_year": [message]}
    # On the repeated row, and in the summary above the form as a link to that row's field.
    assert response.text.count(message) == 2
    assert 'href="#id_targets-1-milestone_year">Dòng 2, ' in response.text


def test_a_percentage_finer_than_the_stored_share_is_refused(users, client_for) -> None:
    data = _plan_data(**{"targets-0-floor": "12,345"})  # Vietnamese: twelve and a bit
    response = client_for(users["department_staff"]).post(reverse("programs:plan_create"), data)
    assert response.status_code == 200 and Plan.objects.count() == SHIPPED_PLANS
    assert response.context["formset"].forms[0].errors == {
        "floor": ["Nhập tỷ lệ phần trăm với tối đa hai chữ số thập phân."]
    }
    assert 'value="12,345"' in response.text
