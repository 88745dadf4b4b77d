"""The Excel import of the department's existing facility registry.

The flow a view drives: `check_upload` (refuse anything that is not a sane .xlsx before openpyxl
parses it) → `read_sheet` → `guess_mapping` (the user may correct it) → `preview` (a dry run that
writes nothing and explains every problem row by row) → `apply` (all rows or none).

A preview holds model ids and dates, not a snapshot of the database: a view that confirms in a
second request should keep the uploaded file, then read, preview and apply it again, so that the
import is checked against the registry as it stands at that moment.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Literal

import openpyxl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from facilities.models import (
    AdministrativeUnit,
    Facility,
    FacilityImport,
    ImportMapping,
    IndustrialZone,
    Product,
    ProductUnit,
    Sector,
    SizeClass,
    UnitCrosswalk,
    normalise_tax_code,
)
from facilities.signals import facts_changed
from facilities.vietnamese import fold
from portal.lib import closing
from portal.models import User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
# Real spreadsheet XML compresses 5–20 times; a member far beyond that is built to explode.
MAX_COMPRESSION_RATIO = 100
# Below this size a member cannot hurt whatever its ratio, and tiny XML parts compress very well.
_RATIO_CHECK_FROM_BYTES = 1024 * 1024
# An .xlsx has a dozen parts; thousands of members only serve to exhaust the server.
_MAX_ZIP_MEMBERS = 1_000
# The OLE2 container of Excel 97–2003 files, and also of password-protected .xlsx files.
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_XLSX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# The template's drop-downs and text formats cover this many data rows.
TEMPLATE_ROWS = 2_000

StrOrPromise = str | Promise
Action = Literal["create", "update", "error"]


@dataclass(frozen=True)
class ImportField:
    key: str
    label_vi: StrOrPromise
    required: bool
    help_vi: StrOrPromise
    # Other headers registries use for this column; compared accent- and case-insensitively.
    synonyms: tuple[str, ...] = ()


FIELDS: list[ImportField] = [
    ImportField(
        "name",
        gettext_lazy("Tên cơ sở"),
        True,
        gettext_lazy("Tên đầy đủ của cơ sở."),
        (
            # their words
            "Tên doanh nghiệp",
            "Tên DN",
            "Tên công ty",
            "Tên đơn vị",
            "Tên",
            "Doanh nghiệp",
        ),
    ),
    ImportField(
        "tax_code",
        gettext_lazy("Mã số thuế"),
        True,
        gettext_lazy(
            "10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh "
            "(ví dụ 0100233488-001). Cơ sở đã có trên cổng với cùng mã số thuế sẽ được cập nhật."
        ),
        (
            # their words
            "MST",
            "Mã số DN",
            "Mã số doanh nghiệp",
            "Mã DN",
            "Mã số thuế doanh nghiệp",
        ),
    ),
    ImportField(
        "legal_form",
        gettext_lazy("Loại hình"),
        False,
        gettext_lazy(
            "Chọn trong danh sách, ví dụ Công ty TNHH, Công ty cổ phần, Hợp tác xã; để trống "
            "nếu chưa rõ."
        ),
        (
            # their words
            "Loại hình doanh nghiệp",
            "Loại hình DN",
            "Hình thức sở hữu",
            "Loại hình cơ sở",
        ),
    ),
    ImportField(
        "address",
        gettext_lazy("Địa chỉ"),
        True,
        gettext_lazy("Số nhà, đường, thôn/xóm, xã/phường."),
        ("Địa chỉ trụ sở", "Địa chỉ cơ sở", "Địa chỉ sản xuất", "Trụ sở"),
    ),
    ImportField(
        "administrative_unit",
        gettext_lazy("Huyện, thị xã, thành phố"),
        True,
        gettext_lazy(
            "Đơn vị hành chính cấp huyện nơi cơ sở đặt trụ sở: tên (ví dụ Diễn Châu, "
            "Thành phố Vinh) hoặc mã (ví dụ 425)."
        ),
        (
            "Đơn vị hành chính",
            "Huyện",
            "Địa bàn",
            "Huyện/thị xã/thành phố",
            "Huyện/thị/thành",
            "Quận/huyện",
            "Mã huyện",
        ),
    ),
    ImportField(
        "zone",
        gettext_lazy("Khu, cụm công nghiệp"),
        False,
        gettext_lazy(
            "Để trống nếu cơ sở nằm ngoài khu, cụm công nghiệp; nếu có, chọn tên trong danh sách."
        ),
        ("Khu công nghiệp", "Cụm công nghiệp", "KCN", "CCN", "KCN/CCN", "KCN, CCN"),
    ),
    ImportField(
        "sector",
        gettext_lazy("Mã ngành VSIC"),
        True,
        gettext_lazy(
            "Mã ngành VSIC 2018 cấp 3 (3 chữ số, ví dụ 101) hoặc chi tiết hơn (ví dụ 1010); "
            "có thể chọn trong danh sách."
        ),
        ("Ngành", "Mã ngành", "VSIC", "Ngành VSIC", "Ngành nghề", "Ngành kinh tế", "Mã VSIC"),
    ),
    ImportField(
        "size_class",
        gettext_lazy("Quy mô"),
        True,
        gettext_lazy("Siêu nhỏ, Nhỏ, Vừa hoặc Lớn (theo Nghị định 80/2021/NĐ-CP)."),
        # their words
        ("Quy mô doanh nghiệp", "Quy mô DN"),
    ),
    ImportField(
        "employees",
        gettext_lazy("Số lao động"),
        False,
        gettext_lazy("Số nguyên không âm, ví dụ 120."),
        ("Lao động", "Số LĐ", "Tổng số lao động", "Số công nhân"),
    ),
    ImportField(
        "contact_name",
        gettext_lazy("Người liên hệ"),
        False,
        gettext_lazy("Họ và tên người liên hệ của cơ sở."),
        ("Họ tên người liên hệ", "Liên hệ"),
    ),
    ImportField(
        "contact_phone",
        gettext_lazy("Điện thoại liên hệ"),
        False,
        gettext_lazy("Số điện thoại, ví dụ 0912345678."),
        ("Điện thoại", "Số điện thoại", "SĐT", "ĐT"),
    ),
    ImportField(
        "contact_email",
        gettext_lazy("Thư điện tử liên hệ"),
        False,
        gettext_lazy("Địa chỉ thư điện tử, ví dụ lienhe@congty.vn."),
        ("Thư điện tử", "Email", "E-mail", "Địa chỉ email"),
    ),
    ImportField(
        "started_on",
        gettext_lazy("Ngày bắt đầu hoạt động"),
        False,
        gettext_lazy("Ngày theo dạng dd/mm/yyyy, ví dụ 15/03/2012."),
        ("Ngày hoạt động", "Ngày bắt đầu", "Ngày đi vào hoạt động"),
    ),
    ImportField(
        "in_scope",
        gettext_lazy("Thuộc phạm vi chương trình"),
        False,
        gettext_lazy(
            "Có hoặc Không (có thể đánh dấu x); để trống là Có. Cơ sở thuộc phạm vi được tính "
            "vào mẫu số của các chỉ tiêu."
        ),
        ("Thuộc phạm vi", "Phạm vi", "Thuộc phạm vi SXSH"),
    ),
    ImportField(
        "product_name",
        gettext_lazy("Sản phẩm chính"),
        False,
        gettext_lazy(
            "Tên một sản phẩm chính. Cơ sở đã có được thêm sản phẩm này nếu chưa có sản phẩm "
            "cùng tên."
        ),
        ("Sản phẩm", "Tên sản phẩm", "Sản phẩm chủ yếu"),
    ),
    ImportField(
        "product_unit",
        gettext_lazy("Đơn vị sản phẩm"),
        False,
        gettext_lazy("Bắt buộc khi có sản phẩm chính: chọn trong danh sách, ví dụ tấn, m³."),
        ("Đơn vị tính", "ĐVT", "Đơn vị", "Đơn vị tính sản phẩm"),
    ),
]
FIELDS_BY_KEY: dict[str, ImportField] = {item.key: item for item in FIELDS}
# Fields whose missing column may be filled with a value chosen on the mapping step.
DEFAULTABLE = (
    "legal_form",
    "administrative_unit",
    "zone",
    "sector",
    "size_class",
    "in_scope",
    "product_unit",
)


def is_required(item: ImportField) -> bool:
    """Legal form is required only where the Department decided so (see README's settings)."""
    if item.key == "legal_form":
        return settings.FACILITY_LEGAL_FORM_REQUIRED
    return item.required


# The grey example row of the template. While it is left unchanged it is skipped, so a user who
# types below it instead of over it does not import a fictitious facility.
_EXAMPLE_NAME = "VÍ DỤ - Công ty TNHH Chế biến thực phẩm Sen Vàng"
_EXAMPLE_TAX_CODE = "0100233488"


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list[object]]
    # The Excel row number of each of `rows`, so that messages point at what the user sees.
    row_numbers: list[int] = field(default_factory=list)
    # (position in `rows`, column index) → the formula of a formula cell; `rows` holds the
    # value Excel stored for it.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class RowResult:
    number: int
    values: dict[str, str]
    errors: list[str]
    action: Action
    facility_id: int | None
    cleaned: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)
    # A unit of production the list does not have yet (a department admin may add it).
    unknown_unit: str | None = None


