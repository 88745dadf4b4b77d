"""A snapshot → the words and cells of the report, as both documents print them.

The PDF (`pdf.py`) and the Word file (`docx.py`) lay out the same text: the heading and
closing of Decree 30/2020, the five parts, the tables with every value formatted the way
Vietnamese readers write it (1.234, 82,3%, 31/12/2020). Written once here, so the two files
can differ only in layout. Knows nothing of the ORM.

Decree 30/2020 details kept here:
- the place and date stay "ngày … tháng … năm …" until the report is issued: the date of a
  report is its signing date, which the clerk fills in (`issuing.issue_report` prints it);
- the status column reads "Kết quả so với mục tiêu" and carries a word, never a colour alone
  (red and green do not survive a photocopier);
- the annex is headed "(Kèm theo Báo cáo số …/BC-SCT ngày … của Sở Công Thương Nghệ An)".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.lib.numbers import band_text, percent_text
from reporting.snapshot import DATE, DECIMAL, INT, RATIO, SECTIONS, Snapshot, Table

NUMERIC = (INT, RATIO, DECIMAL)
# A printed report is read, not searched: past this many facilities the annex points to the
# workbook, which always has them all (a national annex would run to thousands of pages), and
# past this many rows an activity list does the same. Each printed page costs the renderer about
# 2 MB until the file is written: these keep a national report under 100 pages.
ANNEX_LIMIT = 1000
ACTIVITY_LIMIT = 200
GROUP_TABLES = ("by_area", "by_sector")
# T3 by resource and the TOE factors it used; in the annual report, what the programme's
# measures saved (VND, TOE, tCO₂e) and the emission factors used.
T3_TABLES = ("savings", "toe_factors", "programme_savings", "emission_factors")
ACTIVITY_TABLES = ("outreach", "assessments", "projects", "training", "awards", "tasks")
BLANK_DATE = "ngày … tháng … năm …"


def context(snapshot: Snapshot) -> dict[str, Any]:
    """Everything both documents print, in reading order."""
    return {
        "s": snapshot,
        "place_date": place_date(snapshot),
        "number": snapshot.number or "…",
        "subject": snapshot.subject,
        "period_note": period_note(snapshot),
        "grouping_note": (
            _("Số liệu theo địa bàn: %(grouping)s") % {"grouping": snapshot.area_grouping.lower()}
            if snapshot.area_grouping
            else ""
        ),
        "opening": opening(snapshot),
        "summary": summary_rows(snapshot),
        "summary_note": summary_note(snapshot),
        "trend": formatted(snapshot.trend),
        "groups": [formatted(t) for t in snapshot.tables if t.key in GROUP_TABLES],
        "t3_tables": [formatted(t) for t in snapshot.tables if t.key in T3_TABLES],
        "activities": [
            formatted(t, limit=ACTIVITY_LIMIT) for t in snapshot.tables if t.key in ACTIVITY_TABLES
        ],
        "parts": parts(snapshot),
        "closing": closing(snapshot),
        # Decree 30/2020 closes the list of recipients with the archive line and a full stop.
        "archive": _("Lưu: %(archive)s.") % {"archive": snapshot.archive.strip().rstrip(".;,")},
        "annex_reference": annex_reference(snapshot),
        "definitions": snapshot.definitions,
        "annex": formatted(snapshot.table("facilities"), limit=ANNEX_LIMIT),
    }


def summary_note(snapshot: Snapshot) -> str:
    """The line under the summary table: the plan to 2020's yearly counts are said as such;
    another plan's counts name their own period."""
    chart = _("Trên biểu đồ, vạch liền là mức tối thiểu, vạch đứt là mức phấn đấu.")
    if any(row.code in ("A1", "A2", "A3", "A4") for row in snapshot.summary):
        return _(
            "A1–A4 là số lượng trong năm. Trên biểu đồ, vạch liền là mức tối thiểu, vạch đứt là "
            "mức phấn đấu."
        )
    return chart


def place_date(snapshot: Snapshot) -> str:
    day = snapshot.issued_on
    if day is None:
        return f"{snapshot.place}, {BLANK_DATE}"
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": snapshot.place,
        "d": f"{day.day:02d}",
        "m": f"{day.month:02d}",
        "y": day.year,
    }


def period_note(snapshot: Snapshot) -> str:
    """The days the figures cover, and by which rule: a Decree 09/2019 report and a calendar one
    of the same quarter are different reports, and the reader must see which one this is."""
    days = {
        "start": snapshot.period_start.strftime("%d/%m/%Y"),
        "end": snapshot.period_end.strftime("%d/%m/%Y"),
    }
    if snapshot.basis == "decree09":
        return (
            _("Số liệu từ %(start)s đến %(end)s (kỳ báo cáo theo Nghị định 09/2019/NĐ-CP)") % days
        )
    return _("Số liệu từ %(start)s đến %(end)s (kỳ báo cáo theo quý, năm dương lịch)") % days


