"""Demo: energy and climate. The demo's plants already report their energy; this step adds
what the Department records besides: the GHG inventory listing of the two largest users, and
the year report (Form 1.1) the largest designated users filed in January, waiting for the
Department's check (written through the same services as a manager's own submission)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from assessments import services
from assessments.energy import designated_list, yearly_energy
from assessments.models import GhgInventoryListing, SelfReport
from portal.lib.dates import local_today
from portal.models import User

GHG_DECISION = "13/2024/QĐ-TTg"
GHG_DECIDED_ON = datetime.date(2024, 8, 13)
FILERS = 2


def seed_energy(*, clerk: User) -> None:
    year = local_today().year - 1
    found = designated_list(year)
    for row in found.rows[:2]:
        GhgInventoryListing.objects.get_or_create(
            facility=row.facility,
            decision=GHG_DECISION,
            defaults={"decided_on": GHG_DECIDED_ON, "note": "Dữ liệu minh họa"},
        )
    whole_years = [
        row
        for row in found.rows
        if row.energy and row.energy.whole_year and row.energy.output is not None
    ]
    for row in whole_years[:FILERS]:
        _file_year_report(row.facility.pk, year, clerk=clerk)


def _file_year_report(facility_id: int, year: int, *, clerk: User) -> None:
    """The facility's year report: its four approved quarters summed, then submitted."""
    quarters = list(
        SelfReport.objects.in_force()
        .filter(facility_id=facility_id, year=year, period_kind="quarter")
        .prefetch_related("consumptions")
    )
    energy = yearly_energy(year, facility_ids=[facility_id])[facility_id]
    report = services.start_self_report(
        quarters[0].facility, period_kind="year", year=year, quarter=None, by=clerk
    )
    if report.status != SelfReport.Status.DRAFT:
        return  # filed on an earlier run
    totals: dict[int, Decimal] = {}
    for quarter in quarters:
        for line in quarter.consumptions.all():
            totals[line.resource_id] = totals.get(line.resource_id, Decimal(0)) + line.quantity
    services.save_self_report(
        report,
        by=clerk,
        output=energy.output,
        output_unit=energy.output_unit,
        has_cp_unit=any(q.has_cp_unit for q in quarters),
        notes="Báo cáo năm theo Mẫu 1.1 (Thông tư 25/2020/TT-BCT).",
        consumptions=dict(totals),
        measures=[],
    )
    services.submit_self_report(report, by=clerk)