@dataclass(frozen=True)
class FormulaCell:
    number: int
    column: str
    formula: str
    value: str


@dataclass
class Preview:
    rows: list[RowResult]
    to_create: int
    to_update: int
    error_count: int
    mapping_errors: list[str]
    formulas: list[FormulaCell] = field(default_factory=list)
    # The unit as written → the rows that use it.
    unknown_units: dict[str, list[int]] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.mapping_errors) or self.error_count > 0

    @property
    def warning_count(self) -> int:
        return sum(1 for row in self.rows if row.warnings)


class Cancelled(Exception):
    """Raised by a progress callback when the user cancelled the import."""


# Called with (rows done, rows in all) every PROGRESS_EVERY rows; may raise Cancelled.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class ImportResult:
    created: int
    updated: int
    products_created: int = 0


# --- Checking the upload ----------------------------------------------------------------------


def check_upload(uploaded: UploadedFile) -> None:
    """Refuse anything but a sane .xlsx before openpyxl parses it.

    The zip directory is inspected first: openpyxl would otherwise inflate whatever the archive
    holds, and a few kilobytes can expand to gigabytes.
    """
    extension = Path(uploaded.name or "").suffix.lower()
    if extension != ".xlsx":
        if extension == ".xls":
            raise ValidationError(
                _(
                    "Tệp .xls (Excel 97–2003) không được hỗ trợ: vui lòng mở tệp bằng Excel, chọn "
                    "Lưu thành (Save As) định dạng .xlsx rồi tải lên lại."
                )
            )
        raise ValidationError(
            _(
                "Chỉ nhận tệp Excel .xlsx (tệp đang chọn có đuôi “%(extension)s”): vui lòng lưu "
                "danh sách dưới dạng Excel Workbook (.xlsx) hoặc dùng tệp mẫu của cổng."
            )
            % {"extension": extension or _("không có đuôi")}
        )
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _(
                "Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB: vui lòng chia danh sách thành "
                "nhiều tệp."
            )
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(MAX_UPLOAD_BYTES)}
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(_OLE2_SIGNATURE):
        raise ValidationError(
            _(
                "Tệp đang được đặt mật khẩu, hoặc là tệp Excel 97–2003 đã đổi đuôi thành .xlsx: "
                "vui lòng gỡ mật khẩu và lưu lại dưới dạng .xlsx."
            )
        )
    if not head.startswith(_ZIP_SIGNATURE):
        raise ValidationError(
            _(
                "Tệp không phải tệp Excel .xlsx (có thể là tệp khác đã bị đổi đuôi): vui lòng mở "
                "danh sách bằng Excel và lưu lại dưới dạng .xlsx."
            )
        )
    try:
        with zipfile.ZipFile(uploaded) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ValidationError(
            _("Tệp bị hỏng, không đọc được: vui lòng mở tệp bằng Excel, lưu lại rồi tải lên lại.")
        ) from exc
    except RuntimeError as exc:
        # zipfile raises RuntimeError for encrypted members it was given no password for.
        raise ValidationError(
            _("Tệp đang được đặt mật khẩu: vui lòng gỡ mật khẩu rồi tải lên lại.")
        ) from exc
    finally:
        uploaded.seek(0)


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > _MAX_ZIP_MEMBERS:
        raise ValidationError(
            _("Tệp không phải một bảng tính Excel hợp lệ: có quá nhiều thành phần.")
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ValidationError(
                _("Tệp đang được đặt mật khẩu: vui lòng gỡ mật khẩu rồi tải lên lại.")
            )
        # The declared size is trustworthy as a bound: zipfile stops inflating a member there.
        total += member.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _(
                    "Tệp khi giải nén vượt quá %(limit)s MB, không giống một danh sách cơ sở: "
                    "vui lòng kiểm tra lại tệp hoặc chia thành nhiều tệp."
                )
                % {"limit": _megabytes(MAX_UNCOMPRESSED_BYTES)}
            )
        if (
            member.file_size > _RATIO_CHECK_FROM_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise ValidationError(
                _(
                    "Tệp có thành phần nén bất thường (tỷ lệ nén trên %(ratio)s lần) và bị từ chối "
                    "vì lý do an toàn: vui lòng mở tệp bằng Excel, lưu lại rồi tải lên lại."
                )
                % {"ratio": MAX_COMPRESSION_RATIO}
            )
    names = {member.filename for member in members}
    # A .docx, .ods or a macro workbook is a zip too; only a plain workbook has this main part.
    if "[Content_Types].xml" not in names or _XLSX_MAIN_PART not in archive.read(
        "[Content_Types].xml"
    ):
        raise ValidationError(
            _(
                "Tệp không phải bảng tính Excel .xlsx: vui lòng mở danh sách bằng Excel và lưu "
                "dưới dạng Excel Workbook (.xlsx)."
            )
        )
    if archive.testzip() is not None:
        raise ValidationError(
            _("Tệp bị hỏng, không đọc được: vui lòng mở tệp bằng Excel, lưu lại rồi tải lên lại.")
        )


def _megabytes(size: int) -> str:
    # Rounded up, so that a file just over the limit does not read as "5 MB, over 5 MB".
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths // 10},{tenths % 10}" if tenths % 10 else str(tenths // 10)


# --- Reading the sheet ------------------------------------------------------------------------


@contextmanager
def _workbook(path_or_file: str | Path | IO[bytes], *, formulas: bool = False) -> Iterator[Any]:
    """The workbook opened read-only; whatever openpyxl raises, opening it or reading its rows
    lazily later, becomes one message the user can act on."""
    if not isinstance(path_or_file, str | Path):
        path_or_file.seek(0)
    unreadable = _("Không đọc được tệp Excel: vui lòng mở tệp bằng Excel, lưu lại rồi tải lên lại.")
    try:
        workbook = openpyxl.load_workbook(path_or_file, read_only=True, data_only=not formulas)
    except Exception as exc:  # A broken file can fail anywhere inside openpyxl.
        raise ValidationError(unreadable) from exc
    try:
        yield workbook
    except ValidationError:
        raise
    except Exception as exc:  # Read-only mode parses rows lazily: errors surface while iterating.
        raise ValidationError(unreadable) from exc
    finally:
        # Read-only workbooks keep the file open until closed.
        workbook.close()


def read_sheet(path_or_file: str | Path | IO[bytes]) -> Sheet:
    """The first visible worksheet: its header row and the non-empty rows below it.

    The header is the first row with at least two filled cells, so a title line above the table
    ("DANH SÁCH CƠ SỞ …") is passed over. Formulas are never evaluated: a formula cell reads as
    the value Excel cached when it last saved the file, or None when there is none.
    Call `check_upload` first on anything a user sent.
    """
    with _workbook(path_or_file) as workbook:
        sheet, index = _read_first_sheet(workbook)
    if not _has_formulas(path_or_file):
        return sheet
    # A second pass with formulas rather than values: the only way openpyxl tells which cells
    # are formulas. Their stored values stay what is imported; the dry run shows both.
    with _workbook(path_or_file, formulas=True) as workbook:
        _find_formulas(workbook.worksheets[index], sheet)
    return sheet


def read_headers(handle: IO[bytes]) -> list[str]:
    """The header row alone, for the mapping step: a large file is read in full by the task."""
    with _workbook(handle) as workbook:
        return _read_first_sheet(workbook, headers_only=True)[0].headers


# A formula element of a worksheet part (<f>, <f t="shared" …/>, or prefixed: <x:f>).
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path_or_file: str | Path | IO[bytes]) -> bool:
    """Whether any worksheet holds a formula: a scan of the raw XML, far cheaper than the
    second parse that finding them takes (most registries have none)."""
    if not isinstance(path_or_file, str | Path):
        path_or_file.seek(0)
    with zipfile.ZipFile(path_or_file) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            tail = b""
            with archive.open(name) as part:
                while chunk := part.read(1024 * 1024):
                    if _FORMULA_ELEMENT.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _find_formulas(worksheet: Any, sheet: Sheet) -> None:
    position_of = {number: position for position, number in enumerate(sheet.row_numbers)}
    width = len(sheet.headers)
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        position = position_of.get(number)
        if position is None:
            continue
        stored = sheet.rows[position]
        for column, value in enumerate(values[:width]):
            # A text cell typed as "=abc" reads the same in both passes; a formula does not.
            if isinstance(value, str) and value.startswith("=") and stored[column] != value:
                sheet.formulas[(position, column)] = value


