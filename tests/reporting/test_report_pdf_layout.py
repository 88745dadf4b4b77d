"""The report PDF's facility annex: a fixed table layout that stays within the landscape page,
whatever the facilities are called."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from programs.models import Plan
from reporting import builders, pdf
from tests.factories import FacilityFactory

MM = 96 / 25.4  # CSS pixels in a millimetre


def test_the_annex_table_has_a_fixed_layout_within_the_page(db) -> None:
    FacilityFactory(
        name="Công ty Trách nhiệm hữu hạn Một thành viên Chế biến Thủy sản Xuất khẩu Quỳnh Lưu "
        "Nghệ An chi nhánh Khu kinh tế Đông Nam"
    )
    plan = Plan.objects.get(end_year=2020)
    with translation.override("vi"):
        snapshot = builders.build(plan, year=2026, quarter=3, audience="province")
        html = render_to_string("reporting/report_pdf.html", pdf.context(snapshot))
    document = HTML(
        string=html, base_url=pdf.STATIC_DIR.as_uri() + "/", url_fetcher=pdf.PortalStaticFetcher()
    ).render()
    annex_page = document.pages[-1]
    tables = [box for box in annex_page._page_box.descendants() if box.element_tag == "table"]
    table = tables[-1]
    assert table.style["table_layout"] == "fixed"
    assert annex_page.width > annex_page.height  # landscape
    # Its right edge within the annex's 15 mm right margin (the header's widths add up to the
    # page once their padding counts in them).
    assert table.position_x + table.margin_width() <= annex_page.width - 15 * MM + 0.5
