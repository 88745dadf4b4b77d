"""A snapshot → the report as an XLSX workbook (openpyxl, write-only: memory stays flat).

Knows nothing of the ORM. One sheet for the summary with native Excel charts, one for the
years, and one per table of the snapshot; every sheet has typed cells with Vietnamese-style
formats, a frozen header, an auto-filter and column widths.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portal.lib.numbers import shown_percent
from reporting.snapshot import DATE, DECIMAL, INT, RATIO, TEXT, Column, Snapshot, Table

FORMATS = {RATIO: "0.0%", INT: "#,##0", DECIMAL: "#,##0", DATE: "DD/MM/YYYY"}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E9EEF4")
WRAP = Alignment(wrap_text=True, vertical="top")


# Characters that make a spreadsheet read a text as a formula (formula injection) or an error.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "#")


def text_cell(sheet: Worksheet, value: str) -> WriteOnlyCell | str:
    """`value` as a text cell, even when it looks like a formula or an error ("#N/A"). Other
    text goes as it is: openpyxl writes it as text without a cell object of its own."""
    if not value.startswith(_FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl stores a text starting with "=" as a formula otherwise
    return cell


def facility_columns() -> list[tuple[str, int]]:
    """The facility export's columns (title, width), in the order of its rows' values."""
    return [
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
        (_("Trạng thái"), 16),
        (_("Đã nhận thức SXSH"), 12),
        (_("Đang áp dụng SXSH"), 12),
        (_("Có bộ phận chuyên trách"), 12),
        (_("Ngày bắt đầu hoạt động"), 14),
        (_("Người liên hệ"), 24),
        (_("Điện thoại"), 14),
        (_("Thư điện tử"), 28),
    ]


def facility_rows_xlsx(rows: Iterable[list[Any]]) -> IO[bytes]:
    """The facility list as a workbook, written row by row (memory stays flat whatever the
    number of rows); returns the file, rewound. Text is never read as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cơ sở"))
    columns = facility_columns()
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    sheet.append(_header(sheet, [Column(title, TEXT, width) for title, width in columns]))
    for values in rows:
        sheet.append([_plain_cell(sheet, value) for value in values])
    # Handed to FileResponse, which closes it once sent: no context manager here.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def _plain_cell(sheet: Worksheet, value: Any) -> Any:
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value


def write(snapshot: Snapshot, output: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, snapshot)
    _table_sheet(workbook, snapshot.trend, _trend_chart)
    for table in snapshot.tables:
        _table_sheet(workbook, table)
    workbook.save(output)


def sheet_names() -> dict[str, str]:
    """Short sheet names (Excel allows 31 characters) for the snapshot's tables."""
    return {
        "summary": _("Tổng hợp"),
        "trend": _("Theo năm"),
        "by_area": _("Theo địa bàn"),
        "by_sector": _("Theo ngành"),
        "savings": _("T3 tiết kiệm"),
        "toe_factors": _("Hệ số TOE"),
        "programme_savings": _("Tiết kiệm của giải pháp"),
        "emission_factors": _("Hệ số phát thải"),
        "outreach": _("Tuyên truyền"),
        "assessments": _("Đánh giá SXSH"),
        "projects": _("Dự án hỗ trợ"),
        "training": _("Đào tạo"),
        "awards": _("Khen thưởng"),
        "tasks": _("Nhiệm vụ cơ quan"),
        "facilities": _("Cơ sở"),
    }


