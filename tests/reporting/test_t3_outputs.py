"""T3 as the outputs print it: one definition, its coverage, the resource-level medians and the
TOE factors, in the report (PDF and workbook), on the dashboard card and in the README."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import ConversionFactor
from facilities.models import Facility
from programs.models import IndicatorDefinition, Plan
from reporting import builders, excel, indicators, pdf
from reporting.dashboards import indicator_cards
from tests.reporting.test_indicators import (
    AS_OF,
    BASELINE_LINES,
    REPORT_LINES,
    applying_plant,
    local,
    make_report,
)


@pytest.fixture
def province(db) -> dict[str, Facility]:
    """Three facilities applying CP as of 30/06/2018: one saving as in the worked example
    (0.075), one burning rice husk, which has no TOE factor, and one without a report."""
    ConversionFactor.objects.filter(resource__code="rice-husk").delete()
    saving = applying_plant()
    husk = applying_plant(BASELINE_LINES | {"rice-husk": "10"})
    make_report(saving, reviewed_at=local(2018, 2, 1))
    make_report(husk, reviewed_at=local(2018, 2, 1), lines=REPORT_LINES | {"rice-husk": "12"})
    return {"saving": saving, "husk": husk, "silent": applying_plant()}


def build(plan: Plan):
    return builders.build(plan, year=2018, quarter=2, audience="province", as_of=AS_OF)


def test_the_report_notes_print_the_definition_coverage_and_the_facilities_lacking_a_factor(
    shipped_plan, province
) -> None:
    with translation.override("vi"):
        snapshot = build(shipped_plan)
        savings, factors = snapshot.table("savings"), snapshot.table("toe_factors")
        assert IndicatorDefinition.objects.get(code="T3").definition in savings.note
        assert "1 trên 3 cơ sở đang áp dụng SXSH có số liệu tiết kiệm." in savings.note
        assert "Đạt mức tối thiểu: 1/3 cơ sở đang áp dụng SXSH" in savings.note
        assert (
            "1 cơ sở thiếu hệ số quy đổi TOE cho Trấu tại ngày cuối kỳ so sánh: các cơ sở này "
            "không có số liệu tiết kiệm năng lượng và không có số liệu T3."
        ) in savings.note
        assert snapshot.t3_summary.startswith(
            "T3: 1 trên 3 cơ sở đang áp dụng SXSH có số liệu tiết kiệm."
        )
    # The median saving with its count beside the applying facilities, then each resource.
    rows = [(float(row[1]), row[2], row[3]) for row in savings.rows]
    assert rows == [
        (pytest.approx(0.075), 1, 3),  # T3
        (pytest.approx(0.1), 1, 3),  # energy: the husk burner has none
        (pytest.approx(0.05), 2, 3),  # main material
        (pytest.approx(1 / 6), 2, 3),  # water
    ]
    # Only the saving plant was converted (the husk burner's energy was not), with the
    # shipped factors in force on 31/12/2017, the end of the compared year.
    electricity, coal = list(factors.rows)
    assert electricity[0] == "Điện năng" and electricity[2] == "TOE/kWh"
    assert electricity[4] == datetime.date(2010, 1, 1) and electricity[5] == 1
    assert coal[0] == "Than" and coal[3].startswith("Bộ Công Thương, Công văn số 3505/BCT-KHCN")


def test_the_pdf_and_the_workbook_carry_the_t3_section(shipped_plan, province) -> None:
    with translation.override("vi"):
        snapshot = build(shipped_plan)
        html = render_to_string("reporting/report_pdf.html", pdf.context(snapshot))
        output = BytesIO()
        excel.write(snapshot, output)
        names = excel.sheet_names()
    text = re.sub(r"\s+", " ", html)
    assert "T3: 1 trên 3 cơ sở đang áp dụng SXSH có số liệu tiết kiệm." in text
    assert "T3 – tiết kiệm trên đơn vị sản phẩm, theo loại tài nguyên" in text
    assert "Hệ số quy đổi TOE dùng cho T3" in text
    assert "thiếu hệ số quy đổi TOE cho Trấu" in text
    workbook = load_workbook(output)
    sheet = workbook[names["savings"]]
    cells = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert any(str(value).startswith("T3 – tiết kiệm năng lượng") for value in cells)
    assert workbook[names["toe_factors"]].max_row >= 3


def test_the_dashboard_card_of_t3_shows_its_definition_coverage_and_resource_medians(
    shipped_plan, province
) -> None:
    with translation.override("en"):
        cards = indicator_cards(indicators.compute(shipped_plan, as_of=AS_OF), as_of=AS_OF)
        t3 = next(card for card in cards if card["figure"].indicator == "T3")
        html = render_to_string("portal/_indicator_cards.html", {"cards": [t3]})
    assert t3["t3"]["coverage"] == "1 of 3 applying facilities have a savings figure"
    assert [value for _label, value in t3["t3"]["resources"]] == ["10.0%", "5.0%", "16.7%"]
    text = re.sub(r"\s+", " ", html)
    assert "1 of 3 applying facilities have a savings figure" in text
    assert "Main material: 5.0%" in text
    assert "T3 – savings of energy and materials per unit of product." in text
    assert not any(card["t3"] for card in cards if card["figure"].indicator != "T3")


def test_the_readme_prints_the_definition_the_catalogue_prints(db) -> None:
    readme = Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8")
    quoted = " ".join(
        line.strip()[1:].strip() for line in readme.splitlines() if line.strip().startswith(">")
    )
    t3 = IndicatorDefinition.objects.get(code="T3")
    with translation.override("en"):
        definition = t3.localized("definition")
    with translation.override("vi"):
        assert t3.localized("definition") != definition  # the catalogue has its English
    assert definition in quoted


def test_the_readme_table_prints_every_definition_the_reports_print(db) -> None:
    readme = re.sub(r"\s+", " ", Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8"))
    built_in = IndicatorDefinition.objects.filter(built_in=True).exclude(code="T3")
    with translation.override("en"):
        texts = [entry.localized("definition") for entry in built_in] + [
            str(indicators.ROUNDING_NOTE),
            str(indicators.STATUS_NOTE),
        ]
    for text in texts:
        assert text in readme, text[:40]
