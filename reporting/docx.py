"""A snapshot → the report as a Word file (python-docx), for staff to finish and sign in Word.

The same words and tables as the PDF (`document.py`), in the Decree 30/2020 layout: A4,
margins 20/15/20/30 mm, Times New Roman 13 pt, page numbers at the top centre from page 2,
the annexes on their own pages (the facility list in landscape). No charts: the figures are in
the tables, and a Word user edits text, not pictures. Knows nothing of the ORM.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from reporting import document
from reporting.snapshot import Snapshot

FONT = "Times New Roman"
CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def render(snapshot: Snapshot) -> bytes:
    words = document.context(snapshot)
    doc = Document()
    _page_setup(doc)
    _heading(doc, snapshot, words)
    _part(doc, words["parts"]["direction"], numbered=True)

    _title(doc, _("II. Kết quả thực hiện").upper())
    _subtitle(doc, _("1. Kết quả thực hiện các chỉ tiêu"))
    _summary_table(doc, words["summary"])
    _note(doc, f"{snapshot.t3_summary} {words['summary_note']}")
    number = 2
    for table in [*words["t3_tables"], words["trend"], *words["groups"]]:
        _subtitle(doc, f"{number}. {table['title']}")
        _table(doc, table)
        number += 1
    _subtitle(doc, f"{number}. {_('Kết quả các hoạt động trong kỳ')}")
    for index, table in enumerate(words["activities"], start=1):
        _subtitle(doc, f"{number}.{index}. {table['title']}")
        _table(doc, table)

    _title(doc, _("III. Đánh giá chung").upper())
    for index, key in enumerate(("achievements", "shortcomings", "causes"), start=1):
        part = words["parts"][key]
        _subtitle(doc, f"{index}. {part['title']}")
        _paragraphs(doc, part["paragraphs"])
    _part(doc, words["parts"]["next_steps"], numbered=True)
    _part(doc, words["parts"]["proposals"], numbered=True)
    _text(doc, words["closing"])
    _signature(doc, snapshot, words)

    _annex_head(doc, _("PHỤ LỤC I"), _("CÁCH TÍNH CÁC CHỈ TIÊU"), words, landscape=False)
    for text in words["definitions"]:
        _text(doc, text, size=12)
    annex = words["annex"]
    _annex_head(doc, _("PHỤ LỤC II"), annex["title"].upper(), words, landscape=True)
    _note(doc, annex["note"])
    _table(doc, annex, size=9)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: Any) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    # Word picks the font of Vietnamese text from the East Asian and complex-script slots too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(4)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section, top=20, bottom=20, left=30, right=15)
    _page_numbers(section)


def _margins(section: Any, *, top: int, bottom: int, left: int, right: int) -> None:
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def _page_numbers(section: Any) -> None:
    """A PAGE field at the top centre; the first page's header stays empty (Decree 30/2020)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _heading(doc: Any, snapshot: Snapshot, words: dict[str, Any]) -> None:
    head = doc.add_table(rows=1, cols=2)
    _widths(head, [Mm(70), Mm(95)])
    left, right = head.rows[0].cells
    for index, line in enumerate(snapshot.issuer):
        last = index == len(snapshot.issuer) - 1
        _cell_line(left, line.upper(), bold=last, first=index == 0, size=12)
    _cell_line(left, "—————", size=12)
    _cell_line(left, f"{_('Số:')} {words['number']}/BC-{snapshot.symbol}", size=12)
    _cell_line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, first=True, size=12)
    _cell_line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True)
    _cell_line(right, "———————————", size=12)
    _cell_line(right, words["place_date"], italic=True)

    _centered(doc, _("BÁO CÁO"), bold=True, size=14, before=18)
    _centered(doc, words["subject"], bold=True)
    _centered(doc, "————", size=10)
    _centered(doc, words["period_note"], italic=True, size=12)
    if words["grouping_note"]:
        _centered(doc, words["grouping_note"], italic=True, size=12)
    _centered(doc, f"{_('Kính gửi:')} {'; '.join(snapshot.recipients)}", before=6)
    _text(doc, words["opening"])


