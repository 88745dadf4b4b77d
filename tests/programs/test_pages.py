from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Agency, AgencyTask, Plan, SupportProject, Target

# The plan to 2020 and the draft plan 2021–2030 ship with the migrations.
SHIPPED_PLANS = 2


def _plan() -> Plan:
    return Plan.objects.get(name__startswith="Kế hoạch thực hiện Chiến lược")


def _plan_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Kế hoạch sản xuất và tiêu dùng bền vững đến năm 2030",
        "document_kind": "plan",
        "issued_by": "UBND tỉnh Nghệ An",
        "start_year": "2021",
        "end_year": "2030",
        "status": "active",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-indicator": "T2",
        "targets-0-milestone_year": "2030",
        "targets-0-floor": "50",
        "targets-0-stretch": "70",
        "targets-0-unit": "share",
        "targets-1-indicator": "A3",
        "targets-1-milestone_year": "2030",
        "targets-1-floor": "3",
        "targets-1-stretch": "5",
        "targets-1-unit": "count_per_year",
    }
    return data | changes


def test_the_shipped_plan_has_every_target_band(db) -> None:
    targets = {t.indicator_id: (str(t.floor), str(t.stretch)) for t in _plan().targets.all()}
    assert set(targets) == {"T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4"}
    assert targets["T2"] == ("0.2500", "0.5000")
    assert targets["T3"] == ("0.0500", "0.1300")


def test_staff_add_a_plan_to_2030_with_targets_without_code(users, client_for) -> None:
    client = client_for(users["department_staff"])
    # stretch below floor: refused, nothing saved
    data = _plan_data(**{"targets-1-floor": "5", "targets-1-stretch": "3"})
    response = client.post(reverse("programs:plan_create"), data)
    assert response.status_code == 200
    assert Plan.objects.count() == SHIPPED_PLANS
    data["targets-1-stretch"] = "8"
    response = client.post(reverse("programs:plan_create"), data)
    plan = Plan.objects.get(name=data["name"])
    assert response["Location"] == reverse("programs:plan_detail", args=[plan.pk])
    assert Target.objects.filter(plan=plan).count() == 2


def test_state_support_above_the_budget_is_refused(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    data = {
        "title": "Hỗ trợ áp dụng SXSH ngành gạch",
        "year": "2019",
        "funding": "provincial",
        "status": "approved",
        "budget_vnd": "100000000",
        "state_support_vnd": "150000000",
        "assigned": facilities["own"].tax_code,
    }
    response = client.post(reverse("programs:project_create"), data)
    assert response.status_code == 200 and not SupportProject.objects.exists()
    data["state_support_vnd"] = "50000000"
    client.post(reverse("programs:project_create"), data)
    assert list(SupportProject.objects.get().facilities.all()) == [facilities["own"]]


def test_only_the_tasks_agency_posts_progress_and_late_tasks_are_listed(users, client_for) -> None:
    task = AgencyTask.objects.create(
        plan=_plan(),
        agency=users["agency_officer"].agency,
        title="Tuyên truyền SXSH trên địa bàn huyện",
        due_on=datetime.date(2019, 12, 31),
    )
    AgencyTask.objects.create(
        plan=_plan(),
        agency=Agency.objects.get(code="so-tai-chinh"),
        title="Bố trí kinh phí",
        due_on=datetime.date(2019, 12, 31),
        status="done",
        progress=100,
    )
    url = reverse("programs:task_detail", args=[task.pk])
    outsider = client_for(users["other_district_officer"]).post(
        url, {"text": "Đã xong", "progress": "100"}
    )
    assert outsider.status_code == 403
    officer = client_for(users["agency_officer"])
    upload = SimpleUploadedFile("bien-ban.exe", b"MZ")
    refused = officer.post(
        url, {"text": "Đã tổ chức 2 hội nghị", "progress": "60", "attachment": upload}
    )
    assert refused.status_code == 200 and not task.updates.exists()
    officer.post(url, {"text": "Đã tổ chức 2 hội nghị", "progress": "60"})
    task.refresh_from_db()
    assert (task.progress, task.status) == (60, "in_progress")
    late = client_for(users["official"]).get(reverse("programs:task_list"), {"late": "true"})
    assert [t.pk for t in late.context["page"]] == [task.pk]


def test_a_record_s_page_marks_its_section_in_the_programme_menu(users, client_for) -> None:
    task = AgencyTask.objects.create(
        plan=_plan(),
        agency=users["agency_officer"].agency,
        title="Tuyên truyền SXSH",
        due_on=datetime.date(2019, 12, 31),
    )
    page = client_for(users["department_staff"]).get(
        reverse("programs:task_detail", args=[task.pk])
    )
    html = page.content.decode()
    menu = html[html.index('data-testid="programme-nav"') :]
    menu = menu[: menu.index("</ul>")]
    assert menu.count("active") == 1
    assert f'active" aria-current="page" href="{reverse("programs:task_list")}"' in menu