def _read_first_sheet(workbook: Any, *, headers_only: bool = False) -> tuple[Sheet, int]:
    worksheets = workbook.worksheets
    visible = [ws for ws in worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not worksheets:
        raise ValidationError(_("Tệp không có trang tính nào."))
    worksheet = (visible or worksheets)[0]
    index = worksheets.index(worksheet)
    headers: list[str] | None = None
    rows: list[list[object]] = []
    numbers: list[int] = []
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = list(values)
        filled = sum(1 for value in cells if not _is_blank(value))
        if headers is None:
            if filled >= 2:
                headers = [_text(value) for value in cells]
                while headers and not headers[-1]:
                    headers.pop()
                if headers_only:
                    break
            continue
        if filled == 0:
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("Tệp có hơn %(limit)s dòng dữ liệu: vui lòng chia danh sách thành nhiều tệp.")
                % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        width = len(headers)
        rows.append((cells + [None] * width)[:width])
        numbers.append(number)
    if headers is None:
        raise ValidationError(
            _(
                "Không tìm thấy dòng tiêu đề: trang tính đầu tiên phải có một dòng tên cột "
                "(Tên cơ sở, Mã số thuế, …) phía trên danh sách."
            )
        )
    return Sheet(headers=headers, rows=rows, row_numbers=numbers), index


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as the user reads it, with spacing and Unicode form made regular."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    # Text pasted from the web or typed on a Mac may be decomposed (NFD) or carry no-break spaces.
    text = unicodedata.normalize("NFC", str(value)).replace("\xa0", " ")
    return " ".join(text.split())


def _key(text: str) -> str:
    """The form two names are compared in: no accents, no case, "m³" equal to "m3"."""
    return fold(unicodedata.normalize("NFKC", text))


# --- Mapping columns to fields ----------------------------------------------------------------


# Abbreviations registries write in headers, as whole words (after accents are removed).
_HEADER_WORDS = {
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "q": "quan",
    "h": "huyen",
    "dn": "doanh nghiep",
    "dvhc": "don vi hanh chinh",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "ld": "lao dong",
    "dvt": "don vi tinh",
    "sp": "san pham",
    "mst": "ma so thue",
    "kcn": "khu cong nghiep",
    "ccn": "cum cong nghiep",
    "email": "thu dien tu",
    "e mail": "thu dien tu",
}
_HEADER_NOISE = {"stt"}


def _header_keys(text: str) -> set[str]:
    """The forms a header is compared in: its words without accents, case, punctuation, notes
    in brackets or abbreviations, in any order ("Huyện/TP/Thị xã" = "Huyện, thị xã, thành
    phố")."""
    folded = _key(text).replace("*", " ")
    without_notes = re.sub(r"\(.*?\)", " ", folded)
    keys = set()
    for variant in (folded, without_notes):
        plain = " ".join(re.sub(r"[^0-9a-z]+", " ", variant).split())
        if not plain:
            continue
        expanded = " ".join(_HEADER_WORDS.get(word, word) for word in plain.split())
        for form in (plain, expanded):
            keys.add(" ".join(sorted(form.split())))
    return keys


def headers_key(headers: list[str]) -> str:
    """What identifies a layout of columns whatever their order: the set of normalised headers."""
    normalised = sorted({min(_header_keys(header), default="") for header in headers} - {""})
    return hashlib.sha256("\n".join(normalised).encode()).hexdigest()


def _candidates(item: ImportField) -> set[str]:
    names = [*item.synonyms]
    # Both interface languages' labels, so that a header matches whoever reads the page.
    for language in ("vi", "en"):
        with translation.override(language):
            names.append(str(item.label_vi))
    candidates: set[str] = set()
    for name in names:
        candidates |= _header_keys(name)
    return candidates


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Each field's column, found by its label or a usual synonym; None when no header fits.

    An exact match (in any word order, abbreviations expanded) wins; failing that, a header
    containing every word of a label of two words or more ("Tên cơ sở sản xuất").
    """
    column_keys = [_header_keys(header or "") for header in headers]
    candidates = {item.key: _candidates(item) for item in FIELDS}
    mapping: dict[str, int | None] = {item.key: None for item in FIELDS}
    used: set[int] = set()
    for item in FIELDS:
        for index, keys in enumerate(column_keys):
            if index not in used and keys & candidates[item.key]:
                mapping[item.key] = index
                used.add(index)
                break
    wanted = {
        key: [set(c.split()) for c in found if len(c.split()) >= 2]
        for key, found in candidates.items()
    }
    for index, keys in enumerate(column_keys):
        if index in used:
            continue
        words = set().union(*(key.split() for key in keys)) - _HEADER_NOISE
        # The field whose label covers most of the header: "Điện thoại người liên hệ" is the
        # phone, not the contact's name.
        best, best_size = None, 0
        for item in FIELDS:
            if mapping[item.key] is not None:
                continue
            size = max((len(need) for need in wanted[item.key] if need <= words), default=0)
            if size > best_size:
                best, best_size = item.key, size
        if best is not None:
            mapping[best] = index
            used.add(index)
    return mapping


def remembered_mapping(headers: list[str], stored: dict[str, str]) -> dict[str, int | None]:
    """A mapping saved as field → header, applied to this file's column order."""
    index_of = {}
    for index, header in enumerate(headers):
        index_of.setdefault(min(_header_keys(header), default=""), index)
    return {
        item.key: index_of.get(stored[item.key]) if stored.get(item.key) else None
        for item in FIELDS
    }


def mapping_to_remember(headers: list[str], mapping: dict[str, int | None]) -> dict[str, str]:
    return {
        key: min(_header_keys(headers[index]), default="")
        for key, index in mapping.items()
        if index is not None and 0 <= index < len(headers)
    }


def _check_mapping(
    sheet: Sheet, mapping: dict[str, int | None], defaults: dict[str, str]
) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    errors: list[str] = []
    for item in FIELDS:
        index = mapping.get(item.key)
        if index is None:
            if is_required(item) and not defaults.get(item.key):
                errors.append(
                    _(
                        "Chưa chọn cột cho “%(label)s”: đây là thông tin bắt buộc, vui lòng chọn "
                        "cột hoặc một giá trị mặc định."
                    )
                    % {"label": item.label_vi}
                )
            continue
        if not 0 <= index < len(sheet.headers):
            errors.append(
                _("Cột được chọn cho “%(label)s” không có trong tệp: vui lòng chọn lại.")
                % {"label": item.label_vi}
            )
            continue
        columns[item.key] = index
    by_column: dict[int, list[str]] = {}
    for key, index in columns.items():
        by_column.setdefault(index, []).append(key)
    for index, keys in by_column.items():
        if len(keys) > 1:
            errors.append(
                _(
                    "Cột %(column)s được chọn cho nhiều trường (%(labels)s): mỗi cột chỉ dùng cho "
                    "một trường."
                )
                % {
                    "column": _column_name(sheet, index),
                    "labels": ", ".join(f"“{FIELDS_BY_KEY[key].label_vi}”" for key in keys),
                }
            )
    if (
        "product_name" in columns
        and "product_unit" not in columns
        and not defaults.get("product_unit")
    ):
        errors.append(
            _("Đã chọn cột “%(product)s” nhưng chưa chọn cột “%(unit)s”: sản phẩm cần có đơn vị.")
            % {
                "product": FIELDS_BY_KEY["product_name"].label_vi,
                "unit": FIELDS_BY_KEY["product_unit"].label_vi,
            }
        )
    return columns, errors


def _column_name(sheet: Sheet, index: int) -> str:
    header = sheet.headers[index] if index < len(sheet.headers) else ""
    letter = get_column_letter(index + 1)
    return f"{letter} “{header}”" if header else letter


# --- Reference data, loaded once per preview --------------------------------------------------

_UNIT_PREFIX = re.compile(r"^(?:huyen|thi xa|thanh pho|tp|tx|h|q|quan)(?:\.\s*|\s+)")
_LEGAL_FORM_SYNONYMS = {
    "tnhh": Facility.LegalForm.LIMITED,
    "cong ty trach nhiem huu han": Facility.LegalForm.LIMITED,
    "trach nhiem huu han": Facility.LegalForm.LIMITED,
    "cp": Facility.LegalForm.JOINT_STOCK,
    "ctcp": Facility.LegalForm.JOINT_STOCK,
    "co phan": Facility.LegalForm.JOINT_STOCK,
    "dntn": Facility.LegalForm.PRIVATE,
    "tu nhan": Facility.LegalForm.PRIVATE,
    "dnnn": Facility.LegalForm.STATE,
    "nha nuoc": Facility.LegalForm.STATE,
    "hop danh": Facility.LegalForm.PARTNERSHIP,
    "von dau tu nuoc ngoai": Facility.LegalForm.FOREIGN,
    "htx": Facility.LegalForm.COOPERATIVE,
    "ho kinh doanh": Facility.LegalForm.HOUSEHOLD,
    "hkd": Facility.LegalForm.HOUSEHOLD,
    # The label of earlier templates.
    "ho kinh doanh, lang nghe": Facility.LegalForm.HOUSEHOLD,
    "lang nghe": Facility.LegalForm.HOUSEHOLD,
}
_YES = {"co", "x", "c", "yes", "y", "1", "true", "dung", "co thuoc", "thuoc"}
_NO = {"khong", "k", "no", "n", "0", "false", "sai", "khong thuoc"}


@dataclass
class _Lookups:
    units: dict[str, AdministrativeUnit]
    # "commune|district" (keys without prefixes) → a plan-era commune and where it went
    # (new unit, needs a decision) by the crosswalk.
    old_communes: dict[str, tuple[AdministrativeUnit, list[tuple[AdministrativeUnit, bool]]]]
    sectors: dict[str, Sector]
    sectors_by_name: dict[str, Sector]
    shallow_sectors: dict[str, Sector]
    size_classes: dict[str, SizeClass]
    zones: dict[str, IndustrialZone | None]
    legal_forms: dict[str, str]
    product_units: dict[str, str]
    existing: dict[str, Facility]

    @cached_property
    def sectors_by_pk(self) -> dict[int, Sector]:
        return {sector.pk: sector for sector in self.sectors.values()}

    @classmethod
    def load(cls, tax_codes: Iterable[str]) -> _Lookups:
        units: dict[str, AdministrativeUnit] = {}
        district_units = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
        # A code or name used in several periods means its latest unit: later ones overwrite.
        for unit in sorted(
            district_units, key=lambda u: (u.valid_to is None, u.valid_to or datetime.date.min)
        ):
            units[unit.code] = unit
            units[_key(unit.name)] = unit
        units, old_communes = _add_communes(units)
        sectors, sectors_by_name, shallow = {}, {}, {}
        for sector in Sector.objects.all():
            if sector.level >= 3:
                sectors[sector.code] = sector
                sectors_by_name[_key(sector.name)] = sector
                if sector.name_en:
                    sectors_by_name.setdefault(_key(sector.name_en), sector)
            else:
                shallow[sector.code] = sector
        size_classes: dict[str, SizeClass] = {}
        for size in SizeClass.objects.all():
            size_classes[_key(size.code)] = size
            size_classes[_key(size.name)] = size
        zones: dict[str, IndustrialZone | None] = {}
        bare: dict[str, list[IndustrialZone]] = {}
        for zone in IndustrialZone.objects.all():
            zones[_zone_key(zone.name)] = zone
            bare.setdefault(_zone_bare_key(zone.name), []).append(zone)
        for name, found in bare.items():
            # "Bắc Vinh" for "KCN Bắc Vinh" only when no other zone shares the bare name.
            zones.setdefault(name, found[0] if len(found) == 1 else None)
        legal_forms = dict(_LEGAL_FORM_SYNONYMS)
        # Labels in every interface language: what a file says must not depend on who reads it.
        for language in ("vi", "en"):
            with translation.override(language):
                for value, label in Facility.LegalForm.choices:
                    legal_forms[_key(value)] = value
                    legal_forms[_key(str(label))] = value
        product_units: dict[str, str] = {}
        for unit in ProductUnit.objects.all():
            for written in unit.spellings():
                product_units.setdefault(_key(written), unit.code)
        existing: dict[str, Facility] = {}
        codes = sorted(set(tax_codes))
        # Chunked: SQLite builds limit the number of parameters in one query.
        for start in range(0, len(codes), 500):
            for facility in Facility.objects.filter(tax_code__in=codes[start : start + 500]):
                existing[facility.tax_code] = facility
        return cls(
            units=units,
            old_communes=old_communes,
            sectors=sectors,
            sectors_by_name=sectors_by_name,
            shallow_sectors=shallow,
            size_classes=size_classes,
            zones=zones,
            legal_forms=legal_forms,
            product_units=product_units,
            existing=existing,
        )


_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|thi tran|tt|p)(?:\.\s*|\s+)")


