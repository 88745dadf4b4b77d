"""A snapshot → the report as a PDF in the Vietnamese administrative layout (WeasyPrint).

Knows nothing of the ORM: it renders `templates/reporting/report_pdf.html` with the snapshot
and draws its charts as SVG here. The font is shipped in `static/fonts` (Liberation Serif 2,
metric-compatible with Times New Roman and complete for Vietnamese), and WeasyPrint may fetch
nothing else: no file outside the portal's static folder, no network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.lib.numbers import band_text, percent_text
from reporting.snapshot import DATE, DECIMAL, INT, RATIO, Snapshot, Table

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()
NUMERIC = (INT, RATIO, DECIMAL)
# A PDF is read, not searched: past this many facilities the annex points to the workbook,
# which always has them all (a national annex would run to thousands of pages).
PDF_ANNEX_LIMIT = 3000
GROUP_TABLES = ("by_area", "by_sector")
T3_TABLES = ("savings", "toe_factors")  # T3 by resource, and the TOE factors it used
ACTIVITY_TABLES = ("outreach", "assessments", "projects", "training", "awards", "tasks")
STATUS_COLOURS = {
    "met": "#198754",
    "on_track": "#0d6efd",
    "behind": "#dc3545",
    "not_met": "#b02a37",
    "no_target": "#6c757d",
    "no_data": "#adb5bd",
}


class PortalStaticFetcher(URLFetcher):
    """Fetches only the portal's own static files: a report's HTML must never read the
    server's other files or reach the network (file:///etc/passwd, http://169.254.169.254/)."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if path.is_relative_to(STATIC_DIR) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"Refused to fetch {url!r}: reports use only the portal's static files.")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int


def render(snapshot: Snapshot) -> Rendered:
    html = render_to_string("reporting/report_pdf.html", context(snapshot))
    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=PortalStaticFetcher()
    ).render()
    return Rendered(content=document.write_pdf(), pages=len(document.pages))


def context(snapshot: Snapshot) -> dict[str, Any]:
    day = snapshot.issued_on or snapshot.generated_on
    return {
        "s": snapshot,
        "definitions": snapshot.definitions,
        "fonts": (STATIC_DIR / "fonts" / "liberation-serif-2.1.5").as_uri(),
        "place_date": _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
        % {"place": snapshot.place, "d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": day.year},
        "period_note": period_note(snapshot),
        # Decree 30/2020 closes the list of recipients with the archive line and a full stop.
        "archive": _("Lưu: %(archive)s.") % {"archive": snapshot.archive.strip().rstrip(".;,")},
        "summary": [
            {
                "row": row,
                "value": (
                    percent_text(row.value, floor=row.floor)
                    if row.kind == RATIO and row.value is not None
                    else cell(row.value, row.kind)
                ),
                "band": _band(row),
                "colour": STATUS_COLOURS[row.status],
                "parts": (
                    f"{cell(row.numerator, INT)}/{cell(row.denominator, INT)}"
                    if row.kind == RATIO and row.denominator is not None
                    else ""
                ),
                "parts_label": row.parts_label,
            }
            for row in snapshot.summary
        ],
        "chart": targets_chart(snapshot),
        "trend_chart": trend_chart(snapshot.trend),
        "trend": formatted(snapshot.trend),
        "groups": [formatted(t) for t in snapshot.tables if t.key in GROUP_TABLES],
        "t3_tables": [formatted(t) for t in snapshot.tables if t.key in T3_TABLES],
        "activities": [formatted(t) for t in snapshot.tables if t.key in ACTIVITY_TABLES],
        "annex": formatted(snapshot.table("facilities"), limit=PDF_ANNEX_LIMIT),
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


def cell(value: Any, kind: str) -> str:
    """A value as Vietnamese readers write it: 1.234, 82,3%, 31/12/2020; nothing shown as –."""
    if value is None or value == "":
        return "–"
    if kind == RATIO:
        return percent_text(Decimal(value))
    if kind == INT:
        return number_format(value, decimal_pos=0, force_grouping=True)
    if kind == DECIMAL:
        return number_format(value, decimal_pos=0, force_grouping=True)
    if kind == DATE and isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def formatted(table: Table, *, limit: int | None = None) -> dict[str, Any]:
    kinds = [column.kind for column in table.columns]
    note = table.note
    rows: Any = table.rows
    if limit is not None and table.total is not None and table.total > limit:
        rows = islice(rows, limit)
        note += " " + _(
            "Bản PDF liệt kê %(shown)s cơ sở đầu tiên; danh sách đủ %(total)s cơ sở có trong "
            "tệp Excel của báo cáo."
        ) % {"shown": cell(limit, INT), "total": cell(table.total, INT)}
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


def _band(row: Any) -> str:
    return band_text(row.floor, row.stretch, ratio=row.kind == RATIO)


# --- charts (SVG) -----------------------------------------------------------------------------


def targets_chart(snapshot: Snapshot) -> str:
    """The five shares as horizontal bars against their floor (tick) and stretch (dashed)."""
    rows = [row for row in snapshot.summary if row.kind == RATIO]
    width, label_w, bar_h, gap = 640, 70, 18, 10
    plot_w = width - label_w - 60
    height = len(rows) * (bar_h + gap) + 30
    parts = [_svg_open(width, height)]
    for tick in range(0, 101, 20):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#dee2e6"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">{tick}%</text>'
        )
    for index, row in enumerate(rows):
        y = index * (bar_h + gap) + 4
        share = min(float(row.value or 0), 1.0)
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="11">{escape(row.code)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{plot_w * share:.1f}" height="{bar_h}" '
            f'fill="{STATUS_COLOURS[row.status]}"/>'
            f'<text x="{label_w + plot_w * share + 4:.1f}" y="{y + 13}" font-size="10">'
            f"{escape(cell(row.value, RATIO))}</text>"
        )
        for limit, dash in ((row.floor, ""), (row.stretch, ' stroke-dasharray="3,2"')):
            if limit is not None:
                x = label_w + plot_w * min(float(limit), 1.0)
                parts.append(
                    f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + bar_h + 2}" '
                    f'stroke="#212529" stroke-width="2"{dash}/>'
                )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(trend: Table) -> str:
    """T1, T2 and T4 year by year, as lines."""
    codes = {"T1": "#0d6efd", "T2": "#198754", "T4": "#fd7e14"}
    index = {column.label: i for i, column in enumerate(trend.columns)}
    rows = list(trend.rows)
    width, height, left, bottom = 640, 200, 40, 24
    plot_w, plot_h = width - left - 90, height - bottom - 10
    parts = [_svg_open(width, height)]
    for tick in range(0, 101, 25):
        y = 10 + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end">{tick}%</text>'
        )
    step = plot_w / max(len(rows) - 1, 1)
    for i, row in enumerate(rows):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - 6}" font-size="10" '
            f'text-anchor="middle">{escape(str(row[0]))}</text>'
        )
    for n, (code, colour) in enumerate(codes.items()):
        points = [
            (left + i * step, 10 + plot_h * (1 - min(float(row[index[code]]), 1.0)))
            for i, row in enumerate(rows)
            if row[index[code]] is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            parts.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points
            )
        legend_y = 20 + n * 16
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{legend_y - 9}" width="12" height="10" '
            f'fill="{colour}"/><text x="{left + plot_w + 32}" y="{legend_y}" font-size="11">'
            f"{code}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Serif">'
    )
