"""Energy documents → files: the yearly list of designated energy users (XLSX and a PDF in the
Decree 30/2020 layout) and Form 1.1 (Circular 25/2020/TT-BCT) pre-filled (XLSX).

Knows nothing of the ORM: `reporting.energy` builds the plain dataclasses below and these
functions render them. The PDF uses the report's font and static-only URL fetcher.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML

from reporting.pdf import STATIC_DIR, PortalStaticFetcher

TOE_FORMAT = "#,##0.0"
QUANTITY_FORMAT = "#,##0.###"
FACTOR_FORMAT = "0.0000000"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="E9EEF4")
WARN_FILL = PatternFill("solid", fgColor="FFF3CD")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Characters that make a spreadsheet read a text as a formula (formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Heading:
    """The Decree 30/2020 frame of the Department's documents (`ReportSettings`, as lines)."""

    issuer: list[str]
    symbol: str
    place: str
    addressees: list[str]
    copies_to: list[str]
    archive: str
    signer_title: list[str]
    signer_name: str
    day: datetime.date


@dataclass(frozen=True)
class ListRow:
    name: str
    tax_code: str
    address: str
    area: str
    sector: str
    toe: Decimal | None  # None: no approved report of the year
    previous_toe: Decimal | None
    crossed: bool
    registry_flagged: bool
    ghg_listing: str  # e.g. "13/2024/QĐ-TTg" or ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FactorRow:
    resource: str
    unit: str
    value: Decimal
    source: str
    verified: bool


@dataclass(frozen=True)
class ListDocument:
    year: int
    heading: Heading
    rows: list[ListRow]
    disagreements: list[ListRow]
    uncertain: list[ListRow]
    factors: list[FactorRow]

    @property
    def total_toe(self) -> Decimal:
        return sum((row.toe for row in self.rows if row.toe is not None), Decimal(0))

    @property
    def crossed_count(self) -> int:
        return sum(row.crossed for row in self.rows)


@dataclass(frozen=True)
class FormLine:
    resource: str
    unit: str
    quantity: Decimal
    factor: Decimal | None
    toe: Decimal | None
    source: str
    verified: bool


@dataclass(frozen=True)
class FormMeasureRow:
    description: str
    technique: str
    implemented_on: datetime.date | None
    cost_vnd: Decimal
    savings_vnd: Decimal
    savings_toe: Decimal | None


@dataclass(frozen=True)
class FormSheet:
    """Form 1.1 of one facility and year, pre-filled."""

    year: int
    name: str
    tax_code: str
    address: str
    area: str
    sector: str
    contact: str
    phone: str
    email: str
    products: list[tuple[str, str, Decimal | None]]  # name, unit, yearly capacity
    output: Decimal | None
    output_unit: str
    basis: str  # which approved reports the figures come from
    lines: list[FormLine]
    measures: list[FormMeasureRow]
    warnings: list[str]

    @property
    def total_toe(self) -> Decimal:
        return sum((line.toe for line in self.lines if line.toe is not None), Decimal(0))


# --- helpers ----------------------------------------------------------------------------------


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str = "") -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"  # text that looks like a formula stays text
    if number_format:
        cell.number_format = number_format
    return cell


def _title(sheet: Worksheet, row: int, text: str, width: int, font: Font = TITLE) -> None:
    _put(sheet, row, 1, text).font = font
    sheet.cell(row=row, column=1).alignment = CENTRE
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _fit_height(sheet, row, {1: width})


def _table(
    sheet: Worksheet,
    row: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str],
) -> int:
    """A boxed table with a shaded header at `row`; returns the row after it."""
    for column, header in enumerate(headers, start=1):
        cell = _put(sheet, row, column, header)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTRE
    _fit_height(sheet, row)
    for values in rows:
        row += 1
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            cell = _put(sheet, row, column, value, number_format if value is not None else "")
            cell.border, cell.alignment = BOX, WRAP
        _fit_height(sheet, row)
    return row + 1