def opening(snapshot: Snapshot) -> str:
    """The first paragraph: the plan cited by its number and date, ending "như sau:"."""
    plan = snapshot.plan_name
    if snapshot.plan_reference:
        plan = f"{snapshot.plan_reference} ({snapshot.plan_name})"
    return _(
        "Thực hiện %(plan)s, %(issuer)s báo cáo kết quả triển khai %(period)s (số liệu tính đến "
        "hết ngày %(as_of)s, tổng hợp trên Cổng SXSH Nghệ An) như sau:"
    ) % {
        "plan": plan,
        "issuer": snapshot.issuer_name,
        "period": snapshot.period_formal,
        "as_of": snapshot.as_of.strftime("%d/%m/%Y"),
    }


def closing(snapshot: Snapshot) -> str:
    return _(
        "Trên đây là báo cáo kết quả triển khai %(period)s của %(issuer)s, kính báo cáo "
        "%(recipients)s xem xét, chỉ đạo./."
    ) % {
        "period": snapshot.period_formal,
        "issuer": snapshot.issuer_name,
        "recipients": snapshot.recipients_text,
    }


def annex_reference(snapshot: Snapshot) -> str:
    number = snapshot.number or "…"
    day = snapshot.issued_on.strftime("%d/%m/%Y") if snapshot.issued_on else "…"
    return _("(Kèm theo Báo cáo số %(number)s/BC-%(symbol)s ngày %(day)s của %(issuer)s)") % {
        "number": number,
        "symbol": snapshot.symbol,
        "day": day,
        "issuer": snapshot.issuer_name,
    }


def parts(snapshot: Snapshot) -> dict[str, dict[str, Any]]:
    """Each written part by key: its number, heading and paragraphs."""
    return {
        section.key: {
            "number": section.number,
            "title": str(section.title),
            "paragraphs": paragraphs(snapshot.sections.get(section.key, "")),
        }
        for section in SECTIONS
    }


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def summary_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "name": row.name
            + (
                " " + _("(mốc %(year)s)") % {"year": row.milestone_year}
                if row.milestone_year
                else ""
            ),
            "value": (
                percent_text(row.value, floor=row.floor)
                if row.kind == RATIO and row.value is not None
                else cell(row.value, row.kind)
            ),
            "band": band_text(row.floor, row.stretch, ratio=row.kind == RATIO),
            "parts": (
                f"{cell(row.numerator, INT)}/{cell(row.denominator, INT)}"
                if row.kind == RATIO and row.denominator is not None
                else ""
            ),
            "parts_label": row.parts_label,
        }
        for row in snapshot.summary
    ]


def cell(value: Any, kind: str) -> str:
    """A value as Vietnamese readers write it: 1.234, 82,3%, 31/12/2020; nothing shown as –."""
    if value is None or value == "":
        return "–"
    if kind == RATIO:
        return percent_text(Decimal(value))
    if kind in (INT, DECIMAL):
        return number_format(value, decimal_pos=0, force_grouping=True)
    if kind == DATE and isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def formatted(table: Table, *, limit: int | None = None) -> dict[str, Any]:
    kinds = [column.kind for column in table.columns]
    note = table.note
    rows: Any = table.rows
    total = table.total if table.total is not None or not isinstance(rows, list) else len(rows)
    if limit is not None and total is not None and total > limit:
        rows = islice(rows, limit)
        shown = {"shown": cell(limit, INT), "total": cell(total, INT)}
        if table.key == "facilities":
            more = _(
                "Bản in liệt kê %(shown)s cơ sở đầu tiên; danh sách đủ %(total)s cơ sở có trong "
                "tệp Excel của báo cáo."
            )
        else:
            more = _(
                "Bản in liệt kê %(shown)s dòng đầu tiên; danh sách đủ %(total)s dòng có trong "
                "tệp Excel của báo cáo."
            )
        note = f"{note} {more % shown}".strip()
    return {
        "key": table.key,
        "title": table.title,
        "note": note,
        # Each column with its share of the page width, from its width in the workbook.
        "columns": [
            (column, round(100 * column.width / sum(c.width for c in table.columns), 1))
            for column in table.columns
        ],
        # Each value with whether it is a number (right-aligned).
        "rows": (
            [(cell(v, k), k in NUMERIC) for v, k in zip(row, kinds, strict=True)] for row in rows
        ),
    }
