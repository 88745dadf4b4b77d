"""What a report says, as plain data: the builder fills these from the engine's figures, and the
renderers (pdf.py, docx.py, excel.py) turn them into files without touching a model."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Value kinds a column can hold; the renderers format each kind their own way.
TEXT, INT, RATIO, DECIMAL, DATE = "text", "int", "ratio", "decimal", "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    width: int = 14  # in characters, for the workbook


@dataclass
class Table:
    """A titled table: a section of the PDF and a sheet of the workbook."""

    key: str
    title: str
    columns: list[Column]
    rows: Iterable[list[Any]]
    note: str = ""
    total: int | None = None  # the number of rows, when they stream


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    kind: str  # RATIO for the shares, INT for the yearly counts
    value: Decimal | int | None
    numerator: int | None
    denominator: int | None
    floor: Decimal | None
    stretch: Decimal | None
    milestone_year: int | None
    status: str
    status_label: str
    # What numerator / denominator count for this row ("Số cơ sở / tổng", "Số cán bộ / tổng");
    # empty for the yearly counts, which have no denominator.
    parts_label: str = ""


@dataclass(frozen=True)
class Section:
    """A part of the report that staff write (Decree 30/2020 report layout): its key on a run's
    `texts`, its heading as printed, and its number within the report."""

    key: str
    number: str  # "I", "III.1", …
    title: Any  # lazy: headings follow the language the document is rendered in


# The parts staff write; part II (the figures) is the portal's. Their drafts: `drafting.py`.
SECTIONS = (
    Section("direction", "I", gettext_lazy("Tình hình triển khai (công tác chỉ đạo, điều hành)")),
    Section("achievements", "III.1", gettext_lazy("Kết quả đạt được")),
    Section("shortcomings", "III.2", gettext_lazy("Tồn tại, hạn chế")),
    Section("causes", "III.3", gettext_lazy("Nguyên nhân")),
    Section("next_steps", "IV", gettext_lazy("Phương hướng, nhiệm vụ kỳ tới")),
    Section("proposals", "V", gettext_lazy("Kiến nghị, đề xuất")),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


@dataclass(frozen=True)
class LateTask:
    agency: str
    title: str
    due_on: datetime.date
    progress: int


@dataclass
class Snapshot:
    plan_name: str
    # The plan as cited: "Kế hoạch số 25/KH-UBND ngày 19/01/2016 của UBND tỉnh Nghệ An" (or "").
    plan_reference: str
    year: int
    quarter: int
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    # "calendar" or "decree09" (the data cut-off of Decree 09/2019/NĐ-CP).
    basis: str
    audience: str
    audience_label: str
    as_of: datetime.date
    generated_on: datetime.date
    # The document's heading and closing (Decree 30/2020), from the audience's report settings.
    issuer: list[str]  # parent bodies first, the issuing body last
    recipients: list[str]  # "Kính gửi"
    copies_to: list[str]  # "Nơi nhận", without the archive line
    archive: str  # after "Lưu:", e.g. "VT, KTAT"
    symbol: str  # after "Số: …/BC-", e.g. "SCT"
    place: str
    signer_title: list[str]  # e.g. ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    signer_name: str
    summary: list[SummaryRow]
    trend: Table
    tables: list[Table]
    # Counts of the period's activities, for the narrative of the PDF.
    activity_counts: dict[str, int] = field(default_factory=dict)
    # T3's coverage and band line, printed under the summary table (see builders._t3_summary).
    t3_summary: str = ""
    # Set when the report is issued (reporting.issuing): printed as "Số: 125/BC-SCT" and as the
    # date of the place line; a generated, unissued report leaves the number blank to be
    # filled in by hand and is dated the day it was generated.
    number: str = ""
    issued_on: datetime.date | None = None
    # How each indicator is computed, and the rounding and status rules: the report's notes.
    definitions: list[str] = field(default_factory=list)
    # What the drafts of the written parts draw on besides the figures: the agencies' tasks past
    # their due date and not done, and the facilities' reporting for the period (expected,
    # received, on time), None when no facility owed a report.
    late_tasks: list[LateTask] = field(default_factory=list)
    reporting: tuple[int, int, int] | None = None
    # The written parts (SECTIONS), by key: staff's text, or the portal's draft where staff
    # wrote none. Paragraphs are separated by line breaks.
    sections: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)
    # How the by-area table groups facilities (`models.AreaGrouping`), printed under the
    # period; empty when the report has no such table.
    area_grouping: str = ""

    @property
    def title(self) -> str:
        return _("Kết quả thực hiện %(plan)s – %(period)s") % {
            "plan": self.plan_name,
            "period": self.period_label,
        }

    @property
    def subject(self) -> str:
        """The trích yếu under "BÁO CÁO": what is reported on, without "thực hiện" twice when
        the plan's own name begins "Kế hoạch thực hiện …"."""
        verb = _("Kết quả triển khai") if "thực hiện" in self.plan_name else _("Kết quả thực hiện")
        return f"{verb} {self.plan_name} {self.period_formal}"

    @property
    def period_formal(self) -> str:
        """The period as formal text writes it mid-sentence: "quý IV năm 2020", "năm 2020"."""
        return self.period_label[:1].lower() + self.period_label[1:]

    @property
    def issuer_name(self) -> str:
        """The issuing body as a sentence names it: "Sở Công Thương Nghệ An"."""
        body = self.issuer[-1].title() if self.issuer else ""
        return f"{body} {self.place}".strip()

    @property
    def recipients_text(self) -> str:
        return ", ".join(self.recipients)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    def figures(self) -> dict[str, Any]:
        """Every figure the report states, as plain JSON: each indicator (value, numerator,
        denominator, band, status) and the tables the engine fills (by year, area, sector).
        A run keeps it as generated and as issued; the two must be equal (`reporting.issuing`).
        The activity lists and the annex are records, not figures: the issued file keeps them."""
        return {
            "summary": [summary_figure(row) for row in self.summary],
            "tables": {
                table.key: [[plain(cell) for cell in row] for row in table.rows]
                for table in [self.trend, *self.tables]
                if table.key in FIGURE_TABLES
            },
        }


# The tables made of the engine's figures, kept with a run's figures.
FIGURE_TABLES = ("trend", "by_area", "by_sector")


def summary_figure(row: SummaryRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "kind": row.kind,
        "value": plain(row.value),
        "numerator": row.numerator,
        "denominator": row.denominator,
        "floor": plain(row.floor),
        "stretch": plain(row.stretch),
        "milestone_year": row.milestone_year,
        "status": row.status,
    }


def plain(value: Any) -> Any:
    """A cell as JSON keeps it exactly: decimals as their text, dates in ISO form."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)