def _add_communes(
    units: dict[str, AdministrativeUnit],
) -> tuple[
    dict[str, AdministrativeUnit],
    dict[str, tuple[AdministrativeUnit, list[tuple[AdministrativeUnit, bool]]]],
]:
    """The communes a file may name: today's by code, "Xã Diễn Châu" or a bare name no district
    has; the plan-era ones with their district ("Xã Diễn Kỷ, Diễn Châu"), converted through
    the crosswalk."""
    today = timezone.localdate()
    went: dict[int, list[tuple[AdministrativeUnit, bool]]] = {}
    for row in UnitCrosswalk.objects.select_related("new_unit"):
        went.setdefault(row.old_unit_id, []).append((row.new_unit, row.needs_decision))
    old_communes = {}
    communes = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
    with translation.override("vi"):
        for unit in communes.select_related("parent"):
            if unit.valid_to is None or unit.valid_to >= today:
                units[unit.code] = unit
                units[_key(str(unit))] = unit
                units.setdefault(_key(unit.name), unit)
            elif unit.parent is not None:
                district = _UNIT_PREFIX.sub("", _key(unit.parent.name))
                old_communes[f"{_key(unit.name)}|{district}"] = (unit, went.get(unit.pk, []))
    return units, old_communes


def _zone_key(text: str) -> str:
    key = _key(text)
    key = re.sub(r"^khu cong nghiep\b", "kcn", key)
    key = re.sub(r"^cum cong nghiep\b", "ccn", key)
    return re.sub(r"^(kcn|ccn)\.\s*", r"\1 ", key)


def _zone_bare_key(text: str) -> str:
    return re.sub(r"^(kcn|ccn) ", "", _zone_key(text))


# --- Preview ----------------------------------------------------------------------------------


def preview(
    sheet: Sheet,
    mapping: dict[str, int | None],
    defaults: dict[str, str] | None = None,
    *,
    progress: Progress = _no_progress,
) -> Preview:
    """Check every row against the registry and the reference lists; write nothing.

    A row whose tax code is in the registry updates that facility, and there a blank optional
    cell keeps the value on record. `defaults` (field key → a value as a cell would hold it)
    fill the blank or missing cells of new facilities only. The template's example row, left
    unchanged, is skipped. When the mapping itself is wrong the rows are not checked (every row
    would repeat the same complaint): `mapping_errors` says what to choose, and `rows` is empty.
    """
    defaults = {key: value for key, value in (defaults or {}).items() if value}
    columns, mapping_errors = _check_mapping(sheet, mapping, defaults)
    if mapping_errors:
        return Preview(
            rows=[], to_create=0, to_update=0, error_count=0, mapping_errors=mapping_errors
        )
    numbers = sheet.row_numbers or [index + 2 for index in range(len(sheet.rows))]
    rows = [
        _SheetRow(number, cells, columns, sheet, position)
        for position, (number, cells) in enumerate(zip(numbers, sheet.rows, strict=True))
    ]
    rows = [row for row in rows if not row.is_untouched_example()]
    lookups = _Lookups.load(code for row in rows if (code := row.tax_code()) is not None)
    first_row_of: dict[str, int] = {}
    results = []
    with closing.period_read_once():
        for done, row in enumerate(rows, start=1):
            code = row.tax_code()
            if code is not None and code in first_row_of:
                row.fail(
                    "tax_code",
                    _(
                        "Mã số thuế %(code)s đã có ở dòng %(first)s của tệp: mỗi cơ sở chỉ ghi "
                        "một dòng, vui lòng xóa hoặc gộp các dòng trùng."
                    )
                    % {"code": code, "first": first_row_of[code]},
                )
            elif code is not None:
                first_row_of[code] = row.number
            existing = lookups.existing.get(code) if code else None
            if existing is None:
                row.defaults = defaults
            results.append(row.check(existing, lookups))
            if done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
    progress(len(rows), len(rows))
    formulas = [
        FormulaCell(
            number=numbers[position],
            column=_column_name(sheet, column),
            formula=formula[:200],
            value=_text(sheet.rows[position][column]),
        )
        for (position, column), formula in sorted(sheet.formulas.items())
    ]
    unknown_units: dict[str, list[int]] = {}
    for result in results:
        if result.unknown_unit:
            unknown_units.setdefault(result.unknown_unit, []).append(result.number)
    return Preview(
        rows=results,
        to_create=sum(1 for result in results if result.action == "create"),
        to_update=sum(1 for result in results if result.action == "update"),
        error_count=sum(1 for result in results if result.action == "error"),
        mapping_errors=[],
        formulas=formulas,
        unknown_units=unknown_units,
    )


# Text a spreadsheet may take for a formula when the sheet is opened again (CSV/formula
# injection); numbers and phone numbers such as +84 912 345 678 are not flagged.
_FORMULA_LIKE = re.compile(r"[=+\-@]")
_SIGNED_NUMBER = re.compile(r"[+\-][\d\s.,()]+")


