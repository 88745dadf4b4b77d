"""The quarterly and annual reports: figures equal to the engine's, in a PDF and a workbook that
open and read right, generated once, and delivered to the right people."""

from __future__ import annotations

import csv
import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from portal.lib.numbers import shown_percent
from portal.models import Role
from programs.models import Plan
from reporting import document, indicators, pdf, services, tasks
from reporting.excel import sheet_names
from reporting.models import ReportRun
from reporting.snapshot import TEXT, Column, Table
from tests.factories import UserFactory
from tests.reporting.conftest import need

Q4_2020 = {"year": 2020, "quarter": 4}


def _plan() -> Plan:
    return Plan.objects.get(end_year=2020)


def _generated(audience: str = "province", **period) -> ReportRun:
    run, created = services.request_report(_plan(), audience=audience, **(period or Q4_2020))
    assert created
    return services.generate(run.pk)


def _percent(value: Decimal) -> str:
    with translation.override("vi"):
        return document.cell(value, "ratio")


def test_the_pdf_carries_title_audience_and_every_figure_as_the_engine_computed_it(
    demo_data, tmp_path
) -> None:
    pdftotext = need("pdftotext")
    run = _generated("province")
    assert run.status == ReportRun.Status.DONE and run.pdf_pages > 5
    text = subprocess.run(
        [pdftotext, "-layout", run.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BÁO CÁO" in text and "quý IV năm 2020" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Nghệ An" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "PHỤ LỤC II" in text and "DANH SÁCH CƠ SỞ" in text
    figures = indicators.compute(_plan(), as_of=datetime.date(2020, 12, 31))
    for code in ("T1", "T2", "T3", "T4", "T5"):
        assert _percent(figures[code].value) in text, code
    for code in ("A1", "A2", "A3", "A4"):
        assert f"{code} " in text
    # Decree 30/2020: the page number at the top centre of every page but the first.
    pages = text.split("\f")
    assert pages[0].split()[0] == "UBND"
    for number, page in enumerate(pages[1 : run.pdf_pages], start=2):
        assert page.split()[0] == str(number), number


def test_the_annex_laid_out_in_parts_reads_page_for_page_as_laid_out_whole(
    demo_data, monkeypatch, tmp_path
) -> None:
    pdftotext = need("pdftotext")
    from reporting import builders

    def text(rendered: pdf.Rendered) -> str:
        path = tmp_path / "report.pdf"
        path.write_bytes(rendered.content)
        return subprocess.run(
            [pdftotext, "-layout", path, "-"], capture_output=True, text=True, check=True
        ).stdout

    with translation.override("vi"):
        snapshot = builders.build(_plan(), **Q4_2020, audience="province")
        whole = pdf.render(snapshot)
        monkeypatch.setattr(pdf, "ANNEX_PART_ROWS", 7)
        in_parts = pdf.render(snapshot)
    rows = len(list(snapshot.table("facilities").rows))
    assert rows > 3 * 7
    assert in_parts.pages == whole.pages
    assert text(in_parts) == text(whole)


def test_the_ministry_gets_its_own_recipient_block_and_a_shorter_annex(demo_data) -> None:
    pdftotext = need("pdftotext")
    province, ministry = _generated("province"), _generated("ministry")
    text = subprocess.run(
        [pdftotext, ministry.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kính gửi: Bộ Công Thương" in text
    assert "DANH SÁCH CƠ SỞ ÁP DỤNG SXSH" in text
    assert ministry.pdf_pages < province.pdf_pages


def test_the_workbook_has_every_sheet_with_the_engine_figures(demo_data) -> None:
    run = _generated("province")
    workbook = load_workbook(run.xlsx.path)
    names = sheet_names()
    # Awards carry only their year, and the measures' savings are the year's: a quarter's
    # report has no sheet for them.
    annual_only = ("awards", "programme_savings", "emission_factors")
    assert workbook.sheetnames == [name for key, name in names.items() if key not in annual_only]
    plan, day = _plan(), datetime.date(2020, 12, 31)
    figures = indicators.compute(plan, as_of=day)

    summary = workbook[names["summary"]]
    rows = {row[0]: row for row in summary.iter_rows(min_row=6, values_only=True) if row[0]}
    for code, figure in figures.items():
        # The rounded figure every output prints (a share as a ratio of its shown percent).
        shown = figure.shown if figure.is_count else figure.shown / 100
        assert rows[code][2] == pytest.approx(float(shown)), code
    assert summary.freeze_panes == "A6" and summary.auto_filter.ref == "A5:I14"
    assert len(summary._charts) == 2  # native Excel charts (openpyxl reads them back)

    by_area = workbook[names["by_area"]]
    engine = {g.label: g for g in indicators.compute_by(plan, as_of=day, by="area")}
    read = list(by_area.iter_rows(min_row=2, values_only=True))
    assert len(read) == len(engine)
    for label, count, _aware, t1, *_rest in read:
        assert count == engine[label].figures["T1"].denominator
        value = engine[label].figures["T1"].value or 0
        assert t1 == pytest.approx(float(shown_percent(value) / 100))
        assert by_area.cell(2, 4).number_format == "0.0%"

    facilities = workbook[names["facilities"]]
    annex = [row for row in facilities.iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(annex) == figures["T1"].denominator
    assert facilities.freeze_panes == "A2"


def test_libreoffice_opens_every_sheet_of_the_workbook(demo_data, tmp_path) -> None:
    soffice = need("soffice")
    run = _generated("ministry", year=2020, quarter=0)
    # Filter options: comma, quote, UTF-8, ..., sheet -1 = every sheet into its own file.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            options,
            "--outdir",
            str(tmp_path),
            run.xlsx.path,
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    written = sorted(tmp_path.glob("*.csv"))
    assert len(written) == len(sheet_names()) - 1  # the ministry report has no area sheet
    summary = next(path for path in written if path.stem.endswith("Tổng hợp"))
    with summary.open(encoding="utf-8") as file:
        rows = {row[0]: row for row in csv.reader(file) if row}
    figures = indicators.compute(_plan(), as_of=datetime.date(2020, 12, 31))
    assert rows["A3"][2] == str(int(figures["A3"].value))
    assert rows["T1"][1] == "Cơ sở được tuyên truyền, phổ biến và nhận thức được lợi ích của SXSH"


def test_a_report_is_generated_once_and_a_new_version_only_when_asked(db) -> None:
    run, created = services.request_report(_plan(), audience="province", **Q4_2020)
    again, created_again = services.request_report(_plan(), audience="province", **Q4_2020)
    assert created and not created_again and again.pk == run.pk
    newer, created_newer = services.request_report(
        _plan(), audience="province", new_version=True, **Q4_2020
    )
    assert created_newer and newer.version == 2
    other_day, created_other = services.request_report(
        _plan(), audience="province", as_of=datetime.date(2021, 1, 15), **Q4_2020
    )
    assert created_other and other_day.version == 1


def test_a_redelivered_task_leaves_a_done_report_as_it_was(db) -> None:
    run = _generated("province")
    checksum, name = run.pdf_sha256, run.pdf.name
    assert tasks.generate_report.run(run.pk) == ReportRun.Status.DONE
    run.refresh_from_db()
    assert (run.attempts, run.pdf_sha256, run.pdf.name) == (1, checksum, name)
    assert ReportRun.objects.count() == 1


def test_files_appear_only_complete_and_their_checksums_match(db) -> None:
    import hashlib

    run = _generated("ministry")
    for field in ("pdf", "xlsx"):
        content = Path(getattr(run, field).path).read_bytes()
        assert hashlib.sha256(content).hexdigest() == getattr(run, f"{field}_sha256")
        assert len(content) == getattr(run, f"{field}_size")
    assert not list(Path(run.pdf.path).parent.glob("*.part"))
    assert Path(run.pdf.path).read_bytes().startswith(b"%PDF")


def test_a_failing_report_is_marked_failed_with_its_error_and_not_retried(db, monkeypatch) -> None:
    run, _created = services.request_report(_plan(), audience="province", **Q4_2020)

    def broken(snapshot):
        raise ValueError("hỏng mẫu báo cáo")

    monkeypatch.setattr(pdf, "render", broken)
    assert tasks.generate_report.run(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "hỏng mẫu báo cáo" in run.error
    assert run.attempts == 1
    # Asking again after a failure queues a new version rather than returning the failed one.
    retry, created = services.request_report(_plan(), audience="province", **Q4_2020)
    assert created and retry.version == 2


def test_the_pdf_renderer_fetches_nothing_but_the_portals_static_files() -> None:
    fetcher = pdf.PortalStaticFetcher()
    for url in (
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        f"{pdf.STATIC_DIR.as_uri()}/../manage.py",
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)
    font = pdf.STATIC_DIR / "fonts" / "liberation-serif-2.1.5" / "LiberationSerif-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read(4) == b"\x00\x01\x00\x00"


def test_a_hostile_html_in_a_facility_name_reaches_the_pdf_as_text(db) -> None:
    from tests.factories import FacilityFactory

    FacilityFactory(name='<img src="file:///etc/passwd"> Cơ sở <b>đậm</b>')
    run = _generated("province")
    assert run.status == ReportRun.Status.DONE


def test_scheduled_runs_cover_the_quarter_just_ended_and_the_year_in_january(db) -> None:
    runs = services.generate_scheduled(today=datetime.date(2021, 1, 5))
    assert sorted((r.year, r.quarter, r.audience) for r in runs) == [
        (2020, 0, "ministry"),
        (2020, 0, "province"),
        (2020, 4, "ministry"),
        (2020, 4, "province"),
    ]
    assert {run.trigger for run in runs} == {ReportRun.Trigger.SCHEDULE}
    assert services.generate_scheduled(today=datetime.date(2026, 11, 28)) == []


def test_the_beat_task_reads_today_in_hanoi_when_beat_gives_no_date(db) -> None:
    # Beat calls the task with no arguments; this runs that path in-process on every stage.
    Plan.objects.update(status=Plan.Status.DRAFT)  # nothing to generate, only the date to read
    assert tasks.generate_scheduled_reports.run() == []


def test_officials_are_mailed_a_link_when_a_scheduled_report_is_ready(
    db, settings, django_capture_on_commit_callbacks
) -> None:
    if settings.CELERY_BROKER_URL:
        pytest.skip("mail goes through the real worker in this configuration")
    UserFactory.for_role(Role.OFFICIAL, email="ubnd@nghean.gov.vn", official_body="ppc")
    UserFactory.for_role(Role.OFFICIAL, email="bo@moit.gov.vn", official_body="moit")
    run, _created = services.request_report(
        _plan(), audience="province", trigger=ReportRun.Trigger.SCHEDULE, **Q4_2020
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.generate(run.pk)
    assert [message.to for message in mail.outbox] == [["ubnd@nghean.gov.vn"]]
    assert reverse("reporting:run_detail", args=[run.pk]) in mail.outbox[0].body
    # Done once, mailed once: a redelivered task sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.generate(run.pk)
    assert len(mail.outbox) == 1


def test_stalled_runs_are_queued_again(db, settings) -> None:
    run, _created = services.request_report(_plan(), audience="province", **Q4_2020)
    later = run.created_at + datetime.timedelta(minutes=11)
    assert services.requeue_stalled(now=later) == [run.pk]
    assert services.requeue_stalled(now=run.created_at) == []


def test_the_beat_entries_are_created_once_and_left_to_staff(db) -> None:
    first = services.ensure_report_schedules()
    first[0].enabled = False
    first[0].save()
    again = services.ensure_report_schedules()
    assert [p.pk for p in first] == [p.pk for p in again]
    assert PeriodicTask.objects.get(pk=first[0].pk).enabled is False
    assert again[0].crontab.day_of_month == "5"


def test_generate_report_command_prints_the_files_it_wrote(db, tmp_path, capsys) -> None:
    call_command(
        "generate_report", period="2020-Q4", audience="ministry", output=tmp_path, format="both"
    )
    printed = capsys.readouterr().out
    assert str(tmp_path / "bao-cao-sxsh-2020-Q4-ministry.pdf") in printed
    assert (tmp_path / "bao-cao-sxsh-2020-Q4-ministry.xlsx").stat().st_size > 1000


def test_generate_report_command_refuses_a_bad_period(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2020-Q4"):
        call_command("generate_report", period="2020-Q7", audience="province")


def test_a_long_annex_is_cut_in_the_pdf_and_whole_in_the_workbook(db, monkeypatch) -> None:
    from tests.factories import FacilityFactory

    for number in range(3):
        FacilityFactory(name=f"Cơ sở số {number}")
    monkeypatch.setattr(document, "ANNEX_LIMIT", 2)
    with translation.override("vi"):
        from reporting import builders

        snapshot = builders.build(_plan(), year=2026, quarter=3, audience="province")
        annex = document.formatted(snapshot.table("facilities"), limit=document.ANNEX_LIMIT)
    assert len(list(annex["rows"])) == 2
    assert "danh sách đủ 3 cơ sở" in annex["note"]
    assert len(list(snapshot.table("facilities").rows)) == 3


def test_a_request_outside_the_plan_is_refused_on_the_archive_page_keeping_what_was_typed(
    users, client_for
) -> None:
    plan = Plan.objects.get(end_year=2020)
    response = client_for(users["department_staff"]).post(
        reverse("reporting:run_create"),
        {"plan": plan.pk, "year": "2031", "quarter": "2", "audience": "ministry"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Năm phải nằm trong thời gian của kế hoạch (2016–2020)." in page
    assert 'value="2031"' in page
    assert not ReportRun.objects.exists()


def test_a_report_whose_data_date_is_before_its_period_is_refused(db) -> None:
    with pytest.raises(ValidationError, match="trước ngày đầu kỳ"):
        services.request_report(
            _plan(), year=2020, quarter=4, audience="province", as_of=datetime.date(2020, 9, 30)
        )
    assert not ReportRun.objects.exists()


def test_a_long_activity_list_is_cut_in_the_printed_report_with_its_note() -> None:
    table = Table(
        key="assessments",
        title="Đánh giá",
        columns=[Column("Cơ sở", TEXT, 10)],
        rows=[[f"Cơ sở {number}"] for number in range(5)],
        note="Theo ngày hoàn thành.",
    )
    with translation.override("vi"):
        cut = document.formatted(table, limit=3)
        whole = document.formatted(table, limit=5)
    assert len(list(cut["rows"])) == 3
    assert cut["note"] == (
        "Theo ngày hoàn thành. Bản in liệt kê 3 dòng đầu tiên; danh sách đủ 5 dòng có trong tệp "
        "Excel của báo cáo."
    )
    assert len(list(whole["rows"])) == 5 and whole["note"] == "Theo ngày hoàn thành."
