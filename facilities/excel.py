"""The facility list as an XLSX file, written in openpyxl's write-only mode (flat memory)."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from facilities.models import Facility

# Characters that make a spreadsheet treat a text as a formula (formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Worksheet, value: str) -> WriteOnlyCell:
    """A cell that holds `value` as text, even when it looks like a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl stores a text starting with "=" as a formula otherwise
    return cell


def facility_rows_xlsx(facilities: Iterator[Facility], *, today: datetime.date) -> IO[bytes]:
    """Write the rows (annotated by forms.with_list_columns) and return the file, rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cơ sở"))
    columns: list[tuple[str, int]] = [
        (_("Tên cơ sở"), 45),
        (_("Mã số thuế"), 16),
        (_("Loại hình"), 22),
        (_("Địa chỉ"), 40),
        (_("Đơn vị hành chính"), 20),
        (_("Khu, cụm công nghiệp"), 24),
        (_("Mã ngành"), 10),
        (_("Ngành"), 40),
        (_("Quy mô"), 10),
        (_("Số lao động"), 12),
        (_("Tình trạng"), 16),
        (_("Đã nhận thức SXSH"), 12),
        (_("Đang áp dụng SXSH"), 12),
        (_("Có bộ phận chuyên trách"), 12),
        (_("Ngày bắt đầu hoạt động"), 14),
        (_("Người liên hệ"), 24),
        (_("Điện thoại"), 14),
        (_("Thư điện tử"), 28),
    ]
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    bold = Font(bold=True)
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    yes, no = _("Có"), _("Không")
    for facility in facilities:
        started = WriteOnlyCell(sheet, value=facility.started_on)
        started.number_format = "DD/MM/YYYY"
        values: list[Any] = [
            text_cell(sheet, facility.name),
            text_cell(sheet, facility.tax_code),
            str(facility.get_legal_form_display()),
            text_cell(sheet, facility.address),
            facility.administrative_unit.name,
            facility.zone.name if facility.zone else "",
            text_cell(sheet, facility.sector.code),
            facility.sector.name,
            facility.size_class.name,
            facility.employees,
            str(facility.status_on(today).label),
            yes if facility.is_aware else no,
            yes if facility.is_applying else no,
            yes if facility.has_cp_unit else no,
            started,
            text_cell(sheet, facility.contact_name),
            text_cell(sheet, facility.contact_phone),
            text_cell(sheet, facility.contact_email),
        ]
        sheet.append(values)
    # Handed to FileResponse, which closes it once sent: no context manager here.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
