from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.vn import mst

from facilities import importer
from facilities.importer import (
    FIELDS,
    MAX_UPLOAD_BYTES,
    Sheet,
    apply,
    check_upload,
    guess_mapping,
    preview,
    read_sheet,
    template_workbook,
)
from facilities.models import (
    AdministrativeUnit,
    Facility,
    IndustrialZone,
    Product,
    Sector,
    SizeClass,
)
from facilities.services import save_facility
from tests.factories import UserFactory

LABELS = {item.key: str(item.label_vi) for item in FIELDS}
CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def tax_code(n: int) -> str:
    """A valid tax code of its own for each n ≥ 1 (bases whose check digit would be 10 skipped)."""
    for prefix in ("29", "28", "27"):
        base = f"{prefix}{n:07d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            return base + check
    raise AssertionError(n)


def valid_row(n: int = 1, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "name": f"Công ty TNHH Thử nghiệm số {n}",
        "tax_code": tax_code(n),
        "legal_form": "Công ty TNHH",
        "address": "Xóm 1, xã Diễn Hồng",
        "administrative_unit": "Diễn Châu",
        "zone": "",
        "sector": "101",
        "size_class": "Nhỏ",
        "employees": 40,
        "contact_name": "Trần Thị Bình",
        "contact_phone": "0912345678",
        "contact_email": "lienhe@example.vn",
        "started_on": "15/03/2012",
        "in_scope": "Có",
        "product_name": "",
        "product_unit": "",
    }
    row.update(overrides)
    return row


