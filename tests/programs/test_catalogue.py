"""The indicator catalogue: a department admin composes an indicator on its page, previews
its value today, sets it as a target of a 2021–2030 plan, and the dashboard, the PDF and the
workbook show it with its band, status and definition. The engine computes it in a bounded
number of queries, within its population."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from facilities.models import IndustrialZone
from programs.models import (
    AgencyTask,
    IndicatorDefinition,
    Plan,
    SupportProject,
    Target,
    TaskUpdate,
)
from reporting import builders, excel, indicators, pdf
from tests.reporting.test_indicators import make_facility, verified_option

DAY = datetime.date(2026, 11, 30)
FORM = {
    "code": "c8",
    "name": "Cơ sở dệt may áp dụng SXSH",
    "name_en": "Textile facilities applying CP",
    "kind": "facility_share",
    "condition": "applying",
    "record": "",
    "sector_prefixes": "13, 14",
    "energy_users": "",
    "definition": "C8 – tỷ lệ cơ sở dệt may (VSIC 13, 14) áp dụng SXSH. Mẫu số: như T1.",
    "definition_en": "C8 – share of textile facilities (VSIC 13, 14) applying CP.",
    "rank": "30",
}


@pytest.fixture
def textiles(db) -> dict[str, object]:
    """Two textile facilities (one applying CP) and a brickworks applying CP."""
    day = datetime.date(2022, 3, 1)
    weaving, dyeing = make_facility(sector="131"), make_facility(sector="139")
    bricks = make_facility(sector="239")
    verified_option(weaving, implemented_on=day, verified_on=day)
    verified_option(bricks, implemented_on=day, verified_on=day)
    return {"weaving": weaving, "dyeing": dyeing, "bricks": bricks}


def _plan_2030(*, status: str = Plan.Status.ACTIVE) -> Plan:
    return Plan.objects.create(
        name="Kế hoạch SXSH 2021–2030", start_year=2021, end_year=2030, status=status
    )


def test_an_admin_previews_an_indicator_today_without_saving_it(
    users, client_for, textiles
) -> None:
    client = client_for(users["department_admin"])
    page = client.post(reverse("reporting:indicator_preview"), FORM)
    assert page.status_code == 200
    preview = page.context["preview"]
    # One of the two textile facilities applies CP; the brickworks is outside the population.
    assert (preview.numerator, preview.denominator) == (1, 2)
    assert preview.status == "no_target"
    assert 'data-testid="preview"' in page.text and "50,0%" in page.text
    assert not IndicatorDefinition.objects.filter(code="C8").exists()
    assert 'value="c8"' in page.text  # what was typed stays in the form


def test_an_admin_composes_an_indicator_and_the_plan_dashboard_pdf_and_workbook_show_it(
    users, client_for, textiles
) -> None:
    client = client_for(users["department_admin"])
    response = client.post(reverse("programs:indicator_create"), FORM)
    assert response.status_code == 302
    entry = IndicatorDefinition.objects.get(code="C8")
    assert (entry.built_in, entry.prefixes) == (False, ["13", "14"])

    plan = _plan_2030()
    data = {
        "name": plan.name,
        "document_kind": "plan",
        "start_year": "2021",
        "end_year": "2030",
        "status": "active",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-indicator": "C8",
        "targets-0-milestone_year": "2025",
        "targets-0-floor": "40",
        "targets-0-stretch": "70",
        "targets-0-unit": "share",
    }
    assert client.post(reverse("programs:plan_edit", args=[plan.pk]), data).status_code == 302
    assert plan.targets.get().floor == Decimal("0.4")

    # The dashboard's card: value, band, status and definition.
    page = client.get(reverse("dashboard"), {"plan": plan.pk, "on": "30/11/2026"})
    html = re.sub(r"\s+", " ", page.text)
    card = html.split('<span class="fw-semibold">C8</span>')[1].split('class="col"')[0]
    assert "Đạt" in card and "50,0%" in card and "40–70%" in card, card
    assert FORM["definition"] in card

    # The report: the summary row, the definition in the annex, the workbook's cells.
    with translation.override("vi"):
        snapshot = builders.build(plan, year=2026, quarter=3, audience="province", as_of=DAY)
        html = re.sub(
            r"\s+", " ", render_to_string("reporting/report_pdf.html", pdf.context(snapshot))
        )
        output = BytesIO()
        excel.write(snapshot, output)
    assert [row.code for row in snapshot.summary] == ["C8"]
    assert FORM["definition"] in html and "Cơ sở dệt may áp dụng SXSH" in html
    sheet = load_workbook(output)[excel.sheet_names()["summary"]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    assert rows["C8"][2] == pytest.approx(0.5)
    assert rows["C8"][5:7] == (pytest.approx(0.4), pytest.approx(0.7))
    assert rows["C8"][8] == "Đạt"
    texts = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert FORM["definition"] in texts


def test_bad_input_is_refused_in_vietnamese_and_kept(users, client_for, db) -> None:
    client = client_for(users["department_admin"])
    form = FORM | {"condition": "", "sector_prefixes": "dệt may", "record": "ministry_models"}
    page = client.post(reverse("programs:indicator_create"), form)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "Vui lòng chọn điều kiện" in errors["condition"][0]
    assert "mã ngành VSIC 2018" in errors["sector_prefixes"][0]
    assert 'value="dệt may"' in page.text
    assert not IndicatorDefinition.objects.filter(code="C8").exists()
    # And on the preview, the same errors and no figure.
    page = client.post(reverse("reporting:indicator_preview"), form)
    assert page.status_code == 200 and "preview" not in page.context


def test_the_shipped_indicators_are_not_edited_on_the_page(users, client_for, db) -> None:
    client = client_for(users["department_admin"])
    assert client.get(reverse("programs:indicator_edit", args=["T1"])).status_code == 404
    page = client.get(reverse("programs:indicator_list"))
    codes = [entry.code for entry in page.context["entries"]]
    assert codes[:9] == ["T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4"]  # by rank


def test_a_plan_with_its_own_indicators_computes_only_those_in_bounded_queries(
    textiles, django_assert_max_num_queries
) -> None:
    plan = _plan_2030()
    kinds = [
        {"code": "C8", "kind": "facility_share", "condition": "applying", "sector_prefixes": "13"},
        {"code": "C9", "kind": "facility_share", "condition": "aware", "energy_users": "only"},
        {"code": "S1", "kind": "savings", "sector_prefixes": "13"},
        {"code": "O1", "kind": "officials_trained"},
        {"code": "M1", "kind": "record_count", "record": "ministry_models", "cumulative": True},
        {"code": "Q1", "kind": "record_count", "record": "quick_assessments"},
        {"code": "K2", "kind": "places_reached", "place_kinds": "cluster,craft_village"},
        {"code": "S2", "kind": "savings", "resource_family": "material", "sector_prefixes": "13"},
    ]
    for fields in kinds:
        entry, _ = IndicatorDefinition.objects.update_or_create(
            code=fields["code"], defaults={**fields, "name": fields["code"], "definition": "…"}
        )
        unit = entry.unit
        Target.objects.create(
            plan=plan, indicator=entry, milestone_year=2025, floor=0, stretch=1, unit=unit
        )
    with django_assert_max_num_queries(13):
        figures = indicators.compute(plan, as_of=DAY)
    # In the catalogue's order: rank (the shipped M1 comes first), then code.
    assert list(figures) == ["M1", "C8", "C9", "K2", "O1", "Q1", "S1", "S2"]
    assert (figures["C8"].numerator, figures["C8"].denominator) == (1, 2)  # 131 and 139: "13"
    assert figures["C9"].denominator == 0 and figures["C9"].status == "no_data"
    assert figures["S1"].denominator == 1  # the applying facilities of the population
    with django_assert_max_num_queries(13):
        groups = indicators.compute_by(plan, as_of=DAY, by="sector")
    assert {code for group in groups for code in group.figures} == {"C8", "C9", "Q1", "S1", "S2"}


def test_a_cumulative_count_counts_from_the_plans_first_year(db) -> None:
    plan = _plan_2030()
    entry = IndicatorDefinition.objects.create(
        code="M9",
        name="Mô hình",
        kind="record_count",
        record="ministry_models",
        cumulative=True,
        definition="…",
    )
    Target.objects.create(
        plan=plan, indicator=entry, milestone_year=2025, floor=20, stretch=30, unit="count"
    )
    for year, day in ((2020, 5), (2021, 6), (2023, 7), (2024, 8)):
        SupportProject.objects.create(
            title=f"Mô hình {year}",
            year=year,
            funding="central",
            proposed_on=datetime.date(year, 3, day),
        )
    figure = indicators.compute(plan, as_of=datetime.date(2024, 6, 30))["M9"]
    assert (figure.value, figure.from_year, figure.is_count) == (Decimal(3), 2021, True)
    # 3 of 20 by mid-2024: far below the straight line to 20 at the end of 2025.
    assert figure.status == "behind"
    end = indicators.compute(plan, as_of=datetime.date(2025, 12, 31))["M9"]
    assert (end.value, end.status) == (Decimal(3), "not_met")


def test_a_target_unit_must_be_its_indicators(db) -> None:
    target = Target(
        plan=_plan_2030(), indicator_id="A1", milestone_year=2025, floor=1, stretch=2, unit="share"
    )
    with pytest.raises(ValidationError, match="số lượng mỗi năm"):
        target.full_clean()


def test_the_draft_plan_2021_2030_ships_with_its_sources_and_is_not_shown(db) -> None:
    draft = Plan.objects.get(start_year=2021, end_year=2030)
    assert draft.status == Plan.Status.DRAFT and "DỰ THẢO" in draft.summary
    targets = {
        (t.indicator_id, t.milestone_year): t
        for t in draft.targets.exclude(indicator__code__startswith="NVL-")  # test_savings_family
    }
    assert set(targets) == {
        ("T1", 2025),
        ("T1", 2030),
        ("T2", 2025),
        ("T2", 2030),
        ("T4", 2025),
        ("T4", 2030),
        ("M1", 2025),
        ("K1", 2025),
        ("K1", 2030),
    }
    assert (targets[("M1", 2025)].floor, targets[("M1", 2025)].stretch) == (20, 30)
    assert all(target.note for target in targets.values())
    assert "889/QĐ-TTg" in targets[("M1", 2025)].note
    assert Plan.objects.shown_by_default(DAY).end_year == 2020  # the draft is not shown


def test_the_public_page_shows_the_plan_in_force_and_the_2020_results_stay_reachable(
    client, users, client_for, db
) -> None:
    plan = Plan.objects.get(start_year=2021, end_year=2030)
    page = client.get(reverse("home"))
    assert plan.name not in page.text  # a draft is never shown
    plan.status = Plan.Status.ACTIVE
    plan.save()
    cache.clear()
    page = client.get(reverse("home"))
    assert plan.name in page.text
    old = Plan.objects.get(start_year=2016, end_year=2020)
    staff = client_for(users["department_staff"])
    page = staff.get(reverse("dashboard"), {"plan": old.pk, "on": "31/12/2020"})
    assert 'data-testid="final-results"' in page.text


def test_a_task_update_attachment_named_pdf_must_be_a_pdf(users, db) -> None:
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    task = AgencyTask.objects.create(
        plan=plan,
        agency=users["agency_officer"].agency,
        title="Tuyên truyền",
        due_on=datetime.date(2026, 12, 31),
    )
    update = TaskUpdate(
        task=task,
        posted_by=users["agency_officer"],
        text="Đã tổ chức hội nghị",
        progress=50,
        attachment=SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf"),
    )
    with pytest.raises(ValidationError, match="không phải PDF hợp lệ"):
        update.full_clean()


def test_an_admin_composes_an_indicator_of_places_reached_on_the_page(
    users, client_for, db
) -> None:
    client = client_for(users["department_admin"])
    form = {
        **FORM,
        "code": "k3",
        "kind": "places_reached",
        "condition": "",
        "sector_prefixes": "",
        "place_kinds": ["industrial_zone", "craft_village"],
    }
    page = client.post(reverse("reporting:indicator_preview"), form)
    assert page.status_code == 200
    # The shipped zones exist (no date: always), none reached yet; no craft village shipped.
    shipped = IndustrialZone.objects.filter(kind="industrial_zone").count()
    assert (page.context["preview"].numerator, page.context["preview"].denominator) == (
        0,
        shipped,
    )
    page = client.post(reverse("programs:indicator_create"), form)
    assert page.status_code == 302
    entry = IndicatorDefinition.objects.get(code="K3")
    assert entry.place_kinds == "industrial_zone,craft_village"
    page = client.get(reverse("programs:indicator_edit", args=["K3"]))
    assert page.context["form"].initial["place_kinds"] == ["industrial_zone", "craft_village"]
    # Without a kind ticked: the form says so, nothing is saved.
    page = client.post(
        reverse("programs:indicator_create"), {**form, "code": "k4", "place_kinds": []}
    )
    assert page.status_code == 200
    assert "ít nhất một loại" in page.context["form"].errors["place_kinds"][0]