class _SheetRow:
    """One data row being checked: its cells by field, and the problems found so far."""

    def __init__(
        self,
        number: int,
        cells: list[object],
        columns: dict[str, int],
        sheet: Sheet,
        position: int = 0,
    ):
        self.number = number
        self.cells = cells
        self.columns = columns
        self.sheet = sheet
        self.position = position
        self.defaults: dict[str, str] = {}
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.unknown_unit: str | None = None
        self.failed: set[str] = set()
        self._tax_code: str | None = None
        self._tax_code_read = False

    def raw(self, key: str) -> object:
        index = self.columns.get(key)
        value = None if index is None or index >= len(self.cells) else self.cells[index]
        if _is_blank(value) and key in self.defaults:
            return self.defaults[key]
        return value

    def _flag_formula_like_text(self) -> None:
        for key, index in self.columns.items():
            if (self.position, index) in self.sheet.formulas:
                self.warnings.append(
                    _(
                        "Cột %(column)s là công thức %(formula)s: giá trị được nhập là giá trị "
                        "bảng tính đã lưu, “%(value)s”."
                    )
                    % {
                        "column": _column_name(self.sheet, index),
                        "formula": self.sheet.formulas[(self.position, index)][:80],
                        "value": self.text(key),
                    }
                )
                continue
            value = self.cells[index] if index < len(self.cells) else None
            if (
                isinstance(value, str)
                and _FORMULA_LIKE.match(value.strip())
                and not _SIGNED_NUMBER.fullmatch(value.strip())
            ):
                self.warnings.append(
                    _(
                        "Cột %(column)s bắt đầu bằng “%(first)s”: bảng tính có thể hiểu ô này là "
                        "công thức; vui lòng kiểm tra lại nội dung “%(value)s”."
                    )
                    % {
                        "column": _column_name(self.sheet, index),
                        "first": value.strip()[0],
                        "value": _text(value)[:80],
                    }
                )

    def text(self, key: str) -> str:
        return _text(self.raw(key))

    def fail(self, key: str, problem: str) -> None:
        self.failed.add(key)
        index = self.columns.get(key)
        if index is None:
            self.errors.append(f"{FIELDS_BY_KEY[key].label_vi}: {problem}")
        else:
            self.errors.append(
                _("Cột %(column)s: %(problem)s")
                % {"column": _column_name(self.sheet, index), "problem": problem}
            )

    def is_untouched_example(self) -> bool:
        return (
            _key(self.text("name")) == _key(_EXAMPLE_NAME)
            and _tax_code_text(self.raw("tax_code")) == _EXAMPLE_TAX_CODE
        )

    def tax_code(self) -> str | None:
        """The normalised tax code, or None (with the error recorded) when it is missing or bad."""
        if self._tax_code_read:
            return self._tax_code
        self._tax_code_read = True
        text = _tax_code_text(self.raw("tax_code"))
        if text:
            try:
                self._tax_code = normalise_tax_code(text)
            except ValidationError as exc:
                self.fail("tax_code", exc.messages[0])
        return self._tax_code

    def check(self, existing: Facility | None, lookups: _Lookups) -> RowResult:
        values = {key: self.text(key) for key in {*self.columns, *self.defaults}}
        self._flag_formula_like_text()
        for item in FIELDS:
            # A column the file lacks leaves an existing facility's value as it is.
            lacking = item.key not in self.columns and existing is not None
            if (
                is_required(item)
                and not lacking
                and not self.text(item.key)
                and item.key not in self.failed
            ):
                self.fail(
                    item.key,
                    _("Đang để trống nhưng là thông tin bắt buộc: vui lòng nhập %(label)s.")
                    % {"label": _lower_first(str(item.label_vi))},
                )
        changes = self._read_fields(lookups)
        changes_product = self._read_product(lookups)
        if existing is not None:
            instance = copy.copy(existing)
            for name, value in changes.items():
                setattr(instance, name, value)
        else:
            instance = Facility(**changes)
        if "sector_id" in changes:
            # Facility.clean() reads the sector's level: from the list loaded once, not a query.
            instance.sector = lookups.sectors_by_pk[changes["sector_id"]]
        self._validate_model(instance, changes_product)
        if self.errors:
            return RowResult(
                number=self.number,
                values=values,
                errors=self.errors,
                action="error",
                facility_id=existing.pk if existing else None,
                cleaned=None,
                warnings=self.warnings,
                unknown_unit=self.unknown_unit,
            )
        return RowResult(
            number=self.number,
            values=values,
            errors=[],
            action="update" if existing else "create",
            facility_id=existing.pk if existing else None,
            cleaned={"facility": changes, "product": changes_product},
            warnings=self.warnings,
        )

    def _read_fields(self, lookups: _Lookups) -> dict[str, Any]:
        """Model attribute → value for every filled, valid cell.

        Blank optional cells are left out, so that updating a facility keeps what the registry
        already knows rather than erasing it.
        """
        changes: dict[str, Any] = {}
        code = self.tax_code()
        if code:
            changes["tax_code"] = code
        for key in ("name", "address", "contact_name", "contact_phone", "contact_email"):
            text = _phone_text(self.raw(key)) if key == "contact_phone" else self.text(key)
            if text:
                changes[key] = text
        readers = {
            "legal_form": ("legal_form", self._legal_form),
            "administrative_unit": ("administrative_unit_id", self._unit),
            "zone": ("zone_id", self._zone),
            "sector": ("sector_id", self._sector),
            "size_class": ("size_class_id", self._size_class),
            "employees": ("employees", self._employees),
            "started_on": ("started_on", self._date),
            "in_scope": ("in_scope", self._in_scope),
        }
        for key, (attribute, reader) in readers.items():
            if _is_blank(self.raw(key)):
                continue
            problem, value = reader(key, lookups)
            if problem:
                self.fail(key, problem)
            else:
                changes[attribute] = value
        return changes

    def _read_product(self, lookups: _Lookups) -> dict[str, str] | None:
        name = self.text("product_name")
        unit_text = self.text("product_unit")
        if not name and not unit_text:
            return None
        if not name:
            self.fail(
                "product_name",
                _(
                    "Có đơn vị sản phẩm nhưng chưa có tên sản phẩm: vui lòng nhập tên hoặc xóa "
                    "đơn vị."
                ),
            )
            return None
        if not unit_text:
            self.fail(
                "product_unit",
                _("Có sản phẩm chính nhưng chưa có đơn vị: vui lòng nhập đơn vị, ví dụ tấn."),
            )
            return None
        unit = lookups.product_units.get(_key(unit_text))
        if unit is None:
            # Not a mistake in the file: a unit the list lacks, which an admin may add.
            self.unknown_unit = unit_text
            self.fail(
                "product_unit",
                _(
                    "Đơn vị “%(value)s” chưa có trong danh mục đơn vị sản phẩm: quản trị viên Sở "
                    "có thể thêm đơn vị này ngay trên trang kiểm tra, rồi kiểm tra lại."
                )
                % {"value": unit_text},
            )
            return None
        return {"name": name, "unit": unit}

    def _validate_model(self, instance: Facility, product: dict[str, str] | None) -> None:
        """The model's own rules (lengths, e-mail, dates), for what the readers did not cover.

        Foreign keys were resolved from the lists loaded once, and uniqueness is settled by the
        tax-code match: excluding both spares several queries per row on a 20,000-row file.
        `apply` validates every row again when the import is written.
        """
        model_fields = {
            "legal_form": "legal_form",
            "administrative_unit": "administrative_unit",
            "zone": "zone",
            "sector": "sector",
            "size_class": "size_class",
        }
        exclude = set(model_fields.values())
        exclude |= {key for key in self.failed if key in FIELDS_BY_KEY and key not in model_fields}
        try:
            instance.full_clean(
                exclude=sorted(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                # Model.clean() reports a start after the closing date on closed_on, which the
                # import does not carry: the cell to fix is the start date.
                key = "started_on" if name == "closed_on" else name
                if key in self.failed:
                    continue
                for message in messages:
                    if key in self.columns:
                        self.fail(key, message)
                    elif name == NON_FIELD_ERRORS:
                        self.errors.append(message)
                    else:
                        label = Facility._meta.get_field(name).verbose_name
                        self.errors.append(f"{str(label).capitalize()}: {message}")
        if product is not None:
            try:
                # The unit was resolved from the list loaded once: not looked up again per row.
                Product(name=product["name"], unit=product["unit"]).full_clean(
                    exclude=["facility", "unit"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    key = "product_unit" if name == "unit" else "product_name"
                    for message in messages:
                        self.fail(key, message)

    def _legal_form(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        text = self.text(key)
        value = lookups.legal_forms.get(_key(text))
        if value is None:
            return (
                _(
                    "Loại hình “%(value)s” không có trong danh mục: vui lòng nhập một trong "
                    "%(choices)s."
                )
                % {"value": text, "choices": _choices(Facility.LegalForm.labels)},
                None,
            )
        return None, value

    def _unit(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        text = _code_text(self.raw(key))
        unit = (
            lookups.units.get(text)
            or lookups.units.get(_key(text))
            or lookups.units.get(_UNIT_PREFIX.sub("", _key(text)))
        )
        if unit is None and "," in text:
            return self._old_commune(text, lookups)
        if unit is None:
            return (
                _(
                    "Không tìm thấy huyện, thị xã hoặc thành phố “%(value)s”: vui lòng nhập tên "
                    "(ví dụ Diễn Châu) hoặc mã (ví dụ 425)."
                )
                % {"value": text},
                None,
            )
        return None, unit.pk

    def _old_commune(self, text: str, lookups: _Lookups) -> tuple[str | None, Any]:
        """A commune before 01/07/2025 with its district, converted to today's commune."""
        commune, district = (part.strip() for part in text.rsplit(",", 1))
        found = lookups.old_communes.get(
            f"{_COMMUNE_PREFIX.sub('', _key(commune))}|{_UNIT_PREFIX.sub('', _key(district))}"
        )
        if found is None:
            return (
                _(
                    "Không tìm thấy xã “%(commune)s” của huyện “%(district)s” trước "
                    "01/07/2025: vui lòng nhập tên xã, phường hiện hành (ví dụ Xã Diễn Châu)."
                )
                % {"commune": commune, "district": district},
                None,
            )
        old, went = found
        if len(went) != 1 or went[0][1]:
            return (
                _(
                    "%(old)s (%(district)s) được chia cho nhiều đơn vị (%(new)s): vui lòng "
                    "nhập đơn vị cấp xã hiện hành của cơ sở."
                )
                % {
                    "old": old,
                    "district": old.parent,
                    "new": ", ".join(str(new) for new, _decide in went) or "—",
                },
                None,
            )
        new = went[0][0]
        self.warnings.append(
            _("%(old)s (%(district)s) nay là %(new)s: cơ sở được ghi vào %(new)s.")
            % {"old": old, "district": old.parent, "new": new}
        )
        return None, new.pk

    def _zone(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        text = self.text(key)
        zone = lookups.zones.get(_zone_key(text))
        if zone is None:
            return (
                _(
                    "Không tìm thấy khu, cụm công nghiệp “%(value)s”: vui lòng chọn tên trong danh "
                    "sách, hoặc để trống nếu cơ sở nằm ngoài khu, cụm công nghiệp."
                )
                % {"value": text},
                None,
            )
        return None, zone.pk

    def _sector(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        raw = self.raw(key)
        text = _code_text(raw)
        digits = re.match(r"\d+", text)
        if digits is None:
            sector = lookups.sectors_by_name.get(_key(text))
            if sector is not None:
                return None, sector.pk
        else:
            candidates = [digits.group()]
            if isinstance(raw, int | float):
                # A number cell lost the leading zero of codes such as 051 (coal mining).
                candidates.append("0" + digits.group())
            for code in candidates:
                # Detailed codes (1010, 10101) are classed under their shipped 3-digit parent.
                sector = lookups.sectors.get(code) or lookups.sectors.get(code[:3])
                if sector is not None and len(code) >= 3:
                    return None, sector.pk
            shallow = lookups.shallow_sectors.get(digits.group()) or lookups.shallow_sectors.get(
                "0" + digits.group()
            )
            if shallow is not None:
                return (
                    _(
                        "Mã ngành %(code)s là ngành cấp %(level)s, quá chung: vui lòng nhập mã "
                        "cấp 3 (3 chữ số, ví dụ %(example)s)."
                    )
                    % {
                        "code": shallow.code,
                        "level": shallow.level,
                        "example": _example_child(shallow, lookups),
                    },
                    None,
                )
        return (
            _(
                "Không tìm thấy mã ngành “%(value)s” trong danh mục VSIC 2018 của các ngành công "
                "nghiệp: vui lòng nhập mã cấp 3, ví dụ 101."
            )
            % {"value": text},
            None,
        )

    def _size_class(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        text = self.text(key)
        folded = re.sub(r"^(doanh nghiep|dn|quy mo)\s+", "", _key(text))
        size = lookups.size_classes.get(folded)
        if size is None:
            names = [size.name for size in sorted(set(lookups.size_classes.values()), key=_rank)]
            return (
                _(
                    "Quy mô “%(value)s” không có trong danh mục: vui lòng nhập một trong "
                    "%(choices)s."
                )
                % {"value": text, "choices": _choices(names)},
                None,
            )
        return None, size.pk

    def _employees(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        raw = self.raw(key)
        count: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            count = raw
        elif isinstance(raw, float) and raw.is_integer():
            count = int(raw)
        elif isinstance(raw, str):
            text = raw.strip()
            # "1.200" and "1,200" both mean twelve hundred people: there are no fractional workers.
            if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+|\d+", text):
                count = int(re.sub(r"\D", "", text))
        if count is None or count < 0:
            return (
                _(
                    "“%(value)s” không phải số lao động hợp lệ: vui lòng nhập một số nguyên không "
                    "âm, ví dụ 120."
                )
                % {"value": self.text(key)},
                None,
            )
        return None, count

    def _date(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        day = _parse_date(self.raw(key))
        if day is None:
            return (
                _(
                    "“%(value)s” không phải ngày hợp lệ: vui lòng nhập theo dạng dd/mm/yyyy, "
                    "ví dụ 15/03/2012."
                )
                % {"value": self.text(key)},
                None,
            )
        return None, day

    def _in_scope(self, key: str, lookups: _Lookups) -> tuple[str | None, Any]:
        raw = self.raw(key)
        if isinstance(raw, bool):
            return None, raw
        folded = _key(self.text(key)).rstrip(".")
        if folded in _YES:
            return None, True
        if folded in _NO:
            return None, False
        return (
            _("“%(value)s” không hợp lệ: vui lòng nhập Có hoặc Không (để trống là Có).")
            % {"value": self.text(key)},
            None,
        )


def _tax_code_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        # A number cell cannot keep a leading zero: 0100233488 arrives as 100233488.
        return "0" + digits if len(digits) in (9, 12) else digits
    return _text(value)


def _phone_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        # Vietnamese numbers start with 0, which a number cell drops (0912… arrives as 912…).
        return digits if digits.startswith(("0", "84")) else "0" + digits
    return _text(value)


def _code_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _parse_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        # A bare number is a year or an unformatted serial: too ambiguous to guess.
        return None
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _example_child(sector: Sector, lookups: _Lookups) -> str:
    codes = sorted(code for code in lookups.sectors if code.startswith(sector.code))
    return codes[0] if codes else "101"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _rank(size: SizeClass) -> int:
    return size.rank


def _choices(labels: Iterable[object]) -> str:
    # Quoted, since labels such as "cái, chiếc" contain the separator themselves.
    return ", ".join(f"“{label}”" for label in labels)


# --- Apply ------------------------------------------------------------------------------------


WRITE_CHUNK = 500


def apply(
    preview: Preview, *, user: User | None, progress: Progress = _no_progress
) -> ImportResult:
    """Write a clean preview: every row or none.

    Every facility is validated in full once more (its fields, the model's rules, the closed
    period), so a registry that changed since the preview cannot take invalid rows; tax codes
    that appeared since are looked for a chunk at a time, and the database's own constraints
    (unique tax code, foreign keys, date order) refuse whatever slipped in meanwhile. Rows are
    then written a chunk at a time with their history rows, as `save_facility` would write
    them one by one: 20,000 rows must fit in a task's time, not only in a request's patience.
    """
    if preview.mapping_errors:
        raise ValidationError(
            _("Chưa thể nhập: vui lòng chọn lại cột cho các trường (%(problems)s).")
            % {"problems": " ".join(preview.mapping_errors)}
        )
    failing = [row.number for row in preview.rows if row.errors or row.cleaned is None]
    if failing:
        shown = ", ".join(str(number) for number in failing[:10])
        raise ValidationError(
            _(
                "Chưa thể nhập: %(count)s dòng còn lỗi (dòng %(rows)s%(more)s). Vui lòng sửa tệp "
                "rồi tải lên lại; chưa có cơ sở nào được ghi."
            )
            % {"count": len(failing), "rows": shown, "more": "…" if len(failing) > 10 else ""}
        )
    if not preview.rows:
        raise ValidationError(_("Tệp không có dòng dữ liệu nào để nhập."))
    result = ImportResult(created=0, updated=0)
    total = len(preview.rows)
    writer = _ChunkWriter(user=user, result=result)
    try:
        with transaction.atomic(), closing.period_read_once():
            for start in range(0, total, WRITE_CHUNK):
                writer.write(preview.rows[start : start + WRITE_CHUNK])
                # May raise Cancelled, which rolls everything back.
                progress(min(start + WRITE_CHUNK, total), total)
    except IntegrityError as exc:
        # A concurrent change slipped between validation and insert; nothing was kept.
        raise ValidationError(
            _(
                "Dòng %(number)s: dữ liệu trên cổng vừa thay đổi trong lúc nhập, chưa có cơ sở nào "
                "được ghi. Vui lòng xem trước và nhập lại."
            )
            % {"number": writer.first_number}
        ) from exc
    return result


class _ChunkWriter:
    """Validates and writes the rows of `apply` a chunk at a time."""

    def __init__(self, *, user: User | None, result: ImportResult) -> None:
        self.user = user
        self.result = result
        self.reason = _("Nhập từ tệp Excel")
        self.first_number = 0
        self.sectors = {sector.pk: sector for sector in Sector.objects.all()}

    def _refuse(self, row: RowResult, problems: str) -> ValidationError:
        return ValidationError(
            _("Dòng %(number)s: %(problems)s") % {"number": row.number, "problems": problems}
        )

    def write(self, rows: list[RowResult]) -> None:
        self.first_number = rows[0].number
        updated_ids = [row.facility_id for row in rows if row.action == "update"]
        current = Facility.objects.select_for_update().in_bulk(updated_ids)
        new_codes = [row.cleaned["facility"].get("tax_code") for row in rows if row.cleaned]
        taken = set(
            Facility.objects.filter(tax_code__in=[code for code in new_codes if code])
            .exclude(pk__in=updated_ids)
            .values_list("tax_code", flat=True)
        )
        created: list[tuple[RowResult, Facility]] = []
        updated: list[tuple[RowResult, Facility]] = []
        for row in rows:
            assert row.cleaned is not None
            changes: dict[str, Any] = row.cleaned["facility"]
            if row.action == "update":
                facility = current.get(row.facility_id)  # type: ignore[arg-type]
                if facility is None:
                    raise self._refuse(
                        row,
                        _(
                            "cơ sở cần cập nhật vừa bị xóa khỏi cổng. Vui lòng xem trước và nhập "
                            "lại."
                        ),
                    )
                for name, value in changes.items():
                    setattr(facility, name, value)
            else:
                if changes.get("tax_code") in taken:
                    raise self._refuse(
                        row,
                        _(
                            "cơ sở có mã số thuế %(code)s vừa được thêm vào cổng. Vui lòng xem "
                            "trước và nhập lại."
                        )
                        % {"code": changes["tax_code"]},
                    )
                facility = Facility(**changes)
            if facility.sector_id in self.sectors:
                facility.sector = self.sectors[facility.sector_id]
            try:
                # Foreign keys came from the lists of this run and the database checks them;
                # uniqueness was settled above: neither is asked again row by row.
                facility.full_clean(
                    exclude=["administrative_unit", "zone", "sector", "size_class", "managers"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                raise self._refuse(row, " ".join(exc.messages)) from exc
            facility.refresh_search_keys()
            (updated if row.action == "update" else created).append((row, facility))
        when = timezone.now()
        if created:
            bulk_create_with_history(
                [facility for _row, facility in created],
                Facility,
                default_user=self.user,
                default_change_reason=self.reason,
                default_date=when,
            )
        if updated:
            fields = sorted(
                {name for row, _facility in updated for name in row.cleaned["facility"]}  # type: ignore[index]
                | {"search_text", "name_sort_key"}
            )
            bulk_update_with_history(
                [facility for _row, facility in updated],
                Facility,
                fields,
                default_user=self.user,
                default_change_reason=self.reason,
                default_date=when,
            )
        self.result.created += len(created)
        self.result.updated += len(updated)
        facts_changed.send(
            sender=Facility, facility_ids=[facility.pk for _row, facility in created + updated]
        )
        self._write_products(created + updated, when=when)

    def _write_products(self, written: list[tuple[RowResult, Facility]], *, when: Any) -> None:
        wanted = [
            (facility, row.cleaned["product"])  # type: ignore[index]
            for row, facility in written
            if row.cleaned and row.cleaned.get("product")
        ]
        if not wanted:
            return
        known: dict[int, set[str]] = {}
        for facility_id, name in Product.objects.filter(
            facility_id__in=[facility.pk for facility, _product in wanted]
        ).values_list("facility_id", "name"):
            known.setdefault(facility_id, set()).add(_key(name))
        products = []
        for facility, product in wanted:
            if _key(product["name"]) in known.get(facility.pk, set()):
                continue
            known.setdefault(facility.pk, set()).add(_key(product["name"]))
            item = Product(facility=facility, name=product["name"], unit=product["unit"])
            # The unit came from the list loaded for this run: not looked up again.
            item.full_clean(exclude=["facility", "unit"])
            products.append(item)
        if products:
            bulk_create_with_history(
                products,
                Product,
                default_user=self.user,
                default_change_reason=self.reason,
                default_date=when,
            )
        self.result.products_created += len(products)


# --- Running an import: the dry run and the write, as tasks -----------------------------------
#
# The page starts a step (`start_check`, `start_apply`), a task runs it (`run_check`,
# `run_apply`, called by facilities/tasks.py) and records progress on the FacilityImport,
# which the page polls; `request_cancel` asks the task to stop at its next progress report.
# What the dry run found is kept on the FacilityImport (`summarise`), so its page survives a
# reload; the write reads and checks the file again, against the registry as it is then.

SHOWN_ROWS = 200
SAMPLE_ROWS = 20


def summarise(result: Preview) -> dict[str, Any]:
    """What the dry-run page shows, as JSON: counts and the first rows of each kind."""
    errors = [row for row in result.rows if row.errors]
    warned = [row for row in result.rows if row.warnings]
    return {
        "rows": len(result.rows),
        "to_create": result.to_create,
        "to_update": result.to_update,
        "error_count": result.error_count,
        "warning_count": len(warned),
        "mapping_errors": result.mapping_errors,
        "errors": [
            {
                "number": row.number,
                "name": row.values.get("name", ""),
                "tax_code": row.values.get("tax_code", ""),
                "errors": row.errors,
            }
            for row in errors[:SHOWN_ROWS]
        ],
        "warnings": [
            {"number": row.number, "name": row.values.get("name", ""), "warnings": row.warnings}
            for row in warned[:SHOWN_ROWS]
        ],
        "samples": [
            {
                "number": row.number,
                "action": row.action,
                "name": row.values.get("name", ""),
                "tax_code": row.values.get("tax_code", ""),
                "administrative_unit": row.values.get("administrative_unit", ""),
                "sector": row.values.get("sector", ""),
            }
            for row in result.rows
            if not row.errors
        ][:SAMPLE_ROWS],
        "formula_count": len(result.formulas),
        "formulas": [
            {"number": f.number, "column": f.column, "formula": f.formula, "value": f.value}
            for f in result.formulas[:SHOWN_ROWS]
        ],
        "unknown_units": [
            {"text": text, "count": len(numbers), "rows": numbers[:10]}
            for text, numbers in result.unknown_units.items()
        ],
        "can_apply": bool(result.rows) and not result.has_errors,
    }


def _refuse_when_busy(batch: FacilityImport, *, by: User) -> None:
    # A task killed with its worker leaves its import "running": past the task time limit it
    # no longer blocks its user.
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    FacilityImport.objects.filter(
        uploaded_by=by, status__in=FacilityImport.RUNNING, started_at__lt=stale
    ).update(
        status=FacilityImport.Status.FAILED,
        message=_("Quá thời gian cho phép; vui lòng kiểm tra lại tệp."),
    )
    if batch.status == FacilityImport.Status.APPLIED:
        raise ValidationError(_("Tệp này đã được nhập; vui lòng tải lên tệp mới nếu cần nhập lại."))
    others = FacilityImport.objects.filter(uploaded_by=by, status__in=FacilityImport.RUNNING)
    if others.exists():
        raise ValidationError(
            _(
                "Bạn đang có một lần nhập chưa chạy xong (tệp %(name)s): vui lòng chờ lần đó "
                "xong hoặc hủy nó rồi thử lại."
            )
            % {"name": others.first().original_name}  # type: ignore[union-attr]
        )


def _start(batch: FacilityImport, status: str, *, total: int) -> None:
    batch.status = status
    batch.progress_done = 0
    batch.progress_total = total
    batch.started_at = timezone.now()
    batch.cancel_requested = False
    batch.message = ""
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError as exc:
        # Two clicks at once: the constraint lets one import per user run.
        raise ValidationError(_("Bạn đang có một lần nhập chưa chạy xong.")) from exc


@transaction.atomic
def start_check(
    batch: FacilityImport,
    *,
    by: User,
    headers: list[str],
    mapping: dict[str, int | None],
    defaults: dict[str, str],
) -> FacilityImport:
    """Queue the dry run with this mapping, and remember the mapping for these headers."""
    from facilities import tasks  # the tasks module imports this one

    batch = FacilityImport.objects.select_for_update().get(pk=batch.pk)
    _refuse_when_busy(batch, by=by)
    batch.mapping = {key: value for key, value in mapping.items() if value is not None}
    batch.defaults = {key: value for key, value in defaults.items() if value}
    batch.result = {}
    _start(batch, FacilityImport.Status.CHECKING, total=batch.result.get("rows", 0))
    ImportMapping.objects.update_or_create(
        headers_key=headers_key(headers),
        defaults={
            "headers": headers,
            "mapping": mapping_to_remember(headers, mapping),
            "defaults": batch.defaults,
            "updated_by": by,
        },
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.check_import.delay(batch.pk, language))
    return batch


@transaction.atomic
def start_apply(batch: FacilityImport, *, by: User, formulas_confirmed: bool) -> FacilityImport:
    """Queue the write of a checked file whose dry run found nothing to fix."""
    from facilities import tasks

    batch = FacilityImport.objects.select_for_update().get(pk=batch.pk)
    _refuse_when_busy(batch, by=by)
    if batch.status != FacilityImport.Status.CHECKED or not batch.result.get("can_apply"):
        raise ValidationError(
            _("Tệp chưa được kiểm tra hoặc còn lỗi: vui lòng kiểm tra lại trước khi nhập.")
        )
    if batch.result.get("formula_count") and not formulas_confirmed:
        raise ValidationError(
            _(
                "Tệp có ô công thức: vui lòng xem giá trị đã lưu của chúng và đánh dấu xác nhận "
                "trước khi nhập."
            )
        )
    # The file is checked once more before it is written, then written: two passes.
    _start(batch, FacilityImport.Status.APPLYING, total=2 * batch.result.get("rows", 0))
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.apply_import.delay(batch.pk, language))
    return batch


def request_cancel(batch: FacilityImport) -> bool:
    """Ask the running step to stop; False when nothing is running."""
    return bool(
        FacilityImport.objects.filter(pk=batch.pk, status__in=FacilityImport.RUNNING).update(
            cancel_requested=True
        )
    )


class _Reporter:
    """Records progress and notices a cancel request, every PROGRESS_EVERY rows.

    During the write the rows are inside one transaction, which the page's connection cannot
    see into: progress goes through a connection of its own (PostgreSQL). SQLite has one writer
    at a time, so there the write's progress shows only when it ends.
    """

    def __init__(self, batch_id: int, *, offset: int = 0, writing: bool = False) -> None:
        self.batch_id = batch_id
        self.offset = offset
        self.writing = writing
        self.side = None
        if writing and connection.vendor != "sqlite":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int, total: int) -> None:
        if self.side is None:
            if self.writing:
                return
            rows = FacilityImport.objects.filter(pk=self.batch_id)
            rows.update(progress_done=self.offset + done)
            cancelled = rows.values_list("cancel_requested", flat=True).first()
        else:
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE facilities_facilityimport SET progress_done = %s WHERE id = %s",
                    [self.offset + done, self.batch_id],
                )
                cursor.execute(
                    "SELECT cancel_requested FROM facilities_facilityimport WHERE id = %s",
                    [self.batch_id],
                )
                found = cursor.fetchone()
                # None: the import's row is not visible from outside (a test's transaction).
                cancelled = bool(found and found[0])
        if cancelled:
            raise Cancelled

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _finish(batch_id: int, status: str, **values: Any) -> None:
    FacilityImport.objects.filter(pk=batch_id).update(status=status, **values)


def _read_and_check(batch: FacilityImport, reporter: Progress) -> Preview:
    with batch.file.open("rb") as handle:
        sheet = read_sheet(handle)
    FacilityImport.objects.filter(pk=batch.pk).update(
        progress_total=len(sheet.rows) * (2 if batch.status == "applying" else 1)
    )
    mapping = {key: int(value) for key, value in batch.mapping.items()}
    return preview(sheet, mapping, batch.defaults, progress=reporter)


def run_check(batch_id: int) -> str:
    """The dry run of a queued import. Idempotent: an import not waiting for it is left alone."""
    batch = FacilityImport.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != FacilityImport.Status.CHECKING:
        return "skipped"
    try:
        result = _read_and_check(batch, _Reporter(batch_id))
    except Cancelled:
        _finish(batch_id, FacilityImport.Status.CANCELLED, message=_("Đã hủy kiểm tra."))
        return "cancelled"
    except (ValidationError, OSError) as error:
        message = " ".join(getattr(error, "messages", [])) or _(
            "Không còn tệp đã tải lên; vui lòng tải lên lại."
        )
        _finish(batch_id, FacilityImport.Status.FAILED, message=message)
        return "failed"
    _finish(batch_id, FacilityImport.Status.CHECKED, result=summarise(result), message="")
    return "checked"


def run_apply(batch_id: int) -> str:
    """The write of a queued import: checked again, then every row or none."""
    batch = FacilityImport.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.status != FacilityImport.Status.APPLYING:
        return "skipped"
    writer = _Reporter(batch_id, writing=True)
    try:
        result = _read_and_check(batch, _Reporter(batch_id))
        if result.has_errors or not result.rows:
            _finish(
                batch_id,
                FacilityImport.Status.CHECKED,
                result=summarise(result),
                message=_(
                    "Danh sách cơ sở trên cổng đã thay đổi từ lần kiểm tra trước và tệp nay có "
                    "lỗi: chưa có cơ sở nào được ghi, vui lòng xem các lỗi dưới đây."
                ),
            )
            return "checked"
        writer.offset = len(result.rows)
        outcome = apply(result, user=batch.uploaded_by, progress=writer)
    except Cancelled:
        _finish(
            batch_id,
            FacilityImport.Status.CHECKED,
            message=_("Đã hủy: chưa có cơ sở nào được ghi."),
        )
        return "cancelled"
    except (ValidationError, OSError) as error:
        message = " ".join(getattr(error, "messages", [])) or _(
            "Không còn tệp đã tải lên; vui lòng tải lên lại."
        )
        _finish(batch_id, FacilityImport.Status.CHECKED, message=message)
        return "failed"
    finally:
        writer.close()
    _finish(
        batch_id,
        FacilityImport.Status.APPLIED,
        applied_at=timezone.now(),
        created_count=outcome.created,
        updated_count=outcome.updated,
        progress_done=2 * len(result.rows),
        message="",
    )
    return "applied"


# --- The template -----------------------------------------------------------------------------

_COLUMN_WIDTHS = {
    "name": 42,
    "tax_code": 17,
    "legal_form": 30,
    "address": 40,
    "administrative_unit": 22,
    "zone": 30,
    "sector": 45,
    "size_class": 12,
    "employees": 13,
    "contact_name": 24,
    "contact_phone": 17,
    "contact_email": 28,
    "started_on": 16,
    "in_scope": 15,
    "product_name": 28,
    "product_unit": 15,
}
# Text format keeps the leading zeros of tax codes, phone numbers and codes such as 051.
_TEXT_COLUMNS = {"tax_code", "contact_phone", "sector", "administrative_unit"}


def _example_row() -> dict[str, object]:
    sector = Sector.objects.filter(code="101").first()
    return {
        "name": _EXAMPLE_NAME,
        "tax_code": _EXAMPLE_TAX_CODE,
        "legal_form": str(Facility.LegalForm.LIMITED.label),
        "address": "Xóm 3, xã Diễn Hồng",
        "administrative_unit": "Diễn Châu",
        "zone": "CCN Diễn Hồng",
        "sector": f"{sector.code} - {sector.name}" if sector else "101",
        "size_class": "Nhỏ",
        "employees": 45,
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0912345678",
        "contact_email": "lienhe@senvang.vn",
        "started_on": datetime.date(2015, 3, 15),
        "in_scope": _("Có"),
        "product_name": "Giò chả",
        "product_unit": "tấn",
    }


def _reference_lists() -> dict[str, list[str]]:
    unit_names = list(
        dict.fromkeys(
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
            .order_by("code")
            .values_list("name", flat=True)
        )
    )
    return {
        "administrative_unit": unit_names,
        "sector": [
            f"{code} - {name}"
            for code, name in Sector.objects.filter(level__gte=3)
            .order_by("code")
            .values_list("code", "name")
        ],
        "size_class": list(SizeClass.objects.order_by("rank").values_list("name", flat=True)),
        "legal_form": [str(label) for label in Facility.LegalForm.labels],
        "zone": list(IndustrialZone.objects.order_by("name").values_list("name", flat=True)),
        "product_unit": list(ProductUnit.objects.order_by("name").values_list("name", flat=True)),
        "in_scope": [_("Có"), _("Không")],
    }


def template_workbook() -> bytes:
    """The .xlsx users fill in: the table, instructions, and drop-downs fed by a hidden sheet."""
    workbook = openpyxl.Workbook()
    table = workbook.active
    table.title = _("Cơ sở")
    guide = workbook.create_sheet(_("Hướng dẫn"))
    catalogue = workbook.create_sheet(_("Danh mục"))
    catalogue.sheet_state = "hidden"

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="808080")
    example = _example_row()
    for column, item in enumerate(FIELDS, start=1):
        letter = get_column_letter(column)
        cell = table.cell(row=1, column=column, value=_template_header(item))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(str(item.help_vi), _("Sở Công Thương"), width=300, height=120)
        dimension = table.column_dimensions[letter]
        dimension.width = _COLUMN_WIDTHS.get(item.key, 18)
        if item.key in _TEXT_COLUMNS:
            dimension.number_format = "@"
        elif item.key == "started_on":
            dimension.number_format = "DD/MM/YYYY"
        value = example.get(item.key)
        example_cell = table.cell(row=2, column=column, value=value)
        example_cell.font = example_font
        if item.key in _TEXT_COLUMNS:
            example_cell.number_format = "@"
        elif item.key == "started_on":
            example_cell.number_format = "DD/MM/YYYY"
    table.row_dimensions[1].height = 32
    table.freeze_panes = "A2"

    lists = _reference_lists()
    titles = {item.key: str(item.label_vi) for item in FIELDS}
    last_row = TEMPLATE_ROWS + 1
    for column, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(column)
        catalogue.cell(row=1, column=column, value=titles[key]).font = header_font
        for offset, value in enumerate(values, start=2):
            catalogue.cell(row=offset, column=column, value=value)
        catalogue.column_dimensions[letter].width = 40
        if not values:
            continue
        target = get_column_letter(_field_column(key))
        validation = DataValidation(
            type="list",
            formula1=(
                f"{quote_sheetname(catalogue.title)}!${letter}$2:${letter}${len(values) + 1}"
            ),
            allow_blank=True,
            # A warning, not a stop: codes (425, 1010) and usual abbreviations are accepted too.
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle=_("Giá trị ngoài danh sách"),
            error=_("Giá trị không có trong danh sách. Vẫn giữ giá trị này?"),
        )
        validation.add(f"{target}2:{target}{last_row}")
        table.add_data_validation(validation)

    _write_guide(guide)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template_header(item: ImportField) -> str:
    return f"{item.label_vi} *" if is_required(item) else str(item.label_vi)


def _field_column(key: str) -> int:
    return next(index for index, item in enumerate(FIELDS, start=1) if item.key == key)


def _write_guide(guide: Any) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        _("Hướng dẫn nhập danh sách cơ sở sản xuất"),
        _("Mỗi dòng của trang “Cơ sở” là một cơ sở; không đổi tên hay thứ tự các cột tiêu đề."),
        _("Cột có dấu * là bắt buộc. Dòng chữ nghiêng màu xám là ví dụ: ghi đè lên hoặc xóa đi."),
        _(
            "Cơ sở đã có trên cổng (trùng mã số thuế) được cập nhật; ô để trống ở cột không bắt "
            "buộc giữ nguyên thông tin đang có."
        ),
        _(
            "Trước khi ghi, cổng cho xem trước kết quả và chỉ ra lỗi từng dòng; tệp còn lỗi thì "
            "chưa dòng nào được ghi."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        guide.cell(row=row, column=1, value=line).font = bold if row == 1 else Font()
    start = len(lines) + 2
    for column, title in enumerate([_("Cột"), _("Bắt buộc"), _("Cách nhập")], start=1):
        guide.cell(row=start, column=column, value=title).font = bold
    for row, item in enumerate(FIELDS, start=start + 1):
        guide.cell(row=row, column=1, value=str(item.label_vi)).alignment = wrap
        guide.cell(row=row, column=2, value=_("Có") if is_required(item) else "").alignment = wrap
        guide.cell(row=row, column=3, value=str(item.help_vi)).alignment = wrap
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
