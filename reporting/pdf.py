"""A snapshot → the report as a PDF in the Vietnamese administrative layout (WeasyPrint).

Knows nothing of the ORM: it renders `templates/reporting/report_pdf.html` with the words of
`document.py` and draws its charts as SVG here. The font is shipped in `static/fonts`
(Liberation Serif 2, metric-compatible with Times New Roman and complete for Vietnamese), and
WeasyPrint may fetch nothing else: no file outside the portal's static folder, no network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reporting import document
from reporting.snapshot import RATIO, Snapshot, Table

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()
# A bar's shade by status: the status itself is printed as a word, the shade only helps the
# eye, and greys survive printing and photocopying.
STATUS_SHADES = {
    "met": "#404040",
    "on_track": "#707070",
    "behind": "#a6a6a6",
    "not_met": "#a6a6a6",
    "no_target": "#d0d0d0",
    "no_data": "#d0d0d0",
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
    """The report, its facility annex laid out in parts (`ANNEX_PART_ROWS`) joined into one
    file: WeasyPrint holds every page's layout until it writes them, about 4 MB a page of the
    annex, so its 1,000 rows at once took 200 MB. A part ends with its last full page: the rows
    of the page it drops begin the next part, so the joined annex reads as one table."""
    rows = list(context(snapshot)["annex"]["rows"])
    parts: list[bytes] = []
    pages = start = 0
    size = ANNEX_PART_ROWS
    while True:
        chunk = rows[start : start + size]
        last = start + len(chunk) >= len(rows)
        part = {"first_page": pages + 1} if parts else None
        values = context(snapshot)  # afresh: its tables' rows are read once
        document = _layout(values | {"annex": values["annex"] | {"rows": chunk}, "part": part})
        kept = document.pages
        if not last:
            on_last_page = [int(name[1:]) for name in kept[-1].anchors if name[:1] == "r"]
            if not on_last_page or min(on_last_page) == 0:
                size *= 2  # the part's rows fit on one page: more of them
                continue
            kept, start = kept[:-1], start + min(on_last_page)
        parts.append(document.copy(kept).write_pdf())
        pages += len(kept)
        del document, kept
        if last:
            return Rendered(content=parts[0] if len(parts) == 1 else _joined(parts), pages=pages)


# Rows of the annex laid out at once (see `render`).
ANNEX_PART_ROWS = 200


def _layout(values: dict[str, Any]) -> Any:
    html = render_to_string("reporting/report_pdf.html", values)
    return HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=PortalStaticFetcher()
    ).render()


def _joined(parts: list[bytes]) -> bytes:
    """The parts' pages in one PDF, with the first part's title and outline."""
    writer = PdfWriter()
    for content in parts:
        writer.append(PdfReader(io.BytesIO(content)))
    metadata = PdfReader(io.BytesIO(parts[0])).metadata
    if metadata:
        writer.add_metadata(dict(metadata))
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()


def context(snapshot: Snapshot) -> dict[str, Any]:
    return {
        **document.context(snapshot),
        "fonts": (STATIC_DIR / "fonts" / "liberation-serif-2.1.5").as_uri(),
        "chart": targets_chart(snapshot),
        "trend_chart": trend_chart(snapshot.trend),
    }


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
            f'fill="{STATUS_SHADES[row.status]}"/>'
            f'<text x="{label_w + plot_w * share + 4:.1f}" y="{y + 13}" font-size="10">'
            f"{escape(document.cell(row.value, RATIO))}</text>"
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
    # Told apart by dashes and markers, not colours: the report is printed and photocopied.
    codes = {"T1": ("#000000", ""), "T2": ("#000000", "6,3"), "T4": ("#707070", "2,2")}
    index = {column.label: i for i, column in enumerate(trend.columns)}
    codes = {code: style for code, style in codes.items() if code in index}  # another plan's
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
    for n, (code, (colour, dashes)) in enumerate(codes.items()):
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        points = [
            (left + i * step, 10 + plot_h * (1 - min(float(row[index[code]]), 1.0)))
            for i, row in enumerate(rows)
            if row[index[code]] is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
            parts.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points
            )
        legend_y = 20 + n * 16
        parts.append(
            f'<line x1="{left + plot_w + 10}" y1="{legend_y - 4}" x2="{left + plot_w + 30}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{left + plot_w + 34}" y="{legend_y}" font-size="11">{code}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Serif">'
    )
