"""Numbers that go back to the server carry no thousands separator.

Vietnamese formats group thousands with a dot, which is right for reading but wrong in a form:
a number input holding "84.000" shows as empty, a checkbox worth "1.234" names no report, and a
link to page "1.200" lands on the first page.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management.color import no_style
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Resource, SelfReport
from facilities.models import Product
from tests.assessments.test_workflow import QUARTER, filled_draft, submitted


def _next_pk_is(model, pk: int, **fields) -> None:
    """Make the next row of `model` get `pk`, on SQLite and PostgreSQL alike."""
    stand_in = model.objects.create(pk=pk - 1, **fields)
    with connection.cursor() as cursor:  # PostgreSQL: the sequence moves to the highest id
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
    stand_in.delete()


@pytest.mark.parametrize(("language", "shown"), [("vi", "84.000"), ("en", "84,000")])
def test_a_draft_saved_unchanged_keeps_its_quantities_in_either_language(
    users, facilities, client_for, language, shown
) -> None:
    manager = users["facility_manager"]
    report = filled_draft(facilities["own"], manager)  # 84,000 kWh, output 1,250.5 t
    client = client_for(manager)
    client.post(reverse("set_language"), {"language": language})
    url = reverse("assessments:selfreport_detail", args=[report.pk])
    html = client.get(url).content.decode()
    electricity = Resource.objects.get(code="electricity").pk
    form = _form_values(html)
    assert form[f"resource_{electricity}"] == shown
    # What the page shows, sent back as it is, is what was saved.
    form["save"] = "1"
    assert client.post(url, form).status_code == 302
    line = report.consumptions.get(resource_id=electricity)
    assert line.quantity == Decimal(84000)
    report.refresh_from_db()
    assert report.output == Decimal("1250.5")


class _FormValues(HTMLParser):
    """The values a browser would send for a form: inputs, checked boxes, selects, text."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and "name" in a and a.get("type") not in ("submit", "file"):
            if a.get("type") != "checkbox":
                self.values.setdefault(a["name"], a.get("value", ""))
            elif "checked" in a:
                self.values.setdefault(a["name"], a.get("value") or "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def _form_values(html: str) -> dict[str, str]:
    start = html.index('data-testid="self-report-form"')
    parser = _FormValues()
    parser.feed(html[start : html.index("</form>", start)])
    # A browser drops the newline that follows <textarea>.
    return {name: value.removeprefix("\n") for name, value in parser.values.items()}


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
    html = client_for(users["department_staff"]).get(reverse("reporting:completeness"))
    assert re.search(r'name="year" id="id_year" value="20\d\d"', html.content.decode())


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("vi", "12,5", Decimal("12.5")),
        ("vi", "1.250", Decimal(1250)),
        ("vi", "1.250,75", Decimal("1250.75")),
        ("vi", "84000", Decimal(84000)),
        ("en", "12.5", Decimal("12.5")),
        ("en", "1,250.75", Decimal("1250.75")),
    ],
)
def test_quantities_are_read_and_shown_as_people_write_them(language, typed, read) -> None:
    from django import forms
    from django.utils import translation

    from facilities.forms import localize_decimals

    class QuantityForm(forms.Form):
        quantity = forms.DecimalField(max_digits=18, decimal_places=3)

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            localize_decimals(self)

    with translation.override(language):
        form = QuantityForm({"quantity": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["quantity"] == read
        field = QuantityForm(initial={"quantity": read})["quantity"]
        shown = field.field.widget.format_value(field.value())
        again = QuantityForm({"quantity": shown})
        assert again.is_valid() and again.cleaned_data["quantity"] == read, shown


def test_letters_in_a_quantity_are_refused_and_kept(users, facilities, client_for) -> None:
    manager = users["facility_manager"]
    report = filled_draft(facilities["own"], manager)
    client = client_for(manager)
    url = reverse("assessments:selfreport_detail", args=[report.pk])
    form = _form_values(client.get(url).content.decode())
    electricity = f"resource_{Resource.objects.get(code='electricity').pk}"
    form |= {electricity: "tám vạn", "save": "1"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert _form_values(response.content.decode())[electricity] == "tám vạn"
    assert report.consumptions.get(resource__code="electricity").quantity == Decimal(84000)
