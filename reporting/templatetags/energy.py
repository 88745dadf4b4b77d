"""The energy blocks of the facility page and of the Department's dashboard.

Tags rather than view context because those views belong to other pages: each block asks for
its own figures (a bounded number of queries) and the page only includes it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from assessments.energy import (
    avoided_emissions,
    check_queue,
    designated_list,
    latest_ghg_listings,
    yearly_energy,
)
from assessments.models import SelfReport
from facilities.models import Facility
from reporting import freshness

register = template.Library()
YEARS_SHOWN = 4


def _last_year() -> int:
    return timezone.localdate().year - 1


@register.simple_tag
def facility_energy(facility: Facility) -> dict[str, Any]:
    """The facility's energy by year (TOE, threshold) and what its savings avoided."""
    last = _last_year()
    years = []
    # Only the years the facility reported in: a plant without reports costs one query.
    reported = set(
        SelfReport.objects.filter(
            facility=facility, year__gt=last - YEARS_SHOWN, year__lte=last
        ).values_list("year", flat=True)
    )
    for year in sorted(reported, reverse=True):
        found = yearly_energy(year, facility_ids=[facility.pk])
        energy = found.get(facility.pk)
        avoided = avoided_emissions(year, energy=found).get(facility.pk)
        if energy is not None or avoided is not None:
            years.append({"year": year, "energy": energy, "avoided": avoided})
    return {
        "years": years,
        "latest": years[0] if years and years[0]["year"] == last else None,
        "ghg_listing": latest_ghg_listings([facility.pk]).get(facility.pk),
    }


@register.simple_tag
def province_energy() -> dict[str, Any]:
    """The province's designated energy users and avoided emissions of the last year (counts
    and sums: served from the cache while the facts are unchanged)."""
    year = _last_year()

    def read() -> dict[str, Any]:
        current, previous = yearly_energy(year), yearly_energy(year - 1)
        found = designated_list(year, energy=(current, previous))
        avoided = avoided_emissions(year, energy=current).values()
        return {
            "year": year,
            "designated": len(found.rows),
            "crossed": len(found.crossed),
            "disagreements": len(found.disagreements),
            "tco2e": sum(a.tco2e for a in avoided),
            "toe_saved": sum(a.toe for a in avoided),
            "measured": len(avoided),
            "pending": len(check_queue(year, before=previous)),
        }

    return freshness.cached(("province energy", year), read)
