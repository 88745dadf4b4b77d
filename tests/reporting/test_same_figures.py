"""One report run, read as its readers read it: the PDF's text, the workbook's cells and the
dashboard's cards show the same figure for every indicator, rounded by the one rule."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from portal.lib.numbers import percent_text
from programs.models import Plan
from reporting import indicators, services
from reporting.excel import sheet_names
from tests.reporting.conftest import need

DAY = datetime.date(2020, 12, 31)


def shown_text(figure: indicators.Figure) -> str:
    with translation.override("vi"):
        if figure.is_count:
            return str(int(figure.value))
        return percent_text(figure.value, floor=figure.floor)


def test_the_pdf_the_workbook_and_the_dashboard_show_the_same_figures(
    demo_data, users, client_for
) -> None:
    pdftotext = need("pdftotext")
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    run, _created = services.request_report(plan, year=2020, quarter=4, audience="province")
    run = services.generate(run.pk)
    figures = indicators.compute(plan, as_of=DAY, year=2020)
    expected = {code: shown_text(figure) for code, figure in figures.items()}

    text = subprocess.run(
        [pdftotext, "-layout", run.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Cách tính các chỉ tiêu" in text and "Mẫu số: như T1." in re.sub(r"\s+", " ", text)
    summary = text.split("PHỤ LỤC")[0]
    for code, shown in expected.items():
        rows = [line for line in summary.splitlines() if re.match(rf"\s*{code}\b", line)]
        assert rows and shown in rows[0].split(), (code, shown, rows[:1])

    sheet = load_workbook(run.xlsx.path)[sheet_names()["summary"]]
    cells = {row[0]: row[2] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    for code, figure in figures.items():
        shown = figure.shown if figure.is_count else figure.shown / 100
        assert cells[code] == pytest.approx(float(shown), abs=1e-9), code

    page = client_for(users["department_staff"]).get(
        reverse("dashboard"), {"plan": plan.pk, "on": "31/12/2020"}
    )
    html = page.content.decode()
    for code, shown in expected.items():
        card = html.split(f'<span class="fw-semibold">{code}</span>')[1]
        value = re.search(r'<div class="fs-3 fw-semibold">([^<]*)</div>', card)
        assert value and value.group(1) == shown, (code, shown)