def xlsx(rows: list[dict[str, object]], keys: list[str] | None = None) -> bytes:
    keys = keys or [item.key for item in FIELDS]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([LABELS[key] for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(rows: list[dict[str, object]]) -> importer.Preview:
    sheet = read_sheet(io.BytesIO(xlsx(rows)))
    return preview(sheet, guess_mapping(sheet.headers))


def make_facility(code: str, **fields: object) -> Facility:
    values: dict[str, object] = {
        "name": "Công ty cổ phần Có sẵn",
        "tax_code": code,
        "legal_form": Facility.LegalForm.JOINT_STOCK,
        "address": "Khối 5, phường Hưng Bình",
        "administrative_unit": AdministrativeUnit.objects.get(code="412"),
        "sector": Sector.objects.get(code="101"),
        "size_class": SizeClass.objects.get(code="medium"),
    }
    values.update(fields)
    return save_facility(Facility(**values))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zeros_zip(megabytes: int) -> bytes:
    """An xlsx-like archive whose sheet is `megabytes` of zeros, written a megabyte at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        chunk = bytes(1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


# --- The template ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_filled_in_template_round_trips_into_new_facilities() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    sheet = workbook["Cơ sở"]
    headers = [cell.value for cell in sheet[1]]
    column = {
        item.key: headers.index(next(h for h in headers if h.startswith(LABELS[item.key])))
        for item in FIELDS
    }
    filled = [
        valid_row(
            1,
            legal_form="Công ty cổ phần",
            administrative_unit="Vinh",
            zone="KCN Bắc Vinh",
            sector="101 - Chế biến, bảo quản thịt và các sản phẩm từ thịt",
            size_class="Vừa",
            started_on=datetime.date(2010, 5, 20),
            product_name="Xúc xích",
            product_unit="tấn",
        ),
        valid_row(2, in_scope="Không", employees=None, started_on=None),
    ]
    # Row 2 keeps the template's grey example; users type below it.
    for offset, row in enumerate(filled, start=3):
        for key, value in row.items():
            sheet.cell(row=offset, column=column[key] + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = upload("danh-sach.xlsx", buffer.getvalue())
    user = UserFactory()

    check_upload(uploaded)
    read = read_sheet(uploaded)
    mapping = guess_mapping(read.headers)
    result_preview = preview(read, mapping)
    result = apply(result_preview, user=user)

    assert None not in mapping.values()
    assert result_preview.mapping_errors == []
    assert [row.errors for row in result_preview.rows] == [[], []]
    assert [row.number for row in result_preview.rows] == [3, 4]
    assert (result.created, result.updated, result.products_created) == (2, 0, 1)
    first = Facility.objects.get(tax_code=tax_code(1))
    assert first.legal_form == Facility.LegalForm.JOINT_STOCK
    assert first.administrative_unit.code == "412"
    assert first.zone == IndustrialZone.objects.get(name="KCN Bắc Vinh")
    assert first.sector.code == "101"
    assert first.size_class.code == "medium"
    assert first.started_on == datetime.date(2010, 5, 20)
    assert first.in_scope is True
    assert first.search_text.startswith("cong ty tnhh thu nghiem so 1")
    assert first.history.latest().history_user == user
    assert [(p.name, p.unit) for p in first.products.all()] == [("Xúc xích", Product.Unit.TONNE)]
    second = Facility.objects.get(tax_code=tax_code(2))
    assert (second.in_scope, second.employees, second.started_on) == (False, None, None)
    assert not Facility.objects.filter(tax_code=importer._EXAMPLE_TAX_CODE).exists()


@pytest.mark.django_db
def test_the_template_offers_instructions_and_drop_downs_fed_by_a_hidden_list_sheet() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))

    assert workbook.sheetnames == ["Cơ sở", "Hướng dẫn", "Danh mục"]
    table, guide, lists = (workbook[name] for name in workbook.sheetnames)
    assert lists.sheet_state == "hidden"
    assert table.freeze_panes == "A2"
    assert table["A1"].value == "Tên cơ sở *"
    assert table["I1"].value == "Số lao động"
    assert table["A2"].font.italic and table["A2"].font.color.rgb.endswith("808080")
    catalogue = {
        lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)]
        for c in range(1, lists.max_column + 1)
    }
    assert "Diễn Châu" in catalogue["Huyện, thị xã, thành phố"]
    assert "101 - Chế biến, bảo quản thịt và các sản phẩm từ thịt" in catalogue["Mã ngành VSIC"]
    assert "Siêu nhỏ" in catalogue["Quy mô"]
    assert "Công ty TNHH" in catalogue["Loại hình"]
    assert "KCN VSIP Nghệ An" in catalogue["Khu, cụm công nghiệp"]
    assert "tấn" in catalogue["Đơn vị sản phẩm"]
    assert catalogue["Thuộc phạm vi chương trình"][:2] == ["Có", "Không"]
    ranges = {str(v.sqref): v.formula1 for v in table.data_validations.dataValidation}
    assert len(ranges) == 7
    assert ranges["E2:E2001"] == "'Danh mục'!$A$2:$A$22"
    guide_text = [guide.cell(r, 1).value for r in range(1, guide.max_row + 1)]
    assert all(LABELS[item.key] in guide_text for item in FIELDS)


def test_guess_mapping_recognises_the_usual_headers_of_a_registry() -> None:
    headers = [
        "STT",
        "Tên doanh nghiệp",
        "MST",
        "Loại hình DN",
        "Địa chỉ",
        "Huyện",
        "Mã ngành",
        "QUY MÔ",
        "Số lao động (người)",
        "SĐT",
        "Email",
        "Ghi chú",
    ]

    mapping = guess_mapping(headers)

    assert mapping["name"] == 1
    assert mapping["tax_code"] == 2
    assert mapping["legal_form"] == 3
    assert mapping["address"] == 4
    assert mapping["administrative_unit"] == 5
    assert mapping["sector"] == 6
    assert mapping["size_class"] == 7
    assert mapping["employees"] == 8
    assert mapping["contact_phone"] == 9
    assert mapping["contact_email"] == 10
    assert mapping["zone"] is None
    assert mapping["started_on"] is None


# --- Row errors -----------------------------------------------------------------------------

ERROR_CASES = [
    ("tax code check digit", {"tax_code": "0100233489"}, "Mã số thuế", "sai chữ số kiểm tra"),
    ("tax code length", {"tax_code": "01002334"}, "Mã số thuế", "cần 10 chữ số"),
    ("unknown sector", {"sector": "999"}, "Mã ngành VSIC", "Không tìm thấy mã ngành “999”"),
    ("level 2 sector", {"sector": "10"}, "Mã ngành VSIC", "Mã ngành 10 là ngành cấp 2"),
    (
        "unknown unit",
        {"administrative_unit": "Hà Đông"},
        "Huyện, thị xã, thành phố",
        "Không tìm thấy huyện, thị xã hoặc thành phố “Hà Đông”",
    ),
    ("missing name", {"name": ""}, "Tên cơ sở", "Đang để trống nhưng là thông tin bắt buộc"),
    ("missing address", {"address": None}, "Địa chỉ", "bắt buộc: vui lòng nhập địa chỉ"),
    ("bad date", {"started_on": "31/02/2020"}, "Ngày bắt đầu hoạt động", "không phải ngày hợp lệ"),
    ("year as date", {"started_on": 2012}, "Ngày bắt đầu hoạt động", "nhập theo dạng dd/mm"),
    ("negative employees", {"employees": -5}, "Số lao động", "“-5” không phải số lao động"),
    ("fractional employees", {"employees": 12.5}, "Số lao động", "số nguyên không âm"),
    ("text employees", {"employees": "khoảng 50"}, "Số lao động", "không phải số lao động"),
    ("unknown size", {"size_class": "Rất lớn"}, "Quy mô", "Quy mô “Rất lớn” không có"),
    ("unknown legal form", {"legal_form": "Công ty ma"}, "Loại hình", "Loại hình “Công ty ma”"),
    ("unknown zone", {"zone": "KCN Mặt Trăng"}, "Khu, cụm công nghiệp", "Không tìm thấy khu"),
    ("bad in scope", {"in_scope": "có lẽ"}, "Thuộc phạm vi chương trình", "Có hoặc Không"),
    (
        "unknown product unit",
        {"product_name": "Gạch", "product_unit": "thùng"},
        "Đơn vị sản phẩm",
        "Đơn vị “thùng” chưa có trong danh mục",
    ),
    ("product without unit", {"product_name": "Gạch"}, "Đơn vị sản phẩm", "chưa có đơn vị"),
    ("bad email", {"contact_email": "khong-phai-email"}, "Thư điện tử liên hệ", "Nhập địa chỉ"),
    ("name too long", {"name": "X" * 300}, "Tên cơ sở", "255"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_a_bad_row_is_explained_and_the_import_writes_nothing(
    overrides: dict[str, object], column: str, message: str
) -> None:
    before = Facility.objects.count()

    result = preview_of([valid_row(1), valid_row(2, **overrides)])

    assert (result.to_create, result.error_count) == (1, 1)
    bad = result.rows[1]
    assert bad.number == 3
    assert bad.action == "error"
    assert bad.cleaned is None
    assert any(f"“{column}”" in error and message in error for error in bad.errors), bad.errors
    with pytest.raises(ValidationError, match="1 dòng còn lỗi"):
        apply(result, user=None)
    assert Facility.objects.count() == before


@pytest.mark.django_db
def test_a_tax_code_repeated_in_the_file_is_refused_naming_its_first_row() -> None:
    code = tax_code(7)
    rows = [
        valid_row(1, tax_code=code),
        valid_row(2),
        valid_row(3, tax_code=f"{code[:5]} {code[5:]}"),
        valid_row(4, tax_code=code),
    ]

    result = preview_of(rows)

    assert [row.action for row in result.rows] == ["create", "create", "error", "error"]
    for row in result.rows[2:]:
        assert row.errors == [
            f"Cột B “Mã số thuế”: Mã số thuế {code} đã có ở dòng 2 của tệp: mỗi cơ sở chỉ ghi "
            "một dòng, vui lòng xóa hoặc gộp các dòng trùng."
        ]
    with pytest.raises(ValidationError):
        apply(result, user=None)
    assert Facility.objects.count() == 0


# --- Reading cells in their usual forms -----------------------------------------------------


@pytest.mark.django_db
def test_cells_are_read_in_the_forms_registries_use() -> None:
    rows = [
        valid_row(
            1,
            administrative_unit="Huyện Diễn Châu",
            sector=101,
            employees=120.0,
            # Excel date cells are naive datetimes: a workbook has no time zone.
            started_on=datetime.datetime(2012, 3, 15, 0, 0),  # noqa: DTZ001
            in_scope="x",
        ),
        valid_row(
            2,
            administrative_unit=425,
            sector="1010",
            employees="1.200",
            started_on="2012-03-15",
            in_scope=None,
            contact_phone=912345678,
        ),
        valid_row(
            3,
            administrative_unit="TP. Vinh",
            sector=51,
            size_class="siêu nhỏ",
            legal_form="HTX",
            zone="Bắc Vinh",
            in_scope="KHÔNG",
            product_name="Than",
            product_unit="Tấn",
        ),
        valid_row(
            4,
            administrative_unit="thi xa thai hoa",
            legal_form="llc",
            size_class="DN vừa",
            tax_code=int(tax_code(4)),
            product_name="Nước",
            product_unit="m3",
        ),
        valid_row(5, tax_code=100233488, name="Chi nhánh", legal_form="Công ty cổ phần"),
    ]

    result = preview_of(rows)

    assert [row.errors for row in result.rows] == [[]] * 5
    facilities = [row.cleaned["facility"] for row in result.rows]
    units = {u.pk: u.code for u in AdministrativeUnit.objects.all()}
    sectors = {s.pk: s.code for s in Sector.objects.all()}
    assert [units[f["administrative_unit_id"]] for f in facilities] == [
        "425",
        "425",
        "412",
        "414",
        "425",
    ]
    assert [sectors[f["sector_id"]] for f in facilities[:3]] == ["101", "101", "051"]
    assert [facilities[0]["employees"], facilities[1]["employees"]] == [120, 1200]
    assert facilities[0]["started_on"] == facilities[1]["started_on"] == datetime.date(2012, 3, 15)
    assert [f.get("in_scope") for f in facilities[:3]] == [True, None, False]
    assert facilities[1]["contact_phone"] == "0912345678"
    assert facilities[2]["legal_form"] == Facility.LegalForm.COOPERATIVE
    assert facilities[2]["zone_id"] == IndustrialZone.objects.get(name="KCN Bắc Vinh").pk
    assert result.rows[2].cleaned["product"] == {"name": "Than", "unit": Product.Unit.TONNE}
    assert result.rows[3].cleaned["product"] == {"name": "Nước", "unit": Product.Unit.CUBIC_METRE}
    assert facilities[3]["tax_code"] == tax_code(4)
    assert facilities[4]["tax_code"] == "0100233488"
    assert result.rows[0].values["employees"] == "120"
    assert result.rows[0].values["started_on"] == "15/03/2012"


# --- Updates ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_existing_facility_is_updated_by_its_tax_code_and_gains_a_new_product() -> None:
    existing = make_facility("0100233488-001", contact_email="cu@example.vn", employees=10)
    Product.objects.create(facility=existing, name="Giò lụa", unit=Product.Unit.TONNE)
    user = UserFactory()
    rows = [
        valid_row(
            1,
            tax_code="0100233488001",
            name="Công ty cổ phần Đổi tên",
            contact_email=None,
            employees=250.0,
            product_name="Xúc xích",
            product_unit="kg",
        ),
        valid_row(2),
    ]

    result_preview = preview_of(rows)
    result = apply(result_preview, user=user)

    assert [row.action for row in result_preview.rows] == ["update", "create"]
    assert result_preview.rows[0].facility_id == existing.pk
    assert (result_preview.to_update, result_preview.to_create) == (1, 1)
    assert (result.created, result.updated, result.products_created) == (1, 1, 1)
    existing.refresh_from_db()
    assert existing.name == "Công ty cổ phần Đổi tên"
    assert existing.employees == 250
    # A blank optional cell keeps what the registry knew.
    assert existing.contact_email == "cu@example.vn"
    assert existing.search_text.startswith("cong ty co phan doi ten")
    assert existing.history.latest().history_user == user
    assert sorted(existing.products.values_list("name", flat=True)) == ["Giò lụa", "Xúc xích"]
    assert Facility.objects.count() == 2


@pytest.mark.django_db
def test_a_product_the_facility_already_has_is_not_added_twice() -> None:
    existing = make_facility(tax_code(1))
    Product.objects.create(facility=existing, name="Giò lụa", unit=Product.Unit.TONNE)

    result = apply(
        preview_of([valid_row(1, product_name="GIÒ LỤA", product_unit="tấn")]), user=None
    )

    assert (result.updated, result.products_created) == (1, 0)
    assert existing.products.count() == 1


@pytest.mark.django_db
def test_an_update_that_would_start_a_facility_after_it_closed_is_refused() -> None:
    make_facility(
        tax_code(1), started_on=datetime.date(2000, 1, 1), closed_on=datetime.date(2010, 1, 1)
    )

    result = preview_of([valid_row(1, started_on="01/01/2015")])

    assert result.rows[0].action == "error"
    assert result.rows[0].errors == [
        "Cột M “Ngày bắt đầu hoạt động”: Ngày đóng cửa phải sau ngày bắt đầu hoạt động."
    ]


# --- Apply -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_writes_no_row_when_a_later_row_fails_at_save_time() -> None:
    result = preview_of([valid_row(1), valid_row(2), valid_row(3)])
    assert result.error_count == 0
    # As if the registry changed between preview and apply: the second row no longer validates.
    result.rows[1].cleaned["facility"]["tax_code"] = "0100233489"

    with pytest.raises(ValidationError, match="Dòng 3: .*sai chữ số kiểm tra"):
        apply(result, user=None)

    assert Facility.objects.count() == 0


@pytest.mark.django_db
def test_apply_refuses_when_a_facility_with_the_tax_code_appeared_since_the_preview() -> None:
    result = preview_of([valid_row(1), valid_row(2)])
    make_facility(tax_code(2))

    with pytest.raises(ValidationError, match="Dòng 3"):
        apply(result, user=None)

    assert list(Facility.objects.values_list("tax_code", flat=True)) == [tax_code(2)]


@pytest.mark.django_db
def test_mapping_errors_name_missing_required_fields_and_shared_columns() -> None:
    sheet = read_sheet(io.BytesIO(xlsx([valid_row(1)])))
    mapping = guess_mapping(sheet.headers)
    mapping["sector"] = None
    mapping["address"] = mapping["name"]
    mapping["product_unit"] = None

    result = preview(sheet, mapping)

    assert result.rows == []
    assert result.has_errors
    assert result.mapping_errors == [
        "Chưa chọn cột cho “Mã ngành VSIC”: đây là thông tin bắt buộc, vui lòng chọn cột hoặc "
        "một giá trị mặc định.",
        "Cột A “Tên cơ sở” được chọn cho nhiều trường (“Tên cơ sở”, “Địa chỉ”): mỗi cột chỉ "
        "dùng cho một trường.",
        "Đã chọn cột “Sản phẩm chính” nhưng chưa chọn cột “Đơn vị sản phẩm”: sản phẩm cần có "
        "đơn vị.",
    ]
    with pytest.raises(ValidationError, match="vui lòng chọn lại cột"):
        apply(result, user=None)
    assert Facility.objects.count() == 0


@pytest.mark.django_db
def test_apply_refuses_a_file_without_data_rows() -> None:
    result = preview_of([])

    with pytest.raises(ValidationError, match="không có dòng dữ liệu"):
        apply(result, user=None)


# --- Checking the upload ----------------------------------------------------------------------


@pytest.mark.django_db
def test_check_upload_accepts_the_template() -> None:
    check_upload(upload("mau.xlsx", template_workbook()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", b"MZ\x90\x00" + bytes(2000), "có thể là tệp khác đã bị đổi đuôi"),
        ("danh-sach.csv", "Tên cơ sở;Mã số thuế\n".encode(), "Chỉ nhận tệp Excel .xlsx"),
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Excel 97–2003"),
        ("mat-khau.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "đặt mật khẩu"),
        ("van-ban.xlsx", zip_with({"[Content_Types].xml": b"<Types/>"}), "không phải bảng tính"),
        ("hong.xlsx", zip_with({"[Content_Types].xml": CONTENT_TYPES})[:-30], "bị hỏng"),
    ],
    ids=["renamed exe", "csv", "xls", "encrypted xlsx", "zip that is no workbook", "truncated"],
)
def test_check_upload_refuses_what_is_not_a_sane_workbook(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, content))


def test_check_upload_refuses_a_file_over_the_size_limit() -> None:
    content = zip_with(
        {"[Content_Types].xml": CONTENT_TYPES, "big.bin": bytes(MAX_UPLOAD_BYTES)},
        compression=zipfile.ZIP_STORED,
    )

    with pytest.raises(ValidationError, match="Tệp nặng 5,1 MB, vượt giới hạn 5 MB"):
        check_upload(upload("lon.xlsx", content))


def test_check_upload_refuses_a_zip_bomb() -> None:
    content = zeros_zip(60)
    assert len(content) < 200_000

    with pytest.raises(ValidationError, match="giải nén vượt quá 50 MB"):
        check_upload(upload("bom.xlsx", content))


def test_check_upload_refuses_a_member_compressed_suspiciously_well() -> None:
    with pytest.raises(ValidationError, match="tỷ lệ nén trên 100 lần"):
        check_upload(upload("bom-nho.xlsx", zeros_zip(5)))


# --- Reading the sheet -----------------------------------------------------------------------


def test_a_formula_without_a_cached_value_is_read_as_none() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tên cơ sở", "Số lao động"])
    workbook.active.append(["Công ty A", "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheet = read_sheet(io.BytesIO(buffer.getvalue()))

    assert sheet.rows == [["Công ty A", None]]


def test_read_sheet_passes_over_titles_and_empty_rows_and_keeps_excel_row_numbers() -> None:
    workbook = openpyxl.Workbook()
    rows = [
        ["DANH SÁCH CƠ SỞ SẢN XUẤT"],
        [],
        ["Tên cơ sở", "MST", None],
        [],
        ["Công ty A", 1],
        [None, "  "],
        ["Công ty B", None, "thừa"],
    ]
    for row in rows:
        workbook.active.append(row)
    workbook.create_sheet("Khác").append(["không", "đọc"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheet = read_sheet(io.BytesIO(buffer.getvalue()))

    assert sheet == Sheet(
        headers=["Tên cơ sở", "MST"],
        rows=[["Công ty A", 1], ["Công ty B", None]],
        row_numbers=[5, 7],
    )


def test_read_sheet_refuses_more_rows_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tên cơ sở", "Mã số thuế"])
    for n in range(1, 5):
        workbook.active.append([f"Công ty {n}", tax_code(n)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ValidationError, match="hơn 3 dòng dữ liệu"):
        read_sheet(io.BytesIO(buffer.getvalue()))


def test_read_sheet_refuses_a_sheet_without_a_header() -> None:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)

    with pytest.raises(ValidationError, match="Không tìm thấy dòng tiêu đề"):
        read_sheet(io.BytesIO(buffer.getvalue()))


def test_read_sheet_refuses_a_file_openpyxl_cannot_read() -> None:
    with pytest.raises(ValidationError, match="Không đọc được tệp Excel"):
        read_sheet(io.BytesIO(zip_with({"[Content_Types].xml": CONTENT_TYPES})))
