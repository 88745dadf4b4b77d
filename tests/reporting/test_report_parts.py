"""The report as a Department's báo cáo: five parts, the written ones drafted by the portal from
the figures and edited by staff before issuing, in the PDF and in an editable Word file."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from docx import Document

from programs.models import Agency, AgencyTask, Plan
from reporting import builders, document, drafting, issuing, pdf, services
from reporting.models import ReportRun
from reporting.snapshot import SECTION_KEYS, LateTask, SummaryRow
from tests.reporting.conftest import need

HEADINGS = (
    "I. TÌNH HÌNH TRIỂN KHAI (CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH)",
    "II. KẾT QUẢ THỰC HIỆN",
    "III. ĐÁNH GIÁ CHUNG",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "V. KIẾN NGHỊ, ĐỀ XUẤT",
)
STAFF_TEXT = "Nguyên nhân chính là giá than tăng và mưa lũ kéo dài trong tháng 10."


def _plan() -> Plan:
    return Plan.objects.get(end_year=2020)


def _generated(quarter: int = 4) -> ReportRun:
    run, _created = services.request_report(
        _plan(), year=2020, quarter=quarter, audience="province"
    )
    return services.generate(run.pk)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pdf_text(path: str) -> str:
    return _one_line(
        subprocess.run(
            [need("pdftotext"), path, "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def _docx_text(path: str) -> str:
    word = Document(path)
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return _one_line(" ".join([p.text for p in word.paragraphs] + cells))


@pytest.mark.parametrize("quarter", [4, 0], ids=["q4", "year"])
def test_the_pdf_and_the_word_file_carry_the_five_parts_the_staff_text_and_the_drafts(
    quarter, users, tmp_path
) -> None:
    run = _generated(quarter)
    run = issuing.revise_texts(run, by=users["department_staff"], texts={"causes": STAFF_TEXT})
    assert run.texts["causes"] == STAFF_TEXT and run.texts["achievements"] == ""
    draft = run.drafts["shortcomings"].splitlines()[0]
    assert draft  # the portal's draft, printed where staff wrote nothing

    pdf_text = _pdf_text(run.pdf.path)
    docx_text = _docx_text(run.docx.path)
    period = "quý IV năm 2020" if quarter else "năm 2020"
    for text in (pdf_text, docx_text):
        for heading in HEADINGS:
            assert heading in text, heading
        assert STAFF_TEXT in text
        assert draft in text
        assert (
            f"Trên đây là báo cáo kết quả triển khai {period} của Sở Công Thương Nghệ An, kính "
            "báo cáo Ủy ban nhân dân tỉnh Nghệ An xem xét, chỉ đạo./."
        ) in text
    # Word opens it: LibreOffice reads the file back into a PDF with the same parts.
    subprocess.run(
        [need("soffice"), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [run.docx.path],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (converted,) = tmp_path.glob("*.pdf")
    assert HEADINGS[-1] in _pdf_text(str(converted))


def test_the_drafts_say_what_the_figures_say_with_their_numbers(db) -> None:
    with translation.override("vi"):
        snapshot = builders.build(_plan(), year=2020, quarter=4, audience="province")
        snapshot = dataclasses.replace(
            snapshot,
            summary=[
                _row("T2", "Cơ sở áp dụng SXSH", "not_met", Decimal(18) / 270, 18, 270),
                _row("T4", "Cơ sở có bộ phận chuyên trách về SXSH", "met", Decimal(86) / 270, 86),
            ],
            late_tasks=[
                LateTask(
                    "Sở Tư pháp", "Phổ biến văn bản pháp luật", datetime.date(2020, 12, 15), 35
                )
            ],
            reporting=(270, 34, 29),
        )
        drafts = drafting.draft(snapshot)
    assert drafts["achievements"] == (
        "- T4 – Cơ sở có bộ phận chuyên trách về SXSH: 31,9% (86/270), mục tiêu 25–50%: đạt."
    )
    shortcomings = drafts["shortcomings"].splitlines()
    assert (
        shortcomings[0] == "- T2 – Cơ sở áp dụng SXSH: 6,7% (18/270), mục tiêu 25–50%: không đạt."
    )
    assert shortcomings[1] == (
        "- 1 nhiệm vụ của cơ quan phối hợp quá hạn chưa hoàn thành: Sở Tư pháp: Phổ biến văn "
        "bản pháp luật (hạn 15/12/2020, tiến độ 35%)."
    )
    assert shortcomings[2] == (
        "- 34/270 cơ sở đã nộp báo cáo định kỳ của kỳ (12,6%), trong đó 29 cơ sở nộp đúng hạn."
    )
    assert "236 cơ sở chưa nộp báo cáo định kỳ" in drafts["causes"]
    # The year of T2's target is over: the next steps carry it into the next plan.
    assert "T2 (Cơ sở áp dụng SXSH), chưa đạt mục tiêu 25–50%" in drafts["next_steps"]
    # Addressed to the recipients, not an instruction to agencies and facilities.
    assert drafts["proposals"].startswith("Đề nghị Ủy ban nhân dân tỉnh Nghệ An")


def _row(code, name, status, value, numerator, denominator=270) -> SummaryRow:
    return SummaryRow(
        code=code,
        name=name,
        kind="ratio",
        value=value,
        numerator=numerator,
        denominator=denominator,
        floor=Decimal("0.25"),
        stretch=Decimal("0.50"),
        milestone_year=2020,
        status=status,
        status_label={"met": "Đạt", "not_met": "Không đạt"}[status],
    )


def test_a_late_agency_task_is_drafted_from_the_plan(db) -> None:
    agency = Agency.objects.create(name="Sở Tư pháp")
    plan = _plan()
    AgencyTask.objects.create(
        plan=plan, agency=agency, title="Phổ biến pháp luật", due_on=datetime.date(2020, 6, 30)
    )
    AgencyTask.objects.create(
        plan=plan,
        agency=agency,
        title="Đã xong",
        due_on=datetime.date(2020, 6, 30),
        status=AgencyTask.Status.DONE,
    )
    with translation.override("vi"):
        snapshot = builders.build(plan, year=2020, quarter=4, audience="province")
    assert [task.title for task in snapshot.late_tasks] == ["Phổ biến pháp luật"]
    assert "Sở Tư pháp: Phổ biến pháp luật (hạn 30/06/2020" in snapshot.sections["shortcomings"]


def test_staff_edit_the_parts_on_the_run_page_and_both_files_are_printed_again(
    users, client_for
) -> None:
    run = _generated()
    old_pdf, old_docx = run.pdf_sha256, run.docx_sha256
    page = client_for(users["department_staff"]).get(reverse("reporting:run_detail", args=[run.pk]))
    assert page.status_code == 200
    # The form shows the drafts; posting them back unchanged keeps them drafts.
    form = page.context["texts_form"]
    data = {key: form[key].value() for key in SECTION_KEYS}
    assert data["achievements"] == run.drafts["achievements"]
    data["proposals"] = "Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí khuyến công năm 2021."
    response = client_for(users["department_staff"]).post(
        reverse("reporting:run_texts", args=[run.pk]), data
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.texts["proposals"].startswith("Đề nghị Ủy ban nhân dân tỉnh bố trí")
    assert {key for key, text in run.texts.items() if text} == {"proposals"}
    assert run.pdf_sha256 != old_pdf and run.docx_sha256 != old_docx
    assert "bố trí kinh phí khuyến công năm 2021" in _pdf_text(run.pdf.path)
    # A new version keeps what staff wrote.
    again, _created = services.request_report(
        _plan(), year=2020, quarter=4, audience="province", new_version=True
    )
    assert again.texts == run.texts


def test_only_department_staff_edit_the_parts_and_never_after_issuing(users, client_for) -> None:
    run = _generated()
    url = reverse("reporting:run_texts", args=[run.pk])
    for role in ("facility_manager", "official", "agency_officer"):
        if role in users:
            assert client_for(users[role]).post(url, {"causes": "x"}).status_code == 403
    too_long = client_for(users["department_staff"]).post(url, {"causes": "x" * 10001})
    assert too_long.status_code == 400
    assert "x" * 10001 in too_long.content.decode()  # what was typed is kept
    issuing.issue_report(
        run,
        by=users["department_staff"],
        number="12",
        issued_on=datetime.date(2021, 1, 10),
        signer_name="Nguyễn Văn A",
    )
    with pytest.raises(ValidationError, match="đã ban hành"):
        issuing.revise_texts(run, by=users["department_staff"], texts={"causes": STAFF_TEXT})


def test_the_heading_and_annex_follow_decree_30_until_and_after_issuing(users) -> None:
    run = _generated()
    text = _pdf_text(run.pdf.path)
    assert "Nghệ An, ngày … tháng … năm …" in text
    subject = (
        "Kết quả triển khai Kế hoạch thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp "
        "tỉnh Nghệ An đến năm 2020 quý IV năm 2020"
    )
    assert subject in text and "thực hiện Kế hoạch thực hiện" not in text
    assert text.count("(Kèm theo Báo cáo số …/BC-SCT ngày … của Sở Công Thương Nghệ An)") == 2
    assert "Kết quả so với mục tiêu" in text
    assert "tổng hợp trên Cổng SXSH Nghệ An) như sau:" in text
    issued = issuing.issue_report(
        run,
        by=users["department_staff"],
        number="125",
        issued_on=datetime.date(2021, 1, 15),
        signer_name="Nguyễn Văn A",
    )
    for text in (_pdf_text(issued.pdf.path), _docx_text(issued.docx.path)):
        assert "Nghệ An, ngày 15 tháng 01 năm 2021" in text
        assert "(Kèm theo Báo cáo số 125/BC-SCT ngày 15/01/2021 của Sở Công Thương Nghệ An)" in text


def test_the_opening_cites_the_plan_by_its_number_and_ends_nhu_sau(db) -> None:
    plan = _plan()
    plan.decision_number = "25/KH-UBND"
    plan.decision_date = datetime.date(2016, 1, 19)
    plan.save()
    with translation.override("vi"):
        snapshot = builders.build(plan, year=2020, quarter=4, audience="province")
        opening = document.opening(snapshot)
    assert opening.startswith(
        "Thực hiện Kế hoạch số 25/KH-UBND ngày 19/01/2016 của UBND tỉnh Nghệ An (Kế hoạch thực "
        "hiện Chiến lược"
    )
    assert opening.endswith("như sau:")


def test_status_is_printed_in_black_words_not_colours(db) -> None:
    with translation.override("vi"):
        snapshot = builders.build(_plan(), year=2020, quarter=4, audience="province")
        html = render_to_string("reporting/report_pdf.html", pdf.context(snapshot))
    for colour in ("#198754", "#dc3545", "#0d6efd", "#b02a37", "#fd7e14"):
        assert colour not in html
    assert "color: #" not in html.split("<body>", 1)[1]


def test_the_word_file_numbers_its_pages_at_the_top_from_page_two(users) -> None:
    run = _generated()
    word = Document(run.docx.path)
    first = word.sections[0]
    assert first.different_first_page_header_footer
    assert not "".join(p.text for p in first.first_page_header.paragraphs).strip()
    header = first.header.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in header
    # The annexes: the methods on portrait pages, the facility list on landscape ones.
    assert [s.page_width > s.page_height for s in word.sections] == [False, False, True]
    assert io.BytesIO(run.docx.read()).getvalue()[:2] == b"PK"


def test_the_annual_report_says_what_the_measures_saved_and_a_quarterly_one_does_not(db) -> None:
    from assessments.energy import programme_savings

    with translation.override("vi"):
        annual = builders.build(_plan(), year=2020, quarter=0, audience="province")
        quarterly = builders.build(_plan(), year=2020, quarter=4, audience="province")
    savings = programme_savings(2020, on=datetime.date(2020, 12, 31))
    assert [row[1] for row in annual.table("programme_savings").rows] == [
        savings.vnd_options,
        savings.vnd_measures,
        savings.vnd,
        savings.toe_declared,
        savings.toe_measured,
        savings.tco2e,
        savings.facilities_measured,
    ]
    assert annual.table("programme_savings").note.startswith("Tiết kiệm bằng tiền:")
    assert "programme_savings" not in [table.key for table in quarterly.tables]
