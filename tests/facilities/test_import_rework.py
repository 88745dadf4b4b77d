"""The registry import as a Department uses it: files written in LibreOffice with their own
headers, columns they lack, units the list did not know, formulas, the interface language, the
dry run and the write as tasks, and imports that are their uploader's alone."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from facilities import importer
from facilities.importer import Cancelled, guess_mapping, preview, read_sheet
from facilities.models import (
    AdministrativeUnit,
    Facility,
    FacilityImport,
    ImportMapping,
    Product,
    ProductUnit,
    SizeClass,
)
from portal.lib import closing
from tests.facilities.test_importer import make_facility, tax_code, valid_row, xlsx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The dry run and the write run here, inside the test's transaction: with a broker (CI's
    worker stage) they would go to a worker that cannot see this test's rows. The worker's
    own path is tests/facilities/test_import_worker.py."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# A district registry as kept in LibreOffice: its own headers, a numbering column, no legal
# form, a brick kiln counting thousand bricks, a name written as a link formula.
REGISTRY_HEADERS = [
    "STT",
    "Tên doanh nghiệp",
    "MST",
    "Địa chỉ",
    "Huyện/Thành phố/Thị xã",
    "Ngành nghề",
    "Quy mô DN",
    "Sản phẩm chủ yếu",
    "ĐVT",
]
REGISTRY_ROWS = [
    [1, "Công ty TNHH Gạch tuynel Diễn Châu", tax_code(31), "Xóm 2, xã Diễn Hồng", "Diễn Châu"]
    + ["239", "Nhỏ", "Gạch xây", "nghìn viên"],
    [2, '=HYPERLINK("http://gach.vn","Bấm vào đây")', tax_code(32), "Khối 1, phường Quang Trung"]
    + ["TP Vinh", "239", "Vừa", "Ngói", "nghìn viên"],
    [3, "HTX Gạch Quỳnh Lưu", tax_code(33), "Xóm 5, xã Quỳnh Hưng", "Huyện Quỳnh Lưu"]
    + ["239", "Siêu nhỏ", "", ""],
]


def _libreoffice(workbook: openpyxl.Workbook, tmp_path: Path) -> bytes:
    """The workbook as LibreOffice saves it (formulas with their computed values stored)."""
    source = tmp_path / "danh-sach.xlsx"
    workbook.save(source)
    out = tmp_path / "lo"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is part of the image: the test runs what a Department uses"
    subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / "danh-sach.xlsx").read_bytes()


@pytest.fixture
def registry_file(tmp_path: Path) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(REGISTRY_HEADERS)
    for row in REGISTRY_ROWS:
        sheet.append(row)
    return _libreoffice(workbook, tmp_path)


def _sheet(content: bytes) -> importer.Sheet:
    return read_sheet(io.BytesIO(content))


# --- Reading a real registry ----------------------------------------------------------------


def test_a_libreoffice_registry_maps_without_help_and_checks_clean(registry_file) -> None:
    sheet = _sheet(registry_file)
    mapping = guess_mapping(sheet.headers)
    header_of = {key: sheet.headers[index] for key, index in mapping.items() if index is not None}

    assert header_of["administrative_unit"] == "Huyện/Thành phố/Thị xã"
    assert header_of["name"] == "Tên doanh nghiệp"
    assert header_of["size_class"] == "Quy mô DN"
    assert header_of["product_unit"] == "ĐVT"
    assert "legal_form" not in header_of

    result = preview(sheet, mapping)

    assert result.mapping_errors == []
    assert [row.errors for row in result.rows] == [[], [], []]
    assert result.to_create == 3
    brick = result.rows[0].cleaned
    assert brick["product"] == {"name": "Gạch xây", "unit": "1000vien"}
    assert "legal_form" not in brick["facility"]  # unknown, not guessed
    assert result.rows[1].cleaned["facility"]["administrative_unit_id"] == (
        AdministrativeUnit.objects.filter(code="412", level="district").latest("valid_from").pk
    )


def test_a_formula_is_reported_with_its_stored_value(registry_file) -> None:
    result = preview(_sheet(registry_file), guess_mapping(_sheet(registry_file).headers))

    [cell] = result.formulas
    assert (cell.number, cell.value) == (3, "Bấm vào đây")
    assert cell.formula.startswith("=HYPERLINK(")
    assert cell.column == "B “Tên doanh nghiệp”"
    assert any("công thức" in warning for warning in result.rows[1].warnings)
    assert result.rows[0].warnings == []


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Huyện/Thành phố/Thị xã", "administrative_unit"),
        ("Huyện, TP, TX", "administrative_unit"),
        ("huyen/thi xa/thanh pho", "administrative_unit"),
        ("Huyện/TP/Thị xã", "administrative_unit"),
        ("Tên cơ sở sản xuất", "name"),
        ("Mã số thuế (MST)", "tax_code"),
        ("SĐT", "contact_phone"),
        ("Điện thoại người liên hệ", "contact_phone"),
        ("Tax code", "tax_code"),
        ("DVT", "product_unit"),
        ("KCN/CCN", "zone"),
    ],
)
def test_header_variants_are_recognised(header: str, field: str) -> None:
    headers = ["Tên", header] if field != "name" else [header, "MST"]
    mapping = guess_mapping(headers)
    assert mapping[field] == headers.index(header)


# --- Missing columns and defaults -------------------------------------------------------------


def test_a_missing_column_takes_the_default_for_new_facilities_only() -> None:
    existing = make_facility(tax_code(41), size_class=SizeClass.objects.get(code="large"))
    keys = ["name", "tax_code", "address", "administrative_unit", "sector"]
    sheet = _sheet(xlsx([valid_row(40), valid_row(41)], keys=keys))

    refused = preview(sheet, guess_mapping(sheet.headers))
    assert any("Quy mô" in error for error in refused.mapping_errors)

    result = preview(sheet, guess_mapping(sheet.headers), {"size_class": "Nhỏ"})
    assert result.error_count == 0
    new, update = result.rows
    assert new.cleaned["facility"]["size_class_id"] == SizeClass.objects.get(code="small").pk
    assert "size_class_id" not in update.cleaned["facility"]
    importer.apply(result, user=None)
    existing.refresh_from_db()
    assert existing.size_class.code == "large"
    assert Facility.objects.get(tax_code=tax_code(40)).legal_form == ""


def test_the_legal_form_is_required_when_the_department_says_so(settings) -> None:
    settings.FACILITY_LEGAL_FORM_REQUIRED = True
    keys = ["name", "tax_code", "address", "administrative_unit", "sector", "size_class"]
    sheet = _sheet(xlsx([valid_row(50)], keys=keys))

    result = preview(sheet, guess_mapping(sheet.headers))
    assert any("Loại hình" in error for error in result.mapping_errors)

    with_default = preview(sheet, guess_mapping(sheet.headers), {"legal_form": "Hợp tác xã"})
    assert with_default.error_count == 0
    assert with_default.rows[0].cleaned["facility"]["legal_form"] == "cooperative"

    with_blank = _sheet(xlsx([valid_row(51, legal_form="")]))
    [row] = preview(with_blank, guess_mapping(with_blank.headers)).rows
    assert any("loại hình" in error for error in row.errors)


# --- Values whatever the interface language ---------------------------------------------------


def test_the_same_file_gives_the_same_result_in_both_languages() -> None:
    rows = [
        valid_row(60, legal_form="Limited liability company", product_name="Gạch")
        | {"product_unit": "thousand bricks"},
        valid_row(61, legal_form="Công ty cổ phần", in_scope="No")
        | {"product_name": "Bia", "product_unit": "hectolit"},
        valid_row(62, legal_form="HTX", size_class="small", product_name="Gạch")
        | {"product_unit": "1.000 viên"},
    ]
    content = xlsx(rows)
    outcomes = []
    for language in ("vi", "en"):
        with translation.override(language):
            sheet = _sheet(content)
            result = preview(sheet, guess_mapping(sheet.headers))
            outcomes.append([(row.action, row.cleaned) for row in result.rows])
    assert outcomes[0] == outcomes[1]
    assert [action for action, _cleaned in outcomes[0]] == ["create"] * 3, outcomes[0]
    legal = [cleaned["facility"]["legal_form"] for _action, cleaned in outcomes[0]]
    assert legal == ["llc", "jsc", "cooperative"]
    units = [cleaned["product"]["unit"] for _action, cleaned in outcomes[0]]
    assert units == ["1000vien", "hl", "1000vien"]


# --- Formula-like text -----------------------------------------------------------------------


def test_text_that_a_spreadsheet_would_take_for_a_formula_is_a_warning_not_an_error() -> None:
    rows = [
        valid_row(70, name="=1+1 Công ty"),
        valid_row(71, contact_name="@Nguyễn Văn A"),
        valid_row(72, contact_phone="+84912345678"),
        valid_row(73, address="-Xóm 1"),
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx(rows)))
    cell = workbook.active["A2"]
    cell.value, cell.data_type = "=1+1 Công ty", "s"  # typed as text, not a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = _sheet(buffer.getvalue())
    assert sheet.formulas == {}
    result = preview(sheet, guess_mapping(sheet.headers))
    assert result.error_count == 0
    flagged = [bool(row.warnings) for row in result.rows]
    assert flagged == [True, True, False, True]
    assert "bắt đầu bằng “=”" in result.rows[0].warnings[0]


# --- Units of production ----------------------------------------------------------------------


def test_every_stored_unit_is_in_the_unit_list() -> None:
    codes = set(ProductUnit.objects.values_list("code", flat=True))
    assert set(Product.Unit.values) <= codes
    assert {"1000vien", "hl"} <= codes
    assert ProductUnit.objects.get(code="t").quantity_kind == "mass"


def test_an_unknown_unit_is_offered_for_the_list_and_an_admin_adds_it(
    users, client_for, django_capture_on_commit_callbacks
) -> None:
    admin = users["department_admin"]
    rows = [valid_row(80, product_name="Nước mắm") | {"product_unit": "thùng"}]
    batch = _uploaded(admin, xlsx(rows))
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(batch), _mapping_post(batch))
    batch.refresh_from_db()
    assert batch.result["unknown_units"] == [{"text": "thùng", "count": 1, "rows": [2]}]
    assert not batch.result["can_apply"]
    page = client.get(_page(batch)).content.decode()
    assert "Thêm vào danh mục" in page

    staff = client_for(users["department_staff"])
    add = reverse("facilities:import_add_unit", args=[batch.pk])
    assert staff.post(add, {"name": "thùng", "quantity_kind": "count"}).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add, {"name": "thùng 20 lít", "quantity_kind": "count", "alias": "thùng"}
        )
    assert response.status_code == 302
    unit = ProductUnit.objects.get(name="thùng 20 lít")
    assert unit.aliases == "thùng"
    assert unit.code
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.CHECKED
    assert batch.result["can_apply"], batch.result


# --- The dry run and the write as tasks -------------------------------------------------------


def _uploaded(user, content: bytes, name: str = "danh-sach.xlsx") -> FacilityImport:
    batch = FacilityImport(uploaded_by=user, original_name=name)
    batch.file.save(name, ContentFile(content))
    return batch


def _page(batch: FacilityImport) -> str:
    return reverse("facilities:import_preview", args=[batch.pk])


def _mapping_post(batch: FacilityImport, **defaults: str) -> dict[str, str]:
    with batch.file.open("rb") as handle:
        headers = importer.read_headers(handle)
    data = {
        key: "" if index is None else str(index) for key, index in guess_mapping(headers).items()
    }
    data |= {f"default_{key}": value for key, value in defaults.items()}
    return data | {"check": "1"}


def test_the_whole_flow_through_the_pages_writes_a_libreoffice_registry(
    users, client_for, registry_file, django_capture_on_commit_callbacks
) -> None:
    staff = users["department_staff"]
    client = client_for(staff)
    response = client.post(
        reverse("facilities:import_upload"),
        {"file": SimpleUploadedFile("danh-sach.xlsx", registry_file)},
    )
    batch = FacilityImport.objects.get()
    assert response.url == _page(batch)
    mapping_page = client.get(_page(batch)).content.decode()
    assert "Huyện/Thành phố/Thị xã" in mapping_page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(batch), _mapping_post(batch, in_scope="Có"))
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.CHECKED
    assert (batch.progress_done, batch.progress_total) == (3, 3)
    assert batch.result["formula_count"] == 1
    # The findings are stored: a reload shows them without checking again.
    page = client.get(_page(batch)).content.decode()
    assert "Bấm vào đây" in page and "=HYPERLINK(" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(batch), {"apply": "1"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.CHECKED  # the formulas were not confirmed
    assert not Facility.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(batch), {"apply": "1", "confirm_formulas": "1"})
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.APPLIED, batch.message
    assert (batch.created_count, batch.updated_count) == (3, 0)
    kiln = Facility.objects.get(tax_code=tax_code(31))
    assert [(p.name, p.unit) for p in kiln.products.all()] == [("Gạch xây", "1000vien")]
    assert kiln.legal_form == ""
    assert Facility.objects.filter(name="Bấm vào đây").exists()
    assert "Đã nhập xong: 3 cơ sở mới" in client.get(_page(batch)).content.decode()


def test_the_mapping_chosen_is_offered_again_for_a_file_with_the_same_headers(
    users, client_for, django_capture_on_commit_callbacks
) -> None:
    staff = users["department_staff"]
    headers = ["Đơn vị", "Số MST", "Nơi ở", "Địa bàn", "Ngành", "Quy mô"]
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    workbook.active.append(["Công ty A", tax_code(90), "Xóm 1", "Diễn Châu", "239", "Nhỏ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    first = _uploaded(staff, buffer.getvalue())
    data = {item.key: "" for item in importer.FIELDS} | {
        "name": "0",
        "tax_code": "1",
        "address": "2",
        "administrative_unit": "3",
        "sector": "4",
        "size_class": "5",
        "check": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(_page(first), data)
    first.refresh_from_db()
    assert first.result["error_count"] == 0, first.result

    # Another member of the Department, the same headers in another order.
    workbook = openpyxl.Workbook()
    workbook.active.append(list(reversed(headers)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    colleague = users["department_admin"]
    second = _uploaded(colleague, buffer.getvalue())
    response = client_for(colleague).get(_page(second))
    assert response.context["remembered"]
    initial = response.context["form"].initial
    assert (initial["name"], initial["tax_code"], initial["size_class"]) == ("5", "4", "0")
    assert ImportMapping.objects.count() == 1


def test_a_cancelled_dry_run_stops_and_says_so(users) -> None:
    batch = _uploaded(users["department_staff"], xlsx([valid_row(n) for n in range(1, 4)]))
    with batch.file.open("rb") as handle:
        mapping = guess_mapping(importer.read_headers(handle))
    FacilityImport.objects.filter(pk=batch.pk).update(
        status=FacilityImport.Status.CHECKING,
        mapping={key: index for key, index in mapping.items() if index is not None},
        cancel_requested=True,
    )
    assert importer.run_check(batch.pk) == "cancelled"
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.CANCELLED
    assert batch.message == "Đã hủy kiểm tra."


def test_a_write_cancelled_midway_leaves_nothing_written() -> None:
    rows = [valid_row(n) for n in range(1, importer.PROGRESS_EVERY + 20)]
    result = preview(_sheet(xlsx(rows)), guess_mapping(_sheet(xlsx(rows)).headers))
    assert result.error_count == 0

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        importer.apply(result, user=None, progress=cancel)
    assert not Facility.objects.exists()


def test_one_import_runs_at_a_time_per_user(users) -> None:
    staff = users["department_staff"]
    running = _uploaded(staff, xlsx([valid_row(1)]))
    FacilityImport.objects.filter(pk=running.pk).update(
        status=FacilityImport.Status.CHECKING, started_at=datetime.datetime.now(datetime.UTC)
    )
    other = _uploaded(staff, xlsx([valid_row(2)]))
    with other.file.open("rb") as handle:
        headers = importer.read_headers(handle)
    with pytest.raises(ValidationError, match="chưa chạy xong"):
        importer.start_check(
            other, by=staff, headers=headers, mapping=guess_mapping(headers), defaults={}
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FacilityImport.objects.filter(pk=other.pk).update(status=FacilityImport.Status.APPLYING)
    # Another user is not held up.
    colleague = _uploaded(users["department_admin"], xlsx([valid_row(3)]))
    importer.start_check(
        colleague,
        by=users["department_admin"],
        headers=headers,
        mapping=guess_mapping(headers),
        defaults={},
    )


def test_a_stale_running_import_does_not_block_its_user_for_ever(users, settings) -> None:
    staff = users["department_staff"]
    stuck = _uploaded(staff, xlsx([valid_row(1)]))
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    FacilityImport.objects.filter(pk=stuck.pk).update(
        status=FacilityImport.Status.APPLYING, started_at=long_ago
    )
    fresh = _uploaded(staff, xlsx([valid_row(2)]))
    with fresh.file.open("rb") as handle:
        headers = importer.read_headers(handle)
    importer.start_check(
        fresh, by=staff, headers=headers, mapping=guess_mapping(headers), defaults={}
    )
    stuck.refresh_from_db()
    assert stuck.status == FacilityImport.Status.FAILED


def test_the_dry_run_reads_the_closed_period_once_not_per_row(
    users, django_assert_max_num_queries
) -> None:
    closing.close(
        through=datetime.date(2020, 12, 31),
        label="01/BC-SCT",
        run_id=None,
        by=users["department_admin"],
    )
    for count in (5, 60):
        # New facilities starting after the closed date: the rule lets them in.
        rows = [valid_row(n, started_on="15/03/2021") for n in range(1, count + 1)]
        sheet = _sheet(xlsx(rows))
        mapping = guess_mapping(sheet.headers)
        with django_assert_max_num_queries(10):
            result = preview(sheet, mapping)
        assert (result.to_create, result.error_count) == (count, 0)


# --- Whose import it is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [("department_admin", 404), ("facility_manager", 403), ("official", 403)],
)
def test_nobody_but_the_uploader_sees_or_acts_on_an_import(
    users, client_for, actor: str, status: int
) -> None:
    batch = _uploaded(users["department_staff"], xlsx([valid_row(1)]))
    FacilityImport.objects.filter(pk=batch.pk).update(
        status=FacilityImport.Status.CHECKED, result={"can_apply": True, "rows": 1}
    )
    client = client_for(users[actor])
    assert client.get(_page(batch)).status_code == status
    assert client.post(_page(batch), {"apply": "1"}).status_code == status
    progress = reverse("facilities:import_progress", args=[batch.pk])
    assert client.get(progress).status_code == status
    cancel = reverse("facilities:import_cancel", args=[batch.pk])
    assert client.post(cancel).status_code == status
    batch.refresh_from_db()
    assert batch.status == FacilityImport.Status.CHECKED
    assert not Facility.objects.exists()
    listing = client_for(users["department_admin"]).get(reverse("facilities:import_upload"))
    assert "danh-sach.xlsx" not in listing.content.decode()


def test_another_staff_member_cannot_reach_an_import_by_guessing_its_id(users, client_for) -> None:
    batch = _uploaded(users["department_staff"], xlsx([valid_row(1)]))
    colleague = UserFactory.for_role(users["department_staff"].role)
    assert client_for(colleague).get(_page(batch)).status_code == 404


def test_the_progress_panel_polls_while_running_and_reloads_the_page_when_done(
    users, client_for
) -> None:
    staff = users["department_staff"]
    batch = _uploaded(staff, xlsx([valid_row(1)]))
    FacilityImport.objects.filter(pk=batch.pk).update(
        status=FacilityImport.Status.CHECKING, progress_done=500, progress_total=2000
    )
    client = client_for(staff)
    url = reverse("facilities:import_progress", args=[batch.pk])
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert "every 2s" in running.content.decode()
    assert 'value="25"' in running.content.decode()
    assert "HX-Refresh" not in running

    client.post(reverse("facilities:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.cancel_requested

    FacilityImport.objects.filter(pk=batch.pk).update(status=FacilityImport.Status.CANCELLED)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 2s" not in done.content.decode()


def test_a_unit_products_use_cannot_be_deleted_or_recoded_in_the_admin(
    users, facilities, client_for
) -> None:
    Product.objects.create(facility=facilities["own"], name="Gạch", unit="1000vien")
    unit = ProductUnit.objects.get(code="1000vien")
    client = client_for(users["department_admin"])
    delete = reverse("admin:facilities_productunit_delete", args=[unit.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:facilities_productunit_changelist"),
        {"action": "delete_selected", "_selected_action": [unit.pk], "post": "yes"},
    )
    assert ProductUnit.objects.filter(code="1000vien").exists()
    change = client.get(reverse("admin:facilities_productunit_change", args=[unit.pk]))
    assert 'name="code"' not in change.content.decode()
    assert facilities["own"].products.get().get_unit_display() == "nghìn viên"


def test_the_facility_form_leaves_the_legal_form_unknown_unless_required(
    users, client_for, settings, current_commune
) -> None:
    from facilities.forms import FacilityForm

    data = {
        "name": "Cơ sở không rõ loại hình",
        "tax_code": tax_code(95),
        "legal_form": "",
        "address": "Xóm 1",
        "administrative_unit": current_commune.pk,
        "sector": importer._Lookups.load([]).sectors["101"].pk,
        "size_class": SizeClass.objects.get(code="small").pk,
        "in_scope": "on",
    }
    form = FacilityForm(data)
    assert form.is_valid(), form.errors
    facility = form.save(commit=False)
    facility.full_clean()

    settings.FACILITY_LEGAL_FORM_REQUIRED = True
    with pytest.raises(ValidationError, match="loại hình"):
        facility.full_clean()


def test_the_template_offers_the_units_of_the_list() -> None:
    ProductUnit.objects.create(code="thung", name="thùng", quantity_kind="count")
    workbook = openpyxl.load_workbook(io.BytesIO(importer.template_workbook()))
    catalogue = workbook["Danh mục"]
    units = next(
        [cell.value for cell in column[1:] if cell.value]
        for column in catalogue.iter_cols()
        if column[0].value == "Đơn vị sản phẩm"
    )
    assert {"thùng", "nghìn viên", "tấn"} <= set(units)
    guide = [row[0] for row in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    headers = [cell.value for cell in workbook["Cơ sở"][1]]
    assert "Loại hình" in headers  # optional: no asterisk
    assert guide


def test_the_migration_gives_every_stored_unit_code_a_row(facilities) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("facilities.migrations.0012_product_units")
    # A code written before the list existed, which no shipped unit has.
    Product.objects.create(facility=facilities["own"], name="Bao bì", unit="bao")
    migration.add_units(apps, None)
    assert ProductUnit.objects.get(code="bao").name == "bao"
    assert ProductUnit.objects.filter(code="1000vien").count() == 1  # run twice, added once