def _fit_height(sheet: Worksheet, row: int, merged: dict[int, int] | None = None) -> None:
    """Give `row` the height its wrapped texts need: a row written by openpyxl does not grow,
    and LibreOffice would print the overflow over the next row. `merged` maps a column to the
    number of columns its cell is merged across."""
    lines = 1
    for cell in sheet[row]:
        if cell.value is None:
            continue
        span = (merged or {}).get(cell.column, 1)
        width = sum(
            sheet.column_dimensions[get_column_letter(c)].width or 10
            for c in range(cell.column, cell.column + span)
        )
        # about one character per unit of width, with a margin for word breaks
        lines = max(lines, math.ceil(len(str(cell.value)) * 1.1 / max(width, 1)))
    sheet.row_dimensions[row].height = 15 * lines + 2


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _save(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _yes(value: bool) -> str:
    return _("Có") if value else ""


# --- the yearly list ----------------------------------------------------------------------------


def list_columns() -> list[tuple[str, int]]:
    return [
        (_("STT"), 5),
        (_("Tên cơ sở"), 38),
        (_("Mã số thuế"), 15),
        (_("Địa chỉ"), 34),
        (_("Địa bàn"), 16),
        (_("Ngành"), 26),
        (_("Tiêu thụ năm (TOE)"), 13),
        (_("Năm trước (TOE)"), 13),
        (_("Mới đạt ngưỡng"), 10),
        (_("Sổ đăng ký ghi trọng điểm"), 11),
        (_("Danh mục kiểm kê KNK"), 15),
        (_("Ghi chú"), 40),
    ]


def _list_values(number: int, row: ListRow) -> list[Any]:
    return [
        number,
        row.name,
        row.tax_code,
        row.address,
        row.area,
        row.sector,
        row.toe,
        row.previous_toe,
        _yes(row.crossed),
        _yes(row.registry_flagged),
        row.ghg_listing,
        " ".join(row.notes),
    ]


LIST_FORMATS = ["0", "", "", "", "", "", TOE_FORMAT, TOE_FORMAT, "", "", "", ""]


def _list_sheet(sheet: Worksheet, title: str, subtitle: str, rows: list[ListRow]) -> None:
    columns = list_columns()
    _widths(sheet, [width for _label, width in columns])
    _title(sheet, 1, title, len(columns))
    _title(sheet, 2, subtitle, len(columns), Font(italic=True))
    end = _table(
        sheet,
        4,
        [label for label, _width in columns],
        [_list_values(number, row) for number, row in enumerate(rows, start=1)],
        LIST_FORMATS,
    )
    sheet.freeze_panes = "C5"
    if rows:
        sheet.auto_filter.ref = f"A4:{get_column_letter(len(columns))}{end - 1}"
    _print_setup(sheet, landscape=True)
    sheet.print_title_rows = "4:4"


def list_xlsx(document: ListDocument) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách")
    _list_sheet(
        sheet,
        _("DANH SÁCH CƠ SỞ SỬ DỤNG NĂNG LƯỢNG TRỌNG ĐIỂM NĂM %(year)s (DỰ THẢO)")
        % {"year": document.year},
        _(
            "Cơ sở có mức tiêu thụ năng lượng từ 1.000 TOE/năm trở lên, theo báo cáo định kỳ đã "
            "duyệt; tổng %(count)s cơ sở, %(crossed)s cơ sở mới đạt ngưỡng so với năm trước."
        )
        % {"count": len(document.rows), "crossed": document.crossed_count},
        document.rows,
    )
    end = len(document.rows) + 5
    _put(sheet, end, 2, _("Tổng cộng")).font = BOLD
    _put(sheet, end, 7, document.total_toe, TOE_FORMAT).font = BOLD
    _list_sheet(
        workbook.create_sheet(_("Khác sổ đăng ký")),
        _("CƠ SỞ CÓ SỐ LIỆU KHÁC VỚI SỔ ĐĂNG KÝ"),
        _("Cờ “sử dụng năng lượng trọng điểm” của sổ đăng ký không khớp với số liệu năm."),
        document.disagreements,
    )
    _list_sheet(
        workbook.create_sheet(_("Chưa đủ số liệu")),
        _("CƠ SỞ CHƯA ĐỦ SỐ LIỆU ĐỂ KẾT LUẬN"),
        _("Dưới ngưỡng trên số liệu chưa đủ (thiếu quý hoặc thiếu hệ số quy đổi)."),
        document.uncertain,
    )
    factors = workbook.create_sheet(_("Hệ số TOE"))
    _widths(factors, [30, 12, 14, 70, 14])
    _title(factors, 1, _("HỆ SỐ QUY ĐỔI TOE ĐÃ DÙNG"), 5)
    _table(
        factors,
        3,
        [_("Loại năng lượng"), _("Đơn vị"), _("TOE/đơn vị"), _("Nguồn"), _("Đã đối chiếu")],
        [
            [f.resource, f.unit, f.value, f.source or _("(chưa có nguồn)"), _yes(f.verified)]
            for f in document.factors
        ],
        ["", "", FACTOR_FORMAT, "", ""],
    )
    _print_setup(factors, landscape=True)
    return _save(workbook)


def list_pdf(document: ListDocument) -> bytes:
    day = document.heading.day
    html = render_to_string(
        "reporting/energy_list_pdf.html",
        {
            "d": document,
            "h": document.heading,
            "fonts": (STATIC_DIR / "fonts" / "liberation-serif-2.1.5").as_uri(),
            "place_date": _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
            % {
                "place": document.heading.place,
                "d": f"{day.day:02d}",
                "m": f"{day.month:02d}",
                "y": day.year,
            },
            "archive": _("Lưu: %(archive)s.")
            % {"archive": document.heading.archive.strip().rstrip(".;,")},
        },
    )
    return HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=PortalStaticFetcher()
    ).write_pdf()


