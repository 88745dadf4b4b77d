"""The energy pages and files: who sees them, what the list and Form 1.1 say, and that
LibreOffice opens the workbooks.

The figures are those of tests/assessments/test_energy.py's worked example: "own" 1,018.8 TOE
in 2025 (806.88 in 2024: crossed, not flagged in the registry), "other" 1,050 TOE on three
quarters (flagged).
"""

from __future__ import annotations

import datetime
import io
import subprocess  # nosec B404: LibreOffice converts the workbook in a test

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import GhgInventoryListing, SelfReport
from facilities.models import Facility
from tests.assessments.test_energy import report
from tests.reporting.conftest import need

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(facilities: dict[str, Facility]) -> dict[str, Facility]:
    own, other = facilities["own"], facilities["other"]
    Facility.objects.filter(pk=other.pk).update(is_designated_energy_user=True)
    for quarter in range(1, 5):
        report(own, 2024, {"electricity": "400000", "coal": "200"}, quarter=quarter)
    report(own, 2025, {"electricity": "2000000", "coal": "1000", "diesel": "10"}, output="1100")
    report(other, 2024, {"coal": "1500"})
    for quarter in range(1, 4):
        report(other, 2025, {"coal": "500"}, quarter=quarter)
    GhgInventoryListing.objects.create(
        facility=own, decision="13/2024/QĐ-TTg", decided_on=datetime.date(2024, 8, 13)
    )
    return facilities


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_list_page_shows_the_facilities_at_or_above_the_threshold(
    worked, users, client_for
) -> None:
    response = client_for(users["department_staff"]).get(
        reverse("reporting:energy_list"), {"year": 2025}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 cơ sở đạt ngưỡng, tổng 2.068,8 TOE; 1 cơ sở mới đạt ngưỡng" in page
    assert "Mới đạt ngưỡng" in page and "Sổ đăng ký chưa ghi" in page
    assert "Kiểm kê KNK (13/2024/QĐ-TTg)" in page
    assert "quý 1, 2, 3/2025" in page


def test_the_list_page_takes_a_bounded_number_of_queries(
    worked, users, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("reporting:energy_list"), {"year": 2025}).status_code == 200


def test_a_bad_year_is_a_clear_error_not_a_500(worked, users, client_for) -> None:
    client = client_for(users["department_staff"])
    response = client.get(reverse("reporting:energy_list"), {"year": "abc"})
    assert response.status_code == 400
    assert "Vui lòng nhập năm bằng số" in response.content.decode()
    response = client.get(reverse("reporting:energy_list"), {"year": "99999"})
    assert response.status_code == 400
    response = client_for(users["facility_manager"]).get(
        reverse("reporting:energy_form", args=[worked["own"].pk]), {"year": "x"}
    )
    assert response.status_code == 400
    response = client.get(reverse("reporting:energy_list_file", args=["docx"]), {"year": 2025})
    assert response.status_code == 200  # an unknown format shows the page


def test_the_list_workbook_holds_the_rows_the_disagreements_and_the_factors(
    worked, users, client_for
) -> None:
    response = client_for(users["official"]).get(
        reverse("reporting:energy_list_file", args=["xlsx"]), {"year": 2025}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Khác sổ đăng ký", "Chưa đủ số liệu", "Hệ số TOE"]
    rows = _rows(book["Danh sách"])
    assert rows[0][0].startswith("DANH SÁCH CƠ SỞ SỬ DỤNG NĂNG LƯỢNG TRỌNG ĐIỂM NĂM 2025")
    listed = [(r[1], r[6], r[7], r[8], r[9], r[10]) for r in rows[4:6]]
    assert listed == [
        (worked["other"].name, 1050, 1050, None, "Có", None),
        (worked["own"].name, 1018.8, 806.88, "Có", None, "13/2024/QĐ-TTg"),
    ]
    assert rows[6][1] == "Tổng cộng" and rows[6][6] == 2068.8
    disagreements = _rows(book["Khác sổ đăng ký"])
    assert disagreements[4][1] == worked["own"].name
    factors = {r[0]: r for r in _rows(book["Hệ số TOE"])[3:]}
    assert factors["Điện năng"][2] == 0.0001543
    assert "3505/BCT-KHCN" in factors["Điện năng"][3]
    assert factors["Điện năng"][4] is None  # not checked against the original


def test_the_list_pdf_is_a_report_to_the_peoples_committee(worked, users, client_for, tmp_path):
    response = client_for(users["department_admin"]).get(
        reverse("reporting:energy_list_file", args=["pdf"]), {"year": 2025}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    path = tmp_path / "list.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # nosec B603
        [need("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Dự thảo danh sách cơ sở sử dụng năng lượng trọng điểm năm 2025" in text
    assert "Có 2 cơ sở tiêu thụ từ 1.000 TOE trở lên, tổng cộng 2.068,8 TOE" in text
    assert "1.018,8" in text and "806,9" in text
    assert "Nơi nhận:" in text and "Lưu: VT" in text


def test_form_11_is_prefilled_from_the_approved_reports(worked, users, client_for) -> None:
    response = client_for(users["facility_manager"]).get(
        reverse("reporting:energy_form", args=[worked["own"].pk]), {"year": 2025}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    (sheet,) = book.worksheets
    rows = _rows(sheet)
    cells = [value for row in rows for value in row if value is not None]
    assert "BÁO CÁO TÌNH HÌNH SỬ DỤNG NĂNG LƯỢNG NĂM 2025" in cells
    assert worked["own"].name in cells and worked["own"].tax_code in cells
    energy = {row[1]: row for row in rows if row[1] in ("Điện năng", "Than", "Dầu DO")}
    assert energy["Điện năng"][3] == 2000000 and energy["Điện năng"][5] == 308.6
    assert energy["Than"][5] == 700
    (total,) = [row for row in rows if row[1] == "Tổng năng lượng tiêu thụ (TOE)"]
    assert total[5] == 1018.8


def test_a_manager_cannot_reach_another_facilitys_form(worked, users, client_for) -> None:
    client = client_for(users["facility_manager"])
    assert (
        client.get(reverse("reporting:energy_form", args=[worked["other"].pk])).status_code == 404
    )
    assert client.get(reverse("reporting:energy_list")).status_code == 403
    assert client.get(reverse("reporting:energy_form_all")).status_code == 403


def test_form_11_for_all_has_a_summary_and_a_sheet_per_facility(worked, users, client_for):
    response = client_for(users["department_staff"]).get(
        reverse("reporting:energy_form_all"), {"year": 2025}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", worked["own"].tax_code, worked["other"].tax_code]
    summary = _rows(book["Tổng hợp"])
    assert [row[3] for row in summary[3:5]] == [1018.8, 1050]
    assert "quý 1, 2, 3/2025" in summary[4][4]


def test_the_check_queue_shows_the_deadline(worked, users, client_for) -> None:
    submitted = report(worked["other"], 2025, {"coal": "2000"}, status=SelfReport.Status.SUBMITTED)
    SelfReport.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2026, 1, 14, 9, tzinfo=datetime.UTC)
    )
    response = client_for(users["department_staff"]).get(
        reverse("reporting:energy_checks"), {"year": 2025}
    )
    page = response.content.decode()
    assert "14/01/2026" in page and "21/01/2026" in page
    assert (timezone.localdate() > datetime.date(2026, 1, 21)) == ("Quá hạn" in page)


def test_the_facility_page_and_the_dashboard_show_the_energy_blocks(
    worked, users, client_for
) -> None:
    manager = client_for(users["facility_manager"])
    page = manager.get(reverse("reporting:facility_detail", args=[worked["own"].pk]))
    text = page.content.decode()
    assert 'data-testid="facility-energy"' in text
    assert "Thuộc danh mục kiểm kê khí nhà kính (13/2024/QĐ-TTg" in text
    assert reverse("reporting:energy_form", args=[worked["own"].pk]) in text
    dashboard = client_for(users["department_staff"]).get(reverse("dashboard"))
    assert 'data-testid="energy-card"' in dashboard.content.decode()


@pytest.mark.parametrize("name", ["list", "form"])
def test_libreoffice_opens_the_workbooks(worked, users, client_for, tmp_path, name) -> None:
    soffice = need("soffice")
    client = client_for(users["department_staff"])
    url = (
        reverse("reporting:energy_list_file", args=["xlsx"])
        if name == "list"
        else reverse("reporting:energy_form_all")
    )
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(client.get(url, {"year": 2025}).content)
    subprocess.run(  # nosec B603
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / f"{name}.pdf"
    assert converted.exists() and converted.read_bytes().startswith(b"%PDF-")


def test_a_name_that_looks_like_a_formula_stays_text(worked, users, client_for) -> None:
    formula = '=HYPERLINK("http://x.invalid")'
    Facility.objects.filter(pk=worked["own"].pk).update(name=formula)
    response = client_for(users["department_staff"]).get(
        reverse("reporting:energy_form", args=[worked["own"].pk]), {"year": 2025}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == formula]
    assert cell.data_type == "s"
