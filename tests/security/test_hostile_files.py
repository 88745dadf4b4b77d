"""Hostile spreadsheets through the import pages, and formulas smuggled into the export.

tests/facilities/test_importer.py checks `check_upload` and `read_sheet` one by one; here each
attack goes through the pages staff use, and must end in a Vietnamese explanation, never a 500.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facilities.importer import template_workbook
from facilities.models import Facility, FacilityImport
from tests.facilities.test_importer import zeros_zip
from tests.factories import FacilityFactory, tax_code

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>
<c r="B1" t="inlineStr"><is><t>Mã số thuế</t></is></c></row>
</sheetData></worksheet>""".encode()

EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>
<c r="B1" t="inlineStr"><is><t>Mã số thuế</t></is></c></row>
</sheetData></worksheet>""".encode()


def _with_sheet(sheet_xml: bytes) -> bytes:
    """The portal's own template with its first sheet replaced: a workbook in every other way."""
    source = zipfile.ZipFile(io.BytesIO(template_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            archive.writestr(item, data)
    return buffer.getvalue()


@pytest.fixture
def staff(users, client_for):
    return client_for(users["department_staff"])


def _upload(client, name: str, content: bytes):
    return client.post(
        reverse("facilities:import_upload"),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bom.xlsx", zeros_zip(60), "giải nén vượt quá 50 MB"),
        ("danh-sach.xlsx", b"MZ\x90\x00" + bytes(4096), "có thể là tệp khác đã bị đổi đuôi"),
        # The size is refused before the file is opened. (A body past REQUEST_BODY_MAX_MB never
        # reaches the form: tests/security/test_request_body_limit.py.)
        ("rat-lon.xlsx", b"PK\x03\x04" + bytes(6 * 1024 * 1024), "vượt giới hạn 5 MB"),
    ],
    ids=["zip bomb", "renamed exe", "over 5 MB"],
)
def test_a_hostile_upload_is_refused_in_vietnamese(staff, name, content, message) -> None:
    response = _upload(staff, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FacilityImport.objects.exists()


@pytest.mark.parametrize("sheet", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion laughs", "xxe"])
def test_an_xml_entity_attack_is_explained_and_never_expanded(staff, sheet) -> None:
    response = _upload(staff, "danh-sach.xlsx", _with_sheet(sheet))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không đọc được tệp Excel" in page
    assert "root:" not in page and "lollol" not in page
    assert not Facility.objects.exists()


FORMULA_NAMES = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def test_names_that_look_like_formulas_are_exported_as_text(users, facilities, client_for) -> None:
    for number, name in enumerate(FORMULA_NAMES):
        FacilityFactory(name=name, tax_code=tax_code(8_000_000 + 10 * number))
    response = client_for(users["department_staff"]).get(reverse("reporting:facility_export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    names = {row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    for name in FORMULA_NAMES:
        # Kept as typed, never as a formula (a carriage return written bare comes back as a
        # line feed; escaped as _x000D_ it comes back as typed).
        assert name in names or name.replace("\r", "\n") in names, name