# --- Form 1.1 -----------------------------------------------------------------------------------

FORM_WIDTH = 7


def _form_sheet(sheet: Worksheet, form: FormSheet) -> None:
    _widths(sheet, [6, 34, 16, 16, 14, 14, 40])
    _put(sheet, 1, 7, _("Mẫu 1.1 – Thông tư 25/2020/TT-BCT")).font = Font(italic=True)
    _title(
        sheet, 2, _("BÁO CÁO TÌNH HÌNH SỬ DỤNG NĂNG LƯỢNG NĂM %(year)s") % {"year": form.year}, 7
    )
    _title(
        sheet,
        3,
        _("(Số liệu điền sẵn từ báo cáo định kỳ đã duyệt trên Cổng SXSH Nghệ An: %(basis)s)")
        % {"basis": form.basis},
        7,
        Font(italic=True),
    )
    row = 5
    _put(sheet, row, 1, _("I. THÔNG TIN CHUNG")).font = BOLD
    for label, value in [
        (_("Tên cơ sở"), form.name),
        (_("Mã số thuế"), form.tax_code),
        (_("Địa chỉ"), form.address),
        (_("Địa bàn"), form.area),
        (_("Ngành (VSIC 2018)"), form.sector),
        (_("Người liên hệ"), form.contact),
        (_("Điện thoại"), form.phone),
        (_("Thư điện tử"), form.email),
    ]:
        row += 1
        _put(sheet, row, 2, label)
        _put(sheet, row, 3, value).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=7)
        _fit_height(sheet, row, {3: 5})

    row += 2
    _put(sheet, row, 1, _("II. SẢN PHẨM VÀ SẢN LƯỢNG")).font = BOLD
    row = _table(
        sheet,
        row + 1,
        [_("STT"), _("Sản phẩm"), _("Đơn vị"), _("Công suất/năm")],
        [[n, name, unit, capacity] for n, (name, unit, capacity) in enumerate(form.products, 1)],
        ["0", "", "", QUANTITY_FORMAT],
    )
    _put(sheet, row, 2, _("Sản lượng trong năm"))
    _put(sheet, row, 3, form.output, QUANTITY_FORMAT)
    _put(sheet, row, 4, form.output_unit)

    row += 2
    _put(sheet, row, 1, _("III. TIÊU THỤ NĂNG LƯỢNG")).font = BOLD
    row = _table(
        sheet,
        row + 1,
        [
            _("STT"),
            _("Loại năng lượng"),
            _("Đơn vị"),
            _("Lượng tiêu thụ"),
            _("Hệ số TOE/đơn vị"),
            _("Quy đổi (TOE)"),
            _("Nguồn hệ số"),
        ],
        [
            [
                n,
                line.resource,
                line.unit,
                line.quantity,
                line.factor,
                line.toe,
                (line.source or _("(chưa có nguồn)"))
                + ("" if line.verified else " – " + _("chưa đối chiếu")),
            ]
            for n, line in enumerate(form.lines, 1)
        ],
        ["0", "", "", QUANTITY_FORMAT, FACTOR_FORMAT, TOE_FORMAT, ""],
    )
    _put(sheet, row, 2, _("Tổng năng lượng tiêu thụ (TOE)")).font = BOLD
    _put(sheet, row, 6, form.total_toe, TOE_FORMAT).font = BOLD

    row += 2
    _put(sheet, row, 1, _("IV. GIẢI PHÁP TIẾT KIỆM NĂNG LƯỢNG ĐÃ THỰC HIỆN TRONG NĂM")).font = BOLD
    row = _table(
        sheet,
        row + 1,
        [
            _("STT"),
            _("Giải pháp"),
            _("Ngày thực hiện"),
            _("Chi phí (đồng)"),
            _("Tiết kiệm/năm (đồng)"),
            _("Tiết kiệm/năm (TOE)"),
            _("Nhóm giải pháp"),
        ],
        [
            [
                n,
                m.description,
                m.implemented_on,
                m.cost_vnd,
                m.savings_vnd,
                m.savings_toe,
                m.technique,
            ]
            for n, m in enumerate(form.measures, 1)
        ],
        ["0", "", DATE_FORMAT, MONEY_FORMAT, MONEY_FORMAT, TOE_FORMAT, ""],
    )
    if not form.measures:
        _put(sheet, row, 2, _("(Không có giải pháp nào được ghi nhận trong năm)"))
        row += 1

    if form.warnings:
        row += 1
        _put(sheet, row, 1, _("Lưu ý khi kiểm tra")).font = BOLD
        for warning in form.warnings:
            row += 1
            cell = _put(sheet, row, 2, warning)
            cell.fill, cell.alignment = WARN_FILL, WRAP
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
            _fit_height(sheet, row, {2: 6})

    row += 2
    _put(sheet, row, 5, _("…, ngày … tháng … năm …")).font = Font(italic=True)
    row += 1
    _put(sheet, row, 2, _("NGƯỜI LẬP BIỂU")).font = BOLD
    _put(sheet, row, 5, _("ĐẠI DIỆN CƠ SỞ")).font = BOLD
    row += 1
    _put(sheet, row, 2, _("(Ký, ghi rõ họ tên)")).font = Font(italic=True)
    _put(sheet, row, 5, _("(Ký, ghi rõ họ tên, đóng dấu)")).font = Font(italic=True)
    _print_setup(sheet, landscape=False)