def _cell_line(
    cell: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    size: float = 13,
) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _centered(
    doc: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    before: float = 0,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.alignment = CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _title(doc: Any, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = True


def _subtitle(doc: Any, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = True


def _part(doc: Any, part: dict[str, Any], *, numbered: bool) -> None:
    _title(doc, f"{part['number']}. {part['title']}".upper() if numbered else part["title"])
    _paragraphs(doc, part["paragraphs"])


def _paragraphs(doc: Any, texts: list[str]) -> None:
    for text in texts:
        _text(doc, text)


def _text(doc: Any, text: str, *, size: float = 13) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.add_run(text).font.size = Pt(size)


def _note(doc: Any, text: str) -> None:
    if not text.strip():
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = JUSTIFY
    run = paragraph.add_run(text.strip())
    run.italic, run.font.size = True, Pt(11)


def _summary_table(doc: Any, summary: list[dict[str, Any]]) -> None:
    header = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Kết quả"),
        _("Tử số / mẫu số"),
        _("Mục tiêu"),
        _("Kết quả so với mục tiêu"),
    ]
    rows = [
        [
            (item["row"].code, False),
            (item["name"], False),
            (item["value"], True),
            (f"{item['parts']} ({item['parts_label']})" if item["parts"] else "", True),
            (item["band"], True),
            (item["row"].status_label, False),
        ]
        for item in summary
    ]
    _grid(doc, header, rows, widths=[12, 58, 18, 32, 18, 27], size=11)


def _table(doc: Any, table: dict[str, Any], *, size: float = 11) -> None:
    header = [str(column.label) for column, _share in table["columns"]]
    widths = [share for _column, share in table["columns"]]
    rows = list(table["rows"])
    if rows:
        _grid(doc, header, rows, widths=widths, size=size, relative=True)
    else:
        _grid(doc, header, [], widths=widths, size=size, relative=True)
        _note(doc, _("Không có trong kỳ."))
    if table["note"] and table["key"] != "facilities":
        _note(doc, table["note"])


def _grid(
    doc: Any,
    header: list[str],
    rows: list[list[tuple[str, bool]]],
    *,
    widths: list[float],
    size: float,
    relative: bool = False,
) -> WordTable:
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(widths)
    lengths = [int(usable * width / total) if relative else Mm(width) for width in widths]
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        _fill(cell, label, bold=True, align=CENTER, size=size)
    _repeat_header(grid.rows[0])
    for row in rows:
        cells = grid.add_row().cells
        for cell, (value, numeric) in zip(cells, row, strict=True):
            _fill(cell, value, align=RIGHT if numeric else None, size=size)
    _widths(grid, lengths)
    return grid


def _widths(table: WordTable, lengths: list[int]) -> None:
    """Fixed column widths: Word reads them from the cells, LibreOffice from the grid."""
    table.autofit = False
    for column, length in zip(table.columns, lengths, strict=True):
        column.width = length
        for cell in column.cells:
            cell.width = length


def _fill(cell: Any, text: str, *, bold: bool = False, align: Any = None, size: float) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _signature(doc: Any, snapshot: Snapshot, words: dict[str, Any]) -> None:
    block = doc.add_table(rows=1, cols=2)
    _widths(block, [Mm(80), Mm(85)])
    left, right = block.rows[0].cells
    heading = left.paragraphs[0]
    label = heading.add_run(_("Nơi nhận:"))
    label.bold, label.italic, label.font.size = True, True, Pt(12)
    for line in [*(f"- {copy};" for copy in snapshot.copies_to), f"- {words['archive']}"]:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).font.size = Pt(11)
    for index, line in enumerate(snapshot.signer_title):
        _cell_line(right, line, bold=True, first=index == 0)
    for _blank in range(4):
        _cell_line(right, "")
    _cell_line(right, snapshot.signer_name, bold=True)


def _annex_head(
    doc: Any, label: str, title: str, words: dict[str, Any], *, landscape: bool
) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # an annex's first page is numbered
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        _margins(section, top=15, bottom=18, left=20, right=15)
    _centered(doc, label, bold=True)
    _centered(doc, title, bold=True)
    _centered(doc, words["annex_reference"], italic=True, size=12)
