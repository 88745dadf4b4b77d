"""The report as an issued document: its heading, recipients and signer come from the audience's
settings (edited by department admins), its period is calendar or cut as Decree 09/2019 says,
officials request the report of their own body, and a scheduled report is mailed to them."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from portal.models import Role
from programs.models import Plan
from reporting import builders, services
from reporting.forms import ReportSettingsForm
from reporting.models import SHIPPED_SETTINGS, PeriodBasis, ReportRun, ReportSettings, lines
from tests.factories import UserFactory
from tests.reporting.conftest import need


def _plan() -> Plan:
    return Plan.objects.get(end_year=2020)


def _pdf_text(run: ReportRun) -> str:
    """The PDF's text with its runs of spaces and line breaks made single spaces."""
    text = subprocess.run(
        [need("pdftotext"), run.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def _generated(**request) -> ReportRun:
    run, created = services.request_report(_plan(), **request)
    assert created
    return services.generate(run.pk)


def _settings_payload(**changes: str) -> dict[str, str]:
    return {
        **SHIPPED_SETTINGS["province"],
        "signer_name": "Nguyễn Văn Minh",
        **changes,
    }


def test_the_pdf_prints_the_signer_title_and_name_from_the_audience_settings(db) -> None:
    ReportSettings.objects.filter(audience="province").update(
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn Minh"
    )
    text = _pdf_text(_generated(year=2020, quarter=4, audience="province"))
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    assert "Nguyễn Văn Minh" in text


def test_the_director_who_signs_is_not_among_the_recipients_of_the_pdf(db) -> None:
    text = _pdf_text(_generated(year=2020, quarter=4, audience="province"))
    assert "Nơi nhận: - Như trên; - Bộ Công Thương (để báo cáo);" in text
    assert "Giám đốc Sở" not in text


def test_the_archive_line_ends_the_recipients_with_a_full_stop_not_a_semicolon(db) -> None:
    text = _pdf_text(_generated(year=2020, quarter=4, audience="ministry"))
    assert "- Lưu: VT, KTAT." in text
    assert "KTAT;" not in text


def test_the_pdf_heading_reads_the_audience_settings(db) -> None:
    ReportSettings.objects.filter(audience="ministry").update(
        issuing_body="UBND TỈNH NGHỆ AN\nSỞ CÔNG THƯƠNG", symbol="SCT-KTAT", place="Vinh"
    )
    text = _pdf_text(_generated(year=2020, quarter=4, audience="ministry"))
    assert "/BC-SCT-KTAT" in text and "Vinh, ngày" in text
    assert "Kính gửi: Bộ Công Thương (Vụ Tiết kiệm năng lượng và Phát triển bền vững)" in text


def test_the_summary_says_what_each_numerator_and_denominator_count(db) -> None:
    snapshot = builders.build(_plan(), year=2020, quarter=4, audience="province")
    labels = {row.code: row.parts_label for row in snapshot.summary}
    assert labels["T1"] == labels["T2"] == labels["T4"] == "Số cơ sở / tổng"
    assert labels["T5"] == "Số cán bộ / tổng"
    # T3 counts what the engine's T3 figure counts (builders.parts_label follows it).
    assert labels["T3"].startswith("Số cơ sở đạt") and labels["T3"] != labels["T1"]
    assert labels["A3"] == ""


def test_a_decree_09_report_runs_from_the_15th_to_the_14th_and_its_pdf_says_so(db) -> None:
    run = _generated(year=2020, quarter=1, audience="province", basis=PeriodBasis.DECREE_09)
    assert run.basis == PeriodBasis.DECREE_09
    assert run.as_of == datetime.date(2020, 3, 14)
    assert run.period_bounds == (datetime.date(2019, 12, 15), datetime.date(2020, 3, 14))
    text = _pdf_text(run)
    assert "Số liệu từ 15/12/2019 đến 14/03/2020 (kỳ báo cáo theo Nghị định 09/2019/NĐ-CP)" in text
    assert "số liệu tính đến hết ngày 14/03/2020" in text


def test_a_decree_09_year_runs_from_15_december_to_14_december(db) -> None:
    run, _created = services.request_report(
        _plan(), year=2020, quarter=0, audience="ministry", basis=PeriodBasis.DECREE_09
    )
    assert run.as_of == datetime.date(2020, 12, 14)
    assert run.period_bounds == (datetime.date(2019, 12, 15), datetime.date(2020, 12, 14))


def test_a_calendar_and_a_decree_09_report_of_the_same_quarter_are_two_reports(db) -> None:
    calendar, _created = services.request_report(_plan(), year=2020, quarter=1, audience="province")
    decree, created = services.request_report(
        _plan(), year=2020, quarter=1, audience="province", basis=PeriodBasis.DECREE_09
    )
    assert created and decree.pk != calendar.pk and decree.version == 1
    assert calendar.as_of == datetime.date(2020, 3, 31)
    assert "Nghị định 09/2019" in decree.period_label
    assert "Nghị định" not in calendar.period_label
    assert decree.filename("pdf") != calendar.filename("pdf")
    # Same plan, quarter, audience and as-of date, other cut-off: still two reports.
    same_day, created = services.request_report(
        _plan(), year=2020, quarter=1, audience="province", as_of=decree.as_of
    )
    assert created and list(ReportRun.objects.same_report(same_day)) == [same_day]


def test_staff_choose_the_decree_09_cut_off_on_the_request_form(users, client_for) -> None:
    response = client_for(users["department_staff"]).post(
        reverse("reporting:run_create"),
        {
            "plan": _plan().pk,
            "year": "2020",
            "quarter": "2",
            "basis": "decree09",
            "audience": "ministry",
        },
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert (run.basis, run.as_of) == ("decree09", datetime.date(2020, 6, 14))


def test_an_official_requests_the_report_for_their_body_and_is_refused_the_other(
    users, client_for
) -> None:
    official = users["official"]  # of the Provincial People's Committee
    client = client_for(official)
    payload = {"plan": _plan().pk, "year": "2020", "quarter": "4", "basis": "calendar"}
    refused = client.post(reverse("reporting:run_create"), {**payload, "audience": "ministry"})
    assert refused.status_code == 400 and not ReportRun.objects.exists()
    accepted = client.post(reverse("reporting:run_create"), {**payload, "audience": "province"})
    run = ReportRun.objects.get()
    assert accepted.status_code == 302
    assert (run.audience, run.requested_by) == ("province", official)

    ministry_official = UserFactory.for_role(Role.OFFICIAL, official_body="moit")
    response = client_for(ministry_official).post(
        reverse("reporting:run_create"), {**payload, "audience": "ministry"}
    )
    assert response.status_code == 302
    assert ReportRun.objects.get(audience="ministry").requested_by == ministry_official


def test_an_official_reads_the_archive_of_their_own_body_only(users, client_for) -> None:
    province, _ = services.request_report(_plan(), year=2020, quarter=4, audience="province")
    ministry, _ = services.request_report(_plan(), year=2020, quarter=4, audience="ministry")
    client = client_for(users["official"])
    page = client.get(reverse("reporting:run_list"))
    assert list(page.context["page"].object_list) == [province]
    form = page.context["form"]
    assert [value for value, _label in form.fields["audience"].choices] == ["province"]
    assert client.get(reverse("reporting:run_detail", args=[ministry.pk])).status_code == 404
    assert client.get(reverse("reporting:run_detail", args=[province.pk])).status_code == 200
    staff = client_for(users["department_staff"]).get(reverse("reporting:run_list"))
    assert len(staff.context["page"].object_list) == 2


def test_a_report_whose_file_is_missing_is_a_404_and_an_error_in_the_log(
    users, client_for, caplog
) -> None:
    run = _generated(year=2020, quarter=4, audience="province")
    url = reverse("reporting:run_download", args=[run.pk, "pdf"])
    client = client_for(users["department_staff"])
    assert client.get(url).status_code == 200
    run.pdf.storage.delete(run.pdf.name)  # a database restored without its media
    assert client.get(url).status_code == 404
    assert "Stored file missing" in caplog.text


def test_the_settings_page_refuses_anyone_but_a_department_admin(users, client_for) -> None:
    url = reverse("reporting:settings_edit", args=["province"])
    for actor in ("department_staff", "official", "agency_officer", "facility_manager"):
        assert client_for(users[actor]).post(url, _settings_payload()).status_code == 403
    assert ReportSettings.objects.get(audience="province").signer_name == ""


def test_a_department_admin_saves_the_settings_with_a_message_and_a_history_entry(
    users, client_for
) -> None:
    client = client_for(users["department_admin"])
    url = reverse("reporting:settings_edit", args=["ministry"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _settings_payload(
            copies_to="Như trên;\nUBND tỉnh Nghệ An (để báo cáo);\nGiám đốc Sở (để báo cáo)",
            archive="Lưu: VT, KTAT;",
            signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
            symbol="bc-sct",
        ),
    )
    assert response.status_code == 302
    saved = ReportSettings.objects.get(audience="ministry")
    assert lines(saved.copies_to) == [
        "Như trên",
        "UBND tỉnh Nghệ An (để báo cáo)",
        "Giám đốc Sở (để báo cáo)",  # a deputy signs: the Director is informed
    ]
    assert (saved.archive, saved.symbol, saved.signer_name) == (
        "VT, KTAT",
        "SCT",
        "Nguyễn Văn Minh",
    )
    assert saved.history.first().history_user == users["department_admin"]
    assert any("Đã lưu thể thức báo cáo" in str(m) for m in get_messages(response.wsgi_request))


def test_the_settings_page_refuses_the_signer_among_the_recipients_and_a_missing_name(
    users, client_for
) -> None:
    client = client_for(users["department_admin"])
    url = reverse("reporting:settings_edit", args=["province"])
    response = client.post(
        url,
        _settings_payload(copies_to="Như trên\nGiám đốc Sở (để biết)", signer_name=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "người ký văn bản không ghi trong nơi nhận" in errors["copies_to"][0]
    assert "signer_name" in errors
    assert (
        ReportSettings.objects.get(audience="province").copies_to
        == (SHIPPED_SETTINGS["province"]["copies_to"])
    )


@pytest.mark.parametrize("audience", ["province", "ministry"])
def test_the_shipped_settings_are_valid_once_the_signer_is_named(db, audience) -> None:
    shipped = ReportSettings.objects.get(audience=audience)
    form = ReportSettingsForm(
        {**SHIPPED_SETTINGS[audience], "signer_name": "Nguyễn Văn Minh"}, instance=shipped
    )
    assert form.is_valid(), form.errors
    assert "Giám đốc Sở" not in shipped.copies_to


def test_the_department_admin_does_not_name_another_bodys_director_as_the_signer(db) -> None:
    form = ReportSettingsForm(
        _settings_payload(copies_to="Như trên\nGiám đốc Sở Tài chính (để phối hợp)")
    )
    assert form.is_valid(), form.errors


def test_a_scheduled_report_mails_the_officials_of_its_audience_with_links_to_it(
    db, settings, django_capture_on_commit_callbacks
) -> None:
    if settings.CELERY_BROKER_URL:
        pytest.skip("mail goes through the real worker in this configuration")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_URL = "https://sxsh.example.gov.vn"
    UserFactory.for_role(Role.OFFICIAL, email="vu@moit.gov.vn", official_body="moit")
    UserFactory.for_role(Role.OFFICIAL, email="lanhdao@moit.gov.vn", official_body="moit")
    UserFactory.for_role(
        Role.OFFICIAL, email="cu@moit.gov.vn", official_body="moit", is_active=False
    )
    UserFactory.for_role(Role.OFFICIAL, email="", official_body="moit")
    UserFactory.for_role(Role.OFFICIAL, email="ubnd@nghean.gov.vn", official_body="ppc")
    UserFactory.for_role(Role.DEPARTMENT_STAFF, email="canbo@sct.gov.vn")

    requested, _created = services.request_report(
        _plan(), year=2020, quarter=4, audience="ministry"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.generate(requested.pk)
    assert mail.outbox == []  # a report someone asked for is theirs to read: no mail

    run, _created = services.request_report(
        _plan(), year=2020, quarter=0, audience="ministry", trigger=ReportRun.Trigger.SCHEDULE
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.generate(run.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["lanhdao@moit.gov.vn", "vu@moit.gov.vn"]
    assert "Năm 2020" in message.subject
    for name, args in (
        ("reporting:run_detail", [run.pk]),
        ("reporting:run_download", [run.pk, "pdf"]),
        ("reporting:run_download", [run.pk, "xlsx"]),
    ):
        assert f"https://sxsh.example.gov.vn{reverse(name, args=args)}" in message.body
    run.refresh_from_db()
    assert run.notified_at is not None


@pytest.mark.parametrize(
    "changes",
    [
        {"symbol": "BC-"},
        {"symbol": "SCT/KTAT"},
        {"copies_to": ";\n;\n"},
        {"signer_title": " \n "},
        {"issuing_body": "SỞ\x00CÔNG THƯƠNG"},
        {"archive": "Lưu:"},
        {"signer_name": "x" * 500},
    ],
)
def test_hostile_settings_come_back_with_their_errors_and_change_nothing(
    users, client_for, changes
) -> None:
    url = reverse("reporting:settings_edit", args=["province"])
    response = client_for(users["department_admin"]).post(url, _settings_payload(**changes))
    assert response.status_code == 400 and response.context["form"].errors
    assert ReportSettings.objects.get(audience="province").signer_name == ""