def _sheet_name(form: FormSheet, used: set[str]) -> str:
    name = form.tax_code[:31] or _("Cơ sở")
    while name in used:
        name = f"{name[:28]}-{len(used)}"
    used.add(name)
    return name


def form_xlsx(forms: list[FormSheet], *, year: int) -> bytes:
    """One sheet per facility; with several, a first sheet lists them with their TOE."""
    workbook = Workbook()
    used: set[str] = set()
    first = workbook.active
    if len(forms) != 1:
        first.title = _("Tổng hợp")
        _widths(first, [6, 40, 16, 16, 50])
        _title(first, 1, _("MẪU 1.1 NĂM %(year)s – DANH SÁCH CƠ SỞ") % {"year": year}, 5)
        _table(
            first,
            3,
            [_("STT"), _("Tên cơ sở"), _("Mã số thuế"), _("Tổng (TOE)"), _("Lưu ý")],
            [
                [n, form.name, form.tax_code, form.total_toe, " ".join(form.warnings)]
                for n, form in enumerate(forms, 1)
            ],
            ["0", "", "", TOE_FORMAT, ""],
        )
        _print_setup(first, landscape=False)
    for index, form in enumerate(forms):
        sheet = first if index == 0 and len(forms) == 1 else workbook.create_sheet()
        sheet.title = _sheet_name(form, used)
        _form_sheet(sheet, form)
    return _save(workbook)
