"""What a report says, as plain data: the builder fills these from the engine's figures, and the
renderers (pdf.py, excel.py) turn them into files without touching a model."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

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


@dataclass
class Snapshot:
    plan_name: str
    plan_decision: str
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

    @property
    def title(self) -> str:
        return _("Kết quả thực hiện %(plan)s – %(period)s") % {
            "plan": self.plan_name,
            "period": self.period_label,
        }

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
