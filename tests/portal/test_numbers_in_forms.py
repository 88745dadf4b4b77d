"""Numbers that go back to the server carry no thousands separator.

Vietnamese formats group thousands with a dot, which is right for reading but wrong in a form:
a number input holding "84.000" shows as empty, a checkbox worth "1.234" names no report, and a
link to page "1.200" lands on the first page.
"""

from __future__ import annotations

import re

from django.core.management.color import no_style
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import SelfReport
from facilities.models import Product
from tests.assessments.test_workflow import QUARTER, filled_draft, submitted


def _next_pk_is(model, pk: int, **fields) -> None:
    """Make the next row of `model` get `pk`, on SQLite and PostgreSQL alike."""
    model.objects.create(pk=pk - 1, **fields).delete()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def test_a_draft_shows_its_quantities_as_the_number_inputs_read_them(
    users, facilities, client_for
) -> None:
    report = filled_draft(facilities["own"], users["facility_manager"])  # 84,000 kWh
    page = client_for(users["facility_manager"]).get(
        reverse("assessments:selfreport_detail", args=[report.pk])
    )
    html = page.content.decode()
    assert 'value="84000' in html
    assert 'value="84.000' not in html


def test_bulk_approval_finds_reports_numbered_past_a_thousand(
    users, facilities, client_for
) -> None:
    _next_pk_is(SelfReport, 1234, facility=facilities["other"], **QUARTER)
    # Warning-free, so bulk approval takes it: the unit is the facility's product's.
    Product.objects.create(facility=facilities["own"], name="Gạch nung", unit="t")
    report = submitted(facilities["own"], users["facility_manager"])
    assert report.pk == 1234
    client = client_for(users["department_staff"])
    queue = client.get(reverse("assessments:review_queue")).content.decode()
    assert 'name="report" value="1234"' in queue
    client.post(reverse("assessments:review_queue"), {"report": "1234"})
    report.refresh_from_db()
    assert report.status == SelfReport.Status.APPROVED


def test_page_links_past_a_thousand_pages_name_their_page() -> None:
    page = Paginator(range(2400), 2).get_page(1199)
    html = render_to_string("partials/pagination.html", {"page": page, "query": ""})
    assert "page=1200" in html and "page=1198" in html
    assert "page=1.2" not in html


def test_the_completeness_page_offers_the_plain_year_of_the_last_quarter(users, client_for) -> None:
    html = client_for(users["department_staff"]).get(reverse("assessments:completeness"))
    assert re.search(r'name="year" id="id_year" value="20\d\d"', html.content.decode())