def _summary_sheet(workbook: Workbook, snapshot: Snapshot) -> None:
    sheet = workbook.create_sheet(sheet_names()["summary"])
    columns = [
        Column(_("Mã"), TEXT, 6),
        Column(_("Chỉ tiêu"), TEXT, 52),
        Column(_("Kết quả"), RATIO, 11),
        Column(_("Số đạt"), INT, 10),
        Column(_("Tổng số"), INT, 10),
        Column(_("Mức tối thiểu"), RATIO, 12),
        Column(_("Mức phấn đấu"), RATIO, 12),
        Column(_("Năm mốc"), TEXT, 9),
        Column(pgettext("target status", "Đánh giá"), TEXT, 18),
    ]
    _widths(sheet, columns)
    # Four lines of title, then the header on row 5: that row is frozen and filtered.
    header_row = 5
    last = get_column_letter(len(columns))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(snapshot.summary)}"
    title = WriteOnlyCell(sheet, value=snapshot.title)
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    sheet.append([_("Nơi nhận"), snapshot.audience_label])
    as_of = WriteOnlyCell(sheet, value=snapshot.as_of)
    as_of.number_format = FORMATS[DATE]
    sheet.append([_("Ngày số liệu"), as_of])
    sheet.append([])
    sheet.append(_header(sheet, columns))
    for row in snapshot.summary:
        number_format = FORMATS[row.kind]
        values = [
            row.code,
            row.name,
            _typed(sheet, *_shown(row.value, row.kind, row.floor)),
            _typed(sheet, row.numerator, FORMATS[INT]),
            _typed(sheet, row.denominator, FORMATS[INT]),
            _typed(sheet, row.floor, number_format),
            _typed(sheet, row.stretch, number_format),
            str(row.milestone_year or ""),
            row.status_label,
        ]
        sheet.append(values)
    # How each indicator is computed, under the figures (a savings indicator's heads its sheet).
    # The charts below read only the rows above.
    if snapshot.definitions:
        sheet.append([])
        heading = WriteOnlyCell(sheet, value=_("Cách tính các chỉ tiêu"))
        heading.font = Font(bold=True)
        sheet.append([heading])
        for text in snapshot.definitions:
            sheet.append([None, text_cell(sheet, text)])

    # Native charts: the five shares against their floor and stretch, and the yearly counts.
    shares = [index for index, row in enumerate(snapshot.summary) if row.kind == RATIO]
    counts = [index for index, row in enumerate(snapshot.summary) if row.kind == INT]
    if shares:
        first, final = header_row + 1 + shares[0], header_row + 1 + shares[-1]
        chart = _bar_chart(_("Các chỉ tiêu so với mục tiêu"), _("Tỷ lệ"), "0%")
        for column in (3, 6, 7):
            chart.add_data(
                Reference(sheet, min_col=column, min_row=header_row, max_row=final),
                titles_from_data=True,
            )
        chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=final))
        sheet.add_chart(chart, "K2")
    if counts:
        first, final = header_row + 1 + counts[0], header_row + 1 + counts[-1]
        chart = _bar_chart(_("Hoạt động trong năm (A1–A4)"), _("Số lượng"), "0")
        chart.add_data(
            Reference(sheet, min_col=3, min_row=first, max_row=final), titles_from_data=False
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=final))
        chart.legend = None
        sheet.add_chart(chart, "K20")


def _bar_chart(title: str, axis_title: str, number_format: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = axis_title
    chart.y_axis.numFmt = number_format
    chart.y_axis.majorGridlines = None
    chart.height, chart.width = 8, 16
    return chart


def _trend_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    if rows < 1:
        return
    labels = [column.label for column in table.columns]
    # The plan to 2020's T1, T2 and T4; another plan's first three shares.
    codes = [code for code in ("T1", "T2", "T4") if code in labels] or [
        column.label for column in table.columns[1:] if column.kind == RATIO
    ][:3]
    if not codes:
        return
    chart = LineChart()
    chart.title = _("%(codes)s theo năm") % {"codes": ", ".join(codes)}
    chart.y_axis.numFmt = "0%"
    chart.height, chart.width = 8, 16
    for code in codes:
        column = labels.index(code) + 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=rows + 1), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    sheet.add_chart(chart, f"{get_column_letter(len(labels) + 2)}2")


def _table_sheet(workbook: Workbook, table: Table, chart: Any = None) -> None:
    sheet = workbook.create_sheet(sheet_names()[table.key])
    _widths(sheet, table.columns)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, table.columns))
    formats = [FORMATS.get(column.kind) for column in table.columns]
    count = 0
    for row in table.rows:
        sheet.append([_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)])
        count += 1
    # The filter covers the rows written; a sheet must know its range, so it is set last
    # (openpyxl writes it when the sheet closes).
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{count + 1}"
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    if chart is not None:
        chart(sheet, table, count)


def _widths(sheet: Worksheet, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _header(sheet: Worksheet, columns: list[Column]) -> list[WriteOnlyCell]:
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        header.append(cell)
    return header


def _typed(sheet: Worksheet, value: Any, number_format: str) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _cell(sheet: Worksheet, value: Any, number_format: str | None) -> Any:
    if isinstance(value, str):
        return text_cell(sheet, value)  # never a formula, whatever a facility is called
    if number_format is None or value is None:
        return value
    if number_format == FORMATS[RATIO]:
        return _typed(sheet, *_shown(value, RATIO))
    return _typed(sheet, value, number_format)


def _shown(value: Any, kind: str, floor: Decimal | None = None) -> tuple[Any, str]:
    """A ratio as the rounded value every output prints (shown_percent), so a reader of the
    cell sees the PDF's figure whatever the spreadsheet does with more decimals."""
    if kind != RATIO or value is None:
        return value, FORMATS.get(kind, "General")
    shown = shown_percent(Decimal(value), floor=floor)
    places = max(1, -shown.as_tuple().exponent)
    return shown / 100, "0." + "0" * places + "%"
