"""The self-report form tells its due date and lateness, and shows the previous period's
approved figures and the baseline beside each quantity, in a bounded number of queries."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    Resource,
    SelfReport,
    SelfReportConsumption,
)


@pytest.fixture
def electricity(db) -> Resource:
    return Resource.objects.get(code="electricity")


def _approved(facility, year: int, quarter: int, kwh: int, electricity: Resource) -> SelfReport:
    report = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter",
        year=year,
        quarter=quarter,
        status="approved",
        output=Decimal(900),
        output_unit="t",
        reviewed_at=timezone.now(),
    )
    SelfReportConsumption.objects.create(report=report, resource=electricity, quantity=kwh)
    return report


def _baseline(facility, electricity: Resource) -> Baseline:
    assessment = Assessment.objects.create(
        facility=facility,
        kind="detailed",
        status="completed",
        funding="provincial",
        started_on=datetime.date(2017, 3, 1),
        completed_on=datetime.date(2017, 9, 1),
    )
    baseline = Baseline.objects.create(
        assessment=assessment, year=2016, output=Decimal(4000), output_unit="t"
    )
    BaselineConsumption.objects.create(baseline=baseline, resource=electricity, quantity=800_000)
    return baseline


def _draft(facility, year: int = 2019, quarter: int = 2) -> SelfReport:
    return SelfReport.objects.create(
        facility=facility, period_kind="quarter", year=year, quarter=quarter, output_unit="t"
    )


def _page(client, report: SelfReport) -> str:
    response = client.get(reverse("assessments:selfreport_detail", args=[report.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_draft_past_its_deadline_says_how_late_it_is(users, facilities, client_for) -> None:
    draft = _draft(facilities["own"])  # Q2/2019: due 20 days after 30/06/2019
    late = (timezone.localdate() - datetime.date(2019, 7, 20)).days
    page = _page(client_for(users["facility_manager"]), draft)
    assert "Hạn nộp: <strong>20/07/2019</strong>" in page
    assert f"Quá hạn {late:,} ngày".replace(",", ".") in page  # 2.695, grouped like any number


def test_a_draft_before_its_deadline_says_how_many_days_are_left(
    users, facilities, client_for
) -> None:
    year = timezone.localdate().year + 1
    draft = _draft(facilities["own"], year=year, quarter=1)
    left = (datetime.date(year, 4, 20) - timezone.localdate()).days
    page = _page(client_for(users["facility_manager"]), draft)
    assert f"còn {left:,} ngày".replace(",", ".") in page
    assert "Quá hạn" not in page


def test_each_quantity_shows_the_previous_quarter_and_the_baseline(
    users, facilities, client_for, electricity
) -> None:
    own = facilities["own"]
    _approved(own, 2019, 1, 190_000, electricity)
    _approved(own, 2018, 4, 999_999, electricity)  # not the previous quarter
    _baseline(own, electricity)
    page = _page(client_for(users["facility_manager"]), _draft(own))
    reference = page.split(f'data-testid="reference-resource_{electricity.pk}">')[1][:300]
    assert "Kỳ trước: 190.000" in reference
    assert "Năm cơ sở 2016: 800.000" in reference
    assert "Kỳ trước (Quý 1/2019): 900 tấn" in page
    assert "Năm cơ sở 2016 (cả năm): 4.000 tấn" in page
    assert "999.999" not in page


def test_another_facilitys_figures_never_show(users, facilities, client_for, electricity) -> None:
    other = facilities["other"]
    _approved(other, 2019, 1, 123_456, electricity)
    _baseline(other, electricity)
    page = _page(client_for(users["facility_manager"]), _draft(facilities["own"]))
    assert "123.456" not in page and "800.000" not in page
    assert 'data-testid="output-reference"' not in page
    other_draft = _draft(other)
    url = reverse("assessments:selfreport_detail", args=[other_draft.pk])
    assert client_for(users["facility_manager"]).get(url).status_code == 404


def test_the_blank_measure_row_is_marked_optional_and_sections_are_headed(
    users, facilities, client_for
) -> None:
    page = _page(client_for(users["facility_manager"]), _draft(facilities["own"]))
    assert page.count("measure-form-optional") == 1
    headings = re.findall(r'<h2 class="card-header h5" id="section-[a-z]+">(.*?)</h2>', page)
    assert len(headings) == 4


def test_the_form_page_costs_the_same_queries_with_a_long_history(
    users, facilities, client_for, electricity, django_assert_max_num_queries
) -> None:
    own = facilities["own"]
    _baseline(own, electricity)
    client = client_for(users["facility_manager"])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            _page(client, draft)
        return len(queries)

    draft = _draft(own, year=2020, quarter=4)
    _approved(own, 2020, 3, 100_000, electricity)
    few = count()
    for year in range(2017, 2020):
        for quarter in range(1, 5):
            _approved(own, year, quarter, 100_000, electricity)
    assert count() == few
    with django_assert_max_num_queries(40):
        _page(client, draft)


def test_a_unit_added_to_the_list_can_be_chosen_for_a_self_report(db) -> None:
    from assessments.forms import BaselineForm
    from facilities.models import ProductUnit

    ProductUnit.objects.get_or_create(
        code="1000vien",
        defaults={"name": "nghìn viên", "name_en": "thousand bricks", "quantity_kind": "count"},
    )
    form = BaselineForm(data={"year": "2024", "output": "1500", "output_unit": "1000vien"})
    assert "1000vien" in dict(form.fields["output_unit"].choices)
    form.is_valid()
    assert "output_unit" not in form.errors


def test_resources_have_english_names_on_english_pages(db) -> None:
    from django.utils import translation

    from assessments.models import Resource

    rice_husk = Resource.objects.get(code="rice-husk")
    with translation.override("en"):
        assert (rice_husk.label, rice_husk.unit_label) == ("Rice husk", "t")
        assert str(rice_husk) == "Rice husk (t)"
    with translation.override("vi"):
        assert (rice_husk.label, rice_husk.unit_label) == ("Trấu", "tấn")
    assert not Resource.objects.filter(name_en="").exists()
